"""Word-level comparisons: does a heading restate a prompt, does a heading name a question."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"[a-z0-9]+")
_MATH_WORD = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*|\d+")
# LaTeX spelled as words: "\\text{src}" is "src", "W_{OV}" is "W_OV", "\\Sigma" is "Sigma"
_TEXT_CMD = re.compile(r"\\(?:text|mathrm|mathit|mathbf|operatorname|textbf|emph)\s*\{([^{}]*)\}")
_SUB_BRACES = re.compile(r"_\{\s*([A-Za-z0-9 ]{1,12}?)\s*\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_GREEK = str.maketrans({"σ": "sigma", "Σ": "Sigma", "ℓ": "l", "α": "alpha", "β": "beta",
                        "λ": "lambda", "μ": "mu", "θ": "theta", "ε": "epsilon", "⊤": "T",
                        "ᵀ": "T"})
# LaTeX layout commands say nothing about what a block is about
_LAYOUT = frozenset(
    "mathbb mathbf in times top quad qquad left right begin end bmatrix pmatrix matrix aligned "
    "align cdots ldots dots vdots ddots frac cdot boxed underbrace overbrace text mathrm le leq "
    "ge geq approx sum prod sqrt hat tilde bar".split())
# words every prompt shares say nothing about which part a heading restates
_STOP = frozenset(
    "a an the of to in on for and or is are be by with what how why which that this it its do "
    "does as at from we you your our give find show explain compute calculate state describe "
    "derive estimate determine write use using part question answer solution".split()
)


def words(text: str) -> list[str]:
    """Content words, lower-cased, with a plural -s dropped."""
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        out.append(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return out


def tokens(text: str) -> set[str]:
    """Every word and number, stop words included: for "does this copy only repeat that one"."""
    return set(_WORD.findall(text.lower()))


def ratio(a: list[str], b: list[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def names_title(text: str, title: str) -> bool:
    """A heading names a question when it holds the title's words and little else."""
    line, wanted = words(text), words(title)
    if not line or not wanted or len(line) > len(wanted) + 4:
        return False
    return set(wanted) <= set(line) or ratio(line, wanted) >= 0.8


def latex_words(text: str) -> str:
    """LaTeX and math symbols spelled as words, so "W_{OV}", "W_OV" and "$W_{\\text{OV}}$"
    agree: text commands unwrapped, subscript braces dropped, commands kept as their names."""
    text = text.translate(_GREEK)
    text = _TEXT_CMD.sub(r"\1", text)
    text = _SUB_BRACES.sub(lambda m: "_" + m.group(1).replace(" ", ""), text)
    return _COMMAND.sub(r" \1", text).replace("{", " ").replace("}", " ")


def math_words(text: str) -> set[str]:
    """Content words of text that mixes prose and LaTeX ("w_ov", "sigma_k", "residual")."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w
            for w in _MATH_WORD.findall(latex_words(text).lower())
            if w not in _STOP and w not in _LAYOUT and len(w) > 1}
