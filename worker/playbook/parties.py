"""Whose right or duty a clause states: the party that is its subject, read from its wording.

A rule written from our side ("no termination for convenience by the other side") needs to know whether
「乙は、いつでも本契約を解除することができる」 speaks of us or of them. The acting party is the first
party named as the subject of a sentence of the clause: 「乙は」「委託者が」, "Customer may", "The Supplier
shall". Both parties together (「甲及び乙は」, "either party", "each party") act mutually.
"""

from __future__ import annotations

import re

MUTUAL = "mutual"

# The names Japanese contracts give the parties, and English defined roles.
_JA_PARTY = r"(?:甲|乙|丙|丁|委託者|受託者|発注者|受注者|売主|買主|開示者|受領者|開示当事者|受領当事者|貸主|借主|ライセンサー|ライセンシー)"
_EN_PARTY = (
    r"(?:Customer|Supplier|Client|Contractor|Consultant|Licensor|Licensee|Company|Vendor|Provider|Service Provider|"
    r"Buyer|Seller|Purchaser|Distributor|Reseller|Discloser|Recipient|Disclosing Party|Receiving Party)"
)
_JA_SUBJECT = re.compile(
    # At the start of a sentence, a paragraph (１　) or an item (（１）).
    rf"(?:^|[。\n])[ 　]*(?:[0-9０-９]+[ 　．.]|[（(][0-9０-９]+[）)])?[ 　]*"
    rf"(?P<first>{_JA_PARTY})(?P<both>(?:及び|又は|並びに|と){_JA_PARTY})?(?:は|が)"
)
_EN_SUBJECT = re.compile(
    rf"(?:^|(?<=[.;:]\s)|(?<=\n))\s*(?:(?P<mutual>either party|each party|the parties|both parties)"
    rf"|(?:the\s+)?(?P<first>{_EN_PARTY})(?P<both>\s+(?:and|or)\s+(?:the\s+)?{_EN_PARTY})?)\s+(?:may|shall|will|must|can|agrees)\b",
    re.IGNORECASE,
)


def acting_party(clause: str) -> str | None:
    """The party the clause's first subject names (as written: "乙", "Customer"), `MUTUAL` for both, or None."""
    found = [
        (match.start(), MUTUAL if match.group("both") or match.groupdict().get("mutual") else match.group("first"))
        for pattern in (_JA_SUBJECT, _EN_SUBJECT)
        for match in pattern.finditer(clause)
    ]
    return min(found)[1] if found else None


def same_party(a: str, b: str) -> bool:
    return a.strip().lower().removeprefix("the ") == b.strip().lower().removeprefix("the ")
