"""`psetbench grade`: grade existing logs again, in place, without calling the solving model."""

from __future__ import annotations

from pathlib import Path

from inspect_ai import score
from inspect_ai.log import read_eval_log, write_eval_log
from inspect_ai.model import get_model

from psetbench._fileutil import staged
from psetbench.grading._logs import find_logs, latest_logs, run_from_log
from psetbench.grading._scorer import IMPORTED, scorer_for
from psetbench.models import model_failures
from psetbench.record import LogError, Run, RunMeta


def regrade_log(path: str, *, grader: str | None = None, votes: int = 1) -> Run:
    """Re-run the psetbench scorer over a log's stored replies and rewrite its scores.

    The new log is written beside the old one and moved over it, so a crash never leaves a
    half-written log."""
    try:
        log = read_eval_log(path)
    except Exception as exc:
        raise LogError(f"{path}: not a readable Inspect log ({exc})") from exc
    meta = RunMeta.from_metadata(log.eval.metadata, path)
    if log.status != "success":
        raise LogError(f"{path}: the run did not finish ({log.status}); run it again first")
    scorer = scorer_for(meta.pset, meta.strategy, grader=grader, votes=votes)
    # the "none" model: scoring never calls the solving model (and an imported log's model
    # name is no provider at all); the judge, if any, is named by `grader`
    # Inspect rebuilds each sample's state with the log's model name, which must name a
    # provider; a conversation imported as "gpt-5-thinking" (a chat app's name) has none.
    name = log.eval.model
    if "/" not in name:
        log.eval.model = f"{IMPORTED}/{name}"
    with model_failures(grader, role="grader"):  # outside an eval: no sample keeps the error
        scored = score(log, scorers=[scorer], action="overwrite", display="none",
                       model=get_model("none"))
    scored.eval.model = name
    target = Path(path)
    with staged(target) as tmp:
        write_eval_log(scored, tmp, format="json" if target.suffix == ".json" else "eval")
    scored.location = str(target)
    return run_from_log(scored, str(target))


def regrade(paths: list[str], *, grader: str | None = None, votes: int = 1) -> list[Run]:
    if grader is not None:
        from psetbench.models import check_model

        check_model(grader, role="grader")
    logs = latest_logs(find_logs(paths))
    if not logs:
        raise LogError(f"no Inspect logs found in {', '.join(paths)}")
    return [regrade_log(p, grader=grader, votes=votes) for p in logs]
