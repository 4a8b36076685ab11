"""The JSON Schema of the problem-set format, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from psetbench.problemset._model import ProblemSet

SCHEMA_ID = "https://psetbench.dev/schema/problem-set-v2.json"

# What pydantic cannot say from the field types: a part needs a solution unless it has
# sub-parts. (The loader also checks that sub-parts appear only in version-2 files.)
_LEAF_OR_PARENT = {
    "anyOf": [
        {"required": ["solution"], "properties": {"solution": {"minLength": 1}}},
        {"required": ["parts"], "properties": {"parts": {"minItems": 1}}},
    ]
}


def json_schema() -> dict[str, Any]:
    """The schema editors use to check problem-set files (`psetbench schema`)."""
    schema = ProblemSet.model_json_schema()
    schema["$defs"]["Part"].update(_LEAF_OR_PARENT)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "psetbench problem set, format versions 1 and 2 (2 adds sub-parts)",
    }
