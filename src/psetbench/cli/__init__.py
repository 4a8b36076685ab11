"""The `psetbench` command line: each command parses, calls the library, prints.

One file per command (or per small family of commands), in pipeline order; each is added to
`main` here, the one place that lists them.
"""

from __future__ import annotations

import click

from psetbench import __version__
from psetbench.cli._calibrate import calibrate
from psetbench.cli._common import friendly, limit_options
from psetbench.cli._draft import draft
from psetbench.cli._grades import grade, grades
from psetbench.cli._import import import_
from psetbench.cli._report import compare, report, view
from psetbench.cli._run import run
from psetbench.cli._sets import schema, strategies, validate

__all__ = ["friendly", "limit_options", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="psetbench")
def main() -> None:
    """Measure how well language models do multi-part written homework."""


for _command in (validate, schema, strategies, draft, run, import_, grades, grade, report,
                 compare, view, calibrate):
    main.add_command(_command)
