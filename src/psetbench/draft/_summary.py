"""The lines `psetbench draft` prints after writing a draft."""

from __future__ import annotations

from psetbench.draft._types import DraftSummary


def format_summary(summary: DraftSummary) -> str:
    checks = ", ".join(f"{n} {kind}" for kind, n in summary.checks.items()) or "none"
    model = ""
    if summary.model and summary.model_unused:
        model = (f" ({summary.model}'s proposals were not used: {summary.model_unused}; see "
                 "the warnings)")
    elif summary.model:
        model = f" (model: {summary.model})"
    lines = [
        f"Drafted {summary.output}: {summary.questions} question(s), {summary.parts} "
        f"part(s), {summary.points:g} point(s).",
        f"Checks proposed: {checks}{model}.",
    ]
    if summary.figures:
        lines.append(f"Figures: {summary.figures}, in figures/ beside the set.")
    lines.append(f"To review: {summary.reviews} `# review:` comment(s) in the file.")
    if summary.warnings:
        lines.append(f"Warnings ({len(summary.warnings)}):")
        lines += [f"  - {w}" for w in summary.warnings]
    lines.append(f"Next: read the comments, then `psetbench validate {summary.output}`.")
    return "\n".join(lines)
