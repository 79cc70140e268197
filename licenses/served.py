"""Which model an OpenAI-compatible server (vLLM, llama.cpp) serves, resolved against the register."""

from django.utils.translation import gettext_noop

from licenses.gate import GateDecision, check_model, refuse
from worker.llm.served import served_model_ids


def check_served_model(
    *, base_url: str, model: str, use: str, weights_sha256: str | None = None, system: str = "model_gate"
) -> GateDecision:
    """Gate an endpoint: the model it is configured with must be what it serves, and approved for the use.

    Raises ServerUnreachable when the server does not answer: that is an endpoint failure (skip it, retry
    later), not a decision about the model.
    """
    served = served_model_ids(base_url)
    if model not in served:
        return refuse(
            model_name=model, version=None, use=use, weights_sha256=weights_sha256, system=system,
            template=gettext_noop("The LLM server does not serve model %(model)s (it serves: %(served)s)."),
            params={"model": model, "served": ", ".join(served) or "-"},
        )  # fmt: skip
    return check_model(model_name=model, version=None, use=use, weights_sha256=weights_sha256, system=system)
