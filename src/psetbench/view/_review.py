"""The review page of `psetbench view`: a TA labels parts, and the labels file is written.

Labels arrive as same-origin form POSTs (the page's script sends the same form with fetch and
asks for JSON; without the script the browser posts it and is redirected to the next card).
Each POST carries the per-session token printed into the page, so another site cannot post a
label through the TA's browser. The file is rewritten through `psetbench.labels.save_labels`,
which replaces it atomically; a file edited by hand meanwhile is read again first.
"""

from __future__ import annotations

import getpass
import json
import re
import secrets
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from markupsafe import Markup

from psetbench.labels import Label, LabelsError, LabelsFile, load_labels, save_labels, set_label
from psetbench.report._html import asset
from psetbench.report._text import Renderer
from psetbench.types import Verdict
from psetbench.view._cards import SHOW, Entry, card, entries, label_view, ordered
from psetbench.view._http import Response, text

if TYPE_CHECKING:
    from psetbench.view._app import ViewApp

#: cards on one page; the next page holds the rest of the queue
PAGE_CARDS = 100
MAX_NOTE = 2000
VERDICTS = (Verdict.correct, Verdict.partial, Verdict.incorrect, Verdict.missing)
#: the review page may load its own script from the app and post labels to it, nothing else
REVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
              "frame-ancestors 'none'")
#: queue filters; "machine" is the machine's verdict ("verdict" names the TA's in a POST)
FILTERS = ("set", "model", "strategy", "machine")
ANCHOR = re.compile(r"c-[0-9a-f]{12}")


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return "unknown"


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


