"""Deterministic check proposals from a part's prompt and solution.

- `choice`: the exam class's \\CorrectChoice; a true/false or yes/no prompt whose solution
  says which; lettered options in the prompt and a solution naming one.
- `numeric`: each `Answer:`/`Final answer:`/`Result:` line (or boxed number) whose value
  reads as a quantity; else a final `= 2 TB` / `≈ 41.7 s` with a unit in the last paragraph;
  else the number (unit or not) that ends the solution, alone or after `=` / `is` / ....
- `expression`: a boxed (or `\fbox`ed) formula, else a displayed `$$ x = formula $$` that
  ends the solution.
- `keypoints`: otherwise, up to three of the solution's concluding sentences (a short answer
  in words is one key point).

Every machine check is run against the solution it came from with psetbench's own checks,
and dropped (with a warning) if the solution does not pass it: a check the official
solution fails would fail every right answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from psetbench._bounds import MAX_CHECKS
from psetbench.checks import parse_quantity, run_checks
from psetbench.draft._types import Proposal
from psetbench.problemset import (
    Check,
    ChoiceCheck,
    ExpressionCheck,
    KeypointsCheck,
    NumericCheck,
    Part,
)
from psetbench.types import CheckStatus

_ANSWER_LINE = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?\s*(?:Final answer|Answer|Result)\s*:\s*(?P<body>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE)
_BOLD_ANSWER = re.compile(
    r"\*\*\s*(?:Final answer|Answer|Result)\s*:\s*(?P<body>[^*\n]+?)\s*\*\*", re.IGNORECASE)
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_TRUE_FALSE = re.compile(r"\btrue\s+or\s+false\b|\btrue\s*/\s*false\b|\bT/F\b", re.IGNORECASE)
_YES_NO = re.compile(r"\byes\s+or\s+no\b|\byes\s*/\s*no\b", re.IGNORECASE)
_OPTION = re.compile(r"(?:^|\s)\(([A-H])\)\s", re.MULTILINE)
_FINAL_VALUE = re.compile(
    r"(?:=|≈|\\approx|is about|is)\s*\$?\s*(?P<q>[-+]?\d[\d,]*(?:\.\d+)?"
    r"(?:\s*(?:\\times|×)\s*10\^\{?-?\d+\}?)?\$?\s*[A-Za-z%$][\w/*\-^]*(?:/[A-Za-z]+)?)")
# a number (and unit) ending the solution, after "=", "is", "gives", ... or on its own; a
# number after any other word ("Figure 3", "step 2") names something and is not an answer
_TRAILING_VALUE = re.compile(
    r"(?:^|=|≈|\\approx|:|\b(?:is|are|was|be|equals|gives|get|gets|to|of)\b)\s*"
    r"(?:(?:about|approximately|roughly)\s+)?\$?\s*"
    r"(?P<q>[-+]?\d[\d,]*(?:\.\d+)?(?:\s*(?:\\times|×)\s*10\^\{?-?\d+\}?)?"
    r"(?:\s*[A-Za-z%][\w/*\-^]*(?:/[A-Za-z]+)?)?)\s*\$?\s*[.!]?\s*$")
_CONCLUDING = re.compile(r"\b(so|therefore|thus|hence|because|means|since|which)\b",
                         re.IGNORECASE)
MAX_KEYPOINTS = 3
MAX_POINT_CHARS = 300


@dataclass
class Proposed:
    check: Check
    proposal: Proposal


def _build(model: type[Check], **fields: Any) -> Check | None:
    """The check, or None when its values are outside what a set may hold (more options
    than a check lists, a label too long): that check is not proposed."""
    try:
        return model(**fields)
    except ValidationError:
        return None


def _plain(text: str) -> str:
    return text.replace("**", "").replace("__", "").strip().strip("$").strip().rstrip(".")


def _boxed(solution: str) -> list[str]:
    from psetbench.draft._tex_text import matching_brace

    out = []
    for match in _BOXED.finditer(solution):
        close = matching_brace(solution, match.end() - 1)
        if close > 0:  # \fbox holds text mode, so its math comes in dollars
            out.append(solution[match.end():close].strip().strip("$").strip())
    return out


def _quantity(text: str) -> str | None:
    """`text` if psetbench reads it as one quantity (math dollars removed), else None."""
    candidate = _plain(text).replace("$", "").strip()
    candidate = re.sub(r"\\(?:text|mathrm)\{([^}]*)\}", r"\1", candidate).replace("\\,", " ")
    if not candidate or not re.match(r"[-+$]?\d", candidate):
        return None
    try:
        parse_quantity(candidate)
    except Exception:  # not a quantity: another kind of check may take it
        return None
    return candidate


def _split_label(body: str) -> tuple[str | None, str]:
    """'ratio = 256' -> ('ratio', '256'); 'N_opt ≈ 3.2e10' -> ('N_opt', '3.2e10')."""
    body = _plain(body)
    parts = re.split(r"\s*(?:=|≈|\\approx)\s*", body)
    if len(parts) >= 2:
        label = _plain(parts[0]).replace("\\", "")
        return (label if 0 < len(label) <= 60 else None), parts[-1]
    return None, body


def answer_lines(solution: str) -> list[re.Match[str]]:
    """`Answer:` lines, and bold `**Answer: ...**` anywhere, in order."""
    found = {m.start(): m for m in _ANSWER_LINE.finditer(solution)}
    for match in _BOLD_ANSWER.finditer(solution):
        if not any(s <= match.start() <= m.end() for s, m in found.items()):
            found[match.start()] = match
    return [found[k] for k in sorted(found)]


def _numeric(solution: str) -> list[Proposed]:
    found: list[Proposed] = []
    for match in answer_lines(solution):
        label, value = _split_label(match.group("body"))
        quantity = _quantity(value)
        check = _build(NumericCheck, kind="numeric", label=label, answer=quantity) \
            if quantity is not None else None
        if check is not None:
            found.append(Proposed(check, Proposal(kind="numeric", origin="rule",
                                                  reason=f"the solution's answer line "
                                                         f"'{_plain(match.group('body'))}'")))
    for boxed in _boxed(solution) if not found else []:
        quantity = _quantity(boxed)
        check = _build(NumericCheck, kind="numeric", answer=quantity) if quantity else None
        if check is not None:
            found.append(Proposed(check, Proposal(kind="numeric", origin="rule",
                                                  reason=f"the boxed value {boxed}")))
    if found:
        return found
    last = [p for p in re.split(r"\n\s*\n", solution.strip()) if p.strip()][-1:]
    matches = list(_FINAL_VALUE.finditer(last[0])) if last else []
    for match in reversed(matches):
        quantity = _quantity(match.group("q"))
        check = _build(NumericCheck, kind="numeric", answer=quantity) \
            if quantity is not None and re.search(r"[A-Za-z$%]", quantity) else None
        if check is not None:
            return [Proposed(check,
                             Proposal(kind="numeric", origin="rule",
                                      reason=f"the final value '{match.group(0).strip()}' "
                                             "in the solution's last paragraph"))]
    return _trailing(last[0]) if last else []


def _trailing(paragraph: str) -> list[Proposed]:
    """The number (with or without a unit) that ends the solution: `4`, `$2.5$`, `3 m`,
    `The total is 4.`."""
    match = _TRAILING_VALUE.search(_plain(paragraph) + ".")
    quantity = _quantity(match.group("q")) if match else None
    check = _build(NumericCheck, kind="numeric", answer=quantity) if quantity else None
    if match is None or check is None:
        return []
    said = match.group(0).strip().rstrip(".")
    return [Proposed(check, Proposal(kind="numeric", origin="rule",
                                     reason=f"the value the solution ends with '{said}'"))]


def _variables(latex: str) -> list[str]:
    """Symbols a formula names: Greek letters, X_{sub} / X_s and single letters; the names
    of other commands (\\log, \\frac) are not symbols."""
    text = re.sub(r"\\(?:text|mathrm|operatorname)\{[^}]*\}", " ", latex)
    greek = r"alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|nu|pi|rho|sigma|tau|phi|chi|" \
        r"psi|omega"
    text = re.sub(r"\\(" + greek + r")\b", r" @\1 ", text)
    text = re.sub(r"\\[A-Za-z]+", " ", text)
    names: list[str] = []
    for match in re.finditer(r"@([a-z]+)|([A-Za-z])(_\{?\w+\}?)?", text):
        name = match.group(1) or (match.group(2) + (match.group(3) or "").replace("{", "")
                                  .replace("}", ""))
        if name not in names:
            names.append(name)
    return names


def _top_level_equals(formula: str) -> int:
    """The index of the last '=' outside braces (not the one in \\sum_{k=1}), or -1."""
    depth, found = 0, -1
    for i, ch in enumerate(formula):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "=" and depth == 0:
            found = i
    return found


def _expression(solution: str) -> list[Proposed]:
    candidates = [(b, "the boxed formula") for b in _boxed(solution) if _quantity(b) is None]
    if not candidates:
        display = re.findall(r"\$\$(.+?)\$\$\s*\Z", solution.strip(), re.DOTALL)
        if display and _top_level_equals(display[-1]) >= 0:
            rhs = display[-1][_top_level_equals(display[-1]) + 1:].strip().rstrip(".,")
            if rhs and _quantity(rhs) is None and re.search(r"[A-Za-z]", rhs):
                candidates = [(rhs, "the displayed final formula")]
    out = []
    for formula, where in candidates[-1:]:
        if not re.search(r"[A-Za-z]", formula):
            continue
        check = _build(ExpressionCheck, kind="expression", answer=formula,
                       variables=_variables(formula))
        if check is None:
            continue
        out.append(Proposed(check, Proposal(kind="expression", origin="rule",
                                            reason=f"{where} {formula}")))
    return out


def _choice(prompt: str, solution: str, options: list[str], correct: str | None
            ) -> list[Proposed]:
    def made(answer: str, opts: list[str], reason: str) -> list[Proposed]:
        check = _build(ChoiceCheck, kind="choice", answer=answer, options=opts)
        return [] if check is None else [
            Proposed(check, Proposal(kind="choice", origin="rule", reason=reason))]

    if correct and options:
        return made(correct, options, "the option marked correct in the homework")
    answers = [_plain(m.group("body")) for m in answer_lines(solution)]
    said = answers[-1] if answers else solution.strip().split(maxsplit=1)[0] if solution.strip() \
        else ""
    said = _plain(said).strip(".,:;!")
    for pattern, pair in ((_TRUE_FALSE, ("True", "False")), (_YES_NO, ("Yes", "No"))):
        if pattern.search(prompt) and said.capitalize() in pair:
            return made(said.capitalize(), list(pair), f"a {'/'.join(pair).lower()} prompt "
                        f"and the solution's '{said}'")
    letters = sorted(set(_OPTION.findall(prompt)))
    if len(letters) >= 2 and said.strip("()") in letters:
        return made(said.strip("()"), letters, f"options {', '.join(letters)} in the prompt "
                    f"and the solution's '{said}'")
    return []


def _sentences(solution: str) -> list[str]:
    text = re.sub(r"\$\$.*?\$\$", " ", solution, flags=re.DOTALL)
    text = text.replace("\n", " ").replace("**", "").replace("__", "").strip()
    pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text)
    return [re.sub(r"\s+", " ", p).strip() for p in pieces if len(p.split()) >= 4]


def _prose(solution: str) -> str:
    """The solution's words outside math and LaTeX commands, on one line ('' if none)."""
    text = re.sub(r"\$\$.*?\$\$|\\\[.*?\\\]|\$[^$]*\$", " ", solution, flags=re.DOTALL)
    text = re.sub(r"\\[A-Za-z]+", " ", text).replace("**", "").replace("__", "")
    text = re.sub(r"\s+", " ", text).strip()
    return text if re.search(r"[A-Za-z]{2,}", text) else ""


