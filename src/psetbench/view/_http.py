"""What a page of `psetbench view` answers: status, content type, body and extra headers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str) -> Response:
    """A plain-text answer, for errors a person reads."""
    return Response(status, "text/plain; charset=utf-8", message.encode())
