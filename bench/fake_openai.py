"""A loopback-only fake OpenAI-compatible chat server, for benchmarks and fault tests.

It answers `POST /v1/chat/completions` after a fixed delay with a realistic ~200-token
reply and usage figures, lists one model at `GET /v1/models`, appends one JSON line per
request to `--record` (the last user message, so tests can count what was asked), and
stops by itself after `--lifetime` seconds or `--max-requests` requests.

`--fault KIND` makes it misbehave, for fault tests: `hang` (never answers), `500` (a server
error), `429` (rate limited, with `Retry-After: --retry-after`), `malformed` (a 200 whose body
is not JSON), `empty` (an empty reply) or `truncated` (half a reply, cut off at max tokens).
`--fault-on TEXT` limits the fault to requests whose messages contain TEXT, and
`--fault-times N` to the first N of those.

    python bench/fake_openai.py --port 0 --delay 0.05 --port-file /tmp/port
    python bench/fake_openai.py --port 0 --fault 500 --fault-on "<answer>" --fault-times 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from aiohttp import web

WORDS = (
    "We compute the quantity step by step, stating each assumption and unit before using it. "
    "The memory of the weights is the parameter count times the bytes per parameter, and the "
    "compute is six times parameters times tokens. Checking the arithmetic once more confirms "
    "the estimate is consistent with the given inputs and the orders of magnitude involved. "
).split()


def reply_text(tokens: int) -> str:
    # ~0.75 words per token, like English prose through a BPE tokenizer
    n_words = max(1, int(tokens * 0.75))
    return " ".join(WORDS[i % len(WORDS)] for i in range(n_words))


FAULTS = ("hang", "500", "429", "malformed", "empty", "truncated")


class FakeServer:
    def __init__(self, delay: float, tokens: int, record: Path | None, max_requests: int | None,
                 answer: str | None, hang_on: str | None = None, *, fault: str | None = None,
                 fault_on: str | None = None, fault_times: int | None = None,
                 retry_after: float = 1.0) -> None:
        self.fault = fault
        self.fault_on = fault_on
        self.fault_left = fault_times
        self.retry_after = retry_after
        self.delay = delay
        self.tokens = tokens
        self.record = record
        self.max_requests = max_requests
        self.answer = answer
        self.hang_on = hang_on
        self.count = 0
        self.done = asyncio.Event()

    async def models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [
            {"id": "fake", "object": "model", "created": 0, "owned_by": "psetbench"}]})

    def _fault(self, messages: list[dict[str, Any]]) -> str | None:
        """The fault this request gets, if any (counted against --fault-times)."""
        if self.fault is None:
            return None
        if self.fault_on is not None and self.fault_on not in json.dumps(messages):
            return None
        if self.fault_left is not None:
            if self.fault_left <= 0:
                return None
            self.fault_left -= 1
        return self.fault

    async def chat(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        self.count += 1
        messages = body.get("messages", [])
        last_user = next((m for m in reversed(messages) if m.get("role") == "user"), {})
        content = last_user.get("content", "")
        if isinstance(content, list):
            content = " ".join(c.get("text", "") for c in content if isinstance(c, dict))
        if self.record is not None:
            with self.record.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"t": time.time(), "user": content}) + "\n")
        if self.hang_on and self.hang_on in content:
            await asyncio.sleep(3600)  # a stuck request, for kill-and-resume tests
        fault = self._fault(messages)
        if fault == "hang":
            await asyncio.sleep(3600)
        await asyncio.sleep(self.delay)
        if fault == "500":
            return web.json_response({"error": {"message": "injected server error",
                                                "type": "server_error"}}, status=500)
        if fault == "429":
            return web.json_response(
                {"error": {"message": "injected rate limit", "type": "rate_limit_exceeded"}},
                status=429, headers={"Retry-After": f"{self.retry_after:g}"})
        if fault == "malformed":
            return web.Response(text='{"id": "chatcmpl-x", "choices": [{"mess',
                                content_type="application/json")
        text = self.answer if self.answer is not None else reply_text(self.tokens)
        finish = "stop"
        if fault == "empty":
            text = ""
        elif fault == "truncated":
            text, finish = text[: max(1, len(text) // 2)], "length"
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in messages) // 4
        if self.max_requests is not None and self.count >= self.max_requests:
            self.done.set()
        return web.json_response({
            "id": f"chatcmpl-{self.count}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": self.tokens,
                      "total_tokens": prompt_tokens + self.tokens},
        })


async def serve(args: argparse.Namespace) -> None:
    server = FakeServer(args.delay, args.tokens, Path(args.record) if args.record else None,
                        args.max_requests, args.answer, args.hang_on, fault=args.fault,
                        fault_on=args.fault_on, fault_times=args.fault_times,
                        retry_after=args.retry_after)
    app = web.Application()
    app.router.add_get("/v1/models", server.models)
    app.router.add_post("/v1/chat/completions", server.chat)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port, backlog=1024)
    await site.start()
    port = runner.addresses[0][1]
    if args.port_file:
        tmp = Path(args.port_file + ".tmp")
        tmp.write_text(str(port))
        tmp.replace(args.port_file)
    try:
        await asyncio.wait_for(server.done.wait(), timeout=args.lifetime)
        await asyncio.sleep(0.5)  # let the last replies go out
    except TimeoutError:
        pass
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", default=None, help="write the chosen port here")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds before each reply")
    parser.add_argument("--tokens", type=int, default=200, help="completion tokens per reply")
    parser.add_argument("--answer", default=None, help="reply with this text instead")
    parser.add_argument("--record", default=None, help="append one JSON line per request here")
    parser.add_argument("--lifetime", type=float, default=600, help="stop after this many s")
    parser.add_argument("--hang-on", default=None,
                        help="never answer a request whose last user message contains this")
    parser.add_argument("--max-requests", type=int, default=None, help="stop after this many")
    parser.add_argument("--fault", choices=FAULTS, default=None, help="misbehave this way")
    parser.add_argument("--fault-on", default=None,
                        help="only for requests whose messages contain this text")
    parser.add_argument("--fault-times", type=int, default=None,
                        help="only for the first N such requests")
    parser.add_argument("--retry-after", type=float, default=1.0,
                        help="seconds in the Retry-After header of a 429")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
