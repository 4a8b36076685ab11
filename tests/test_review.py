"""The review page of `psetbench view`: the queue's order, where an answer sits in its reply,
the cards, and labels posted through `ViewApp.handle` and written to the labels file."""

from __future__ import annotations

import html
import json
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from psetbench.cli import main
from psetbench.grading import read_runs
from psetbench.importers import import_conversation
from psetbench.labels import LabelsError, load_labels
from psetbench.report import ReportError
from psetbench.types import PartGrade, Verdict
from psetbench.view import build_app, make_server
from psetbench.view._app import ViewApp
from psetbench.view._context import find_spans
from psetbench.view._queue import Doubt, priority, review_order
from psetbench.view._server import check_labels
from tests.test_report import SCRIPT, injected_runs

TRANSCRIPTS = Path(__file__).parent / "fixtures" / "transcripts"
CORPUS_ONE_TURN = (Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seed-q2"
                   / "transcripts" / "q2-one-turn.txt")
JSON = {"Accept": "application/json"}


def _grade(part: str, verdict: Verdict = Verdict.correct, score: float = 1.0,
           **kw: Any) -> PartGrade:
    return PartGrade(set_id="s", question="1", part=part, model="m", strategy="one-turn",
                     verdict=verdict, score=score, points=1.0, reason="r", grader="checks", **kw)


def _judge(*verdicts: str) -> dict[str, Any]:
    top = max(verdicts.count(v) for v in verdicts)
    return {"status": "ok", "verdict": verdicts[0], "score": 1.0, "reason": "j", "quotes": [],
            "agreement": top / len(verdicts),
            "votes": [{"model": "j", "verdict": v, "status": "ok"} for v in verdicts]}


# -- the queue ---------------------------------------------------------------------------------
def test_queue_order_least_sure_first() -> None:
    grades = [
        _grade("rest"),
        _grade("partial", Verdict.partial, 0.5),
        _grade("votes", judge=_judge("correct", "correct", "partial")),
        _grade("agree", judge=_judge("correct", "correct")),
        _grade("disagree", disagreements=["numeric passed but the judge says incorrect"]),
        _grade("conf60", segmentation="label", segmentation_confidence=0.6),
        _grade("conf40", segmentation="order", segmentation_confidence=0.4),
        _grade("conf95", segmentation="label", segmentation_confidence=0.95),
        _grade("ungraded", Verdict.ungraded, 0.0),
        _grade("never", Verdict.not_asked, 0.0),
    ]
    order = [grades[i].part for i in review_order(grades)]
    assert order == ["ungraded", "conf40", "conf60", "disagree", "votes", "partial",
                     "rest", "agree", "conf95"]
    assert priority(grades[2]).doubt == Doubt.split_votes
    assert "67% agree" in priority(grades[2]).why
    assert priority(grades[3]).doubt == Doubt.rest  # unanimous votes are no doubt


def test_labelled_parts_come_after_unlabelled_ones() -> None:
    grades = [_grade("a"), _grade("b", Verdict.ungraded, 0.0), _grade("c", Verdict.partial, 0.4)]
    assert review_order(grades) == [1, 2, 0]
    assert review_order(grades, labelled=[1]) == [2, 0, 1]
    assert review_order(grades, labelled=[0, 1, 2]) == [1, 2, 0]
    assert review_order([]) == []


# -- the answer in its reply -------------------------------------------------------------------
def test_a_part_with_several_epochs_shows_the_first_epochs_grade() -> None:
    """A label is the verdict on the first epoch's reply, as calibrate and reports apply it;
    the card shows that reply even when another epoch is less sure."""
    from psetbench.labels import LabelsFile
    from psetbench.view._cards import entries
    from tests.test_report import SET, _g, _run

    sure = _g("1", "a", "one-turn", Verdict.correct, 1.0, epoch=1)
    unsure = _g("1", "a", "one-turn", Verdict.ungraded, 0.0, epoch=2)
    [entry] = entries([_run("one-turn", [unsure, sure])], LabelsFile(groups={}), str)
    assert entry.grade.epoch == 1 and entry.epochs == 2 and SET.id == "mem"


