"""What an English NDA is about, found by its section headings and set phrases (the classifier has no category for
it): the definition of Confidential Information and its exclusions, who it may be shared with, disclosure the law
compels, how long it lasts, its return, and what does not belong in an NDA (residuals, non-solicits)."""

import json
from pathlib import Path

import pytest

from reviews.contracts.playbooks import SHIPPED
from worker.articles import heading_spans
from worker.clauses import ClauseClassifier
from worker.pipeline import review_text
from worker.playbook import Playbook, apply_playbook
from worker.playbook.apply import FindingKind
from worker.playbook.rules import PRACTICE_CATEGORIES, Severity

BALANCED = (Path(__file__).parent / "data" / "nda_en_balanced.txt").read_text(encoding="utf-8")


def _nda() -> Playbook:
    return Playbook.model_validate(json.loads(next(p for p in SHIPPED if p.stem == "nda").read_text(encoding="utf-8")))


def _findings(text: str):
    return apply_playbook(_nda(), text, heading_spans(text))


def _section(number: int) -> str:
    """The balanced NDA's section, heading to the blank line that ends it."""
    start = BALANCED.index(f"\n{number}. ") + 1
    return BALANCED[start : BALANCED.index("\n\n", start)]


NEUTRAL = "1. Purpose. The parties wish to evaluate a possible partnership."
DEFINITION = _section(1)
MARKED_ONLY = '1. Definitions. "Confidential Information" means information the Disclosing Party marks "Confidential".'
EXCLUDED = {
    "public": "(a) is or becomes generally available to the public other than through a breach of this Agreement; ",
    "prior": "(b) was known to the Receiving Party without restriction before receipt from the Disclosing Party; ",
    "independent": "(c) is independently developed by the Receiving Party without use of it; ",
    "third-party": "(d) is rightfully received from a third party without a duty of confidentiality; ",
}
EXCLUSIONS = "2. Exclusions. Confidential Information does not include information that " + "".join(EXCLUDED.values())
PERMITTED = _section(4)
PERMITTED_UNBOUND = ("4. Disclosure. The Receiving Party may disclose Confidential Information to its employees, "
                     "consultants and advisers who need to know it for the Purpose.")  # fmt: skip
COMPELLED = _section(5)
COMPELLED_NO_NOTICE = ("5. Legal Requirements. If the Receiving Party is required by law or by order of a court to "
                       "disclose Confidential Information, it may disclose it.")  # fmt: skip
RETURN = _section(6)
RESIDUALS = ("9. Residuals. Nothing in this Agreement restricts the Receiving Party from using Residuals, meaning "
             "information retained in the unaided memory of its personnel who had access to it.")  # fmt: skip
SURVIVAL_3_YEARS = "8. Term. The obligations of confidentiality shall survive for three (3) years after termination."
SURVIVAL_7_YEARS = SURVIVAL_3_YEARS.replace("three (3)", "seven (7)")
NON_SOLICIT_2_YEARS = ("11. Employees. During the term and for two (2) years after, neither party shall solicit for "
                       "employment any employee of the other party.")  # fmt: skip
NON_SOLICIT_12_MONTHS = NON_SOLICIT_2_YEARS.replace("two (2) years", "twelve (12) months")
CUSTOMERS = "12. Customers. For one (1) year after the Effective Date, neither party shall solicit the other's clients."

# Each rule of the NDA playbook on what an NDA is about, on a clause that breaks it and one that meets it.
RULE_CASES = {
    "nda-definition": (NEUTRAL, DEFINITION),
    "nda-definition-unmarked": (MARKED_ONLY, DEFINITION),
    "nda-exclusions": (NEUTRAL, EXCLUSIONS),
    "nda-exclusion-public": (EXCLUSIONS.replace(EXCLUDED["public"], ""), EXCLUSIONS),
    "nda-exclusion-prior-knowledge": (EXCLUSIONS.replace(EXCLUDED["prior"], ""), EXCLUSIONS),
    "nda-exclusion-independent": (EXCLUSIONS.replace(EXCLUDED["independent"], ""), EXCLUSIONS),
    "nda-exclusion-third-party": (EXCLUSIONS.replace(EXCLUDED["third-party"], ""), EXCLUSIONS),
    "nda-permitted-disclosure": (NEUTRAL, PERMITTED),
    "nda-representatives-bound": (PERMITTED_UNBOUND, PERMITTED),
    "nda-compelled-disclosure": (NEUTRAL, COMPELLED),
    "nda-compelled-notice": (COMPELLED_NO_NOTICE, COMPELLED),
    "nda-return-destruction": (NEUTRAL, RETURN),
    "nda-no-residuals": (RESIDUALS, NEUTRAL),
    "nda-confidentiality-period": (SURVIVAL_7_YEARS, SURVIVAL_3_YEARS),
    "nda-non-solicit-present": (NON_SOLICIT_12_MONTHS, NEUTRAL),
    "nda-no-solicit-employees": (NON_SOLICIT_2_YEARS, NON_SOLICIT_12_MONTHS),
    "nda-no-customer-solicit": (CUSTOMERS, NEUTRAL),
}
NEW_RULES = {rule_id for rule_id in RULE_CASES if rule_id != "nda-no-solicit-employees"}


