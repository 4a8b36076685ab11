"""`draft_set`: homework (and solutions) files to a validated problem-set YAML draft.

Nothing is written until the whole draft exists and `psetbench validate` accepts it; then
the figures and the YAML are moved into place, the YAML last, each in one step.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from psetbench._fileutil import publish
from psetbench.draft._align import align
from psetbench.draft._assemble import Key, Plan, set_data, slug
from psetbench.draft._finish import finish
from psetbench.draft._limits import check_document, check_size
from psetbench.draft._propose import Proposed, propose
from psetbench.draft._read import read_document
from psetbench.draft._types import DraftDocument, DraftError, DraftSummary, Figure, Node
from psetbench.draft._yaml import dump

if TYPE_CHECKING:
    from inspect_ai.model import Model

FIGURES = "figures"


def draft_set(homework: str | Path, output: str | Path, *, solutions: str | Path | None = None,
              model: str | Model | None = None, force: bool = False) -> DraftSummary:
    """Draft a problem set from a homework file (.tex, .pdf, .md, .txt) and optionally a
    separate solutions file; write it to `output` (and its figures to `figures/` beside it)
    and return the summary. Raises DraftError (a PsetbenchError) on input it cannot use."""
    homework, output = Path(homework), Path(output)
    _check_output(output, force)
    document = read_document(homework)
    warnings: list[str] = []
    if solutions is not None:
        solution_doc = read_document(Path(solutions), role="solutions")
        warnings += align(document, solution_doc, Path(solutions).name)
    finish(document)
    check_document(document)
    warnings = document.warnings + warnings
    plan = Plan()
    plan.checks = _rule_checks(document, warnings)
    model_name = unused = None
    if model is not None:
        from psetbench.draft._model import improve

        outcome = improve(document, plan, model, warnings)
        model_name, unused = outcome.name, outcome.unused
    warnings += _unchecked(document, plan)
    figures = _figure_names(document, output, plan)
    set_id = slug(output.stem)
    header = _header(homework, solutions, model_name, unused)
    text = dump(set_data(document, plan, set_id), header)
    check_size(text, homework.name)
    _write(output, text, figures, force)
    leaves = [leaf for q in document.questions for leaf in _leaves(q.parts)]
    return DraftSummary(
        output=str(output), questions=len(document.questions), parts=len(leaves),
        points=sum(1.0 if n.points is None else n.points for n in leaves),
        checks=dict(sorted(plan.counts.items())), figures=len(figures), reviews=plan.reviews,
        warnings=warnings, model=model_name, model_unused=unused)


def _leaves(nodes: list[Node]) -> list[Node]:
    return [leaf for n in nodes for leaf in (_leaves(n.children) if n.children else [n])]


def _check_output(output: Path, force: bool) -> None:
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise DraftError(f"-o {output}: a problem set is a .yaml file; name it SET.yaml")
    if output.is_dir():
        raise DraftError(f"-o {output}: is a folder; give a file name such as set.yaml")
    if output.exists() and not force:
        raise DraftError(f"{output} exists; pass --force to overwrite it, or choose another "
                         "name")


def _rule_checks(document: DraftDocument, warnings: list[str]) -> dict[Key, list[Proposed]]:
    checks: dict[Key, list[Proposed]] = {}
    for question in document.questions:
        for key, node in _keyed(question.parts, (question.number,)):
            if node.solution_confidence == 0.0:  # a placeholder: nothing to check against
                continue
            found: list[str] = []
            checks[key] = propose(node.prompt_text, node.solution_text, node.options,
                                  node.correct, found)
            warnings += [f"{'.'.join(key)}: {w}" for w in found]
    return checks


def _unchecked(document: DraftDocument, plan: Plan) -> list[str]:
    """Parts with a solution but no check: each gets a review comment and a warning."""
    for question in document.questions:
        for key, node in _keyed(question.parts, (question.number,)):
            if node.solution_confidence > 0.0 and not plan.checks.get(key):
                plan.unchecked.add(key)
    return [f"{'.'.join(key)}: no check proposed; write one" for key in sorted(plan.unchecked)]


def _keyed(nodes: list[Node], parent: Key) -> list[tuple[Key, Node]]:
    out: list[tuple[Key, Node]] = []
    for node in nodes:
        key = (*parent, node.label)
        out += _keyed(node.children, key) if node.children else [(key, node)]
    return out


def _figure_names(document: DraftDocument, output: Path, plan: Plan) -> dict[str, Figure]:
    """figures/<set>-<name> for every figure, unique within the draft."""
    named: dict[str, Figure] = {}
    for question in document.questions:
        for figure in question.figures:
            base = f"{slug(output.stem)}-{figure.name}"
            name, n = base, 2
            while name in named:
                stem, dot, suffix = base.rpartition(".")
                name, n = f"{stem}-{n}{dot}{suffix}", n + 1
            named[name] = figure
            plan.figure_paths[id(figure)] = f"{FIGURES}/{name}"
    return named


def _header(homework: Path, solutions: str | Path | None, model: str | None,
            unused: str | None) -> list[str]:
    source = homework.name + (f" and {Path(solutions).name}" if solutions else "")
    said = "."
    if model:
        said = f", with {model} proposing prompts and checks." if unused is None else \
            f"; {model} was asked, but none of its proposals are used ({unused})."
    lines = [f"Drafted by `psetbench draft` from {source}{said}",
             "This is a draft: read every `# review:` comment, check every `# draft check`,",
             "then delete the comments you have dealt with and run `psetbench validate`.",
             "docs/draft.md explains each kind of comment."]
    return lines


def _write(output: Path, text: str, figures: dict[str, Figure], force: bool) -> None:
    """Validate in a temporary folder beside the output, then move figures and YAML in."""
    from psetbench.problemset import validate_file

    folder = output.parent if str(output.parent) else Path(".")
    targets = {name: folder / FIGURES / name for name in figures}
    clashes = [str(t) for t in targets.values() if t.exists() and not force]
    if clashes:
        raise DraftError(f"{clashes[0]} exists; pass --force to overwrite it")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".psetbench-draft-", dir=folder))
    except OSError as exc:
        raise DraftError(f"cannot write in {folder}: {exc.strerror}; choose another -o") \
            from None
    try:
        staged = staging / output.name
        if figures:
            (staging / FIGURES).mkdir()
            for name, figure in figures.items():
                (staging / FIGURES / name).write_bytes(figure.data)
        staged.write_text(text, encoding="utf-8")
        problems = validate_file(staged)
        if problems:
            raise DraftError(f"the draft does not validate ({problems[0].message}); this is a "
                             "psetbench bug: please report it with the homework file")
        if figures:
            (folder / FIGURES).mkdir(exist_ok=True)
            for name in figures:
                publish(staging / FIGURES / name, targets[name])
        publish(staged, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