def test_find_spans() -> None:
    reply = "Intro.\n\n(a) The weights take 2 TB.\n\n(b) True, far more\n than 80 GB.\n\nDone."
    (exact,) = find_spans(reply, "The weights take 2 TB.")
    assert exact.how == "exact" and reply[exact.start:exact.end] == "The weights take 2 TB."
    (spaced,) = find_spans(reply, "True, far more than 80 GB.")
    assert spaced.how == "spacing"
    assert reply[spaced.start:spaced.end] == "True, far more\n than 80 GB."
    # merged from two places: each marked where it sits, not the stretch between them
    merged = find_spans(reply, "The weights take 2 TB.\n\nDone.")
    assert [reply[s.start:s.end] for s in merged] == ["The weights take 2 TB.", "Done."]
    assert {s.how for s in merged} == {"places"}
    assert find_spans(reply, "25 GPUs") == []
    assert find_spans(reply, "") == [] and find_spans("", "x") == []


def test_a_paragraph_repeated_earlier_in_the_reply() -> None:
    """The answer's last paragraph also sits in an earlier part's answer: the mark still
    covers every paragraph of this answer, after its first."""
    steps = "Step 1: embed.\n\n$$X = W_E T$$"
    reply = (f"(a) Setup.\n\n{steps}\n\nSo $L = W_U W_E T$.\n\n"
             f"(b) The logits.\n\nWe are given T.\n\n{steps}")
    answer = f"The logits.\n\nWe are given T.\n\n{steps}"
    spans = find_spans(reply, answer)
    marked = "".join(reply[s.start:s.end] for s in spans)
    assert marked.startswith("The logits.") and marked.endswith("$$X = W_E T$$")
    assert all(s.start > reply.index("(b)") for s in spans)
    # out of the reply's order, the paragraphs are still each found
    shuffled = find_spans(reply, "We are given T.\n\n(a) Setup.")
    assert [reply[s.start:s.end] for s in shuffled] == ["(a) Setup.", "We are given T."]


@pytest.mark.skipif(not CORPUS_ONE_TURN.exists(), reason=f"no corpus at {CORPUS_ONE_TURN}")
def test_the_corpus_answer_assembled_from_two_places(tmp_path: Path) -> None:
    """seed-q2's one-turn 2(a1): 13 paragraphs from two places of the reply, the last also
    written earlier; every paragraph is marked, `L = W_U W_E T` among them."""
    corpus = CORPUS_ONE_TURN.parents[1]
    import_conversation([CORPUS_ONE_TURN], corpus / "set.yaml", model="openai/gpt-5-thinking",
                        log_dir=tmp_path)
    page = _page(build_app(tmp_path, reviewer="ta"))
    card = next(c for c in _cards(page) if "2(a1)" in c.split("</h2>")[0])
    marked = "".join(re.findall(r"<mark>(.*?)</mark>", card.split('class="context"')[1], re.S))
    assert "L = W_U W_E T" in marked
    (run,) = read_runs([tmp_path])
    grade = next(g for g in run.grades if g.part == "a1")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", grade.answer) if p.strip()]
    assert len(paragraphs) == 13
    assert all(html.escape(p, quote=False) in marked for p in paragraphs)
    assert "the answer was assembled from 2 places" in card


