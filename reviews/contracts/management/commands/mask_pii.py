from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from worker.pii import Masker
from worker.pii.jsonl import mask_records, parse_lines


class Command(BaseCommand):
    help = (
        'Mask personal data in a JSON Lines file of {"id", "text"} records exactly as the review pipeline '
        'does (the whole file is one document); writes {"id", "masked", "entities"} records.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="source", type=Path, required=True, help="input .jsonl")
        parser.add_argument("--out", dest="target", type=Path, required=True, help="output .jsonl")

    def handle(self, *args, source, target, **options):
        try:
            with source.open(encoding="utf-8") as lines:
                records = parse_lines(lines)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"{source}: {error}") from None
        # Written beside the target and renamed, so a failure leaves no half-written output.
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as out:
                for line in mask_records(records, Masker()):
                    out.write(line + "\n")
            partial.replace(target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{target}: {error}") from None
        self.stdout.write(f"masked {len(records)} records into {target}")
