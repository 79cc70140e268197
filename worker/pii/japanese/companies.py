"""Japanese company names, which stay readable: a surname inside one is no person."""

from __future__ import annotations

import regex

Span = tuple[int, int]

# A company name by its legal form, before or after the name ("株式会社サンプル", "サンプル(株)"),
# and banks and their branches: a surname in one is not a person.
_LEGAL_FORM = (
    r"(?:株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|"
    r"特定非営利活動法人|NPO法人|学校法人|医療法人|社会福祉法人|弁護士法人|税理士法人|司法書士法人|監査法人|"
    r"独立行政法人|国立大学法人|[(（]株[)）]|[(（]有[)）]|㈱|㈲)"
)
_FIRM_NAME = r"[\p{Han}\p{Katakana}ーA-Za-zＡ-Ｚａ-ｚ0-9０-９&＆・.．\-]{1,25}"
_COMPANY = regex.compile(
    rf"{_LEGAL_FORM}[ 　]?{_FIRM_NAME}|{_FIRM_NAME}[ 　]?{_LEGAL_FORM}"
    rf"|{_FIRM_NAME}(?:銀行|信用金庫|信用組合|労働金庫|証券|信託|生命|損害保険|損保|商事|物産|工業|製作所|"
    rf"不動産|建設|電機|電気|自動車|技研工業|法律事務所|会計事務所|事務所|病院|大学)(?:[ 　]?{_FIRM_NAME}支店)?"
)


def company_spans(folded: str) -> list[Span]:
    """Company names, banks and their branches in width-folded text."""
    return [m.span() for m in _COMPANY.finditer(folded)]
