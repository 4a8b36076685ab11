"""`psetbench import`: chat conversations in every format become graded Inspect logs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.log import list_eval_logs, read_eval_log, read_eval_log_sample_summaries

from psetbench.grading import read_runs
from psetbench.importers import (
    ImportResult,
    TranscriptError,
    detect,
    import_conversation,
    match_turn,
    read_transcripts,
)
from psetbench.problemset import load_problem_set
from psetbench.report import write_report
from psetbench.runs import task_name
from psetbench.strategies import STRATEGIES, TURNS_KEY, load_prompt, plan, render_turn
from psetbench.types import Verdict

HERE = Path(__file__).parent / "fixtures" / "transcripts"
PSETS = Path(__file__).parent.parent / "psets"
SIX_SEVEN = HERE / "six_seven.yaml"


def _verdicts(result: ImportResult) -> dict[str, Verdict]:
    assert result.run is not None
    return {g.key: g.verdict for g in result.run.grades}


def _records(path: Path) -> list[dict[str, Any]]:
    log = read_eval_log(str(path))
    return [r for s in log.samples or [] for r in s.store[TURNS_KEY]]


def _imported(path: Path) -> dict[str, Any]:
    meta = read_eval_log(str(path), header_only=True).eval.metadata or {}
    return meta["psetbench"]["imported"]


def _logs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.eval")) if folder.exists() else []


def test_copied_web_text_with_debris(tiny_set: Path, tmp_path: Path) -> None:
    result = import_conversation([HERE / "tiny_copied.txt"], tiny_set, log_dir=tmp_path)
    assert result.strategy == "per-part" and result.strategy_inferred
    assert _verdicts(result) == {
        "1(a)": Verdict.correct, "1(b)": Verdict.correct, "1(c)": Verdict.correct,
        "2(a)": Verdict.not_asked, "2(b)": Verdict.not_asked}
    grades = {g.key: g for g in result.grades}
    assert grades["1(c)"].nudged and not grades["1(a)"].nudged
    records = _records(result.log_path)
    assert [r["parts"] for r in records] == [[["1", "a"]], [["1", "b"]], [["1", "c"]]]
    nudge = records[2]["nudge"]
    assert nudge["reason"] == "empty" and nudge["prompt"] == "there is no output!"
    first = records[0]["reply"]
    assert "N_\\text{bytes} = 10^{12} \\times 2 = 2 \\times 10^{12}\\ \\text{bytes}" in first
    assert first.count("so the weights take **2 TB** in total") == 1  # the duplicate collapsed
    assert "Copy code" not in first and "Thought for" not in first and "Share" not in first
    removed = [r["text"] for r in _imported(result.log_path)["removed"]]
    for debris in ("Thought for 2m 59s >", "Copy code", "Share", "↗ ⧉ 👍 👎", "Skip to content",
                   "ChatGPT can make mistakes. Check important info.", "Thought for 12s >"):
        assert debris in removed, debris
    assert any("weights take **2 TB** in total" in r for r in removed)


def test_openai_json(tiny_set: Path, tmp_path: Path) -> None:
    result = import_conversation([HERE / "tiny_openai.json"], tiny_set, log_dir=tmp_path,
                                 model="openai/gpt-4o")
    assert result.strategy == "one-turn"
    assert _verdicts(result) == {
        "1(a)": Verdict.correct, "1(b)": Verdict.correct, "1(c)": Verdict.incorrect,
        "2(a)": Verdict.correct, "2(b)": Verdict.ungraded}
    log = read_eval_log(str(result.log_path))
    assert log.eval.model == "openai/gpt-4o"
    assert log.eval.task == task_name("tiny", "one-turn")
    roles = [m.role for m in (log.samples or [])[0].messages]
    assert roles == ["system", "user", "assistant"]


def test_chatgpt_export_follows_the_current_branch(tiny_set: Path, tmp_path: Path) -> None:
    export = HERE / "tiny_chatgpt_export.json"
    with pytest.raises(TranscriptError, match="holds 2 conversations") as info:
        import_conversation([export], tiny_set, log_dir=tmp_path)
    assert "'Dinner ideas'" in str(info.value) and "'Storage homework'" in str(info.value)
    assert "--conversation" in str(info.value)
    assert "\n" not in str(info.value) and not _logs(tmp_path)
    result = import_conversation([export], tiny_set, log_dir=tmp_path,
                                 conversation="storage homework")
    assert _verdicts(result) == {
        "1(a)": Verdict.correct, "1(b)": Verdict.correct, "1(c)": Verdict.correct,
        "2(a)": Verdict.correct, "2(b)": Verdict.not_asked}
    text = json.dumps(_records(result.log_path))
    assert "12 GPUs" not in text and "Are you sure" not in text  # the abandoned branch
    assert "Thought for 2m 59s" in [r["text"] for r in _imported(result.log_path)["removed"]]
    by_id = import_conversation([export], tiny_set, log_dir=tmp_path / "id",
                                conversation="6a1b2c3d-0000-4000-8000-000000000001")
    assert _verdicts(by_id) == _verdicts(result)


def test_claude_export(tiny_set: Path, tmp_path: Path) -> None:
    result = import_conversation([HERE / "tiny_claude_export.json"], tiny_set, log_dir=tmp_path)
    assert _verdicts(result) == {
        "1(a)": Verdict.not_asked, "1(b)": Verdict.not_asked, "1(c)": Verdict.not_asked,
        "2(a)": Verdict.correct, "2(b)": Verdict.ungraded}
    (record,) = _records(result.log_path)
    assert "zero initialisation" in record["prompt"]  # from the pasted attachment
    assert "mk entries, B has kl" not in record["reply"]  # thinking is not the answer


def test_question_in_prompt_but_unanswered_is_missing(tmp_path: Path) -> None:
    result = import_conversation([HERE / "six_seven_chat.txt"], SIX_SEVEN, log_dir=tmp_path)
    assert _verdicts(result) == {
        "6(a)": Verdict.correct, "6(b)": Verdict.correct, "7(a)": Verdict.missing}
    assert result.strategy == "whole-set"
    only_six = import_conversation([HERE / "six_only.md"], SIX_SEVEN, log_dir=tmp_path)
    assert _verdicts(only_six) == {
        "6(a)": Verdict.correct, "6(b)": Verdict.correct, "7(a)": Verdict.not_asked}
    assert only_six.run is not None
    score = sum(g.earned for g in only_six.run.grades)
    assert score == 2.0


def _write_chats(folder: Path, chats: list[list[tuple[str, str]]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, chat in enumerate(chats):
        path = folder / f"chat{i}.json"
        path.write_text(json.dumps([{"role": r, "content": c} for r, c in chat]))
        paths.append(path)
    return paths


STEM = "A model has 1e12 parameters stored in 16-bit floats."


def test_several_files_one_part_each_are_isolated(tiny_set: Path, tmp_path: Path) -> None:
    files = _write_chats(tmp_path / "chats", [
        [("user", f"{STEM} How many bytes do the weights take?"), ("assistant", "**2 TB**")],
        [("user", f"{STEM} Is 2 TB more than one 80 GB GPU can hold?"), ("assistant", "**False**")],
        [("user", f"{STEM} How many 80 GB GPUs hold the weights, and why?"),
         ("assistant", "**25 GPUs**: it cannot fit on one.")],
    ])
    result = import_conversation(files, tiny_set, log_dir=tmp_path / "logs")
    assert result.strategy == "isolated"
    assert len(_logs(tmp_path / "logs")) == 1
    assert _verdicts(result) == {
        "1(a)": Verdict.correct, "1(b)": Verdict.incorrect, "1(c)": Verdict.correct,
        "2(a)": Verdict.not_asked, "2(b)": Verdict.not_asked}
    log = read_eval_log(str(result.log_path))
    (sample,) = log.samples or []
    assert len(sample.metadata["unit"]["conversations"]) == 3
    # the same conversations as JSONL, one per line, read the same way
    jsonl = tmp_path / "chats.jsonl"
    jsonl.write_text("\n".join(p.read_text() for p in files) + "\n")
    assert detect(jsonl.read_text()) == "openai"
    again = import_conversation([jsonl], tiny_set, log_dir=tmp_path / "jsonl")
    assert again.strategy == "isolated" and _verdicts(again) == _verdicts(result)


def test_hybrid_and_given_strategy(tiny_set: Path, tmp_path: Path) -> None:
    files = _write_chats(tmp_path, [[
        ("user", f"{STEM}\n(a) How many bytes do the weights take?\n"
                 "(b) Is 2 TB more than one 80 GB GPU can hold?"),
        ("assistant", "(a) **2 TB**\n\n(b) **True**"),
        ("user", "(c) How many 80 GB GPUs hold the weights, and why does that matter?"),
        ("assistant", "**25 GPUs**, since one cannot hold it."),
    ]])
    inferred = import_conversation(files, tiny_set, log_dir=tmp_path / "a", dry_run=True)
    assert inferred.strategy == "hybrid" and inferred.strategy_inferred
    given = import_conversation(files, tiny_set, log_dir=tmp_path / "b", strategy="per-part")
    assert given.strategy == "per-part" and not given.strategy_inferred
    assert any("hybrid" in n for n in given.notes)
    assert read_eval_log(str(given.log_path)).eval.task == task_name("tiny", "per-part")


def test_human_assistant_text_and_questions_option(tiny_set: Path, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "Human: Give the memory of LoRA factors A (m x k) and B (k x l) in float32 bytes.\n\n"
        "Assistant: $4k(m+l)$ bytes.\n\n"
        "Human: why would zero init of both factors stall training?\n\n"
        "Assistant: Both gradients are zero.\n")
    result = import_conversation([chat], tiny_set, log_dir=tmp_path / "logs", questions=["2"])
    assert result.strategy == "per-part"
    assert _verdicts(result) == {"2(a)": Verdict.correct, "2(b)": Verdict.ungraded}
    assert result.run is not None and [q.id for q in result.run.pset.questions] == ["2"]
    with pytest.raises(TranscriptError, match="no question 9"):
        import_conversation([chat], tiny_set, log_dir=tmp_path / "x", questions=["9"])


def test_importing_twice_writes_one_log(tiny_set: Path, tmp_path: Path) -> None:
    first = import_conversation([HERE / "tiny_copied.txt"], tiny_set, log_dir=tmp_path)
    second = import_conversation([HERE / "tiny_copied.txt"], tiny_set, log_dir=tmp_path)
    assert first.log_path == second.log_path and second.replaced and not first.replaced
    assert _logs(tmp_path) == [first.log_path]
    assert len(read_runs([tmp_path])) == 1
    assert not list(tmp_path.glob(".importing-*"))


def test_a_file_that_asks_nothing_is_left_out_with_a_note(tiny_set: Path, tmp_path: Path) -> None:
    other = tmp_path / "cooking.txt"
    other.write_text("User: What should I cook tonight?\nAssistant: Try a risotto.\n")
    result = import_conversation([HERE / "tiny_copied.txt", other], tiny_set,
                                 log_dir=tmp_path / "logs")
    assert any("cooking.txt" in n and "asks no part" in n for n in result.notes)
    text = json.dumps([m.model_dump(mode="json") for s in
                       read_eval_log(str(result.log_path)).samples or [] for m in s.messages])
    assert "risotto" not in text


def test_dry_run_prints_the_mapping_and_writes_nothing(tiny_set: Path, tmp_path: Path) -> None:
    result = import_conversation([HERE / "tiny_copied.txt"], tiny_set, log_dir=tmp_path / "logs",
                                 dry_run=True)
    text = result.describe()
    assert not result.written and not (tmp_path / "logs").exists()
    assert "1(a) 1.00 (label+text)" in text and "nudge ('there is no output!')" in text
    assert "not asked: 2(a), 2(b)" in text and "mapping confidence" in text
    assert "dry run: would write" in text


@pytest.mark.parametrize(("content", "error"), [
    ("", "the file is empty"),
    ("hello world\nnothing to see\n", "unknown format"),
    ("User: How many bytes do the weights take?\n", "has no assistant reply"),
    ("Human: What should I cook tonight?\n\nAssistant: Try a risotto.\n",
     "asks a part of set 'tiny'"),
    ('[{"role": "user", "content": "hi"}, {"role": "wizard", "content": "x"}]',
     "role 'wizard'"),
    ('{"not": "a conversation"}', "unknown format"),
])
def test_bad_input_one_line_error_and_no_log(
    tiny_set: Path, tmp_path: Path, content: str, error: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(content)
    with pytest.raises(TranscriptError) as info:
        import_conversation([bad], tiny_set, log_dir=tmp_path / "logs")
    message = str(info.value)
    assert error in message and "\n" not in message and "bad.txt" in message
    assert not _logs(tmp_path)


def test_bad_choices(tiny_set: Path, tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="no such file"):
        import_conversation([tmp_path / "nope.txt"], tiny_set, log_dir=tmp_path)
    with pytest.raises(TranscriptError, match="unknown format 'xml'"):
        import_conversation([HERE / "tiny_copied.txt"], tiny_set, log_dir=tmp_path, fmt="xml")
    with pytest.raises(TranscriptError, match="not a chatgpt export"):
        import_conversation([HERE / "tiny_openai.json"], tiny_set, log_dir=tmp_path,
                            fmt="chatgpt")
    with pytest.raises(TranscriptError, match="no conversation has id or title 'nope'"):
        import_conversation([HERE / "tiny_chatgpt_export.json"], tiny_set, log_dir=tmp_path,
                            conversation="nope")
    assert not _logs(tmp_path)


def test_read_runs_and_markdown_report(tiny_set: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    import_conversation([HERE / "tiny_copied.txt"], tiny_set, log_dir=logs)
    import_conversation([HERE / "tiny_openai.json"], tiny_set, log_dir=logs)
    assert len(list_eval_logs(str(logs))) == 2
    runs = read_runs([logs])
    assert sorted(r.strategy for r in runs) == ["one-turn", "per-part"]
    assert all(r.status == "success" and r.prompt == "imported" for r in runs)
    per_part = next(r for r in runs if r.strategy == "per-part")
    assert {g.key for g in per_part.grades if g.verdict == Verdict.not_asked} == {"2(a)", "2(b)"}
    report = write_report(runs, tmp_path / "r.md")
    text = report.read_text()
    assert "imported/unknown" in text and "per-part" in text and "one-turn" in text


def test_log_shape(tiny_set: Path, tmp_path: Path) -> None:
    result = import_conversation([HERE / "tiny_copied.txt"], tiny_set, log_dir=tmp_path)
    log = read_eval_log(str(result.log_path))
    assert log.status == "success" and log.eval.model == "imported/unknown"
    meta = (log.eval.metadata or {})["psetbench"]
    assert meta["strategy"] == "per-part" and meta["prompt"] == "imported"
    assert meta["set"]["id"] == "tiny" and meta["set_path"].endswith("tiny.yaml")
    assert meta["imported"]["format"] == ["text"]
    assert meta["imported"]["files"][0]["path"].endswith("tiny_copied.txt")
    assert [m["kind"] for m in meta["imported"]["mapping"]] == ["ask", "ask", "ask", "nudge"]
    (sample,) = log.samples or []
    assert sample.metadata["unit"]["id"] == "q1"
    assert sample.metadata["not_asked"] == [["2", "a"], ["2", "b"]]
    parts = sample.scores["homework_scorer"].metadata["parts"]  # type: ignore[index]
    assert [p["verdict"] for p in parts] == ["correct"] * 3 + ["not_asked"] * 2
    assert sample.scores["homework_scorer"].value == 1.0  # type: ignore[index]
    assert [m.role for m in sample.messages].count("user") == 4
    assert log.results is not None and log.results.scores[0].name == "homework_scorer"
    (summary,) = read_eval_log_sample_summaries(str(result.log_path))  # what `inspect view` lists
    assert summary.completed and summary.id == "q1"


def test_match_turn_labels_paraphrases_and_nudges(tiny_set: Path) -> None:
    pset = load_problem_set(tiny_set).pset

    def asked(text: str, context: tuple[str, ...] = ()) -> list[str]:
        return [m.label for m in match_turn(text, pset, list(context))]

    assert asked("(b) is 2TB more than what one 80GB GPU can hold?") == ["1(b)"]
    assert asked("c) how many GPUs?", ("1",)) == ["1(c)"]  # a bare label continues question 1
    assert asked("how many bytes are the weights?") == ["1(a)"]  # no label: by its words
    assert asked("Question 2 please") == ["2(a)", "2(b)"]  # a question named, no part
    assert asked("there is no output!", ("1",)) == []
    assert asked("Explain why zero-initialising both LoRA factors stalls the training") == [
        "2(b)"]
    (match,) = match_turn("c) how many GPUs?", pset, ["1"])
    assert match.how == "label" and 0 < match.confidence < 0.6


def test_read_transcripts_formats() -> None:
    assert [t.format for t in read_transcripts(HERE / "six_only.md")] == ["text"]
    (claude,) = read_transcripts(HERE / "tiny_claude_export.json")
    assert claude.format == "claude" and claude.title == "LoRA memory"
    assert [m.role for m in claude.messages] == ["user", "assistant"]
    (chat,) = read_transcripts(HERE / "tiny_chatgpt_export.json", conversation="Dinner ideas")
    assert [m.text for m in chat.messages] == ["What should I cook tonight?", "Try a risotto."]


@pytest.mark.parametrize(("set_name", "strategy"), [
    *(("probability-intro", s) for s in STRATEGIES), ("dl-hw", "per-part"), ("dl-hw", "hybrid")])
def test_run_prompts_map_back_to_their_plan(tmp_path: Path, set_name: str, strategy: str) -> None:
    """Conversations asked exactly as `psetbench run` asks them map back to the plan's turns,
    and the strategy is recognised."""
    set_path = PSETS / f"{set_name}.yaml"
    pset = load_problem_set(set_path).pset
    prompt = load_prompt("plain")
    files: list[Path] = []
    expected: list[list[str]] = []
    for unit in plan(pset, strategy):
        for ci, conv in enumerate(unit.conversations):
            messages: list[tuple[str, str]] = []
            seen: set[str] = set()
            for ti, turn in enumerate(conv.turns):
                messages += [("user", render_turn(prompt, pset, turn.parts, seen, ti == 0)),
                             ("assistant", "noted")]
                expected.append([f"{q}({p})" for q, p in turn.parts])
            files += _write_chats(tmp_path / f"{unit.id}-{ci}", [messages])
    result = import_conversation(files, set_path, log_dir=tmp_path / "logs", dry_run=True)
    assert [[p["part"] for p in t.parts] for t in result.turns] == expected
    assert result.strategy == strategy


def test_cli_import_then_regrade_keeps_not_asked(tmp_path: Path, tiny_set: Path) -> None:
    from click.testing import CliRunner

    from psetbench.cli import main
    from psetbench.grading import read_runs
    from psetbench.types import Verdict

    logs = tmp_path / "logs"
    out = CliRunner().invoke(main, ["import", str(HERE / "tiny_copied.txt"), "--set",
                                    str(tiny_set), "--log-dir", str(logs), "--model", "chat/web"])
    assert out.exit_code == 0, out.output
    before = {g.key: g.verdict for g in read_runs([logs])[0].grades}
    assert Verdict.not_asked in before.values()
    again = CliRunner().invoke(main, ["grade", str(logs)])
    assert again.exit_code == 0, again.output
    run = read_runs([logs])[0]
    assert {g.key: g.verdict for g in run.grades} == before
    assert {g.model for g in run.grades} == {"chat/web"}
    bad = CliRunner().invoke(main, ["import", str(tmp_path / "nope.txt"), "--set", str(tiny_set)])
    assert bad.exit_code == 2 and bad.output.count("Error:") == 1
