"""Models: pick one with `--model`, check its key, and serve local GGUF models while a run lasts.

`open_model(spec)` gives a `ResolvedModel` to pass to Inspect; local specs (`local`,
`local/qwen2.5-coder-1.5b`, `local/PATH.gguf`) run llama-cpp-python's OpenAI-compatible server
for the duration of the `with` block.
"""

from psetbench.models._cost import model_cost
from psetbench.models._files import (
    QWEN_SHA256,
    default_cache_dir,
    join_chunks,
    qwen_coder_path,
    qwen_install_command,
    smollm2_path,
)
from psetbench.models._open import LOCAL_MODELS, open_model
from psetbench.models._providers import check_model, known_providers
from psetbench.models._reach import check_reachable
from psetbench.models._types import ModelError, ResolvedModel

__all__ = [
    "LOCAL_MODELS",
    "QWEN_SHA256",
    "ModelError",
    "ResolvedModel",
    "check_model",
    "check_reachable",
    "default_cache_dir",
    "join_chunks",
    "known_providers",
    "model_cost",
    "open_model",
    "qwen_coder_path",
    "qwen_install_command",
    "smollm2_path",
]
