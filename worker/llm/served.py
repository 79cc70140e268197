"""Which models an OpenAI-compatible server (vLLM, llama.cpp) says it serves."""

import httpx

MODELS_TIMEOUT_SECONDS = 3.0


class ServerUnreachable(Exception):
    pass


def served_model_ids(base_url: str, timeout: float = MODELS_TIMEOUT_SECONDS) -> list[str]:
    """The model ids a server lists at {base_url}/models (base_url ends in /v1)."""
    try:
        response = httpx.get(f"{base_url.rstrip('/')}/models", timeout=timeout)
        response.raise_for_status()
        return [str(entry["id"]) for entry in response.json().get("data", [])]
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        raise ServerUnreachable(
            f"cannot list the models of {base_url}: {error.__class__.__name__}"
        ) from error
