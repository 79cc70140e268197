"""Report fixtures: a finished contract review built directly in the database, and a loopback trap server."""

import hashlib
import io
import socket
import threading

import pypdf
import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.services import record_event
from reviews.contracts.models import ContractReview, Finding, Playbook, PlaybookVersion, TriageAction
from reviews.matters.models import Document
from tests.factories import MatterFactory, UserFactory, grant

CONTRACT = "第1条 秘密保持。受領者は秘密情報を第三者に開示してはならない。\nThe Supplier's liability shall not exceed the fees paid."


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def trap():
    """A TCP server on loopback that counts connections: a report that fetches anything shows up here."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    connections: list[tuple] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = server.accept()
            except OSError:
                continue
            connections.append(peer)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def lawyer():
    return UserFactory(role=Role.LAWYER, language="")


@pytest.fixture
def review(lawyer):
    """A finished review of a Japanese and English contract, with two findings, triage and audit events."""
    matter = MatterFactory(title="Project Sakura 桜")
    grant(lawyer, matter)
    document = Document.objects.create(
        matter=matter, name="nda-ja.txt", file="documents/xx/nda", sha256=hashlib.sha256(CONTRACT.encode()).hexdigest(),
        size=len(CONTRACT.encode()), kind="txt", mime_type="text/plain", text=CONTRACT, uploaded_by=lawyer,
    )  # fmt: skip
    playbook = Playbook.objects.create(name="NDA playbook (reports)", contract_type="NDA")
    version = PlaybookVersion.objects.create(
        playbook=playbook, number=3, rules={"rules": []}, sha256="b" * 64
    )
    review = ContractReview.objects.create(
        matter=matter, document=document, playbook_version=version, state=ContractReview.State.DONE,
        requested_by=lawyer, started_at=timezone.now(), finished_at=timezone.now(),
        classifier={"name": "cuad-clauses", "version": "2026.1", "sha256": "c" * 64},
    )  # fmt: skip
    quote_end = CONTRACT.index("\n")
    confidential = Finding.objects.create(
        review=review, fingerprint="f1", category="Confidentiality", kind="unfavourable", title="Confidentiality scope",
        detected_severity="high", severity="high", start=0, end=quote_end, score=0.9,
        explanation="開示先の範囲が広すぎる。", fallback="Limit disclosure to need-to-know staff.",
    )  # fmt: skip
    cap = Finding.objects.create(
        review=review, fingerprint="f2", category="Cap On Liability", kind="present", title="Liability cap",
        detected_severity="medium", severity="low", start=quote_end + 1, end=len(CONTRACT), score=0.8,
        explanation="Cap equals the fees paid.",
    )  # fmt: skip
    TriageAction.objects.create(finding=cap, action="change_severity", actor=lawyer, reason="Acceptable for this client",
                                from_severity="medium", to_severity="low")  # fmt: skip
    record_event(action="review.submitted", actor=lawyer, target=review, payload={"playbook_version": 3})
    record_event(
        action="finding.severity_changed", actor=lawyer, target=cap, payload={"action": "change_severity"}
    )
    review.confidential = confidential
    return review
