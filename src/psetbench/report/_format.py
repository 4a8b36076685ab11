"""Number formats shared by every report form, and the Jinja2 environment they live in."""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2


def fmt(value: float | None) -> str:
    """1, 0.5, 2.3: at most one decimal, no trailing zeros."""
    if value is None:
        return "–"
    if value == int(value):
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


def money(value: float | None) -> str:
    if value is None:
        return "unknown"
    return "$0" if value == 0 else f"${value:.4f}"


def secs(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 3600:
        return f"{value / 3600:.1f} h"
    if value >= 120:
        return f"{value / 60:.1f} min"
    return f"{value:.1f} s"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def pct0(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def signed_pts(value: float | None) -> str:
    """A score difference in [-1, 1] as signed percentage points."""
    return "–" if value is None else f"{100 * value:+.1f}"


def pval(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def thousands(value: int | float) -> str:
    return f"{value:,.0f}"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


FILTERS = dict(fmt=fmt, money=money, secs=secs, pct=pct, pct0=pct0, signed_pts=signed_pts,
               pval=pval, thousands=thousands)


def environment(*, html: bool) -> jinja2.Environment:
    """Templates from the package; autoescaping on for HTML, StrictUndefined always."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("psetbench.report", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(FILTERS)
    return env
