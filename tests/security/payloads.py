"""Python-escape payloads: each would create `<folder>/PWNED-<n>` if anything evaluated it."""

from __future__ import annotations

from pathlib import Path

_TEMPLATES = [
    "__import__('os').system('touch {p}')",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: __import__('os').system('touch {p}'))()",
    "getattr(__import__('os'), 'system')('touch {p}')",
    "eval(\"__import__('os').system('touch {p}')\")",
    "exec(\"import os; os.system('touch {p}')\")",
    "open('{p}', 'w')",
    "__builtins__.open('{p}', 'w')",
    "os.system.__call__('touch {p}')",
    "globals()",
    "breakpoint()",
    "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'Popen']",
    "f\"{{__import__('os').system('touch {p}')}}\"",
    "\\mathrm{{__import__('os').system('touch {p}')}}",
    "\\text{{__import__('os').system('touch {p}')}}",
    "＿＿import＿＿('os').system('touch {p}')",  # fullwidth: NFKC makes it __import__
    "W_U^{{\\mathrm{{__import__('os').system('touch {p}')}}}}",
]


def payloads(folder: Path) -> list[str]:
    """The payloads, each aimed at its own marker file in `folder`."""
    return [t.format(p=folder / f"PWNED-{n}") for n, t in enumerate(_TEMPLATES)]


def wrapped(payload: str) -> list[str]:
    """The ways a reply could carry a payload to the expression check."""
    return [
        f"M = {payload}",
        f"The memory is ${payload}$.",
        f"$$M = 4k(m+l) = {payload}$$",
        f"**Answer:** \\boxed{{{payload}}}",
        f"Final answer: {payload}",
        payload,
    ]


def reply(folder: Path) -> str:
    """One reply holding every payload, in every wrapping, one per line."""
    return "\n\n".join(w for p in payloads(folder) for w in wrapped(p))


def assert_nothing_ran(folder: Path) -> None:
    made = sorted(p.name for p in folder.glob("PWNED-*"))
    assert not made, f"a payload ran: {made}"
