import socket
import threading

import pytest

from audit.models import SyslogOutbox
from audit.services import record_event
from audit.syslog import drain_outbox

pytestmark = pytest.mark.django_db


class SyslogServer:
    """A real RFC 5424-over-TCP receiver on 127.0.0.1 that parses octet-counted frames."""

    def __init__(self, port: int):
        self.messages: list[str] = []
        self.sock = socket.create_server(("127.0.0.1", port))
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        connection, _ = self.sock.accept()
        with connection:
            buffer = b""
            while chunk := connection.recv(65536):
                buffer += chunk
                while b" " in buffer:
                    length, _, rest = buffer.partition(b" ")
                    if len(rest) < int(length):
                        break
                    self.messages.append(rest[: int(length)].decode())
                    buffer = rest[int(length) :]

    def close(self):
        self.thread.join(timeout=5)
        self.sock.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_no_outbox_rows_when_forwarding_is_off(settings):
    settings.AUDIT_SYSLOG_ADDRESS = ""
    record_event(action="test.happened", system="tests")
    assert not SyslogOutbox.objects.exists() and drain_outbox() == 0


def test_events_written_while_syslog_is_down_arrive_in_order_once_it_is_up(settings):
    port = _free_port()
    settings.AUDIT_SYSLOG_ADDRESS = f"127.0.0.1:{port}"
    events = [record_event(action="test.happened", system="tests", payload={"n": i}) for i in range(5)]

    with pytest.raises(OSError):  # nobody listens yet
        drain_outbox(timeout=1)
    assert SyslogOutbox.objects.filter(sent_at__isnull=True).count() == 5  # nothing lost, nothing marked

    server = SyslogServer(port)
    assert drain_outbox(timeout=5) == 5
    server.close()
    assert [
        f'seq="{event.seq}"' in message for message, event in zip(server.messages, events, strict=True)
    ] == [True] * 5
    assert all(message.startswith("<109>1 ") and " workbench - test.happened [audit@32473 " in message
               for message in server.messages)  # fmt: skip
    assert not SyslogOutbox.objects.filter(sent_at__isnull=True).exists()


def test_a_rolled_back_event_is_never_forwarded(settings):
    settings.AUDIT_SYSLOG_ADDRESS = "127.0.0.1:9"
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action="test.happened", system="tests")
        raise RuntimeError("the change failed")
    assert not SyslogOutbox.objects.exists()
