"""Segmentation: a table of real-looking replies (tests/segment_cases/*.yaml), then unit tests.

Each case names a list of requested parts (segment_cases/parts.yaml) and states, for every
requested part, either `missing` or what its text must contain (`has`, `once`), must not
contain (`lacks`), the method, and confidence bounds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from psetbench.segment import PartRef, SegmentationResult, clean_reply, segment_reply
from psetbench.segment._labels import find_markers
from psetbench.segment._mask import mask

CASES_DIR = Path(__file__).parent / "segment_cases"
PART_SETS: dict[str, list[list[str]]] = yaml.safe_load(
    (CASES_DIR / "parts.yaml").read_text(encoding="utf-8"))
CASE_KEYS = {"name", "parts", "reply", "expect", "needs_model", "multi", "unassigned_has",
             "also_nested",
             "unassigned_lacks", "removed_has", "missing_questions", "shared", "notes_has"}
EXPECT_KEYS = {"has", "lacks", "once", "method", "min_conf", "max_conf"}


def _refs(name: str) -> list[PartRef]:
    return [PartRef(question=q, part=p, prompt=prompt, question_title=title)
            for q, p, prompt, title in PART_SETS[name]]


def _as_nested(case: dict[str, Any]) -> dict[str, Any]:
    """The same case against the set's nested form: "2(a1)" becomes "2(a.i)" (the part lists
    `NAME` and `NAME_nested` name the same parts in the same order)."""
    flat, nested = _refs(case["parts"]), _refs(case["parts"] + "_nested")
    rename = {f.label: n.label for f, n in zip(flat, nested, strict=True)}
    return {**case, "name": case["name"] + " [nested]", "parts": case["parts"] + "_nested",
            "expect": {rename[k]: v for k, v in case["expect"].items()}}


def _cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "parts.yaml":
            continue
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
            if case.get("also_nested"):
                cases.append(pytest.param(_as_nested(case),
                                          id=f"{path.stem}:{case['name']}[nested]"))
    return cases


CASES = _cases()


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    names = [c.values[0]["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"


def _check_part(label: str, result: SegmentationResult, ref: PartRef, want: Any) -> None:
    seg = result.get(ref.question, ref.part)
    if want == "missing":
        assert seg is None, f"{label}: expected missing, got {seg.method}: {seg.text!r}"
        assert ref in result.missing
        return
    assert isinstance(want, dict) and set(want) <= EXPECT_KEYS, f"{label}: bad expectation"
    assert seg is not None, f"{label}: missing; notes={result.notes}; unassigned=" \
                            f"{result.unassigned!r}"
    for phrase in want.get("has", []):
        assert phrase in seg.text, f"{label}: {phrase!r} not in {seg.text!r}"
    for phrase in want.get("once", []):
        assert seg.text.count(phrase) == 1, f"{label}: {phrase!r} not once in {seg.text!r}"
    for phrase in want.get("lacks", []):
        assert phrase not in seg.text, f"{label}: {phrase!r} wrongly in {seg.text!r}"
    if "method" in want:
        assert seg.method == want["method"], f"{label}: method {seg.method}"
    assert seg.confidence >= want.get("min_conf", 0.0), f"{label}: conf {seg.confidence}"
    assert seg.confidence <= want.get("max_conf", 1.0), f"{label}: conf {seg.confidence}"


@pytest.mark.parametrize("case", CASES)
def test_segmentation_case(case: dict[str, Any]) -> None:
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    refs = _refs(case["parts"])
    expect = case["expect"]
    assert sorted(expect) == sorted(r.label for r in refs), "state every requested part"
    result = segment_reply(case["reply"], refs, multi_question=case.get("multi"))
    for ref in refs:
        _check_part(f"{case['name']} {ref.label}", result, ref, expect[ref.label])
    assert result.needs_model is case["needs_model"], f"needs_model; notes={result.notes}"
    for phrase in case.get("unassigned_has", []):
        assert phrase in result.unassigned
    for phrase in case.get("unassigned_lacks", []):
        assert phrase not in result.unassigned
    for phrase in case.get("removed_has", []):
        assert any(phrase in snippet for snippet in result.removed), result.removed
    for phrase in case.get("notes_has", []):
        assert any(phrase in note for note in result.notes), result.notes
    if "missing_questions" in case:
        assert result.missing_questions == case["missing_questions"]
    for label, ids in case.get("shared", {}).items():
        q = label.split("(")[0]
        assert result.shared[(q, label[len(q) + 1:-1])] == tuple(ids)
    # every segment's text is taken from the cleaned reply, never invented
    for seg in result.found:
        assert all(line in result.cleaned for line in seg.text.split("\n"))


# ---- clean_reply ---------------------------------------------------------------------------

def test_clean_removes_debris_lines_and_reports_them() -> None:
    text = ("Thought for 1m 5s\nChatGPT said:\n(a) 2 TB\nCopy code\n⤴\n(b) True\nShare\n"
            "Edit\nThought for a few seconds\n< 2/2 >")
    cleaned, removed = clean_reply(text)
    assert cleaned == "(a) 2 TB\n(b) True"
    assert removed == ["Thought for 1m 5s", "ChatGPT said:", "Copy code", "⤴", "Share", "Edit",
                       "Thought for a few seconds", "< 2/2 >"]


def test_clean_keeps_code_and_latex_intact() -> None:
    text = ("(d)\n```python\nCopy\nx = f(a)\n\n\nx = f(a)  # repeated on purpose, long line\n"
            "x = f(a)  # repeated on purpose, long line\n```\n$$\n\\begin{aligned}\n(a) &= 1 \\\\\n"
            "\\end{aligned}\n$$")
    cleaned, removed = clean_reply(text)
    assert cleaned == text.replace("\n\n\n", "\n\n")  # only blank-line runs shrink
    assert removed == []


def test_clean_glued_language_button() -> None:
    cleaned, removed = clean_reply("(d)\npythonCopy code\nimport numpy as np")
    assert cleaned == "(d)\npython\nimport numpy as np"
    assert removed == ["Copy code"]


def test_clean_collapses_repeated_paragraph_but_not_short_ones() -> None:
    para = "The weights take 2 bytes per parameter, so 2 TB."
    cleaned, removed = clean_reply(f"{para}\n\n{para}\n\nTrue\n\nTrue")
    assert cleaned == f"{para}\n\nTrue\n\nTrue"
    assert removed == [para]


def test_clean_collapses_answer_pasted_twice_and_three_times() -> None:
    answer = "(a) 2 TB because 2 bytes each\n(b) True because 2 TB > 80 GB"
    cleaned, removed = clean_reply(f"{answer}\n{answer}\n\n{answer}")
    assert cleaned == answer
    assert removed == [answer, answer]


def test_clean_drops_pasted_user_turn() -> None:
    cleaned, removed = clean_reply("You said:\nSolve (a) and (b).\nChatGPT said:\n(a) 1\n(b) 2")
    assert cleaned == "(a) 1\n(b) 2"
    assert "Solve (a) and (b)." in removed[-1]


def test_clean_keeps_words_that_only_look_like_buttons() -> None:
    text = "Share of compute: 30%.\nEdit distance is 3.\nSources of error: rounding."
    assert clean_reply(text) == (text, [])


def test_clean_normalises_line_endings() -> None:
    assert clean_reply("(a) 1\r\n(b) 2\r\n") == ("(a) 1\n(b) 2", [])


# ---- masking and labels ----------------------------------------------------------------------

def test_mask_keeps_positions_and_line_breaks() -> None:
    text = "(a) $f(a)$ and `g(b)`\n```\n(b) code\n```\n$$\n(c)\n$$\n(d) done"
    masked = mask(text)
    assert len(masked) == len(text)
    assert [i for i, ch in enumerate(text) if ch == "\n"] == \
        [i for i, ch in enumerate(masked) if ch == "\n"]
    assert "(b)" not in masked and "(c)" not in masked
    assert masked.startswith("(a) ") and masked.endswith("(d) done")


def test_labels_use_only_real_part_ids() -> None:
    markers = find_markers("(a) x\n(e) y\n(b) z", ("a", "b"), ("1",))
    assert [m.tokens for m in markers] == [("a",), ("b",)]


def test_question_heading_in_a_sentence_is_not_a_heading() -> None:
    markers = find_markers("Question 2 asks for a number.\nQuestion 2: 25", ("a",), ("2",))
    assert [(m.kind, m.question, m.rest) for m in markers] == [("question", "2", "25")]


# ---- the API ---------------------------------------------------------------------------------

def test_accessors_and_needs_model_hook() -> None:
    refs = _refs("wholeset")
    result = segment_reply("## Question 1\n(a) 2 TB\n", refs)
    found = result.get("1", "a")
    assert found is not None and found.method == "label"
    assert result.get(1, "b") is None  # type: ignore[arg-type]  # ids are compared as strings
    assert [r.label for r in result.missing] == ["1(b)", "2(a)", "2(b)", "3(a)"]
    assert result.missing_questions == ["2", "3"]
    assert result.confidence == pytest.approx(0.95)
    assert result.needs_model is False


def test_no_labels_and_no_division_asks_for_a_model() -> None:
    result = segment_reply("It is 2 TB, True, and 25 GPUs.", _refs("storage"))
    assert result.found == [] and result.needs_model
    assert result.confidence == 0.0
    assert result.unassigned == "It is 2 TB, True, and 25 GPUs."


def test_duplicate_parts_are_a_clear_error() -> None:
    refs = _refs("storage")
    with pytest.raises(ValueError, match=r"part\(s\) 1\(a\) listed twice"):
        segment_reply("x", [refs[0], refs[0]])


def test_empty_parts_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="`parts` is empty"):
        segment_reply("x", [])


def test_single_question_mode_with_several_questions_is_an_error() -> None:
    with pytest.raises(ValueError, match="multi_question=False"):
        segment_reply("x", _refs("twoq"), multi_question=False)


def test_segments_are_psetbench_segments() -> None:
    result = segment_reply("(a) 1\n(b) 2", _refs("problem3"))
    seg = result.get("3", "a")
    assert seg is not None
    assert (seg.question, seg.part, seg.text, seg.method) == ("3", "a", "1", "label")


# --- the grader-model fallback -------------------------------------------------------------

def _model_that_says(*replies: str):  # type: ignore[no-untyped-def]
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    outputs = []
    for text in replies:
        out = ModelOutput.from_content(model="mockllm/model", content=text)
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        outputs.append(out)
    return get_model("mockllm/model", custom_outputs=outputs)


UNLABELLED = (
    "The weights take two terabytes in total.\n\n"
    "That is more than one GPU can hold, so it is true.\n\n"
    "We need twenty-five GPUs to hold them."
)
REFS = [PartRef("1", "a", "How many bytes?"), PartRef("1", "b", "More than one GPU?"),
        PartRef("1", "c", "How many GPUs?")]


def test_model_split_cuts_at_verbatim_quotes() -> None:
    import asyncio

    from psetbench.segment import split_with_model

    reply = ('{"parts": [{"question": "1", "part": "a", "start": "The weights take two"},'
             ' {"question": "1", "part": "b", "start": "That is more than one GPU"},'
             ' {"question": "1", "part": "c", "start": null}]}')
    found = asyncio.run(split_with_model(_model_that_says(reply), UNLABELLED, REFS))
    assert found is not None
    assert found[("1", "a")].text == "The weights take two terabytes in total."
    assert found[("1", "b")].text.startswith("That is more") and "twenty-five" in \
        found[("1", "b")].text
    assert ("1", "c") not in found
    assert found[("1", "a")].method == "model"


def test_model_split_fails_closed_after_one_retry() -> None:
    import asyncio

    from psetbench.segment import split_with_model

    invented = '{"parts": [{"question": "1", "part": "a", "start": "words not in the reply"}]}'
    model = _model_that_says("not json", invented)
    assert asyncio.run(split_with_model(model, UNLABELLED, REFS)) is None


# ---- sub-part label styles: every style reaches the same parts, flat and nested ------------

STYLE_PARTS = [("a1", "a.i", "How many bytes do the weights take?"),
               ("a2", "a.ii", "How many 80 GB GPUs are needed?"),
               ("b", "b", "How much compute, and how many days?"),
               ("c1", "c.i", "True or false: the KV cache grows linearly."),
               ("c2", "c.ii", "True or false: int4 halves memory.")]
STYLE_ANSWERS = ["2 TB", "25 GPUs", "1.2e26 FLOP", "True", "False"]
STYLES = {
    "answer-lead": "**Answer (a)(i):** {0}\n\n**Answer (a)(ii):** {1}\n\n**Answer (b):** {2}\n\n"
                   "**Answer (c)(i):** {3}\n\n**Answer (c)(ii):** {4}",
    "part-words": "Part (a)(i): {0}\nPart (a)(ii): {1}\nPart (b): {2}\nPart (c)(i): {3}\n"
                  "Part (c)(ii): {4}",
    "flat-ids": "(a1) {0}\n(a2) {1}\n(b) {2}\n(c1) {3}\n(c2) {4}",
    "dotted": "a.i {0}\na.ii {1}\nb. {2}\nc.i {3}\nc.ii {4}",
    "hyphen-digit": "a-1: {0}\na-2: {1}\n(b) {2}\nc-1: {3}\nc-2: {4}",
    "headings": "## Part (a)\n### (i) Weights\n{0}\n### (ii) GPUs\n{1}\n## Part (b)\n{2}\n"
                "## Part (c)\n### (i)\n{3}\n### (ii)\n{4}",
    "numbered-steps-inside": "(a)\n(i) Weights:\n1. Count parameters.\n2. Times two: {0}.\n"
                             "(ii) {1}\n(b)\n1. Compute: {2}.\n2. Then the days.\n(c)\n"
                             "(i) {3}\n(ii) {4}",
    "question-prefixed": "**Q3(a)(i)** {0}\n**Q3(a)(ii)** {1}\n**Q3(b)** {2}\n"
                         "**Q3(c)(i)** {3}\n**Q3(c)(ii)** {4}",
    "capital-roman": "(a)\n(I) {0}\n(II) {1}\n(b) {2}\n(c)\n(I) {3}\n(II) {4}",
    "right-parens": "a) i) {0}\nii) {1}\nb) {2}\nc) i) {3}\nii) {4}",
    "bold-compound": "**(a)(i)** {0}\n\n**(a)(ii)** {1}\n\n**(b)** {2}\n\n**(c)(i)** {3}\n\n"
                     "**(c)(ii)** {4}",
}


@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested"])
@pytest.mark.parametrize("style", sorted(STYLES))
def test_sub_part_label_styles(style: str, nested: bool) -> None:
    refs = [PartRef("3", n if nested else f, prompt, "Fermi") for f, n, prompt in STYLE_PARTS]
    result = segment_reply(STYLES[style].format(*STYLE_ANSWERS), refs)
    for ref, answer in zip(refs, STYLE_ANSWERS, strict=True):
        seg = result.get("3", ref.part)
        assert seg is not None, f"{style}: {ref.label} missing"
        others = [a for a in STYLE_ANSWERS if a != answer and a not in answer]
        assert answer in seg.text and not any(o in seg.text for o in others), (
            f"{style}: {ref.label} got {seg.text!r}")
