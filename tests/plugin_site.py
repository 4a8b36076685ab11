"""Installing a plugin for a test the way pip would, with no network and no pip: the package
copied into a folder on the path, beside a `*.dist-info` holding its entry points (which is
all `importlib.metadata` reads)."""

from __future__ import annotations

import shutil
import sys
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def write_dist_info(site: Path, name: str, group: str, entry_points: dict[str, str]) -> None:
    """What `pip install` leaves for importlib.metadata: a dist-info with the entry points."""
    info = site / f"{name.replace('-', '_')}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n")
    lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{group}]\n{lines}")


def install_plugin(site: Path, fixture: Path, group: str) -> None:
    """The plugin in `fixture` (a project folder with pyproject.toml and one package) installed
    into `site`, its entry points as its pyproject.toml declares them."""
    project = tomllib.loads((fixture / "pyproject.toml").read_text())["project"]
    package = project["name"].replace("-", "_")
    shutil.copytree(fixture / package, site / package)
    write_dist_info(site, project["name"], group, project["entry-points"][group])


@contextmanager
def on_path(folder: Path, module: str, reload: Callable[[], None]) -> Iterator[Path]:
    """`folder` on sys.path for plugins while the block runs; the registry (`reload`) looks
    again on entry and forgets them (and `module`) on exit."""
    folder.mkdir(exist_ok=True)
    sys.path.insert(0, str(folder))
    reload()
    try:
        yield folder
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(module, None)
        reload()
