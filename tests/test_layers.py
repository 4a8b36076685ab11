"""The stages import only earlier stages (the pipeline order below), counting imports inside
functions and under TYPE_CHECKING; the two known exceptions are listed until they are gone."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "psetbench"
# Layers, lowest first. Model access and text segmentation need nothing of the problem set;
# check kinds come before problem sets because a set's `checks:` are made of them.
ORDER = ["_version", "errors", "types", "_fileutil", "_plugins", "_bounds", "models",
         "segment", "checks", "problemset", "record", "strategies", "draft", "judge", "grading",
         "runs", "importers", "labels", "calibrate", "compare", "report", "view", "_api",
         "__init__", "cli", "__main__"]
KNOWN_BACKWARD: set[tuple[str, str]] = set()  # none left


def _stage(file: Path) -> str:
    rel = file.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported(node: ast.AST) -> list[str]:
    """The psetbench stages an import statement names."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module != "psetbench":
            names = [node.module]
        else:
            names = [f"psetbench.{a.name}" if (SRC / a.name).is_dir()
                     or (SRC / f"{a.name}.py").is_file() else "psetbench.__init__"
                     for a in node.names]
    else:
        return []
    return [n.split(".")[1] for n in names if n.startswith("psetbench.")]


def _edges() -> dict[tuple[str, str], str]:
    edges: dict[tuple[str, str], str] = {}
    for file in sorted(SRC.rglob("*.py")):
        me = _stage(file)
        for node in ast.walk(ast.parse(file.read_text())):
            for stage in _imported(node):
                if stage != me:
                    edges.setdefault((me, stage), f"{file.relative_to(SRC)}:{node.lineno}")
    return edges


def test_every_stage_is_in_the_pipeline_order() -> None:
    stages = {_stage(f) for f in SRC.rglob("*.py")}
    assert stages <= set(ORDER), stages - set(ORDER)


def test_no_stage_imports_a_later_one() -> None:
    edges = _edges()
    assert ("strategies", "runs") not in edges and edges  # the walk finds imports at all
    backward = {pair: where for pair, where in edges.items()
                if ORDER.index(pair[1]) > ORDER.index(pair[0]) and pair not in KNOWN_BACKWARD}
    assert not backward, backward
