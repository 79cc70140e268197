"""The value a rule reads is the one the rule is about: the notice period and not the term that renews, the days to
pay and not the days to invoice, in English and Japanese."""

from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from worker.playbook import Playbook, apply_playbook
from worker.playbook.apply import FindingKind
from worker.playbook.values import Quantity, durations, liability_cap

NOTICE = (
    "This Agreement shall automatically renew for successive one (1) year terms unless either party gives written "
    "notice of non-renewal at least ninety (90) days before the end of the then-current term."
)


@dataclass(frozen=True)
class Span:
    category: str
    start: int
    end: int
    score: float = 0.9


def _playbook(**rule) -> Playbook:
    return Playbook.model_validate({"name": "Test", "contract_type": "Test", "rules": [
        {"id": "r1", "title": "A period", "severity": "medium", "explanation": "why", **rule}]})  # fmt: skip


def _findings(playbook: Playbook, text: str, category: str, *clauses: str):
    spans = [Span(category, text.index(clause), text.index(clause) + len(clause)) for clause in clauses or (text,)]
    return apply_playbook(playbook, text, spans)


def test_the_notice_period_is_read_and_not_the_renewal_term():
    assert [d.days for d in durations(NOTICE)] == [365, 90]
    assert [d.days for d in durations(NOTICE, Quantity.RENEWAL_NOTICE)] == [90]


@pytest.mark.parametrize(("maximum", "flagged"), [(60, True), (120, False)])
def test_a_notice_rule_compares_the_notice_period(maximum, flagged):
    rule = {"category": "Notice Period to Terminate Renewal", "check": "max_duration", "days": maximum,
            "reads": "renewal_notice"}  # fmt: skip
    findings = _findings(_playbook(**rule), NOTICE, "Notice Period to Terminate Renewal")
    assert bool(findings) is flagged
    if flagged:
        assert findings[0].kind is FindingKind.UNFAVOURABLE
        assert findings[0].parsed == {"days": 90, "limit_days": maximum}


def test_a_rule_naming_no_period_reads_every_period_as_before():
    rule = {"category": "Notice Period to Terminate Renewal", "check": "max_duration", "days": 120}
    [finding] = _findings(_playbook(**rule), NOTICE, "Notice Period to Terminate Renewal")
    assert finding.parsed == {"days": 365, "limit_days": 120}


# Each quantity on a sentence that also names another period of the same unit, which must not be read.
@pytest.mark.parametrize(
    ("quantity", "text", "days"),
    [
        (Quantity.RENEWAL_NOTICE, "The initial term is twelve (12) months and renews for successive twelve (12) "
         "month terms unless either party gives notice at least three (3) months before the end of the term.", [90]),
        (Quantity.RENEWAL_NOTICE, "本契約の有効期間は12か月間とし、期間満了の3か月前までにいずれの当事者からも書面による申出がないときは、"
         "同一条件でさらに12か月間更新される。", [90]),
        (Quantity.PAYMENT_TERM, "Supplier shall invoice within ten (10) days after the end of each month, and Customer "
         "shall pay each undisputed invoice within forty-five (45) days of receipt.", [45]),
        (Quantity.PAYMENT_TERM, "All invoices are due thirty (30) days from the invoice date, and amounts unpaid "
         "fifteen (15) days after that date bear interest.", [30]),
        (Quantity.PAYMENT_TERM, "乙は、納品後10日以内に請求書を発行し、甲は、請求書受領後30日以内に乙の指定する銀行口座に振り込む方法により支払う。", [30]),
        (Quantity.CURE_PERIOD, "Either party may terminate this Agreement on ninety (90) days' notice, or if the other "
         "party fails to cure a material breach within thirty (30) days after notice to cure.", [30]),
        (Quantity.CURE_PERIOD, "a franchisee be given 90 days' notice of termination (with 60 days to cure)", [60]),
        (Quantity.CURE_PERIOD, "甲は、30日前までに書面で通知することにより本契約を解約できるほか、乙が本契約に違反し、是正を求める通知後14日以内に"
         "是正されない場合、直ちに本契約を解除できる。", [14]),
        (Quantity.SURVIVAL_PERIOD, "This Agreement has a term of one (1) year from the Effective Date, and the "
         "obligations in Section 2 shall survive for three (3) years after its termination or expiration.", [1095]),
        (Quantity.SURVIVAL_PERIOD, "Recipient's obligations continue for a period of five (5) years from the date of "
         "disclosure, and this Agreement itself ends two (2) years after the Effective Date.", [1825]),
        (Quantity.SURVIVAL_PERIOD, "本契約の有効期間は1年間とし、第2条の規定は、本契約終了後も3年間存続する。", [1095]),
    ],
)  # fmt: skip
def test_each_period_is_read_by_its_own_words(quantity, text, days):
    assert [d.days for d in durations(text, quantity)] == days
    assert len(durations(text)) > len(days)  # another period of the same unit is there, and not read