def test_every_rule_on_what_an_nda_is_about_has_its_cases():
    read_here = {rule.id for rule in _nda().rules
                 if rule.category in PRACTICE_CATEGORIES or rule.category.startswith("No-Solicit")}  # fmt: skip
    assert read_here == RULE_CASES.keys()


@pytest.mark.parametrize(
    ("rule_id", "breaks", "meets"), [(rule_id, *texts) for rule_id, texts in RULE_CASES.items()], ids=list(RULE_CASES)
)
def test_each_nda_rule_on_a_clause_that_breaks_it_and_one_that_meets_it(rule_id, breaks, meets):
    def flagged(text: str) -> bool:
        return any(f.rule_id == rule_id for f in _findings(text))

    assert flagged(breaks) and not flagged(meets)


def test_the_balanced_nda_has_each_new_category_where_it_is_written():
    found: dict[str, list[str]] = {}
    for span in heading_spans(BALANCED):  # a section by its heading, a sentence by its set phrase
        found.setdefault(span.category, []).append(BALANCED[span.start : span.end])
    heading = "1. Definition of Confidential Information. "
    assert found["Definition of Confidential Information"] == [DEFINITION, DEFINITION.removeprefix(heading)]
    assert found["Confidentiality Exclusions"][0] == _section(2)
    assert found["Permitted Disclosure"][0] == PERMITTED and found["Compelled Disclosure"][0] == COMPELLED
    assert any(clause.startswith("The obligations in Sections 3 to 6 shall survive") for clause in
               found["Confidentiality"])  # fmt: skip
    assert "Residuals" not in found and "No-Solicit of Employees" not in found


def test_a_balanced_nda_gets_no_high_or_medium_flag_from_the_new_rules():
    serious = [(f.rule_id, f.kind) for f in _findings(BALANCED)
               if f.rule_id in NEW_RULES and f.severity in (Severity.HIGH, Severity.MEDIUM)]  # fmt: skip
    assert serious == []


@pytest.mark.parametrize(
    ("change", "rule_id", "kind"),
    [
        ((RETURN, "6. Records. Each Party keeps its own records."), "nda-return-destruction", FindingKind.MISSING),
        ((RETURN, RETURN + "\n\n" + RESIDUALS), "nda-no-residuals", FindingKind.PRESENT),
        ((_section(2), "2. Scope. It covers all information exchanged."), "nda-exclusions", FindingKind.MISSING),
        ((COMPELLED, COMPELLED_NO_NOTICE), "nda-compelled-notice", FindingKind.UNFAVOURABLE),
    ],
    ids=["without-return", "with-residuals", "without-exclusions", "compelled-without-notice"],
)
def test_an_nda_missing_what_protects_us_is_flagged(change, rule_id, kind):
    findings = [f for f in _findings(BALANCED.replace(*change)) if f.rule_id == rule_id]
    assert [f.kind for f in findings] == [kind]


@pytest.fixture(scope="module")
def classifier() -> ClauseClassifier:
    return ClauseClassifier.train_or_load()


def test_a_balanced_nda_through_the_whole_classifier_gets_no_high_or_medium_flag_from_the_new_rules(classifier):
    outcome = review_text(BALANCED, _nda(), classifier=classifier)
    serious = [(f.rule_id, f.kind) for f in outcome.findings
               if f.rule_id in NEW_RULES and f.severity in (Severity.HIGH, Severity.MEDIUM)]  # fmt: skip
    assert serious == []
