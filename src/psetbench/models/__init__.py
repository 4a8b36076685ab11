"""Models: pick one with `--model`, check its key, and serve local GGUF models while a run lasts.

`open_model(spec)` gives a `ResolvedModel` to pass to Inspect; local specs (`local`,
`local/qwen2.5-coder-1.5b`, `local/PATH.gguf`) run llama-cpp-python's OpenAI-compatible server
for the duration of the `with` block.
"""

from psetbench.models._ask import Asked, ReplyError, ask_structured, parse_reply, response_schema
from psetbench.models._cost import model_cost
from psetbench.models._errors import (
    explain_error,
    install_scrubbing,
    model_call_failure,
    model_failures,
    scrub,
)
from psetbench.models._files import (
    join_chunks,
    qwen_coder_path,
    smollm2_path,
)
from psetbench.models._limits import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_TIME_LIMIT,
    Limits,
    current_limits,
    limited_model,
    using_limits,
)
from psetbench.models._open import LOCAL_MODELS, open_model, proxy_bypass
from psetbench.models._progress import CACHED_KEY, describe_retry
from psetbench.models._providers import check_model, known_providers
from psetbench.models._reach import check_reachable
from psetbench.models._types import ModelError, ResolvedModel
from psetbench.models._usage import Figures, apply_figures, log_figures, sample_figures

__all__ = [
    "CACHED_KEY",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_REQUEST_TIMEOUT",
    "DEFAULT_TIME_LIMIT",
    "LOCAL_MODELS",
    "Asked",
    "Figures",
    "Limits",
    "ModelError",
    "ReplyError",
    "ResolvedModel",
    "apply_figures",
    "ask_structured",
    "check_model",
    "check_reachable",
    "current_limits",
    "describe_retry",
    "explain_error",
    "install_scrubbing",
    "join_chunks",
    "known_providers",
    "limited_model",
    "log_figures",
    "model_call_failure",
    "model_cost",
    "model_failures",
    "open_model",
    "parse_reply",
    "proxy_bypass",
    "qwen_coder_path",
    "response_schema",
    "sample_figures",
    "scrub",
    "smollm2_path",
    "using_limits",
]
