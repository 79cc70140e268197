"""Which model an OpenAI-compatible server (vLLM, llama.cpp) serves, resolved against the register."""

import httpx

from licenses.gate import GateDecision, check_model, refuse

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


def check_served_model(
    *, base_url: str, model: str, use: str, weights_sha256: str | None = None, system: str = "model_gate"
) -> GateDecision:
    """Gate an endpoint: the model it is configured with must be what it serves, and approved for the use.

    Raises ServerUnreachable when the server does not answer: that is an endpoint failure (skip it, retry
    later), not a decision about the model.
    """
    served = served_model_ids(base_url)
    if model not in served:
        reason = f"the LLM server does not serve model {model} (it serves: {', '.join(served) or 'nothing'})"
        return refuse(model_name=model, version=None, use=use, reason=reason, weights_sha256=weights_sha256,
                      system=system)  # fmt: skip
    return check_model(model_name=model, version=None, use=use, weights_sha256=weights_sha256, system=system)