def _keypoints(solution: str) -> list[Proposed]:
    sentences = _sentences(solution)
    if not sentences and _prose(solution):  # a short answer in words: 'The newton.'
        sentences = [re.sub(r"\s+", " ", solution.replace("**", "")).strip()]
    if not sentences:
        return []
    chosen = [s for s in sentences if _CONCLUDING.search(s)][:MAX_KEYPOINTS] or \
        sentences[:MAX_KEYPOINTS]
    points = [s if len(s) <= MAX_POINT_CHARS else s[:MAX_POINT_CHARS].rsplit(" ", 1)[0]
              for s in chosen]
    check = _build(KeypointsCheck, kind="keypoints", points=points)
    return [] if check is None else [
        Proposed(check, Proposal(kind="keypoints", origin="rule",
                                 reason="sentences of the solution (a check guessed from prose)"))]


def propose(prompt: str, solution: str, options: list[str], correct: str | None,
            warnings: list[str]) -> list[Proposed]:
    """The checks a solution supports, each passing against the solution itself."""
    machine = _choice(prompt, solution, options, correct) + _numeric(solution)
    machine += _expression(solution)
    if len(machine) > MAX_CHECKS:
        warnings.append(f"{len(machine)} checks found, more than {MAX_CHECKS} a part may hold: "
                        f"proposed the first {MAX_CHECKS}; split the part")
        machine = machine[:MAX_CHECKS]
    kept = passing(machine, prompt, solution, warnings)
    return kept or _keypoints(solution)


