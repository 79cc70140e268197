"""What every worker process knows about the LLM endpoints, kept in Redis: which are down, how many calls
each is serving, and which models each serves.

A call holds a slot of its endpoint's semaphore: a sorted set of lease tokens scored by their expiry, so a
worker that dies mid-call frees its slot when the lease runs out instead of holding it for ever.
"""

import json
import uuid

from redis import Redis

from worker.llm.endpoints import Endpoint

SERVED_MODELS_SECONDS = 60  # how long the answer of GET /models is trusted

# Drop expired leases, then take a slot if one is free. The server's clock scores the leases, so workers on
# hosts with skewed clocks still agree on what has expired.
_ACQUIRE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""


class EndpointState:
    def __init__(self, redis: Redis, *, down_seconds: float, concurrency: int, lease_seconds: float) -> None:
        self._redis = redis
        self._down_ms = max(1, round(down_seconds * 1000))
        self._concurrency = concurrency
        self._lease_ms = max(1, round(lease_seconds * 1000))
        self._acquire = redis.register_script(_ACQUIRE)

    def is_down(self, endpoint: Endpoint) -> bool:
        return bool(self._redis.exists(_key("down", endpoint)))

    def mark_down(self, endpoint: Endpoint) -> None:
        self._redis.set(_key("down", endpoint), 1, px=self._down_ms)

    def acquire_slot(self, endpoint: Endpoint) -> str | None:
        """A lease token when the endpoint has a free slot, else None."""
        token = uuid.uuid4().hex
        taken = self._acquire(keys=[_key("slots", endpoint)], args=[self._concurrency, self._lease_ms, token])
        return token if taken else None

    def release_slot(self, endpoint: Endpoint, token: str) -> None:
        self._redis.zrem(_key("slots", endpoint), token)

    def served_models(self, endpoint: Endpoint) -> list[str] | None:
        """The model ids the endpoint listed a moment ago, or None when it has not been asked recently."""
        cached = self._redis.get(_key("models", endpoint))
        return json.loads(cached) if cached is not None else None

    def remember_served_models(self, endpoint: Endpoint, model_ids: list[str]) -> None:
        self._redis.set(_key("models", endpoint), json.dumps(model_ids), ex=SERVED_MODELS_SECONDS)


def _key(kind: str, endpoint: Endpoint) -> str:
    return f"llm:{kind}:{endpoint.base_url}"
