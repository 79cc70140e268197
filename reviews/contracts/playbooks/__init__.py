"""The playbooks the workbench ships (NDA, Master services / SaaS, Distribution / reseller), as JSON data."""

import json
from pathlib import Path

SHIPPED = sorted(Path(__file__).parent.glob("*.json"))


def load_shipped_playbooks(*, actor=None) -> list:
    """Save each shipped playbook as a version; unchanged ones stay as they are. Returns the versions."""
    from reviews.contracts.services import save_playbook_version

    return [
        save_playbook_version(actor=actor, rules=json.loads(path.read_text(encoding="utf-8")), note="shipped")
        for path in SHIPPED
    ]
