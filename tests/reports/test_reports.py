"""Each report renders what it must, is recorded with its hash, and only for people who may see its subject."""

import hashlib
import io
import re
import time
import uuid
from collections import defaultdict

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from audit.reports.services import export_report
from licenses.models import License, Model, ModelVersion, Obligations, Status, StatusChange
from tests.factories import UserFactory
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _export(tmp_path, *args: str) -> tuple[bytes, AuditEvent]:
    out = tmp_path / "report.pdf"
    call_command("export_report", *args, "--out", str(out))
    return out.read_bytes(), AuditEvent.objects.filter(action="report.exported").order_by("-seq").first()


def _register_classifier(steward=None) -> ModelVersion:
    license = License.objects.create(name="CC BY 4.0 (reports test)", spdx_id="CC-BY-4.0")
    Obligations.objects.create(
        license=license, commercial_use=True, attribution_text="Cite CUAD (Hendrycks et al.)"
    )
    model = Model.objects.create(name="cuad-clauses", provider="Workbench", task="clause_classification")
    version = ModelVersion.objects.create(model=model, version="2026.1", license=license, weights_sha256="c" * 64,
                                          status=Status.APPROVED, approved_uses=["contract_review"])  # fmt: skip
    StatusChange.objects.create(model_version=version, from_status=Status.PENDING, to_status=Status.APPROVED,
                                reason="Evaluated on the CUAD split", actor=steward, system="" if steward else "tests")  # fmt: skip
    return version


def test_review_report_holds_identity_models_findings_triage_and_events(tmp_path, review):
    _register_classifier()
    data, event = _export(tmp_path, "review", str(review.pk))
    text = pdf_text(data)
    for expected in [
        "Contract review report", "nda-ja.txt", review.document.sha256, review.matter.reference, "Project Sakura 桜",
        "NDA playbook (reports)", review.playbook_version.sha256, "cuad-clauses 2026.1", "approved",
        "Confidentiality scope", "秘密保持", "開示先の範囲が広すぎる", "Liability cap", "Acceptable for this client",
        "review.submitted", "finding.severity_changed", "Approval trail", "Not submitted for approval", "Contents",
    ]:  # fmt: skip
        assert expected in text.replace("\n", " "), expected
    assert text.index("Confidentiality scope") < text.index("Liability cap")  # high before low
    assert event.payload["sha256"] == hashlib.sha256(data).hexdigest()
    assert event.payload["kind"] == "review" and event.payload["which"] == str(review.pk)
    assert event.payload["bytes"] == len(data)
    assert event.payload["pages"] == len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 2
    assert event.payload["report_id"] in text and "not signed" in text.lower()


def test_latin_text_is_set_in_a_latin_font_and_japanese_in_the_cjk_font(tmp_path, review):
    """Latin text through the CJK font made every glyph come from a 65,000-glyph font: slow to lay out and to
    subset (issue 9). The CJK font is the fallback for the characters only it has."""
    data, _ = _export(tmp_path, "review", str(review.pk))
    text_by_font: dict[str, str] = defaultdict(str)

    def collect(text, matrix, text_matrix, font, size) -> None:
        if font:
            text_by_font[str(font["/BaseFont"])] += text

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=collect)
    cjk = "".join(text for name, text in text_by_font.items() if "CJK-JP" in name)
    latin = "".join(text for name, text in text_by_font.items() if "CJK" not in name)
    assert "秘密保持" in cjk and "桜" in cjk
    assert "Contract review report" in latin and "Liability cap" in latin
    assert not re.search("[A-Za-z0-9]", cjk), cjk


def test_hostile_markup_in_user_text_is_printed_not_fetched(tmp_path, review, trap):
    port, connections = trap
    hostile = (
        f'<img src="http://127.0.0.1:{port}/x"><link rel=stylesheet href="http://127.0.0.1:{port}/c.css">'
    )
    review.confidential.explanation = hostile
    review.confidential.save()
    review.document.name = f'<img src="file:///etc/passwd">{port}.txt'
    review.document.save()
    text = pdf_text(_export(tmp_path, "review", str(review.pk))[0])
    assert connections == []
    assert f'<img src="http://127.0.0.1:{port}/x">' in text.replace("\n", "")
    assert "root:" not in text


def test_user_without_access_to_the_matter_cannot_export(tmp_path, review):
    outsider = UserFactory(role=Role.LAWYER)
    with pytest.raises(CommandError, match="may not export"):
        call_command("export_report", "review", str(review.pk), "--out", str(tmp_path / "x.pdf"),
                     "--user", outsider.username)  # fmt: skip
    assert not (tmp_path / "x.pdf").exists()
    assert not AuditEvent.objects.filter(action="report.exported").exists()


