"""The HTML report in a real browser: headless Chromium (Debian's `chromium` package), driven
over the DevTools protocol with aiohttp's websocket client.

The protocol is used directly rather than through Playwright: four commands are all this test
needs, aiohttp is already installed, and nothing has to match a browser build Playwright pins.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from psetbench.report import write_report
from tests.test_report import injected_runs

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
]


class Page:
    """One page of a headless Chromium, spoken to over the DevTools protocol."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self.ids)
        await self.ws.send_str(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            message = json.loads((await self.ws.receive(timeout=30)).data)
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    async def wait_event(self, name: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == name for e in self.events):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(name)
            self.events.append(json.loads((await self.ws.receive(timeout=remaining)).data))

    async def js(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


def _port(profile: Path, proc: subprocess.Popen[bytes]) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().splitlines()[0])
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited with code {proc.returncode}")
        time.sleep(0.1)
    raise TimeoutError("chromium did not open its DevTools port")


async def _inspect(url: str, port: int, shots: dict[str, Path],
                   width: int) -> dict[str, Any]:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        page_target = next(t for t in targets if t.get("type") == "page")
        async with session.ws_connect(page_target["webSocketDebuggerUrl"],
                                      max_msg_size=0) as ws:
            page = Page(ws)
            await page.send("Page.enable")
            await page.send("Emulation.setDeviceMetricsOverride", width=width, height=900,
                            deviceScaleFactor=1, mobile=width < 600)
            await page.send("Page.navigate", url=url)
            await page.wait_event("Page.loadEventFired")
            facts = await page.js("""(() => {
              const seen = (el) => { if (!el) return false;
                const r = el.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && el.checkVisibility(
                  {contentVisibilityAuto: true, visibilityProperty: true}); };
              const board = document.querySelector('#scoreboard table');
              const plot = document.querySelector('#plot-score svg');
              const summary = document.querySelector('details.answer > summary');
              const body = summary.parentElement.querySelector('.body');
              const hiddenBefore = !seen(body);
              summary.click();
              return {
                hiddenBefore,
                pwned: typeof window.__pwned, title: document.title,
                board: seen(board), rows: board ? board.tBodies[0].rows.length : 0,
                plot: seen(plot), bars: plot ? plot.querySelectorAll('rect').length : 0,
                detailsOpen: summary.parentElement.open, details: seen(body),
                injected: document.body.innerText.includes('<script>window.__pwned=1</script>'),
                scripts: document.scripts.length,
                imgs: document.querySelectorAll('img').length,
                overflow: document.documentElement.scrollWidth - window.innerWidth,
              }; })()""")
            await page.send("Emulation.setEmulatedMedia", media="print")
            facts["printed"] = await page.js("""(() => {
              const closed = [...document.querySelectorAll('details.answer')]
                .find((d) => !d.open);
              const body = closed.querySelector('.body');
              return body.checkVisibility()
                && getComputedStyle(document.querySelector('nav.toc')).display === 'none';
              })()""")
            await page.send("Emulation.setEmulatedMedia", media="screen")
            for name, path in shots.items():
                if name == "part":
                    await page.js("document.querySelector('details.answer').scrollIntoView()")
                shot = await page.send("Page.captureScreenshot", format="png")
                path.write_bytes(base64.b64decode(shot["data"]))
            result: dict[str, Any] = facts
            return result


def open_in_chromium(html: Path, tmp_path: Path, shots: dict[str, Path],
                     width: int = 1200) -> dict[str, Any]:
    profile = tmp_path / f"profile-{width}"
    profile.mkdir()
    proc = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port = _port(profile, proc)
        return asyncio.run(_inspect(html.as_uri(), port, shots, width))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


def test_report_in_chromium(tmp_path: Path) -> None:
    report = write_report(injected_runs(), tmp_path / "report.html")
    shots = {"top": tmp_path / "report-top.png", "part": tmp_path / "report-part.png"}
    facts = open_in_chromium(report, tmp_path, shots)
    assert facts["pwned"] == "undefined", "an injected script ran"
    assert facts["injected"], "the injected markup should show as text"
    assert facts["board"] and facts["rows"] == 2
    assert facts["plot"] and facts["bars"] >= 2
    assert facts["hiddenBefore"] and facts["detailsOpen"] and facts["details"]
    assert facts["scripts"] == 1 and facts["imgs"] == 0
    assert facts["printed"], "print styles should show closed answers and hide navigation"
    for path in shots.values():
        assert path.stat().st_size > 5000


def test_report_on_a_phone(tmp_path: Path) -> None:
    report = write_report(injected_runs(), tmp_path / "report.html")
    shot = tmp_path / "phone.png"
    facts = open_in_chromium(report, tmp_path, {"top": shot}, width=390)
    assert facts["board"] and facts["plot"] and facts["pwned"] == "undefined"
    assert facts["overflow"] <= 1, "the page scrolls sideways on a phone"
