"""Tokens per second of the embedded model: through psetbench versus llama-cpp-python directly.

    python bench/bench_local.py

Both sides generate from the same prompts with the same settings (greedy, same max tokens,
same thread count and context). psetbench's figure is output tokens over the model calls'
own time as Inspect recorded it (so the fixed cost of starting an eval is not counted, the
HTTP hop and the server are); the direct figure is llama-cpp-python's `create_chat_completion`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

PROMPTS = [
    "Explain in a few sentences why the gradient of a LoRA factor is zero when both are zero.",
    "Estimate how many bytes the weights of a 7-billion-parameter model take in 16-bit floats.",
    "What is the expected value of a binomial random variable with n trials and probability p?",
    "Describe what a zero-layer transformer computes.",
]
MAX_TOKENS = 128


def _direct(path: Path, n_threads: int, n_ctx: int) -> float:
    from llama_cpp import Llama

    llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads,
                n_threads_batch=n_threads, verbose=False)
    tokens, seconds = 0, 0.0
    for prompt in PROMPTS:
        start = time.perf_counter()
        out = llm.create_chat_completion(messages=[{"role": "user", "content": prompt}],
                                         max_tokens=MAX_TOKENS, temperature=0.0)
        seconds += time.perf_counter() - start
        tokens += out["usage"]["completion_tokens"]
    return tokens / seconds


def _through_psetbench(work: Path) -> float:
    import yaml
    from inspect_ai.log import read_eval_log

    from psetbench.runs import RunOptions, run_set

    data = {"psetbench": 1, "id": "local-bench", "title": "Local model benchmark",
            "questions": [{"id": str(i + 1), "parts": [{"id": "a", "prompt": p,
                                                         "solution": "-"}]}
                          for i, p in enumerate(PROMPTS)]}
    set_path = work / "local.yaml"
    set_path.write_text(yaml.safe_dump(data))
    result = run_set(set_path, RunOptions(strategies=("one-turn",), model="local",
                                          prompt="plain", max_tokens=MAX_TOKENS,
                                          temperature=0.0, max_connections=1, cache=False,
                                          log_dir=str(work / "logs"), display="none"))
    tokens, seconds = 0, 0.0
    for run in result.runs:
        log = read_eval_log(run.path)
        for sample in log.samples or []:
            for event in sample.events:
                if event.event == "model" and event.output.usage is not None:
                    tokens += event.output.usage.output_tokens
                    seconds += event.working_time or 0.0
    return tokens / seconds


def local_tokens_per_second() -> tuple[float, float] | None:
    """(through psetbench, direct) tokens per second, or None without llama-cpp-python."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return None
    from psetbench.models import smollm2_path
    from psetbench.models._open import _thread_count

    path = smollm2_path()
    threads = _thread_count()
    with tempfile.TemporaryDirectory() as tmp:
        ours = _through_psetbench(Path(tmp))
    direct = _direct(path, threads, 8192)
    return ours, direct


if __name__ == "__main__":
    os.environ.setdefault("INSPECT_LOG_LEVEL", "warning")
    figures = local_tokens_per_second()
    if figures is None:
        sys.exit("llama-cpp-python is not installed: pip install 'psetbench[local]'")
    ours, direct = figures
    print(f"through psetbench: {ours:.1f} tok/s; llama-cpp-python directly: {direct:.1f} tok/s; "
          f"ratio {ours / direct:.2f}")
