"""Review one contract file in-process with exactly the worker's pipeline, and print the findings."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from licenses.clause_model import approved_clause_classifier
from licenses.gate import ModelNotApproved
from reviews.contracts.models import Playbook
from worker.extraction import ExtractionError, extract_text
from worker.pipeline import review_text
from worker.playbook import Playbook as PlaybookRules


class Command(BaseCommand):
    help = "Review one contract (PDF, DOCX or TXT) against a playbook and print the findings."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--playbook", default="Master services / SaaS", help="Playbook name (default: %(default)s).")
        parser.add_argument("--side", default="", help="The party we are, as the contract names it (甲, 乙, Customer).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args, file: Path, playbook: str, side: str, **options):
        try:
            document = extract_text(file.read_bytes(), max_bytes=settings.UPLOAD_MAX_BYTES, max_pages=settings.UPLOAD_MAX_PAGES)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        except ExtractionError as error:
            raise CommandError(error.message) from error
        stored = Playbook.objects.filter(name=playbook).first()
        if stored is None or stored.current is None:
            names = ", ".join(Playbook.objects.values_list("name", flat=True)) or "none: run seed_playbooks"
            raise CommandError(f"no playbook named {playbook!r} (playbooks: {names})")
        try:
            classifier = approved_clause_classifier(system="review_contract")
        except ModelNotApproved as refusal:
            raise CommandError(str(refusal)) from refusal
        outcome = review_text(document.text, PlaybookRules.model_validate(stored.current.rules), classifier=classifier,
                              side=side or None)  # fmt: skip
        findings = sorted(outcome.findings, key=lambda f: (f.severity.rank, f.start or -1))
        if options["json"]:
            rows = [{"rule_id": f.rule_id, "category": f.category, "kind": f.kind, "severity": f.severity,
                     "title": f.title, "start": f.start, "end": f.end, "score": f.score,
                     "quote": document.text[f.start : f.end] if f.start is not None else None, "parsed": f.parsed}
                    for f in findings]  # fmt: skip
            sys.stdout.write(_dumps({"file": file.name, "sha256": document.sha256, "playbook": playbook,
                                     "playbook_version": stored.current.number, "side": side,
                                     "findings": rows}) + "\n")  # fmt: skip
            return
        self.stdout.write(f"{file.name}  sha256 {document.sha256[:16]}…  playbook {stored.current}  {len(findings)} flags")
        for f in findings:
            where = f"[{f.start}:{f.end}]" if f.start is not None else "[missing]"
            self.stdout.write(f"  {f.severity.upper():<6} {f.title} {where}")
            if f.start is not None:
                self.stdout.write(f"         “{' '.join(document.text[f.start : f.end].split())[:160]}”")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
