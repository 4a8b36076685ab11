"""Inspect provider names: which exist, and which environment variables each one needs.

The key table mirrors the variables Inspect's own providers read (inspect_ai/model/_providers),
so that a missing key is reported before a run starts, in one line, instead of deep in a run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from psetbench.models._types import ModelError, ResolvedModel

# Providers whose API key psetbench checks before a run. Any one of the variables will do;
# the first is the one an error message names.
API_KEY_VARS: dict[str, tuple[str, ...]] = {
    "openai": ("OPENAI_API_KEY", "AZUREAI_OPENAI_API_KEY", "AZURE_OPENAI_API_KEY"),
    "anthropic": ("ANTHROPIC_API_KEY", "AZUREAI_ANTHROPIC_API_KEY", "AZURE_ANTHROPIC_API_KEY"),
    "google": ("GOOGLE_API_KEY", "GEMINI_API_KEY", "VERTEX_API_KEY"),
    "mistral": ("MISTRAL_API_KEY", "AZUREAI_MISTRAL_API_KEY", "AZURE_MISTRAL_API_KEY"),
    "grok": ("XAI_API_KEY", "GROK_API_KEY"),
    "groq": ("GROQ_API_KEY",),
    "together": ("TOGETHER_API_KEY",),
    "fireworks": ("FIREWORKS_API_KEY",),
    "deepseek": ("DEEPSEEK_API_KEY",),
    "moonshot": ("MOONSHOT_API_KEY",),
    "sambanova": ("SAMBANOVA_API_KEY",),
    "openrouter": ("OPENROUTER_API_KEY",),
    "perplexity": ("PERPLEXITY_API_KEY",),
    "meta": ("META_API_KEY", "MODEL_API_KEY"),
    "cloudflare": ("CLOUDFLARE_API_KEY", "CLOUDFLARE_API_TOKEN"),
    "hf-inference-providers": ("HF_TOKEN",),
}

# Model args that route a provider through another cloud with its own credentials
# (e.g. anthropic on Bedrock or Vertex); with these psetbench leaves the check to Inspect.
_OTHER_AUTH_ARGS = ("bedrock", "vertex", "azure")

# The variable each provider reads its base URL from, where it is not PROVIDER_BASE_URL.
_BASE_URL_VARS: dict[str, str] = {"grok": "XAI_BASE_URL"}

# Inspect's built-in providers (0.3.285). Inspect has no public call that lists providers, so
# this list is the fast path; a name outside it is asked of Inspect itself (`_inspect_knows`),
# which finds providers added by installed extensions. tests/test_models.py compares this list
# with Inspect's registry, so a new Inspect release that adds a provider is noticed.
BUILTIN_PROVIDERS = (
    "anthropic", "azureai", "bedrock", "cloudflare", "deepseek", "fireworks", "google", "grok",
    "groq", "hf", "hf-inference-providers", "litellm-proxy", "llama-cpp-python", "meta",
    "mistral", "mockllm", "moonshot", "nnterp", "none", "ollama", "openai", "openai-api",
    "openai-api-completions", "openrouter", "perplexity", "sagemaker", "sambanova", "sglang",
    "together", "transformer_lens", "vllm", "vllm-completions",
)  # fmt: skip

_OPENAI_API = ("openai-api", "openai-api-completions")


def known_providers() -> list[str]:
    """Inspect's built-in provider names (extensions' providers are found by `_inspect_knows`)."""
    return sorted(BUILTIN_PROVIDERS)


def _inspect_knows(provider: str) -> bool:
    """Whether Inspect (with its installed extensions) has a provider of this name: its public
    `get_model` says "not recognized" only for an unknown one; anything else it raises (a
    missing key or package) means the provider exists."""
    from inspect_ai.model import get_model

    try:
        get_model(f"{provider}/probe", memoize=False)
    except ValueError as exc:
        return "not recognized" not in str(exc)
    except Exception:
        return True
    return True


def _env_or_dotenv() -> Mapping[str, str]:
    """The environment as Inspect will see it: os.environ plus the nearest `.env` file."""
    values: dict[str, str] = {}
    try:
        from dotenv import dotenv_values, find_dotenv  # python-dotenv, an Inspect dependency

        found = find_dotenv(usecwd=True)
        if found:
            values = {k: v for k, v in dotenv_values(found).items() if v}
    except ImportError:
        pass
    return {**values, **{k: v for k, v in os.environ.items() if v}}


def _service_var(service: str, suffix: str) -> str:
    return service.upper().replace("-", "_").replace(".", "_") + suffix


def resolve_provider_model(spec: str, model_args: Mapping[str, Any]) -> ResolvedModel:
    """Check an Inspect model name and its credentials; raise ModelError with the fix."""
    args = dict(model_args)
    provider, sep, rest = spec.partition("/")
    if not sep or not provider or not rest:
        raise ModelError(
            f"Model {spec!r} needs a provider: write PROVIDER/MODEL (e.g. openai/gpt-4o), "
            "'local', or 'local/PATH.gguf'"
        )
    providers = known_providers()
    if provider not in providers and not _inspect_knows(provider):
        raise ModelError(
            f"Unknown model provider {provider!r} in {spec!r}: use one of "
            f"{', '.join(providers)} (or 'local')"
        )
    base_url = args.pop("base_url", None)
    if base_url is not None:
        base_url = str(base_url)
    env = _env_or_dotenv()
    has_key = bool(args.get("api_key"))
    if provider in _OPENAI_API:
        service, sep, model = rest.partition("/")
        if not sep or not service or not model:
            raise ModelError(
                f"Model {spec!r} needs a service name: write {provider}/NAME/MODEL, with "
                "NAME_BASE_URL and NAME_API_KEY set"
            )
        url_var = _service_var(service, "_BASE_URL")
        if not base_url and url_var not in env:
            raise ModelError(
                f"No base URL for {spec}: set {url_var} (or pass --model-arg base_url=...)"
            )
        key_vars: tuple[str, ...] = (_service_var(service, "_API_KEY"),)
    else:
        key_vars = API_KEY_VARS.get(provider, ())
        if provider == "google" and env.get("GOOGLE_GENAI_USE_VERTEXAI"):
            key_vars = ()
    other_auth = any(args.get(name) for name in _OTHER_AUTH_ARGS)
    if key_vars and not has_key and not other_auth and not any(v in env for v in key_vars):
        raise ModelError(
            f"No key for {spec}: set {key_vars[0]} "
            "(or pass --model-arg api_key=...)"
        )
    return ResolvedModel(name=spec, model_args=args, display=spec, local=False,
                         base_url=base_url)


def check_model(spec: str, *, role: str = "grader") -> str:
    """Check a model named for grading, judging or narrating before any work starts: a known
    provider with its key set. Local models serve only as the answering model."""
    if spec == "local" or spec.startswith("local/"):
        raise ModelError(f"--{role} {spec}: the embedded models are too weak to {role}; name a "
                         "provider model such as openai/gpt-4o-mini")
    try:
        resolve_provider_model(spec, {})
    except ModelError as exc:
        raise ModelError(f"--{role}: {exc}") from None
    return spec