def test_audit_log_report_shows_events_and_the_verification(tmp_path, review):
    data, event = _export(tmp_path, "audit-log", "all")
    text = pdf_text(data).replace("\n", " ")
    assert "Audit log report" in text and "Intact" in text and "review.submitted" in text
    assert event.payload["kind"] == "audit-log"
    # The period form: nothing happened in 2020.
    assert "No audit events." in pdf_text(_export(tmp_path, "audit-log", "2020-01-01..2020-02-01")[0])


@pytest.mark.parametrize("which", ["2026-02-01..2026-01-01", "2026-13-01..2026-14-01", "last-week"])
def test_audit_log_period_must_make_sense(tmp_path, which):
    with pytest.raises(CommandError, match="FIRST..END"):
        _export(tmp_path, "audit-log", which)


def test_audit_log_report_is_for_compliance_officers(review, lawyer):
    with pytest.raises(CommandError, match="may not export"):
        call_command(
            "export_report", "audit-log", "all", "--out", "/tmp/never.pdf", "--user", lawyer.username
        )
    officer = UserFactory(role=Role.COMPLIANCE_OFFICER)
    export_report(kind="audit-log", which="all", user=officer)


def test_license_register_report_lists_versions_licenses_obligations_and_trail(tmp_path):
    steward = UserFactory(role=Role.MODEL_STEWARD)
    approved = _register_classifier(steward)
    pending = ModelVersion.objects.create(model=approved.model, version="2026.2-rc", license=approved.license)
    report = export_report(kind="license-register", which="all", user=steward)
    text = pdf_text(report.path.read_bytes()).replace("\n", " ")
    for expected in ["cuad-clauses 2026.1", "2026.2-rc", "CC BY 4.0 (reports test)", "Cite CUAD", "Evaluated on the CUAD split",
                     steward.username]:  # fmt: skip
        assert expected in text, expected
    assert "c" * 64 in text.replace(" ", "")  # the weights hash, wrapped in its narrow column
    # Anyone else gets the versions that may run, as on the approved list.
    other = pdf_text(
        export_report(kind="license-register", which="all", user=UserFactory()).path.read_bytes()
    )
    assert "2026.1" in other and pending.version not in other


@pytest.mark.parametrize("kind", ["counterparty", "access-review"])
def test_kinds_need_a_numeric_id(tmp_path, kind):
    with pytest.raises(CommandError, match="id \\(a number\\)"):
        _export(tmp_path, kind, "latest")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_request_progress_and_download_through_the_task(client, review, lawyer, celery_worker_process):
    client.force_login(lawyer)
    response = client.post(reverse("reports:request"), {"kind": "review", "which": str(review.pk)})
    assert response.status_code == 302
    deadline = time.monotonic() + 120
    while "Ready" not in (page := client.get(response["Location"]).content.decode()) and time.monotonic() < deadline:
        time.sleep(0.5)  # a real worker renders the PDF meanwhile
    assert "Ready" in page, page[page.find("<main"):page.find("</main>")]
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="report-progress"' in partial and "<html" not in partial  # what the page polls
    event = AuditEvent.objects.get(action="report.exported")
    download = reverse("reports:download", args=[event.object_id])
    assert download in page
    file = client.get(download)
    assert file["Content-Disposition"].startswith("attachment;")
    data = b"".join(file.streaming_content)
    assert hashlib.sha256(data).hexdigest() == event.payload["sha256"]
    assert AuditEvent.objects.filter(action="report.downloaded", object_id=event.object_id).count() == 1

    outsider = UserFactory(role=Role.LAWYER)
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    assert client.get(response["Location"]).status_code == 404
    assert (
        client.post(reverse("reports:request"), {"kind": "review", "which": str(review.pk)}).status_code
        == 404
    )
    assert (
        client.post(reverse("reports:request"), {"kind": "audit-log", "which": "all"}).status_code
        == 403
    )


def test_request_form_explains_a_refusal(client, lawyer):
    client.force_login(lawyer)
    page = client.post(
        reverse("reports:request"), {"kind": "counterparty", "which": "latest"}
    ).content.decode()
    assert "A counterparty review report needs the review&#x27;s id (a number)." in page


def test_static_resolver_serves_app_static_files_and_nothing_outside():
    from audit.reports.services import _static_file

    assert _static_file("workbench/app.css").name == "app.css"
    assert _static_file("../../../../etc/passwd") is None
    assert _static_file("/etc/passwd") is None


def test_progress_of_an_unknown_task_is_not_found(client, lawyer):
    client.force_login(lawyer)
    assert client.get(reverse("reports:progress", args=[str(uuid.uuid4())])).status_code == 404
