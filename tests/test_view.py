"""`psetbench view`: pages built without a socket, then one real server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from psetbench.report import ReportError
from psetbench.view import build_app, make_server
from psetbench.view._app import ViewApp
from tests.test_report import SCRIPT, injected_runs


@pytest.fixture
def app() -> ViewApp:
    # The injected runs' logs are logs/mem_<strategy>.eval, relative to the working directory.
    return build_app("logs", inspect_port=7599, load=lambda _: injected_runs())


def _text(app: ViewApp, target: str, status: int = 200) -> str:
    response = app.handle(target)
    assert response.status == status, response.body[:300]
    return response.body.decode()


def test_index_lists_runs_with_links(app: ViewApp) -> None:
    page = _text(app, "/")
    assert page.count("<tr><td>mem</td>") == 2
    assert "per-part" in page and "whole-set" in page and "50.0%" in page
    assert 'href="http://127.0.0.1:7599/#/logs/mem_per-part.eval"' in page
    assert "inspect view --log-dir logs" in page
    assert '<select name="verdict">' in page and '<option value="missing">' in page
    assert app.handle("/").headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_parts_filters(app: ViewApp) -> None:
    page = _text(app, "/parts?strategy=whole-set&verdict=missing")
    assert "2 part answers match" in page
    assert ">2(a)</a>" in page and ">2(b)</a>" in page and ">1(a)</a>" not in page
    assert '<option value="missing" selected>' in page
    page = _text(app, "/parts?question=1")
    assert "4 part answers match" in page
    assert 'href="/report?set=mem#p-1-b"' in page
    page = _text(app, "/parts?model=test/model&strategy=per-part&verdict=correct")
    assert "2 part answers match" in page
    assert "0 part answers match" in _text(app, "/parts?model=other")


def test_report_pages(app: ViewApp) -> None:
    page = _text(app, "/report")
    assert '<section id="scoreboard">' in page and SCRIPT not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert _text(app, "/report?set=mem") == page  # built once, then cached
    assert "Which problem set?" in _text(app, "/report?set=nope", 404)
    doc = json.loads(_text(app, "/report.json?set=mem"))
    assert doc["schema_version"] == 1 and doc["header"]["set_id"] == "mem"
    assert "No such page" in _text(app, "/etc/passwd", 404)


def test_empty_folder(tmp_path: Path) -> None:
    app = build_app(tmp_path, load=lambda _: [])
    assert "No psetbench logs in this folder yet" in _text(app, "/")
    assert "No psetbench logs" in _text(app, "/report")


@pytest.fixture
def server(app: ViewApp) -> Iterator[str]:
    httpd = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_served_on_loopback(server: str) -> None:
    with urllib.request.urlopen(f"{server}/parts?verdict=ungraded", timeout=10) as response:
        assert response.status == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "2 part answers match" in response.read().decode()
    request = urllib.request.Request(f"{server}/", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_refuses_public_interfaces(app: ViewApp) -> None:
    with pytest.raises(ReportError, match=r"binds to 127\.0\.0\.1 only"):
        make_server(app, "0.0.0.0", 0)


def test_real_logs_end_to_end(tiny_set: Path, tmp_path: Path) -> None:
    """A scripted model's run, read back from its Inspect logs, in every form and the view."""
    from psetbench.grading import read_runs
    from psetbench.problemset import load_problem_set
    from psetbench.report import write_report
    from psetbench.runs import RunOptions, run_set
    from tests.scripted import Scripted

    answers = {("1", "a"): f"The weights take **2,000 TB**. {SCRIPT}",
               ("1", "b"): "**Answer: True**", ("2", "a"): "$$4k(l+m)$$ bytes."}
    scripted = Scripted(load_problem_set(tiny_set).pset, answers)
    logs = tmp_path / "logs"
    result = run_set(tiny_set, RunOptions(strategies=("one-turn", "whole-set"),
                                          model=scripted.model(), log_dir=str(logs),
                                          cache=False))
    assert result.success
    runs = read_runs([logs])
    html = write_report(runs, tmp_path / "report.html").read_text()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "Omission: a part" in html and "Wrong number" in html and "×1,000" in html
    assert '<img src="data:image/png;base64,' in html  # the set's figure, embedded
    md = write_report(runs, tmp_path / "report.md").read_text()
    assert "| 1(a) |" in md and (tmp_path / "report-heatmap.svg").exists()
    app = build_app(logs)
    index = app.handle("/").body.decode()
    assert index.count("<tr><td>tiny</td>") == 2
    log_name = Path(runs[0].path).relative_to(logs.resolve()).as_posix() \
        if Path(runs[0].path).is_absolute() else Path(runs[0].path).name
    assert f"http://127.0.0.1:7575/#/logs/{log_name}" in index
    parts = app.handle("/parts?verdict=missing").body.decode()
    assert ">2(b)</a>" in parts
    assert app.handle("/report?set=tiny").status == 200
