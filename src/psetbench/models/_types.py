"""The resolved model handed to Inspect, and the one error this package raises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from psetbench.errors import PsetbenchError

if TYPE_CHECKING:
    from inspect_ai.model import Model


class ModelError(PsetbenchError):
    """A problem the user can fix (missing key, unknown provider, missing package, dead server).

    The message is one line and says what to do.
    """


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready to pass to Inspect's `eval`/`eval_set`.

    `name` never contains a port or a path that changes between runs, so eval-set resumption
    and the response cache see the same model every time. `model_args` never holds `base_url`
    (Inspect passes it separately, and a changing port would change the task identity): the
    address travels in `base_url` and in `env`, the provider's environment variables to set
    while the model is used (e.g. `LOCAL_BASE_URL`, `LOCAL_API_KEY` for the local server).
    """

    name: str
    model_args: dict[str, Any]
    display: str
    local: bool
    base_url: str | None
    env: Mapping[str, str] = field(default_factory=dict)

    def inspect_model(self, **kwargs: Any) -> Model:
        """This model as an Inspect `Model` (address and key passed explicitly, not via env)."""
        from inspect_ai.model import get_model

        args: dict[str, Any] = {**self.model_args, **kwargs}
        if self.base_url and "base_url" not in args:
            args["base_url"] = self.base_url
        if "api_key" not in args:
            keys = [v for k, v in self.env.items() if k.endswith("_API_KEY")]
            if keys:
                args["api_key"] = keys[0]
        return get_model(self.name, **args)
