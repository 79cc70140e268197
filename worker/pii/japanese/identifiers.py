"""Japanese identifiers by their shape, matched on width-folded text: phone numbers, addresses down to
the building and room, マイナンバー with its check digit, bank accounts, driver's licence, passport and
residence card numbers, e-mail addresses and dates of birth. 法人番号 (13 digits) are public and stay."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from worker.pii.japanese.text import Span
from worker.pii.spans import Entity

SCORE = 0.8

_DASH = r"[-‐‑‒–—―−ー－]"
_SPACE = r"[ 　]"
_PHONE = regex.compile(
    # Fixed lines (0 + 9 digits) and mobiles and IP phones (0X0 + 8 digits), written in groups or in
    # one run, and the same after +81 without the leading 0.
    rf"(?<![0-9A-Za-z+])(?:\+81{_SPACE}?{_DASH}?{_SPACE}?\(?0?\)?|0)"
    rf"(?:\d{{1,4}}(?:{_DASH}|{_SPACE}|\)|\(|\){_SPACE}?)\d{{1,4}}(?:{_DASH}|{_SPACE}|\))\d{{3,4}}|\d{{9,10}})(?![\d])"
    # Numbers of other countries, written with their code.
    rf"|(?<![0-9A-Za-z])\+\d{{1,3}}(?:{_DASH}|{_SPACE})?\(?\d{{1,4}}\)?(?:(?:{_DASH}|{_SPACE})\d{{2,4}}){{2,3}}(?![\d])"
)
_POSTCODE = regex.compile(
    rf"(?:〒{_SPACE}?\d{{3}}{_DASH}\d{{4}}|(?<=郵便番号[:：]?{_SPACE}?)\d{{3}}{_DASH}?\d{{4}}){_SPACE}?"
)
# The street part of an address: 丁目, 番地, 番 and 号, or three numbers joined by dashes ("梅田3-1-1");
# "2番" or "1-1" alone are a rank or a score.
_BLOCK = regex.compile(
    rf"[\d一二三四五六七八九十〇]+丁目(?:{_SPACE}?[1-9]\d{{0,3}}(?:番地?|{_DASH})(?:{_SPACE}?\d+(?:号|{_DASH}|番地?))*"
    rf"(?:{_SPACE}?\d+号?|の\d+)?)?"
    rf"|[1-9]\d{{0,3}}番地(?:の\d+|{_DASH}\d+|\d+)?"
    rf"|[1-9]\d{{0,3}}番{_SPACE}?\d+(?:号(?:{_DASH}\d+)?)?"
    rf"|[1-9]\d{{0,3}}{_DASH}\d{{1,4}}{_DASH}\d{{1,4}}(?:{_DASH}\d{{1,4}})?"
)
# Town names hold kana too ("さいたま市", "自由が丘"), but a place starts with kanji or katakana, not a particle.
_PLACE_BEFORE = regex.compile(r"[\p{Han}\p{Katakana}ーヶケ々][\p{Han}\p{Katakana}\p{Hiragana}ーヶケ々]{0,29}$")
# The building and room after the street, on the same line: up to the first thing that marks a
# building ("ビル", "団地", "3F", "402号室", "…内"), spaces and kana in its name allowed.
_BUILDING_AFTER = regex.compile(
    rf"{_SPACE}?[^\n。、，,（()）「」]{{0,30}}"
    rf"(?:(?:ビル|ビルディング|マンション|ハイツ|荘|タワー|レジデンス|コーポ|ハウス|棟|館|プラザ|センター|団地|スクエア|パーク)"
    rf"(?:{_SPACE}?\d+(?:{_DASH}\d+)?(?:階|F|号室|号)?)?(?:内)?"
    rf"|\d+(?:{_DASH}\d+)?(?:階|F|号室)|内(?=$|[\s。、])|(?<=[^\d\s])\d{{2,4}}(?=$|\s))"
)
_MY_NUMBER = regex.compile(rf"(?<![\d])\d{{4}}({_SPACE}|{_DASH}|)\d{{4}}\1\d{{4}}(?![\d])")
_BANK_ACCOUNT = regex.compile(
    rf"(?<=(?:口座番号|口座No\.?|普通預金|当座預金|貯蓄預金|普通|当座|\(普\)|（普）|\(当\)|（当）)"
    rf"{_SPACE}?(?:口座)?(?:番号)?[:：]?{_SPACE}?(?:No\.?)?{_SPACE}?)\d{{7,8}}(?![\d])"
    rf"|(?<![\d])\d{{5}}{_DASH}\d{{1,8}}(?={_SPACE}?(?:\(|（)?ゆうちょ)|(?<=記号番号[:：]?{_SPACE}?)\d{{5}}{_DASH}?\d{{8}}"
)
_LICENCE = regex.compile(
    r"(?<=免許[^\n\d]{0,10})\d{12}(?![\d])"
    r"|(?<=(?:旅券|パスポート|在留カード)[^\n]{0,10}?)[A-Z]{1,2}\d{7,8}(?:[A-Z]{2})?(?![A-Za-z\d])"
    r"|(?<![A-Za-z\d])[A-Z]{2}\d{7}(?![A-Za-z\d])"
)
_EMAIL = regex.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ERA_DATE = (
    rf"(?:(?:(?:明治|大正|昭和|平成|令和|[MTSHR]\.?){_SPACE}?(?:\d{{1,2}}|元)|\d{{4}}){_SPACE}?年{_SPACE}?\d{{1,2}}{_SPACE}?月"
    rf"{_SPACE}?\d{{1,2}}{_SPACE}?日|\d{{4}}[/.{_DASH}]\d{{1,2}}[/.{_DASH}]\d{{1,2}})"
)
_BIRTH_DATE = regex.compile(
    rf"(?<=(?:生年月日|誕生日|出生日)[:：]?{_SPACE}?){_ERA_DATE}|{_ERA_DATE}(?={_SPACE}?(?:生|生まれ|出生))"
)

_IDENTIFIERS = (
    ("EMAIL_ADDRESS", _EMAIL),
    ("PHONE_NUMBER", _PHONE),
    ("BANK_ACCOUNT", _BANK_ACCOUNT),
    ("ID_NUMBER", _LICENCE),
    ("DATE_OF_BIRTH", _BIRTH_DATE),
)


def identifier_entities(folded: str) -> list[Entity]:
    entities = [Entity("STREET_ADDRESS", *span, SCORE) for span in _addresses(folded)]
    entities += [Entity("JP_MY_NUMBER", *span, SCORE) for span in _my_numbers(folded)]
    for kind, pattern in _IDENTIFIERS:
        entities += [Entity(kind, *m.span(), SCORE) for m in pattern.finditer(folded)]
    return entities


def _addresses(folded: str) -> Iterator[Span]:
    """An address from its postcode or place name down to the building and room."""
    for block in _BLOCK.finditer(folded):
        start, end = block.span()
        place = _PLACE_BEFORE.search(folded, max(0, start - 30), start)
        if place is None and "丁目" not in block.group():
            continue  # numbers and dashes alone are no address
        if place is not None:
            start = place.start()
        building = _BUILDING_AFTER.match(folded, end)
        if building:
            end = building.end()
        yield start, end
    for postcode in _POSTCODE.finditer(folded):
        yield postcode.span()


def _my_numbers(folded: str) -> Iterator[Span]:
    for match in _MY_NUMBER.finditer(folded):
        if my_number_valid(match.group()):
            yield match.span()


def my_number_valid(value: str) -> bool:
    """The check digit of an Individual Number (マイナンバー): weights 2-7 then 2-6 from the right."""
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 12:
        return False
    total = sum(d * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(digits[:11]), start=1))
    return digits[11] == (0 if total % 11 <= 1 else 11 - total % 11)
