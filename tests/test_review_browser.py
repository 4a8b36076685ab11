"""The review page in a real browser: headless Chromium labels three parts of an imported
log, by a click and by keys, and the labels file then holds exactly those labels.

Chromium is driven over the DevTools protocol as in tests/test_report_browser.py; clicks and
keys go through `Input.dispatch*`, so they reach the page as a person's would.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from psetbench.grading import read_runs
from psetbench.importers import import_conversation
from psetbench.labels import load_labels
from psetbench.types import Verdict
from psetbench.view import build_app, make_server
from tests.test_report_browser import CHROMIUM, Page, _port

TRANSCRIPTS = Path(__file__).parent / "fixtures" / "transcripts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
]

KEYS = {"Enter": 13, "Escape": 27}

STATE = """(() => {
  const card = document.querySelector('article.card.current');
  const visible = [...document.querySelectorAll('article.card')]
    .filter((c) => c.getBoundingClientRect().height > 0).length;
  return {id: card && card.id, visible, pwned: typeof window.__pwned,
          status: card && card.querySelector('.status').textContent,
          error: card && card.querySelector('.error').textContent,
          labelled: [...document.querySelectorAll('article.card.labelled')].map((c) => c.id),
          focused: document.activeElement && document.activeElement.name || null,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          buttons: [...(card ? card.querySelectorAll('button.vb') : [])]
            .map((b) => b.getBoundingClientRect().height)};
})()"""


@pytest.fixture
def view(tiny_set: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    logs = tmp_path / "logs"
    import_conversation([TRANSCRIPTS / "tiny_copied.txt"], tiny_set, log_dir=logs)
    import_conversation([TRANSCRIPTS / "tiny_openai.json"], tiny_set, log_dir=logs)
    app = build_app(logs, reviewer="ta-browser")
    httpd = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", logs / "labels.yaml"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[int]:
    profile = tmp_path / "profile"
    profile.mkdir()
    proc = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield _port(profile, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


async def _key(page: Page, key: str) -> None:
    code = KEYS.get(key, ord(key.upper()) if len(key) == 1 else 0)
    text = {"Enter": "\r"}.get(key, key if len(key) == 1 else "")
    down: dict[str, Any] = {"type": "keyDown" if text else "rawKeyDown", "key": key,
                            "windowsVirtualKeyCode": code, "code": key if len(key) > 1
                            else f"Key{key.upper()}"}
    if text:
        down["text"] = text
    await page.send("Input.dispatchKeyEvent", **down)
    await page.send("Input.dispatchKeyEvent", type="keyUp", key=key,
                    windowsVirtualKeyCode=code, code=down["code"])


async def _click(page: Page, selector: str) -> None:
    box = await page.js(f"""(() => {{
      const el = document.querySelector({selector!r});
      el.scrollIntoView({{block: 'center'}});
      const r = el.getBoundingClientRect();
      return {{x: r.x + r.width / 2, y: r.y + r.height / 2}}; }})()""")
    for kind in ("mousePressed", "mouseReleased"):
        await page.send("Input.dispatchMouseEvent", type=kind, x=box["x"], y=box["y"],
                        button="left", clickCount=1)


async def _until(page: Page, test: str, timeout: float = 15.0) -> dict[str, Any]:
    """The page's state once `test` (a Python expression over `s`) holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        s: dict[str, Any] = await page.js(STATE)
        if eval(test, {}, {"s": s}):  # a fixed expression of this file
            return s
        if loop.time() > deadline:
            raise TimeoutError(f"{test}: {s}")
        await asyncio.sleep(0.05)


async def _review(url: str, port: int) -> dict[str, Any]:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        target = next(t for t in targets if t.get("type") == "page")
        async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.send("Page.enable")
            await page.send("Emulation.setDeviceMetricsOverride", width=1100, height=900,
                            deviceScaleFactor=1, mobile=False)
            await page.send("Page.navigate", url=f"{url}/review")
            await page.wait_event("Page.loadEventFired")
            start = await _until(page, "s['id'] is not None")
            cards = await page.js("""[...document.querySelectorAll('article.card')].map((c) =>
              [c.id, ...['run', 'question', 'part'].map(
                (n) => c.querySelector(`input[name=${n}]`).value)])""")
            ids = [c[0] for c in cards]
            facts: dict[str, Any] = {"start": start, "ids": ids, "cards": cards}
            # 1: a click on the current card's "Correct" button
            await _click(page, "article.card.current button.b-correct")
            facts["after_click"] = await _until(page, f"s['id'] == {ids[1]!r}")
            # 2: keys: n (note), text, Esc, p (empty score: the box takes the cursor),
            # the score, Enter (saves partial)
            await _key(page, "n")
            await _until(page, "s['focused'] == 'note'")
            await page.send("Input.insertText", text="half: units missing")
            await _key(page, "Escape")
            await _key(page, "p")
            facts["score_prompt"] = await _until(page, "s['focused'] == 'score'")
            await page.send("Input.insertText", text="0.5")
            await _key(page, "Enter")
            facts["after_partial"] = await _until(page, f"s['id'] == {ids[2]!r}")
            # 3: the key i on the third card; then k goes back to it
            await _key(page, "i")
            facts["after_key"] = await _until(page, "len(s['labelled']) == 3")
            await _key(page, "k")
            facts["back"] = await _until(page, f"s['id'] != {facts['after_key']['id']!r}")
            # the same page on a phone
            await page.send("Emulation.setDeviceMetricsOverride", width=390, height=844,
                            deviceScaleFactor=2, mobile=True)
            page.events.clear()
            await page.send("Page.reload")
            await page.wait_event("Page.loadEventFired")
            facts["phone"] = await _until(page, "s['id'] is not None and s['buttons']")
            return facts


def test_label_three_parts_in_chromium(view: tuple[str, Path], chromium: int) -> None:
    url, labels_path = view
    began = datetime.now(UTC) - timedelta(seconds=1)
    facts = asyncio.run(_review(url, chromium))
    start, ids = facts["start"], facts["ids"]
    assert start["visible"] == 1 and start["id"] == ids[0], "one card at a time"
    assert start["pwned"] == "undefined" and start["labelled"] == []
    assert facts["after_click"]["labelled"] == [ids[0]]
    assert facts["score_prompt"]["error"].startswith("Type the partial score")
    assert facts["after_partial"]["labelled"] == ids[:2]
    assert sorted(facts["after_key"]["labelled"]) == sorted(ids[:3])
    assert facts["after_key"]["id"] == ids[3] and facts["back"]["id"] == ids[2]
    phone = facts["phone"]
    assert phone["overflow"] <= 1, "the review page scrolls sideways on a phone"
    assert min(phone["buttons"]) >= 44, "verdict buttons too small to tap"

    labels = load_labels(labels_path)  # valid, or this raises
    assert sum(len(group.parts) for group in labels.groups.values()) == 3
    runs = {Path(run.path).name: run for run in read_runs([labels_path.parent])}
    given = [Verdict.correct, Verdict.partial, Verdict.incorrect]
    for (_, run_key, question, part), verdict in zip(facts["cards"], given, strict=False):
        group = labels.for_run(runs[Path(run_key).name])
        assert group is not None, run_key
        label = group.parts[f"{question}/{part}"]
        assert label.verdict == verdict and label.by == "ta-browser"
        assert label.at is not None and began <= label.at <= datetime.now(UTC)
        if verdict == Verdict.partial:
            assert label.score == 0.5 and label.note == "half: units missing"
        else:
            assert label.score is None and label.note == ""
