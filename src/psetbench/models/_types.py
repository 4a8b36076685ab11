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
    address travels in `base_url` and the local server's key in `api_key`, both handed to
    Inspect as arguments of the `Model` (`inspect_model`), never through `os.environ`. `env` is
    only what an HTTP client must see to reach a loopback server past a configured proxy
    (`NO_PROXY`); it is empty unless a proxy is set.
    """

    name: str
    model_args: dict[str, Any]
    display: str
    local: bool
    base_url: str | None
    api_key: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def explicit(self) -> bool:
        """Whether the address or key must be given to Inspect with the model."""
        return bool(self.base_url or self.api_key)

    def inspect_model(self, **kwargs: Any) -> Model:
        """This model as an Inspect `Model` (address and key passed explicitly, not via env)."""
        from inspect_ai.model import get_model

        args: dict[str, Any] = {**self.model_args, **kwargs}
        if self.base_url and "base_url" not in args:
            args["base_url"] = self.base_url
        if self.api_key and "api_key" not in args:
            args["api_key"] = self.api_key
        return get_model(self.name, **args)
