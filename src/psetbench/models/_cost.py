"""What a run cost in USD, from the prices the `genai-prices` package ships (no network)."""

from __future__ import annotations

# Inspect providers that run on the caller's own machine (or nowhere): free.
FREE_PROVIDERS = frozenset({
    "mockllm", "none", "llama-cpp-python", "ollama", "vllm", "vllm-completions", "sglang", "hf",
    "transformer_lens", "nnterp",
})
LOCAL_PREFIX = "openai-api/local/"

# Inspect provider name -> genai-prices provider id, where they differ or exist at all.
_PRICE_PROVIDERS = {
    "openai": "openai", "anthropic": "anthropic", "google": "google", "grok": "x-ai",
    "groq": "groq", "fireworks": "fireworks", "deepseek": "deepseek", "mistral": "mistral",
    "perplexity": "perplexity", "together": "together", "openrouter": "openrouter",
    "bedrock": "aws", "azureai": "azure",
}  # fmt: skip


def _price_provider(provider: str, rest: str) -> tuple[str | None, str]:
    """(genai-prices provider id, model ref) for an Inspect model name split at its provider."""
    if provider in ("openai-api", "openai-api-completions"):
        service, _, model = rest.partition("/")
        known = set(_PRICE_PROVIDERS.values())
        return (service if service in known else None), model
    return _PRICE_PROVIDERS.get(provider), rest


def model_cost(model_name: str, input_tokens: int, output_tokens: int) -> float | None:
    """USD for these tokens on `model_name` (an Inspect name); 0.0 if local, None if unknown."""
    provider, _, rest = model_name.partition("/")
    if provider in FREE_PROVIDERS or model_name.startswith(LOCAL_PREFIX):
        return 0.0
    price_provider, model_ref = _price_provider(provider, rest)
    if price_provider is None or not model_ref:
        return None
    from genai_prices import Usage, calc_price

    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    # Try the full model part first (openrouter names are `vendor/model`), then its last segment
    # (e.g. `openai/azure/gpt-4o`).
    for ref in dict.fromkeys([model_ref, model_ref.rsplit("/", 1)[-1]]):
        try:
            return float(calc_price(usage, ref, provider_id=price_provider).total_price)
        except (LookupError, ValueError):
            continue
    return None
