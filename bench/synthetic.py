"""Synthetic problem sets of any size, for throughput benchmarks."""

from __future__ import annotations

from pathlib import Path

import yaml


def synthetic_set(folder: Path, *, parts: int, parts_per_question: int = 5) -> Path:
    """A valid set with `parts` parts, each with a numeric check, written into `folder`."""
    questions = []
    for q in range((parts + parts_per_question - 1) // parts_per_question):
        count = min(parts_per_question, parts - q * parts_per_question)
        questions.append({
            "id": str(q + 1),
            "title": f"Estimate {q + 1}",
            "stem": f"A model has {q + 1} billion parameters stored in 16-bit floats.",
            "parts": [{
                "id": chr(ord("a") + p),
                "prompt": f"Part {p + 1}: how many bytes do {p + 1} copies of the weights take?",
                "difficulty": "easy" if p % 2 else "medium",
                "solution": f"**{2 * (q + 1) * (p + 1)} GB**",
                "checks": [{"kind": "numeric", "label": "bytes",
                            "answer": f"{2 * (q + 1) * (p + 1)} GB"}],
            } for p in range(count)],
        })
    data = {"psetbench": 1, "id": "synthetic", "title": "Synthetic benchmark set",
            "questions": questions}
    path = folder / "synthetic.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path
