"""Japanese contracts: articles read by their headings and set phrases, values read in Japanese, and the
Japanese playbooks applied as a Japanese in-house lawyer would."""

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from reviews.contracts.playbooks import SHIPPED
from worker.articles import article_spans
from worker.clauses import ClauseClassifier
from worker.pipeline import review_text
from worker.playbook import Playbook, apply_playbook
from worker.playbook.apply import FindingKind
from worker.playbook.rules import Severity
from worker.playbook.values import durations, jurisdictions, liability_cap

DATA = Path(__file__).parent / "data"
BALANCED = (DATA / "nda_ja_balanced.txt").read_text(encoding="utf-8")
ONE_SIDED = (DATA / "nda_ja_one_sided.txt").read_text(encoding="utf-8")


def _playbook(name: str) -> Playbook:
    for path in SHIPPED:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["name"] == name:
            return Playbook.model_validate(data)
    raise AssertionError(f"no shipped playbook {name!r}")


def _categories(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for span in article_spans(text):
        found.setdefault(span.category, []).append(text[span.start:span.end])
    return found


def test_articles_are_read_by_their_headings_with_exact_offsets():
    found = _categories(BALANCED)
    assert found["Governing Law"] == found["Jurisdiction"]
    assert found["Governing Law"][0].startswith("第8条（準拠法及び管轄）")
    assert found["Governing Law"][0].endswith("専属的合意管轄裁判所とする。")  # the closing words are not in it
    assert found["Expiration Date"][0].startswith("第7条（有効期間）")
    for category in ("Confidentiality", "Return or Destruction", "Anti-Social Forces", "Damages"):
        assert category in found
    assert "Uncapped Liability" not in found and "Renewal Term" not in found


def test_set_phrases_find_unlimited_damages_and_automatic_renewal_in_their_sentence():
    found = _categories(ONE_SIDED)
    assert found["Uncapped Liability"] == ["乙は、本契約に違反した場合、甲に生じた一切の損害を無制限に賠償する。"]
    assert any("自動的に更新" in sentence for sentence in found["Renewal Term"])
    assert any("１か月前" in sentence for sentence in found["Notice Period to Terminate Renewal"])


@pytest.mark.parametrize(
    ("text", "days"),
    [("１年間とする", [365]), ("九十日前までに", [90]), ("3ヶ月", [90]), ("十二か月間", [360]), ("30営業日", [30]),
     ("百二十日", [120])],
)  # fmt: skip
def test_japanese_periods(text, days):
    assert [d.days for d in durations(text)] == days


def test_japanese_law_courts_and_caps():
    assert jurisdictions("本契約は日本法に準拠し、東京地方裁判所を専属的合意管轄裁判所とする。") == ["Japan"]
    assert jurisdictions("本契約はニューヨーク州法に準拠し、シンガポールの裁判所を管轄とする。") == ["New York", "Singapore"]
    assert liability_cap("直近12か月間に甲が乙に支払った委託料の総額を上限とする。").months == 12
    assert liability_cap("過去三か月間に支払われた委託料を上限とする。").months == 3


def test_the_one_sided_nda_is_flagged_and_its_law_and_term_are_found():
    findings = apply_playbook(_playbook("NDA (ja)"), ONE_SIDED, article_spans(ONE_SIDED))
    by_rule = {f.rule_id: f for f in findings}
    assert by_rule["ja-nda-no-unlimited-damages"].severity is Severity.HIGH
    assert by_rule["ja-nda-no-auto-renewal"].kind is FindingKind.PRESENT
    # Governing law, court and term are stated in 第4条 and 第5条: nothing says they are missing.
    for rule in ("ja-nda-governing-law", "ja-nda-governing-law-present", "ja-nda-jurisdiction", "ja-nda-term"):
        assert rule not in by_rule
    assert by_rule["ja-nda-anti-social-forces"].kind is FindingKind.MISSING
    assert by_rule["ja-nda-return-destruction"].kind is FindingKind.MISSING


def test_foreign_law_breaks_the_japanese_law_rule():
    text = ONE_SIDED.replace("本契約は日本法に準拠し", "本契約はニューヨーク州法に準拠し")
    findings = apply_playbook(_playbook("NDA (ja)"), text, article_spans(text))
    law = [f for f in findings if f.rule_id == "ja-nda-governing-law"]
    assert law and law[0].parsed == {"jurisdictions": ["New York"]}


@pytest.mark.parametrize(
    ("clause", "broken"),
    [("第9条（再委託）\n乙は、本業務の全部又は一部を第三者に再委託することができる。", True),
     ("第9条（再委託）\n乙は、甲の事前の書面による承諾を得た場合に限り、本業務の一部を再委託することができる。", False)],
)  # fmt: skip
def test_subcontracting_needs_our_prior_written_consent(clause, broken):
    findings = apply_playbook(_playbook("Services agreement (ja)"), clause, article_spans(clause))
    assert any(f.rule_id == "ja-svc-subcontracting-consent" for f in findings) is broken


@pytest.mark.parametrize(
    ("clause", "broken"),
    [("第10条（成果物の権利帰属）\n成果物に関する著作権その他一切の知的財産権は、乙に帰属する。", True),
     ("第10条（成果物の権利帰属）\n成果物に関する著作権（著作権法第27条及び第28条の権利を含む。）は、引渡し時に乙から甲に移転し、甲に帰属する。",
      False)],
)  # fmt: skip
def test_deliverables_ip_must_be_ours(clause, broken):
    findings = apply_playbook(_playbook("Services agreement (ja)"), clause, article_spans(clause))
    assert any(f.rule_id == "ja-svc-ip-ours" for f in findings) is broken


@pytest.mark.parametrize(("side", "flagged"), [("甲", False), (None, False), ("乙", True)])
def test_deliverables_ip_is_read_from_our_side(side, flagged):
    """「甲に帰属」 meets the rule for 甲 (and for a review that names no side: the playbook is written from 甲's),
    and breaks it for 乙."""
    findings = apply_playbook(_playbook("Services agreement (ja)"), IP_OURS, article_spans(IP_OURS), side=side)
    assert any(f.rule_id == "ja-svc-ip-ours" for f in findings) is flagged


def test_a_phrase_naming_our_side_needs_the_side_the_playbook_is_written_from():
    rules = _playbook("Services agreement (ja)").model_dump(exclude={"assumed_side"})
    with pytest.raises(ValidationError, match="assumed_side"):
        Playbook.model_validate(rules)


@pytest.fixture(scope="module")
def classifier() -> ClauseClassifier:
    return ClauseClassifier.train_or_load()


def test_a_balanced_japanese_nda_gets_no_high_or_medium_flag(classifier):
    outcome = review_text(BALANCED, _playbook("NDA (ja)"), classifier=classifier)
    serious = [(f.rule_id, f.kind) for f in outcome.findings if f.severity in (Severity.HIGH, Severity.MEDIUM)]
    assert serious == []


def test_the_one_sided_nda_through_the_whole_classifier(classifier):
    outcome = review_text(ONE_SIDED, _playbook("NDA (ja)"), classifier=classifier)
    rules = {f.rule_id for f in outcome.findings}
    assert {"ja-nda-no-unlimited-damages", "ja-nda-no-auto-renewal"} <= rules
    assert not rules & {"ja-nda-governing-law-present", "ja-nda-term"}


CONVENIENCE = "第9条（中途解約）\n乙は、いつでも、甲に通知することにより本契約を解除することができる。"


@pytest.mark.parametrize(("side", "flagged"), [("甲", True), ("乙", False), (None, True)])
def test_our_side_decides_whether_their_termination_right_is_a_risk(side, flagged):
    findings = apply_playbook(_playbook("Services agreement (ja)"), CONVENIENCE, article_spans(CONVENIENCE), side=side)
    assert any(f.rule_id == "ja-svc-convenience-termination" for f in findings) is flagged


def test_a_termination_right_of_both_parties_is_no_risk_for_either():
    text = "第9条（中途解約）\n甲及び乙は、いつでも、相手方に通知することにより本契約を解除することができる。"
    for side in ("甲", "乙"):
        findings = apply_playbook(_playbook("Services agreement (ja)"), text, article_spans(text), side=side)
        assert not any(f.rule_id == "ja-svc-convenience-termination" for f in findings)


NEUTRAL = "第1条（目的）\n本契約は、甲乙間の取引の条件を定める。"
LAW_JAPAN = "第8条（準拠法）\n本契約は、日本法に準拠し、日本法に従って解釈される。"
LAW_NEW_YORK = "第8条（準拠法）\n本契約は、ニューヨーク州法に準拠する。"
COURT_TOKYO = "第9条（合意管轄）\n本契約に関する一切の紛争は、東京地方裁判所を第一審の専属的合意管轄裁判所とする。"
COURT_SINGAPORE = "第9条（合意管轄）\n本契約に関する一切の紛争は、シンガポールの裁判所を専属的合意管轄裁判所とする。"
UNLIMITED = "第5条（損害賠償）\n乙は、本契約に違反した場合、甲に生じた一切の損害を無制限に賠償する。"
DIRECT_ONLY = "第5条（損害賠償）\n甲及び乙は、相手方に現実に生じた通常かつ直接の損害に限り賠償する。"
AUTO_RENEWAL = "第7条（有効期間）\n本契約の有効期間は1年間とし、期間満了後は同一条件で自動的に更新される。"
FIXED_TERM = "第7条（有効期間）\n本契約の有効期間は、本契約締結日から1年間とする。"
ANTI_SOCIAL = "第6条（反社会的勢力の排除）\n甲及び乙は、自らが反社会的勢力に該当しないことを表明し、保証する。"
RETURN = "第4条（秘密情報の返還及び破棄）\n受領者は、開示者の要請があったときは、秘密情報を速やかに返還又は破棄しなければならない。"
NON_COMPETE = "第10条（競業避止）\n乙は、本契約期間中、甲と競合する事業を行ってはならない。"
IP_TO_THEM = "第11条（知的財産権）\n本目的の検討の過程で生じた知的財産権は、すべて甲に帰属する。"
SUBCONTRACT_FREE = "第9条（再委託）\n乙は、本業務の全部又は一部を第三者に再委託することができる。"
SUBCONTRACT_CONSENT = "第9条（再委託）\n乙は、甲の事前の書面による承諾を得た場合に限り、本業務の一部を再委託することができる。"
IP_THEIRS = "第10条（成果物の権利帰属）\n成果物に関する著作権その他一切の知的財産権は、乙に帰属する。"
IP_OURS = "第10条（成果物の権利帰属）\n成果物に関する著作権その他一切の知的財産権は、引渡し時に乙から甲に移転し、甲に帰属する。"
CAP_3_MONTHS = "第12条（損害賠償）\n乙の損害賠償責任は、直近3か月間に甲が乙に支払った委託料の総額を上限とする。"
CAP_12_MONTHS = "第12条（損害賠償）\n乙の損害賠償責任は、直近12か月間に甲が乙に支払った委託料の総額を上限とする。"
CONFIDENTIAL = "第13条（秘密保持）\n乙は、本業務に関して知り得た甲の秘密情報を第三者に開示してはならない。"
COURT_NON_EXCLUSIVE = "第9条（合意管轄）\n本契約に関する一切の紛争は、東京地方裁判所を第一審の合意管轄裁判所とする。"
LONG_NOTICE = "第7条（有効期間）\n本契約の有効期間は1年間とし、期間満了の6か月前までに申出がないときは自動的に更新される。"
SHORT_NOTICE = "第7条（有効期間）\n本契約の有効期間は1年間とし、期間満了の1か月前までに申出がないときは自動的に更新される。"
NO_SURVIVAL = "第2条（秘密保持）\n受領者は、秘密情報を第三者に開示してはならない。"
SURVIVAL = NO_SURVIVAL + "\n\n第8条（存続条項）\n第2条の規定は、本契約終了後も3年間存続する。"
MUTUAL_TERMINATION = "第9条（中途解約）\n甲及び乙は、いつでも、相手方に通知することにより本契約を解除することができる。"
EXCLUDED = {
    "public": "（１）開示を受けた時点で既に公知であった情報\n（２）開示を受けた後、受領者の責めに帰すべき事由によらず公知となった情報\n",
    "possessed": "（３）開示を受けた時点で既に受領者が保有していた情報\n",
    "third-party": "（４）正当な権限を有する第三者から秘密保持義務を負うことなく適法に取得した情報\n",
    "independent": "（５）秘密情報によることなく受領者が独自に開発した情報\n",
}
EXCLUSIONS = "第1条（秘密情報）\n次の各号のいずれかに該当する情報は、秘密情報に含まれないものとする。\n" + "".join(EXCLUDED.values())
REPRESENTATIVES = "第2条（秘密保持）\n受領者は、本目的のために必要な範囲で、自己の役員、従業員及び法令上守秘義務を負う弁護士に限り、秘密情報を開示することができる。"
REPRESENTATIVES_UNBOUND = "第2条（秘密保持）\n受領者は、自己の役員、従業員、取引先及びコンサルタントに秘密情報を開示することができる。"
COMPELLED = "第3条（秘密保持）\n受領者は、法令又は裁判所の命令により秘密情報の開示を求められた場合、事前に開示者に通知した上で、必要最小限の範囲で開示することができる。"
COMPELLED_NO_NOTICE = "第3条（秘密保持）\n受領者は、法令又は裁判所の命令により秘密情報の開示を求められた場合、当該命令に従い秘密情報を開示することができる。"
RESIDUALS = "第9条（残留情報）\n受領者は、秘密情報に接した役員又は従業員の記憶に残った情報を、目的を問わず自由に使用することができる。"
NO_SOLICIT = "第10条（引抜きの禁止）\n甲及び乙は、本契約期間中及び終了後2年間、相手方の従業員を勧誘し、又は雇用してはならない。"
LONG_SURVIVAL = SURVIVAL.replace("3年間", "10年間")

# Each rule of the two Japanese playbooks, on a clause that breaks it and one that meets it (as 甲).
RULE_CASES = {
    "NDA (ja)": {
        "ja-nda-governing-law": (LAW_NEW_YORK, LAW_JAPAN),
        "ja-nda-governing-law-present": (NEUTRAL, LAW_JAPAN),
        "ja-nda-jurisdiction": (COURT_SINGAPORE, COURT_TOKYO),
        "ja-nda-jurisdiction-present": (NEUTRAL, COURT_TOKYO),
        "ja-nda-exclusive-jurisdiction": (COURT_NON_EXCLUSIVE, COURT_TOKYO),
        "ja-nda-renewal-notice-window": (LONG_NOTICE, SHORT_NOTICE),
        "ja-nda-confidentiality-survives": (NO_SURVIVAL, SURVIVAL),
        "ja-nda-no-unlimited-damages": (UNLIMITED, DIRECT_ONLY),
        "ja-nda-no-auto-renewal": (AUTO_RENEWAL, FIXED_TERM),
        "ja-nda-term": (NEUTRAL, FIXED_TERM),
        "ja-nda-anti-social-forces": (NEUTRAL, ANTI_SOCIAL),
        "ja-nda-return-destruction": (NEUTRAL, RETURN),
        "ja-nda-no-non-compete": (NON_COMPETE, NEUTRAL),
        "ja-nda-no-ip-transfer": (IP_TO_THEM, NEUTRAL),
        "ja-nda-exclusions": (NEUTRAL, EXCLUSIONS),
        "ja-nda-exclusion-public": (EXCLUSIONS.replace(EXCLUDED["public"], ""), EXCLUSIONS),
        "ja-nda-exclusion-possessed": (EXCLUSIONS.replace(EXCLUDED["possessed"], ""), EXCLUSIONS),
        "ja-nda-exclusion-third-party": (EXCLUSIONS.replace(EXCLUDED["third-party"], ""), EXCLUSIONS),
        "ja-nda-exclusion-independent": (EXCLUSIONS.replace(EXCLUDED["independent"], ""), EXCLUSIONS),
        "ja-nda-permitted-disclosure-present": (NEUTRAL, REPRESENTATIVES),
        "ja-nda-permitted-disclosure": (REPRESENTATIVES_UNBOUND, REPRESENTATIVES),
        "ja-nda-compelled-notice": (COMPELLED_NO_NOTICE, COMPELLED),
        "ja-nda-no-residuals": (RESIDUALS, NEUTRAL),
        "ja-nda-no-solicit": (NO_SOLICIT, NEUTRAL),
        "ja-nda-survival-length": (LONG_SURVIVAL, SURVIVAL),
    },
    "Services agreement (ja)": {
        "ja-svc-governing-law": (LAW_NEW_YORK, LAW_JAPAN),
        "ja-svc-governing-law-present": (NEUTRAL, LAW_JAPAN),
        "ja-svc-jurisdiction": (COURT_SINGAPORE, COURT_TOKYO),
        "ja-svc-jurisdiction-present": (NEUTRAL, COURT_TOKYO),
        "ja-svc-exclusive-jurisdiction": (COURT_NON_EXCLUSIVE, COURT_TOKYO),
        "ja-svc-renewal-notice-window": (LONG_NOTICE, SHORT_NOTICE),
        "ja-svc-confidentiality-survives": (NO_SURVIVAL, SURVIVAL),
        "ja-svc-subcontracting-consent": (SUBCONTRACT_FREE, SUBCONTRACT_CONSENT),
        "ja-svc-subcontracting-present": (NEUTRAL, SUBCONTRACT_CONSENT),
        "ja-svc-ip-ours": (IP_THEIRS, IP_OURS),
        "ja-svc-ip-present": (NEUTRAL, IP_OURS),
        "ja-svc-no-unlimited-damages": (UNLIMITED, DIRECT_ONLY),
        "ja-svc-cap-months": (CAP_3_MONTHS, CAP_12_MONTHS),
        "ja-svc-confidentiality": (NEUTRAL, CONFIDENTIAL),
        "ja-svc-anti-social-forces": (NEUTRAL, ANTI_SOCIAL),
        "ja-svc-convenience-termination": (CONVENIENCE, MUTUAL_TERMINATION),
    },
}


def test_every_rule_of_the_japanese_playbooks_has_its_cases():
    for name, cases in RULE_CASES.items():
        assert {rule.id for rule in _playbook(name).rules} == cases.keys()


@pytest.mark.parametrize(
    ("playbook", "rule_id", "breaks", "meets"),
    [(name, rule_id, *texts) for name, cases in RULE_CASES.items() for rule_id, texts in cases.items()],
    ids=[rule_id for cases in RULE_CASES.values() for rule_id in cases],
)
def test_each_japanese_rule_on_a_clause_that_breaks_it_and_one_that_meets_it(playbook, rule_id, breaks, meets):
    def flagged(text: str) -> bool:
        findings = apply_playbook(_playbook(playbook), text, article_spans(text), side="甲")
        return any(f.rule_id == rule_id for f in findings)

    assert flagged(breaks) and not flagged(meets)


def test_english_sections_give_the_practice_categories_too():
    from worker.articles import section_spans

    text = (
        "MUTUAL NONDISCLOSURE AGREEMENT\n\n1. Definitions. \"Confidential Information\" means any information.\n\n"
        "2. Confidentiality. The Recipient shall hold the Confidential Information in confidence.\n\n"
        "3. Return of Materials. Upon request, the Recipient shall return or destroy all Confidential Information.\n\n"
        "4. Subcontracting. Supplier shall not subcontract without prior written consent.\n\n"
        "12. Governing Law and Jurisdiction. The courts of New York have exclusive jurisdiction.\n"
    )
    found = {span.category: text[span.start:span.end] for span in section_spans(text)}
    assert found["Confidentiality"].startswith("2. Confidentiality.") and found["Confidentiality"].endswith("in confidence.")
    assert found["Return or Destruction"].startswith("3. Return of Materials.")
    assert found["Subcontracting"].startswith("4. Subcontracting.")
    assert found["Jurisdiction"].startswith("12. Governing Law and Jurisdiction.")
    assert "Damages" not in found and "Anti-Social Forces" not in found
