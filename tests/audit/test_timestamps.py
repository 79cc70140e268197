"""Optional RFC 3161 anchoring of the checkpoints (issue #25): a real time-stamping authority on loopback."""

import json

import pytest

from audit import tasks
from audit.timestamps import read_stamps
from audit.verification import verify_chain
from tests.audit.test_ledger import _events
from tests.support.timestamp_authority import TimestampAuthority

pytestmark = pytest.mark.django_db


@pytest.fixture
def tsa(settings, tmp_path):
    with TimestampAuthority(tmp_path) as authority:
        settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
        settings.AUDIT_TIMESTAMP_FILE = tmp_path / "timestamps.jsonl"
        settings.AUDIT_TSA_URL, settings.AUDIT_TSA_CA_FILE = authority.url, str(authority.ca_file)
        yield authority


def test_each_checkpoint_is_timestamped_and_verification_checks_the_token(tsa):
    _events(2)
    first = tasks.write_checkpoint()
    _events(1)
    second = tasks.write_checkpoint()

    stamps = read_stamps()
    assert tsa.requests == 2 and [stamp.number for stamp in stamps] == [first["number"], second["number"]]
    result = verify_chain()
    assert result.intact, result.reason
    assert f"checkpoint {second['number']} timestamped by {tsa.url} at " in result.summary()


def test_a_token_moved_to_another_checkpoint_fails(tsa, settings):
    _events(2)
    tasks.write_checkpoint()
    _events(1)
    tasks.write_checkpoint()
    lines = settings.AUDIT_TIMESTAMP_FILE.read_text().splitlines()
    first, second = (json.loads(line) for line in lines)
    # The first checkpoint's token presented as the proof of the second.
    forged = {**first, "number": second["number"], "digest": second["digest"]}
    settings.AUDIT_TIMESTAMP_FILE.write_text(json.dumps(first) + "\n" + json.dumps(forged) + "\n")

    result = verify_chain()
    assert not result.intact and "does not match its checkpoint" in result.reason, result.reason


def test_a_token_from_a_tsa_nobody_trusts_fails(tsa, settings, tmp_path):
    with TimestampAuthority(tmp_path, name="Rogue TSA") as rogue:
        settings.AUDIT_TSA_URL = rogue.url
        _events(2)
        tasks.write_checkpoint()
    result = verify_chain()
    assert not result.intact and "does not chain to AUDIT_TSA_CA_FILE" in result.reason, result.reason


def test_a_tsa_that_does_not_answer_costs_the_token_not_the_checkpoint(tsa):
    tsa.answering = False
    _events(2)
    checkpoint = tasks.write_checkpoint()
    assert checkpoint["number"] == 1 and read_stamps() == []
    result = verify_chain()
    assert result.intact and "timestamped" not in result.summary()


def test_tokens_without_the_tsa_roots_cannot_be_checked(tsa, settings):
    _events(2)
    tasks.write_checkpoint()
    settings.AUDIT_TSA_CA_FILE = ""
    result = verify_chain()
    assert not result.intact and "AUDIT_TSA_CA_FILE" in result.reason
