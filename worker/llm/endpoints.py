"""The OpenAI-compatible servers the workbench may call, from the LLM_ENDPOINTS setting."""

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit


class Dialect(StrEnum):
    """How a server takes structured-output requests."""

    VLLM = "vllm"
    LLAMA_CPP = "llama.cpp"


@dataclass(frozen=True)
class Endpoint:
    base_url: str  # ends in /v1
    model: str
    dialect: Dialect


def parse_endpoints(entries: list[str]) -> list[Endpoint]:
    """Parse "URL|MODEL|DIALECT" entries; a malformed entry is a configuration error, raised at once."""
    endpoints = []
    for entry in entries:
        parts = [part.strip() for part in entry.split("|")]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"LLM_ENDPOINTS entry must be URL|MODEL|DIALECT, got {entry!r}")
        url, model, dialect = parts
        if urlsplit(url).scheme not in {"http", "https"}:
            raise ValueError(f"LLM endpoint URL must be http(s): {url!r}")
        endpoints.append(Endpoint(url.rstrip("/"), model, Dialect(dialect)))
    return endpoints
