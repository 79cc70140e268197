"""Playbooks: a firm's positions per clause type, applied to the classifier's spans. Plain Python, no Django.

    rules = Playbook.model_validate(data)            # the JSON a lawyer edits, validated
    drafts = apply_playbook(rules, text, spans)      # findings to save, each with its rule and offsets
"""

from worker.playbook.apply import FindingDraft, apply_playbook
from worker.playbook.rules import Check, Playbook, Rule, Severity

__all__ = ["Check", "FindingDraft", "Playbook", "Rule", "Severity", "apply_playbook"]
