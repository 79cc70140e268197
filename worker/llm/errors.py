"""What an LLM call can end in besides an answer. Kept apart from the client so that code which only handles
these outcomes (the apps' run skeleton, imported while Django loads its models) does not load the masker."""


class LLMError(Exception):
    pass


class NoModelAvailable(LLMError):
    """Every endpoint is down or busy: retry later (the review waits for a model)."""


class InvalidModelOutput(LLMError):
    """The model's answer did not fit the schema, twice."""


class RequestRejected(LLMError):
    """A server refused the request itself (HTTP 4xx, such as a prompt longer than its context)."""