def passing(proposed: list[Proposed], prompt: str, solution: str,
            warnings: list[str]) -> list[Proposed]:
    """The proposals the solution itself passes, run as grading runs them (`run_checks` on
    a part holding them); a warning for each one dropped."""
    kept: list[Proposed] = []
    proposed = [item for item in proposed if _holds(item, warnings)]
    for item, status, reason in zip(proposed, *_run(proposed, prompt, solution), strict=True):
        check = item.check
        if isinstance(check, ExpressionCheck) and status != CheckStatus.passed \
                and check.variables:  # the symbols guessed may be wrong: try without them
            check = check.model_copy(update={"variables": []})
            [[status], [reason]] = _run([Proposed(check, item.proposal)], prompt, solution)
        if status == CheckStatus.passed or isinstance(check, KeypointsCheck):
            kept.append(Proposed(check, item.proposal))
        else:
            first_line = reason.splitlines()[0][:160] if reason else "no reason"
            warnings.append(f"dropped a {check.kind} check ({item.proposal.reason[:120]}): "
                            f"the solution itself does not pass it ({first_line})")
    return kept


def _holds(item: Proposed, warnings: list[str]) -> bool:
    """Whether the check's reference is one a set may hold (`psetbench validate` asks the
    kind: a unit it reads, a magnitude in range, an expression its grammar reads)."""
    check = item.check
    written = check.model_dump(mode="json", exclude_defaults=True)
    problems = type(check).reference_problems(written)
    if problems:
        warnings.append(f"dropped a {check.kind} check ({item.proposal.reason[:120]}): "
                        f"{problems[0][1][:160]}")
    return not problems


def _run(proposed: list[Proposed], prompt: str, solution: str
         ) -> tuple[list[CheckStatus], list[str]]:
    if not proposed:
        return [], []
    part = Part(id="draft", prompt=prompt or "(no text)", solution=solution or "(none)",
                checks=[p.check for p in proposed])
    results = run_checks(part, solution)
    return [r.status for r in results], [r.reason or "" for r in results]
