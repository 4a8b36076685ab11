"""The JSON Schema of the problem-set format, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from psetbench.problemset._model import ProblemSet

SCHEMA_ID = "https://psetbench.dev/schema/problem-set-v1.json"


def json_schema() -> dict[str, Any]:
    """The schema editors use to check problem-set files (`psetbench schema`)."""
    schema = ProblemSet.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "psetbench problem set, format version 1",
    }
