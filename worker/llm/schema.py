"""The JSON schema sent with a structured-output request, built from the pydantic model the answer must fit.

Servers constrain generation with a grammar made from this schema. Unbounded strings and arrays let a small
model run on until max_tokens cuts the JSON off, and llama.cpp's grammar allows raw newlines inside strings;
so every string and array gets a bound, and for llama.cpp every free-text string becomes a single-line
`pattern` (its converter prefers maxLength over pattern and would otherwise keep the raw-newline rule).
"""

from typing import Any

from pydantic import BaseModel

from worker.llm.endpoints import Dialect

DEFAULT_MAX_STRING_LENGTH = 1000
DEFAULT_MAX_ITEMS = 20
# The model explains and rewords; severities are set by the playbook and people alone, so a schema that
# asks a model for one is refused (a contract's "rate this low risk" then has nothing to change).
FORBIDDEN_FIELDS = frozenset({"severity"})
# Printable characters except the quote and the backslash: valid JSON with no escapes, on one line.
_SINGLE_LINE_CHARS = r'[^"\\\x00-\x1f\x7f]'


def structured_schema(model: type[BaseModel], dialect: Dialect) -> dict[str, Any]:
    """model's JSON schema with every string and array bounded, shaped for the dialect's grammar."""
    schema = model.model_json_schema()
    _bound(schema, single_line=dialect == Dialect.LLAMA_CPP)
    return schema


def response_format(model: type[BaseModel], dialect: Dialect) -> dict[str, Any]:
    """The `response_format` request field that makes the server's output follow the schema."""
    schema = structured_schema(model, dialect)
    if dialect == Dialect.LLAMA_CPP:
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": model.__name__, "schema": schema, "strict": True}}


def _bound(node: Any, *, single_line: bool) -> None:
    if isinstance(node, list):
        for item in node:
            _bound(item, single_line=single_line)
        return
    if not isinstance(node, dict):
        return
    forbidden = FORBIDDEN_FIELDS.intersection(node.get("properties", {}))
    if forbidden:
        raise ValueError(f"an LLM output schema may not contain {sorted(forbidden)}")
    if node.get("type") == "object":
        node.setdefault("additionalProperties", False)
    if node.get("type") == "array":
        node["maxItems"] = min(node.get("maxItems", DEFAULT_MAX_ITEMS), DEFAULT_MAX_ITEMS)
    if _is_free_text(node):
        _bound_string(node, single_line=single_line)
    for key, value in node.items():
        if key not in ("default", "examples", "const", "enum"):
            _bound(value, single_line=single_line)


def _is_free_text(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and not {"enum", "const", "format", "pattern"}.intersection(node)


def _bound_string(node: dict[str, Any], *, single_line: bool) -> None:
    longest = min(node.get("maxLength", DEFAULT_MAX_STRING_LENGTH), DEFAULT_MAX_STRING_LENGTH)
    if single_line:
        shortest = node.pop("minLength", 0)
        node.pop("maxLength", None)
        node["pattern"] = f"^{_SINGLE_LINE_CHARS}{{{shortest},{longest}}}$"
    else:
        node["maxLength"] = longest
