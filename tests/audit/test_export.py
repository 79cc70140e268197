import hashlib
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from audit.chain import canonical_json
from audit.formats import cef_line, event_record, jsonl_line, octet_counted, syslog_message
from audit.models import AuditEvent
from audit.services import record_event

pytestmark = pytest.mark.django_db


def test_jsonl_lines_carry_seq_and_hash_and_re_hash_to_it():
    event = record_event(
        action="llm.called", system="tests", payload={"model": "smollm2", "latency_ms": 12.5, "n": 3}
    )
    stored = AuditEvent.objects.get(seq=event.seq)
    record = json.loads(jsonl_line(event_record(stored)))
    assert record["seq"] == event.seq and record["hash"] == event.hash
    fields = {key: value for key, value in record.items() if key != "hash"}
    assert hashlib.sha256(canonical_json(fields).encode()).hexdigest() == event.hash


def test_cef_escapes_header_and_extension_values():
    record = {
        "seq": 7, "occurred_at": "2026-11-28T04:00:00.000000Z", "actor_id": None, "actor": "sys\\tem",
        "action": "auth.login_failed", "object_type": "", "object_id": "", "matter_id": 4, "source_ip": "10.0.0.1",
        "request_id": "r1", "payload": {"username": "eve=1|x\nnext"}, "prev_hash": "0" * 64, "hash": "a" * 64,
    }  # fmt: skip
    line = cef_line(record)
    assert line.startswith("CEF:0|Workbench|Workbench|0.1|auth.login_failed|auth.login_failed|7|")
    assert line.count("\n") == 1 and line.endswith("\n")
    assert (
        "suser=sys\\\\tem" in line
        and "externalId=7" in line
        and "rt=1795838400000 " in line
        and "cn1=4" in line
        and "src=10.0.0.1" in line
    )
    assert 'msg={"username":"eve\\=1|x\\\\nnext"}' in line  # the JSON's own \n escape, then CEF's \ escape
    assert "suid=" not in line and "cs3=" not in line  # empty values are left out
    header_record = {**record, "action": "odd|act\\ion"}
    assert "|odd\\|act\\\\ion|odd\\|act\\\\ion|" in cef_line(header_record)


def test_rfc5424_message_and_octet_counting():
    event = record_event(action="review.submitted", system="tests", payload={"name": 'Müller "]'})
    message = syslog_message(event_record(event), hostname="wb-host")
    assert message.startswith(
        f'<109>1 {event_record(event)["occurred_at"]} wb-host workbench - review.submitted [audit@32473 seq="{event.seq}"'
    )
    assert message.isascii() and json.loads(message.split("] ", 1)[1])["hash"] == event.hash
    framed = octet_counted(message)
    length, _, rest = framed.partition(b" ")
    assert int(length) == len(rest) == len(message.encode())
    failed = record_event(action="auth.login_failed", payload={"username": "x"})
    assert syslog_message(event_record(failed), hostname="h").startswith("<108>1 ")  # facility 13, warning


def test_export_command_writes_the_range_and_is_itself_an_event(tmp_path, capsys):
    events = [record_event(action="test.happened", system="tests", payload={"n": i}) for i in range(3)]
    out = tmp_path / "export.jsonl"
    since = events[0].occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    call_command("audit_export", "--format", "jsonl", "--since", since, "--out", str(out))
    lines = out.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [event.seq for event in events]
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor == "system:audit_export" and exported.payload["count"] == 3
    assert exported.payload["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "exported 3 events" in capsys.readouterr().out

    cef = tmp_path / "export.cef"
    until = (events[0].occurred_at - timedelta(days=1)).strftime("%Y-%m-%d")
    call_command("audit_export", "--format", "cef", "--until", until, "--out", str(cef))
    assert cef.read_text() == ""  # nothing before that day


def test_export_command_refuses_bad_ranges(tmp_path):
    with pytest.raises(CommandError, match="ISO date"):
        call_command("audit_export", "--since", "yesterday", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="before"):
        call_command(
            "audit_export", "--since", "2026-02-01", "--until", "2026-01-01", "--out", str(tmp_path / "x")
        )
    assert not AuditEvent.objects.filter(action="audit.exported").exists()
