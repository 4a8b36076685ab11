"""Serve a `ViewApp` with the standard library's threading HTTP server, on loopback only.

The pages show model output from the logs, so the server binds to 127.0.0.1 (never a public
interface) and answers only requests whose Host header names the loopback address, which keeps
other web pages from reading it through DNS rebinding.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from psetbench.report import ReportError
from psetbench.view._app import Response, ViewApp, build_app

LOOPBACK = ("127.0.0.1", "localhost")
#: a label is a few fields and a note; anything bigger is refused unread
MAX_POST = 64 * 1024


def _handler(app: ViewApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "psetbench-view"

        def _send(self, response: Response, body: bool = True) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if body:
                self.wfile.write(response.body)

        def _answer(self, body: bool, method: str = "GET") -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if host not in LOOPBACK:
                self._send(Response(403, "text/plain; charset=utf-8",
                                    b"psetbench view answers on 127.0.0.1 only\n"), body)
                return
            try:
                if method == "POST":
                    response = self._post()
                else:
                    response = app.handle(self.path)
            except Exception as exc:  # a broken log must not take the server down
                response = Response(500, "text/plain; charset=utf-8",
                                    f"could not build this page: {exc}\n".encode())
            self._send(response, body)

        def do_GET(self) -> None:
            self._answer(True)

        def do_HEAD(self) -> None:
            self._answer(False)

        def do_POST(self) -> None:
            self._answer(True, "POST")

        def _post(self) -> Response:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_POST:
                self.close_connection = True
                return Response(413, "text/plain; charset=utf-8",
                                b"a label is at most 64 KiB\n")
            return app.handle(self.path, method="POST", body=self.rfile.read(length),
                              headers=dict(self.headers.items()))

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the terminal shows the address, not every request

    return Handler


def make_server(app: ViewApp, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server for `app` bound to host:port (port 0: a free port; see `server_address`)."""
    if host not in LOOPBACK:
        raise ReportError(f"--host {host}: psetbench view serves model output and binds to "
                          "127.0.0.1 only; leave --host out")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(app))
    server.daemon_threads = True
    return server


def check_labels(app: ViewApp) -> list[str]:
    """Refuse to start on a labels file that does not load or names questions or parts the
    runs' sets lack (LabelsError, one line per problem), before anything could be written to
    it; return the warnings (groups no log in the folder is, questions a run did not ask), as
    `psetbench.labels.validate_labels` decides for calibrate and reports too."""
    from psetbench.labels import validate_labels

    path = app.review.path
    if not path.parent.is_dir():
        raise ReportError(f"--labels {path}: the folder {path.parent} does not exist; create it "
                          "or give a labels file in an existing folder")
    if path.is_dir():
        raise ReportError(f"--labels {path}: a folder; give a labels file, e.g. "
                          f"{path / 'labels.yaml'}")
    labels = app.review.labels()  # LabelsError: one line per problem, with file:line
    return validate_labels(labels, app.runs()) if labels.groups else []


def serve(log_dir: str | Path, host: str = "127.0.0.1", port: int = 0, *,
          inspect_port: int = 7575, labels: str | Path | None = None,
          reviewer: str | None = None, review: bool = False,
          echo: Callable[[str], None] | None = None) -> None:
    """Serve the reports of `log_dir` until interrupted, printing the address first; with
    `review`, the address printed is the review page's."""
    folder = Path(log_dir)
    if not folder.is_dir():
        raise ReportError(f"{folder}: no such log folder; give the folder `psetbench run` wrote "
                          "its logs to (default psetbench-logs)")
    app = build_app(folder, inspect_port=inspect_port, labels=labels, reviewer=reviewer)
    say = echo or (lambda line: print(line, file=sys.stderr, flush=True))
    for warning in check_labels(app):
        say(f"Warning: {warning}")
    server = make_server(app, host, port)
    page = "review" if review else ""
    say(f"psetbench view: http://127.0.0.1:{server.server_address[1]}/{page} (Ctrl-C to stop)")
    say(f"Labels: {app.review.path} (signed {app.review.reviewer}); review at /review.")
    say(f"Raw transcripts: run `inspect view --log-dir {folder} --port {inspect_port}` too.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
