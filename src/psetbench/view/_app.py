"""`psetbench view`: the runs of a log folder, a filtered per-part table and the reports.

The app is a plain object with `handle(target) -> Response` (and `method="POST"` with a body for
the review page's labels), so tests call it without a socket; `_server.py` puts it behind the
standard library's HTTP server on 127.0.0.1. Logs are read again whenever a file in the folder
changes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from markupsafe import Markup

from psetbench.labels import DEFAULT_LABELS_NAME
from psetbench.report import build_report_data, render_html, report_dict
from psetbench.report._format import environment, fmt
from psetbench.report._grade_html import badge, clip
from psetbench.report._html import asset
from psetbench.report._patterns import part_anchor
from psetbench.types import Verdict
from psetbench.view._http import Response, text
from psetbench.view._review import Review

if TYPE_CHECKING:
    from psetbench.grading import Run

MAX_ROWS = 1000
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
FILTERS = ("set", "model", "strategy", "verdict", "question")


def _read_logs(log_dir: Path) -> list[Run]:
    from psetbench.grading import LogError, read_runs

    try:
        return read_runs([log_dir])
    except LogError:
        return []


class ViewApp:
    """Pages for one log folder. `load` reads the runs (injectable for tests)."""

    def __init__(self, log_dir: str | Path, *, inspect_url: str = "http://127.0.0.1:7575",
                 load: Callable[[Path], Sequence[Run]] | None = None,
                 labels: str | Path | None = None, reviewer: str | None = None) -> None:
        self.log_dir = Path(log_dir)
        self.inspect_url = inspect_url.rstrip("/")
        self._load = load or _read_logs
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._runs: list[Run] = []
        self._reports: dict[str, str] = {}
        self.env = environment(html=True)
        self.env.globals.update(badge=badge, anchor=part_anchor, fmt=fmt)
        self.review = Review(self, Path(labels) if labels else self.log_dir / DEFAULT_LABELS_NAME,
                             reviewer)

    # -- data --------------------------------------------------------------------------------
    def _signature(self) -> tuple[tuple[str, int, int], ...]:
        files = []
        if self.log_dir.is_dir():
            for path in sorted(self.log_dir.rglob("*")):
                if path.is_file() and path.suffix in (".eval", ".json"):
                    st = path.stat()
                    files.append((str(path), st.st_mtime_ns, st.st_size))
        return tuple(files)

    def runs(self) -> list[Run]:
        with self._lock:
            stamp = self._signature()
            if stamp != self._stamp:
                self._runs = list(self._load(self.log_dir))
                self._reports = {}
                self._stamp = stamp
            return self._runs

    def sets(self) -> dict[str, list[Run]]:
        found: dict[str, list[Run]] = {}
        for run in self.runs():
            found.setdefault(run.pset.id, []).append(run)
        return found

    def transcript_url(self, log: str | None) -> str | None:
        if not log:
            return None
        try:
            rel = Path(log).resolve().relative_to(self.log_dir.resolve()).as_posix()
        except ValueError:
            rel = Path(log).name
        return f"{self.inspect_url}/#/logs/{quote(rel)}"

    # -- routing -----------------------------------------------------------------------------
    def handle(self, target: str, *, method: str = "GET", body: bytes = b"",
               headers: Mapping[str, str] | None = None) -> Response:
        url = urlsplit(target)
        if method == "POST":
            if url.path != "/review/label":
                return text(405, "only /review/label takes a POST\n")
            return self.review.post(body, headers or {})
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        routes: dict[str, Callable[[dict[str, str]], Response]] = {
            "/": self.index, "/parts": self.parts, "/report": self.report,
            "/report.json": self.report_json, "/review": self.review.page,
            "/static/review.js": lambda _: self.review.script(),
        }
        page = routes.get(url.path)
        if page is None:
            return self._page("Not found", "<p>No such page. <a href=\"/\">All runs</a></p>",
                              status=404)
        return page(query)

    def _page(self, title: str, body: str, *, status: int = 200) -> Response:
        html = self.env.get_template("view.html.j2").render(
            title=title, body=Markup(body), css=Markup(asset("report.css")),
            log_dir=str(self.log_dir), inspect_url=self.inspect_url)
        return Response(status, "text/html; charset=utf-8", html.encode(),
                        {"Content-Security-Policy": PAGE_CSP})

    def _render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    # -- pages -------------------------------------------------------------------------------
    def index(self, query: dict[str, str]) -> Response:
        rows = []
        for run in self.runs():
            points = sum(g.points for g in run.grades)
            rows.append({
                "run": run, "log": self.relative(run.path),
                "score": sum(g.earned for g in run.grades) / points if points else None,
                "transcripts": self.transcript_url(run.path),
                "parts_link": "/parts?" + urlencode({"set": run.pset.id, "model": run.model,
                                                     "strategy": run.strategy}),
            })
        body = self._render("view_index.html.j2", rows=rows, sets=sorted(self.sets()),
                            filters=self.filter_options(query), log_dir=str(self.log_dir))
        return self._page("psetbench runs", body)

    def relative(self, path: str) -> str:
        """A log's path inside the log folder (how the review page names a run)."""
        try:
            return Path(path).resolve().relative_to(self.log_dir.resolve()).as_posix()
        except ValueError:
            return path

    def filter_options(self, query: dict[str, str],
                       names: Sequence[str] = FILTERS) -> list[dict[str, Any]]:
        runs = self.runs()
        grades = [g for r in runs for g in r.grades]
        options = {
            "set": sorted({r.pset.id for r in runs}),
            "model": sorted({r.model for r in runs}),
            "strategy": sorted({r.strategy for r in runs}),
            "verdict": [v.value for v in Verdict],
            "question": sorted({g.question for g in grades}, key=_natural),
        }
        return [{"name": k, "values": options[k], "chosen": query.get(k, "")} for k in names]

    def parts(self, query: dict[str, str]) -> Response:
        want = {k: query[k] for k in FILTERS if query.get(k)}
        rows: list[dict[str, Any]] = []
        total = 0
        for run in self.runs():
            if want.get("set", run.pset.id) != run.pset.id:
                continue
            if want.get("model", run.model) != run.model:
                continue
            if want.get("strategy", run.strategy) != run.strategy:
                continue
            for g in run.grades:
                if want.get("verdict", g.verdict.value) != g.verdict.value:
                    continue
                if want.get("question", g.question) != g.question:
                    continue
                total += 1
                if len(rows) < MAX_ROWS:
                    rows.append({
                        "g": g, "set": run.pset.id, "reason": clip(g.reason, 140),
                        "label": run.pset.label(g.question, g.part),
                        "report": "/report?" + urlencode({"set": run.pset.id}) + "#"
                                  + part_anchor(g.question, g.part),
                        "transcript": self.transcript_url(g.log or run.path),
                    })
        body = self._render("view_parts.html.j2", rows=rows, total=total, limit=MAX_ROWS,
                            filters=self.filter_options(query))
        return self._page("psetbench parts", body)

    def _set_runs(self, query: dict[str, str]) -> tuple[str, list[Run]] | Response:
        sets = self.sets()
        name = query.get("set") or (next(iter(sets)) if len(sets) == 1 else "")
        if name not in sets:
            listing = "".join(f'<li><a href="/report?{urlencode({"set": s})}">{Markup.escape(s)}'
                              "</a></li>" for s in sorted(sets))
            return self._page("Choose a set", f"<p>Which problem set?</p><ul>{listing}</ul>"
                              if sets else "<p>No psetbench logs in this folder yet.</p>",
                              status=404 if query.get("set") else 200)
        return name, sets[name]

    def report(self, query: dict[str, str]) -> Response:
        chosen = self._set_runs(query)
        if isinstance(chosen, Response):
            return chosen
        name, runs = chosen
        with self._lock:
            html = self._reports.get(name)
        if html is None:
            html = render_html(build_report_data(runs))
            with self._lock:
                self._reports[name] = html
        # The report carries its own Content-Security-Policy (with its script's hash).
        return Response(200, "text/html; charset=utf-8", html.encode())

    def report_json(self, query: dict[str, str]) -> Response:
        chosen = self._set_runs(query)
        if isinstance(chosen, Response):
            return chosen
        doc = report_dict(build_report_data(chosen[1]))
        return Response(200, "application/json", json.dumps(doc, ensure_ascii=False).encode())


def _natural(text: str) -> tuple[int, int | str]:
    return (0, int(text)) if text.isdigit() else (1, text)


def build_app(log_dir: str | Path, *, inspect_port: int = 7575,
              load: Callable[[Path], Sequence[Run]] | None = None,
              labels: str | Path | None = None, reviewer: str | None = None) -> ViewApp:
    """The view's pages for `log_dir`; transcript links point at `inspect view` on
    127.0.0.1:`inspect_port`. The review page writes `labels` (default LOG_DIR/labels.yaml),
    signing each label with `reviewer` (default the OS user)."""
    return ViewApp(log_dir, inspect_url=f"http://127.0.0.1:{inspect_port}", load=load,
                   labels=labels, reviewer=reviewer)