class PostError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Review:
    """The review queue and the labels file of one `ViewApp`."""

    def __init__(self, app: ViewApp, labels_path: Path, reviewer: str | None = None) -> None:
        self.app = app
        self.path = labels_path
        self.reviewer = reviewer or os_user()
        self.token = secrets.token_urlsafe(32)
        self._lock = threading.Lock()
        self._labels = LabelsFile()
        self._stamp: tuple[int, int] | None = None
        self._md = Renderer(mathml=True)

    # -- the labels file ---------------------------------------------------------------------
    def labels(self) -> LabelsFile:
        """The labels as the file now holds them (read again when it changed on disk)."""
        with self._lock:
            return self._fresh()

    def _fresh(self) -> LabelsFile:
        stamp = _stamp(self.path)
        if stamp != self._stamp:
            self._labels = load_labels(self.path) if stamp is not None else LabelsFile()
            self._stamp = stamp
        return self._labels

    def entries(self, labels: LabelsFile) -> list[Entry]:
        return entries(self.app.runs(), labels, self.app.relative)

    # -- the page ----------------------------------------------------------------------------
    def page(self, query: dict[str, str]) -> Response:
        try:
            labels = self.labels()
        except LabelsError as exc:
            return text(409, f"The labels file no longer loads; fix it and reload:\n{exc}\n")
        show = query.get("show", "all")
        show = show if show in SHOW else "all"
        want = {k: query[k] for k in FILTERS if query.get(k)}
        every = self.entries(labels)
        queue = [e for e in ordered(every, show) if _matches(e, want)]
        start = _int(query.get("start"), len(queue))
        shown = queue[start:start + PAGE_CARDS]
        keep = {k: v for k, v in {**want, "show": show}.items() if v and v != "all"}
        cards = [card(e, start + i + 1, self._md) for i, e in enumerate(shown)]
        html = self.app.env.get_template("review.html.j2").render(
            title="psetbench review", css=Markup(asset("report.css") + asset("review.css")),
            log_dir=str(self.app.log_dir), labels_path=str(self.path), reviewer=self.reviewer,
            token=self.token, cards=cards, total=len(queue), start=start,
            parts=len(every), labelled=sum(e.label is not None for e in every),
            filters=self._filters(query), show=show, shows=SHOW,
            keep=keep, next_cards=[c.entry.anchor for c in cards[1:]] + [""],
            prev_page=_page_link(keep, start - PAGE_CARDS) if start > 0 else None,
            next_page=_page_link(keep, start + PAGE_CARDS)
            if start + PAGE_CARDS < len(queue) else None)
        return Response(200, "text/html; charset=utf-8", html.encode(),
                                 {"Content-Security-Policy": REVIEW_CSP})

    def _filters(self, query: dict[str, str]) -> list[dict[str, Any]]:
        names = ("set", "model", "strategy", "verdict")
        options = self.app.filter_options({**query, "verdict": query.get("machine", "")}, names)
        return [{**o, "name": "machine"} if o["name"] == "verdict" else o for o in options]

    def script(self) -> Response:
        return Response(200, "text/javascript; charset=utf-8",
                                 asset("review.js").encode())

    # -- labelling ---------------------------------------------------------------------------
    def post(self, body: bytes, headers: Mapping[str, str]) -> Response:
        wants_json = "application/json" in _header(headers, "accept")
        fields = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"),
                                                keep_blank_values=True).items()}
        try:
            _same_origin(headers)
            if not secrets.compare_digest(fields.get("csrf", "").encode(), self.token.encode()):
                raise PostError(403, "the form token is missing or stale (the view was "
                                     "restarted?); reload the review page and label again")
            entry, label = self._apply(fields)
        except PostError as exc:
            if wants_json:
                return Response(exc.status, "application/json",
                                         json.dumps({"error": str(exc)}).encode())
            return text(exc.status, f"Label not saved: {exc}\n")
        if wants_json:
            doc = {"ok": True, "card": entry.anchor, "label": label_view(label),
                   "file": str(self.path)}
            return Response(200, "application/json", json.dumps(doc).encode())
        keep = {k: fields[k] for k in (*FILTERS, "show", "start") if fields.get(k)}
        after = fields.get("next", "")
        target = "/review" + (f"?{urlencode(keep)}" if keep else "")
        target += f"#{after}" if ANCHOR.fullmatch(after) else ""
        return Response(303, "text/plain; charset=utf-8", b"saved\n",
                                 {"Location": target})

    def _apply(self, fields: dict[str, str]) -> tuple[Entry, Label]:
        label = self._label(fields)
        key = f"{fields.get('question', '')}/{fields.get('part', '')}"
        with self._lock:
            try:
                labels = self._fresh()
            except LabelsError as exc:
                raise PostError(409, f"the labels file no longer loads ({exc}); fix it "
                                     "and reload") from exc
            entry = next((e for e in self.entries(labels)
                          if e.run_key == fields.get("run") and e.part_key == key), None)
            if entry is None:
                raise PostError(404, f"no part {key} in a run {fields.get('run', '')!r} of "
                                     "this log folder; reload the review page")
            updated = set_label(labels, entry.run, key, label)
            try:
                save_labels(self.path, updated)
            except OSError as exc:
                raise PostError(500, f"could not write {self.path}: {exc}") from exc
            self._labels, self._stamp = updated, _stamp(self.path)
        return entry, label

    def _label(self, fields: dict[str, str]) -> Label:
        given = fields.get("verdict", "")
        menu = ", ".join(v.value for v in VERDICTS)
        if given not in {v.value for v in VERDICTS}:
            raise PostError(400, f"verdict {given!r} is not one of {menu}")
        verdict = Verdict(given)
        score = _score(fields.get("score", "")) if verdict == Verdict.partial else None
        note = fields.get("note", "").strip()
        if len(note) > MAX_NOTE:
            raise PostError(400, f"the note has {len(note):,} characters; keep it under "
                                 f"{MAX_NOTE:,}")
        return Label(verdict=verdict, score=score, note=note, by=self.reviewer,
                     at=datetime.now(UTC).replace(microsecond=0))


def _score(text: str) -> float:
    text = text.strip()
    if not text:
        raise PostError(400, "a partial label needs a score from 0 to 1; type it in the "
                             "score box")
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise PostError(400, f"score {text!r} is not a number from 0 to 1 (or 0% to 100%)")
    return round(value, 4)


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _same_origin(headers: Mapping[str, str]) -> None:
    """Browsers name the page a POST comes from; only the view's own pages may post."""
    origin = _header(headers, "origin")
    if origin and origin != "null":
        host = urlsplit(origin).hostname or ""
        if host not in ("127.0.0.1", "localhost"):
            raise PostError(403, f"a label posted from {origin} was refused; label on the "
                                 "review page itself")


def _matches(entry: Entry, want: dict[str, str]) -> bool:
    run, g = entry.run, entry.grade
    have = {"set": run.pset.id, "model": run.model, "strategy": run.strategy,
            "machine": g.verdict.value}
    return all(have[k] == v for k, v in want.items())


def _int(text: str | None, limit: int) -> int:
    try:
        value = int(text or 0)
    except ValueError:
        return 0
    return max(0, min(value, max(0, limit - 1)))


def _page_link(keep: dict[str, str], start: int) -> str:
    query: dict[str, Any] = {**keep, "start": max(0, start)} if start > 0 else dict(keep)
    return "/review" + (f"?{urlencode(query)}" if query else "")