@pytest.mark.parametrize(
    ("text", "months", "times_fees"),
    [
        ("Liability shall not exceed an amount equal to twelve (12) months of fees, and no claim may be brought more "
         "than six (6) months after it arose.", 12, None),
        ("Liability shall not exceed the fees paid in the twelve (12) months preceding the claim, and no claim may be "
         "brought more than two (2) years after the cause of action arose.", 12, None),
        ("Liability shall not exceed two times the fees paid in the six (6) months preceding the claim.", 12, None),
        ("Liability shall not exceed twice the annual fees.", 24, None),
        ("Liability shall not exceed two times the fees paid under this Agreement.", None, 2.0),
        ("乙の損害賠償責任は、直近12か月間に支払われた委託料の総額を上限とし、損害賠償の請求は損害の発生を知った日から6か月以内に行う。", 12, None),
        ("乙の損害賠償責任は、委託料の３か月分を上限とする。ただし、請求は6か月以内に行う。", 3, None),
        ("乙の損害賠償責任は、本契約に基づき支払われた委託料総額の２倍を上限とする。", None, 2.0),
    ],
)  # fmt: skip
def test_the_liability_cap_is_read_in_months_or_multiples_of_fees(text, months, times_fees):
    cap = liability_cap(text)
    assert (cap.months, cap.times_fees) == (months, times_fees)


def test_a_cap_in_fees_over_no_period_is_left_to_the_lawyer_with_what_was_read():
    text = "Liability shall not exceed two times the fees paid under this Agreement."
    playbook = _playbook(category="Cap on Liability", check="min_cap_months", months=12)
    [finding] = _findings(playbook, text, "Cap on Liability")
    assert finding.kind is FindingKind.UNREADABLE and finding.parsed == {"times_fees": 2.0}


def test_a_named_period_is_read_in_any_span_of_the_clause_and_unreadable_once_when_none_states_it():
    rule = {"category": "Confidentiality", "check": "max_duration", "days": 1825, "reads": "survival_period"}
    article = "2. Confidentiality. Recipient shall keep the information secret for the Purpose, reviewed every 90 days."
    survival = "The obligations in Section 2 shall survive for seven (7) years after termination."
    text = f"{article}\n\n{survival}"
    [finding] = _findings(_playbook(**rule), text, "Confidentiality", article, survival)
    assert finding.kind is FindingKind.UNFAVOURABLE and text[finding.start : finding.end] == survival
    [unreadable] = _findings(_playbook(**rule), article, "Confidentiality")
    assert unreadable.kind is FindingKind.UNREADABLE


def test_only_a_period_check_reads_a_named_period():
    with pytest.raises(ValidationError, match="'reads' names a period"):
        _playbook(category="Governing Law", check="required", reads="payment_term")
    with pytest.raises(ValidationError):
        _playbook(category="Expiration Date", check="max_duration", days=30, reads="shelf_life")
