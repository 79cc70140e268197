import os
import sys

from django.core.management.base import BaseCommand

from worker.llm.local_server import server_command


class Command(BaseCommand):
    help = "Serve the embedded GGUF model with llama.cpp's OpenAI-compatible server (replaces this process)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8010)

    def handle(self, *args, host, port, **options):
        command = server_command(sys.executable, host, port)
        # The server's settings also read PORT and HOST from the environment, which process managers set.
        env = {name: value for name, value in os.environ.items() if name not in {"PORT", "HOST"}}
        os.execve(command[0], command, env)
