"""`psetbench view LOG_DIR`: the runs and reports of a log folder, served on 127.0.0.1."""

from psetbench.view._app import Response, ViewApp, build_app
from psetbench.view._server import make_server, serve

__all__ = ["Response", "ViewApp", "build_app", "make_server", "serve"]