# -- the page ----------------------------------------------------------------------------------
@pytest.fixture
def logs(tiny_set: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    import_conversation([TRANSCRIPTS / "tiny_copied.txt"], tiny_set, log_dir=folder)
    import_conversation([TRANSCRIPTS / "tiny_openai.json"], tiny_set, log_dir=folder)
    return folder


@pytest.fixture
def app(logs: Path) -> ViewApp:
    return build_app(logs, reviewer="ta")


def _page(app: ViewApp, target: str = "/review") -> str:
    response = app.handle(target)
    assert response.status == 200, response.body[:300]
    return response.body.decode()


def _cards(page: str) -> list[str]:
    return re.findall(r'<article class="card[^"]*" id="[^"]+">.*?</article>', page, re.S)


def _fields(card: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', card))


def _post(app: ViewApp, fields: dict[str, str], headers: dict[str, str] | None = None,
          target: str = "/review/label") -> tuple[int, Any]:
    response = app.handle(target, method="POST", body=urlencode(fields).encode(),
                          headers=JSON if headers is None else headers)
    body = response.body.decode()
    return response.status, json.loads(body) if response.content_type == "application/json" \
        else (body, response.headers)


def test_review_page_cards(app: ViewApp) -> None:
    response = app.handle("/review")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    page = response.body.decode()
    assert page.count("<script") == 1 and '<script src="/static/review.js" defer>' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    for key in ("<kbd>c</kbd> correct", "<kbd>p</kbd> partial", "<kbd>i</kbd> incorrect",
                "<kbd>m</kbd> missing", "<kbd>n</kbd> write a note", "<kbd>j</kbd> or"):
        assert key in page
    cards = _cards(page)
    # 2(a) and 2(b) were never asked in tiny_copied.txt: no card; tiny_openai.json asks all
    assert len(cards) == 8
    assert "ungraded" in cards[0].split("In the queue for:")[1][:60]
    one_a = next(c for c in cards if "tiny · 1(a)" in c and "tiny_copied" in c)
    assert "How many bytes do the weights take?" in one_a  # the prompt
    assert "Each parameter takes 2 bytes, so <strong>2 TB</strong>" in one_a  # the solution
    assert '<span class="cut" title="split">✂ 1(a) starts</span><mark>' in one_a
    highlighted = one_a.split("<mark>")[1].split("</mark>")[0]
    assert "so the weights take **2 TB** in total." in highlighted
    assert "</mark><span class=\"cut\" title=\"split\">✂ ends</span>" in one_a
    assert "<td>weight bytes</td><td>passed</td><td>2 TB</td><td>2 TB</td>" in one_a
    assert '<span class="v v-correct">correct</span>' in one_a and "<code>checks</code>" in one_a
    assert "not labelled yet" in one_a
    script = app.handle("/static/review.js")
    assert script.content_type.startswith("text/javascript") and b"keydown" in script.body
    assert 'href="/review"' in _page(app, "/")


def test_review_page_escapes_and_shows_the_judge(tmp_path: Path) -> None:
    app = build_app(tmp_path, load=lambda _: injected_runs(), reviewer="ta")
    page = _page(app)
    assert SCRIPT not in page and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert page.count("<script") == 1
    judged = next(c for c in _cards(page) if "states 2 TB" in c)
    assert "<blockquote>quoted &lt;script&gt;" in judged and "agreement 100%" in judged
    assert "No stored reply asked for this part" in judged  # runs built without turns
    disputed = next(c for c in _cards(page) if "judge says correct" in c)
    assert "Check/judge disagreement" in disputed


def test_filters_and_show(app: ViewApp, logs: Path) -> None:
    every = _cards(_page(app))
    first = _fields(every[0])
    status, reply = _post(app, {**first, "verdict": "correct"})
    assert status == 200 and reply["label"]["verdict"] == "correct"
    again = _cards(_page(app))
    assert _fields(again[-1])["next"] == ""  # the last card has no next
    assert [_fields(c)["part"] for c in again[-1:]] == [first["part"]]  # labelled: last
    assert len(_cards(_page(app, "/review?show=unlabelled"))) == 7
    labelled = _cards(_page(app, "/review?show=labelled"))
    assert len(labelled) == 1 and "by ta at" in labelled[0]
    assert len(_cards(_page(app, "/review?machine=ungraded"))) == 1
    assert "No part matches" in _page(app, "/review?strategy=nope")


# -- posting labels ----------------------------------------------------------------------------
def test_post_writes_labels(app: ViewApp, logs: Path) -> None:
    cards = {(_fields(c)["run"], _fields(c)["question"], _fields(c)["part"]): _fields(c)
             for c in _cards(_page(app))}
    copied = [f for (run, _, _), f in cards.items() if "per-part" in run]
    assert [f["part"] for f in copied] == ["a", "b", "c"]
    status, reply = _post(app, {**copied[0], "verdict": "partial", "score": "40%",
                                "note": "  units missing  "})
    assert status == 200, reply
    assert reply["label"] == {**reply["label"], "verdict": "partial", "score": 0.4,
                              "note": "units missing", "by": "ta"}
    status, (_, headers) = _post(app, {**copied[1], "verdict": "missing"}, headers={})
    assert status == 303 and headers["Location"] == f"/review#{copied[1]['next']}"
    labels = load_labels(logs / "labels.yaml")
    [group] = labels.groups.values()
    assert set(labels.groups) == {"tiny_copied.txt"} and set(group.parts) == {"1/a", "1/b"}
    assert group.parts["1/a"].score == 0.4 and group.parts["1/b"].verdict == Verdict.missing
    assert group.parts["1/b"].score is None and group.parts["1/b"].by == "ta"
    assert group.parts["1/a"].at is not None and group.parts["1/a"].at.tzinfo is not None
    # labelling again replaces the label
    assert _post(app, {**copied[0], "verdict": "correct", "score": "0.3"})[0] == 200
    again = load_labels(logs / "labels.yaml").groups["tiny_copied.txt"].parts["1/a"]
    assert again.verdict == Verdict.correct and again.score is None and again.note == ""
    assert "by ta at" in _page(app)


def test_post_refusals_write_nothing(app: ViewApp, logs: Path) -> None:
    card = _fields(_cards(_page(app))[0])
    cases = [
        ({**card, "verdict": "great"}, {}, 400, "verdict 'great' is not one of correct, "
         "partial, incorrect, missing"),
        ({**card, "verdict": "ungraded"}, {}, 400, "not one of"),
        ({**card, "verdict": "partial"}, {}, 400, "a partial label needs a score from 0 to 1"),
        ({**card, "verdict": "partial", "score": "1.5"}, {}, 400, "'1.5' is not a number"),
        ({**card, "verdict": "partial", "score": "half"}, {}, 400, "'half' is not a number"),
        ({**card, "verdict": "correct", "note": "x" * 2001}, {}, 400, "keep it under 2,000"),
        ({**card, "verdict": "correct", "csrf": ""}, {}, 403, "form token is missing"),
        ({k: v for k, v in card.items() if k != "csrf"} | {"verdict": "correct"}, {}, 403,
         "form token is missing"),
        ({**card, "verdict": "correct", "csrf": "guess"}, {}, 403, "form token"),
        ({**card, "verdict": "correct"}, {"Origin": "https://evil.example"}, 403,
         "posted from https://evil.example was refused"),
        ({**card, "verdict": "correct", "part": "z"}, {}, 404, "no part 2/z"),
        ({**card, "verdict": "correct", "run": "other.eval"}, {}, 404, "no part"),
    ]
    for fields, headers, status, message in cases:
        got, reply = _post(app, fields, {**JSON, **headers})
        assert got == status and message in reply["error"], (fields, reply)
    got, (body, _) = _post(app, {**card, "verdict": "great"}, headers={})
    assert got == 400 and body.startswith("Label not saved: verdict 'great'")
    assert app.handle("/review", method="POST").status == 405
    assert not (logs / "labels.yaml").exists()


def test_a_failed_write_keeps_the_old_file(app: ViewApp, logs: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cards = [_fields(c) for c in _cards(_page(app))]
    assert _post(app, {**cards[0], "verdict": "correct"})[0] == 200
    before = (logs / "labels.yaml").read_bytes()

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    status, reply = _post(app, {**cards[1], "verdict": "incorrect"})
    assert status == 500 and "No space left on device" in reply["error"]
    assert (logs / "labels.yaml").read_bytes() == before
    assert sorted(p.name for p in logs.iterdir() if "labels" in p.name) == ["labels.yaml"]
    monkeypatch.undo()
    assert _post(app, {**cards[1], "verdict": "incorrect"})[0] == 200
    assert len([p for g in load_labels(logs / "labels.yaml").groups.values()
                for p in g.parts]) == 2


def test_labels_edited_on_disk_are_read_again(app: ViewApp, logs: Path) -> None:
    cards = [_fields(c) for c in _cards(_page(app))]
    assert _post(app, {**cards[0], "verdict": "correct"})[0] == 200
    path = logs / "labels.yaml"
    text = path.read_text()
    path.write_text(text.replace("verdict: correct", "verdict: incorrect"))
    assert _post(app, {**cards[1], "verdict": "missing"})[0] == 200
    verdicts = sorted(v.verdict for g in load_labels(path).groups.values()
                      for v in g.parts.values())
    assert verdicts == [Verdict.incorrect, Verdict.missing]
    path.write_text("tiny_copied.txt:\n  parts:\n    1/a: {verdict: great}\n")
    status, reply = _post(app, {**cards[2], "verdict": "correct"})
    assert status == 409 and "labels.yaml:3" in reply["error"]
    assert "verdict: great" in path.read_text()  # untouched
    assert app.handle("/review").status == 409


# -- starting the view -------------------------------------------------------------------------
def test_labels_for_no_log_in_the_folder_are_a_warning(logs: Path, tmp_path: Path) -> None:
    """The same policy as calibrate and report: the view starts, and says which labels it
    leaves out."""
    other = tmp_path / "other.yaml"
    other.write_text("tiny_copied.txt:\n  parts:\n    1/a: {verdict: correct}\n"
                     "elsewhere.txt:\n  parts:\n    1/a: {verdict: correct}\n")
    (warning,) = check_labels(build_app(logs, labels=other))
    assert warning.startswith(f"{other}:4: elsewhere.txt: labelled, but none of the logs")


def test_bad_labels_file_stops_the_start(app: ViewApp, logs: Path, tmp_path: Path) -> None:
    check_labels(app)  # no file yet: fine
    bad = tmp_path / "bad.yaml"
    bad.write_text("tiny_copied.txt:\n  parts:\n    1/a: {verdict: great}\n")
    with pytest.raises(LabelsError, match=r"bad\.yaml:3"):
        check_labels(build_app(logs, labels=bad))
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("tiny_copied.txt:\n  parts:\n    9/z: {verdict: correct}\n"
                       "    1/z: {verdict: correct}\n")
    with pytest.raises(LabelsError) as raised:
        check_labels(build_app(logs, labels=unknown))
    assert [p.split(": ")[2][:24] for p in raised.value.problems] == [
        "unknown question '9' in ", "unknown part '1/z'; ques"]
    with pytest.raises(ReportError, match="does not exist"):
        check_labels(build_app(logs, labels=tmp_path / "nowhere" / "labels.yaml"))
    result = CliRunner().invoke(main, ["view", str(logs), "--review", "--labels", str(bad)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {bad}:3: ") and "great" in lines[0]
    assert "labels.yaml" not in {p.name for p in logs.iterdir()}


@pytest.fixture
def server(app: ViewApp) -> Iterator[str]:
    httpd = make_server(app, "127.0.0.1", 0)
    assert httpd.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_served_post_on_loopback(server: str, app: ViewApp, logs: Path) -> None:
    card = _fields(_cards(_page(app))[0])
    form = urlencode({**card, "verdict": "incorrect"}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(urllib.request.Request(f"{server}/review/label", data=form), timeout=10)
    assert redirected.value.code == 303
    assert redirected.value.headers["Location"].startswith("/review#c-")
    assert load_labels(logs / "labels.yaml").groups
    for request, code in [
        (urllib.request.Request(f"{server}/review/label", data=form,
                                headers={"Host": "attacker.example"}), 403),
        (urllib.request.Request(f"{server}/review/label", data=b"x" * (65 * 1024)), 413),
    ]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == code
    with pytest.raises(ReportError, match=r"binds to 127\.0\.0\.1 only"):
        make_server(app, "0.0.0.0", 0)
