"""Write labels: atomically, one line per part, keeping the file's header comment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from psetbench._fileutil import write_text_atomically
from psetbench.labels._load import header_of
from psetbench.labels._model import Label, LabelGroup, LabelsFile, default_group_name

if TYPE_CHECKING:
    from psetbench.grading import Run

_HEADER = ("# psetbench labels: a TA's verdict per run and part (see docs/format.md).\n"
           "# Keys: the imported conversation's file name, or the log's file name.\n\n")


def dump_labels(labels: LabelsFile, header: str = "") -> str:
    """The file's text: groups and their fields in block style, each label on one line (as
    the corpus writes them), so a diff shows one changed line per relabelled part."""
    out = [header or labels._header or _HEADER]
    for name, group in labels.groups.items():
        out.append(_scalar_key(name) + ":\n")
        for field in ("strategy", "model"):
            value = getattr(group, field)
            if value is not None:
                out.append(f"  {field}: {_inline(value)}\n")
        out.append("  parts:" + (" {}\n" if not group.parts else "\n"))
        for key, label in group.parts.items():
            out.append(f"    {_scalar_key(key)}: {_inline(_label_data(label))}\n")
        out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


def _label_data(label: Label) -> dict[str, Any]:
    data = label.model_dump(mode="json", exclude_defaults=True)
    data["verdict"] = (label.verdict.value if not isinstance(label.verdict, list)
                       else [v.value for v in label.verdict])
    order = ("verdict", "kind", "score", "note", "by", "at")
    return {k: data[k] for k in order if k in data}


def _inline(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=float("inf"),
                          allow_unicode=True, sort_keys=False)
    return text.removesuffix("\n...\n").rstrip("\n")


def _scalar_key(key: str) -> str:
    return _inline(key)


def save_labels(path: str | Path, labels: LabelsFile) -> None:
    """Write `labels` to `path` atomically (a temp file in the same folder, then one rename),
    keeping the header comment of the file already there."""
    target = Path(path)
    header = ""
    try:
        header = header_of(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        pass
    write_text_atomically(target, dump_labels(labels, header))


def set_label(labels: LabelsFile, run: Run, part_key: str, label: Label) -> LabelsFile:
    """A copy of `labels` with one part's label for `run` added or replaced; the run's group
    is created (keyed by `default_group_name`) when it has none."""
    out = labels.model_copy(deep=True)
    out._source, out._header = labels._source, labels._header
    out._lines = dict(labels._lines)
    name = out.group_name(run) or default_group_name(run)
    group = out.groups.get(name) or LabelGroup(strategy=run.strategy, model=run.model)
    parts = {**group.parts, part_key: label}
    out.groups[name] = group.model_copy(update={"parts": LabelGroup(parts=parts).parts})
    return out
