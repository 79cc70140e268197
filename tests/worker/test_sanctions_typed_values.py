"""Dates of birth and countries as people write them: the one date parser and the one country lookup."""

from __future__ import annotations

import datetime as dt

import pytest

from worker.sanctions.countries import to_iso2
from worker.sanctions.dates import DateError, parse_birth_date, read_date
from worker.sanctions.evidence import parse_query_birth
from worker.sanctions.model import BirthDate


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1969", "1969"),
        ("1969-07", "1969-07"),
        ("1969-7-16", "1969-07-16"),
        ("1969-07-16", "1969-07-16"),
        ("1969/7/16", "1969-07-16"),
        ("1969.07.16", "1969-07-16"),
        ("16 July 1969", "1969-07-16"),
        ("16th July 1969", "1969-07-16"),
        ("July 16, 1969", "1969-07-16"),
        ("16 Jul 1969", "1969-07-16"),
        ("16-JUL-1969", "1969-07-16"),
        ("Jul 1969", "1969-07"),
        ("Sept. 1969", "1969-09"),
        ("1969年7月16日", "1969-07-16"),
        ("1969年7月", "1969-07"),
        ("１９６９年７月１６日", "1969-07-16"),  # full-width digits
        ("１９６９－０７－１６", "1969-07-16"),
        (" 1969 年 7 月 16 日 ", "1969-07-16"),
    ],
)
def test_dates_as_people_write_them(text, stored):
    assert read_date(text).isoformat() == stored


def test_a_query_date_gives_its_year_and_the_day_only_when_a_day_is_written():
    assert parse_query_birth("16 July 1969") == (1969, dt.date(1969, 7, 16))
    assert parse_query_birth("1969年7月") == (1969, None)
    assert parse_query_birth("1969") == (1969, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1969-02-30", "“1969-02-30” does not exist in the calendar."),
        ("1969-13", "“1969-13” does not exist in the calendar."),
        ("31 Apr 1969", "“31 Apr 1969” does not exist in the calendar."),
        ("1969年2月30日", "“1969年2月30日” does not exist in the calendar."),
        ("19x1", "“19x1” is not a date: write it as 1969, 1969-07-16, 16 July 1969 or 1969年7月16日."),
        ("13/01/1970", "“13/01/1970” is not a date: write it as 1969, 1969-07-16, 16 July 1969 or 1969年7月16日."),
        ("1969-07/16", "“1969-07/16” is not a date: write it as 1969, 1969-07-16, 16 July 1969 or 1969年7月16日."),
        ("16 1969", "“16 1969” is not a date: write it as 1969, 1969-07-16, 16 July 1969 or 1969年7月16日."),
        ("Ju 1969", "“Ju 1969” is not a date: write it as 1969, 1969-07-16, 16 July 1969 or 1969年7月16日."),
    ],
)
def test_an_unreadable_or_impossible_date_is_refused_with_its_reason(text, message):
    with pytest.raises(DateError) as refused:
        read_date(text)
    assert refused.value.message == message
    assert refused.value.template % refused.value.params == message  # the web layer translates the template


def test_lists_keep_their_forms_and_the_year_of_an_impossible_day():
    assert parse_birth_date("12 Jan 1960") == BirthDate(1960, 1960, dt.date(1960, 1, 12))
    assert parse_birth_date("circa 1960") == BirthDate(1960, 1960, approximate=True)
    assert parse_birth_date("1958 to 1962") == BirthDate(1958, 1962)
    assert parse_birth_date("30 Feb 1960") == BirthDate(1960, 1960)
    assert parse_birth_date("1960-02-30") == BirthDate(1960, 1960)
    assert parse_birth_date("not known") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # codes and English names, short and official
        ("TL", "TL"),
        ("tls", "TL"),
        ("Brunei", "BN"),
        ("Brunei Darussalam", "BN"),
        ("Russia", "RU"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("Laos", "LA"),
        ("Vietnam", "VN"),
        ("Moldova", "MD"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Tanzania", "TZ"),
        ("Cape Verde", "CV"),
        ("Côte d’Ivoire", "CI"),
        ("Congo", "CG"),  # the whole ISO name outranks "Congo, The Democratic Republic of the"
        ("Democratic Republic of the Congo", "CD"),
        ("Kosovo", "XK"),
        ("XK", "XK"),
        ("コソボ", "XK"),
        # former and colloquial names
        ("East Timor", "TL"),
        ("Burma", "MM"),
        ("Ivory Coast", "CI"),
        ("Swaziland", "SZ"),
        ("Macedonia", "MK"),
        ("Czech Republic", "CZ"),
        ("Zaire", "CD"),
        ("Dahomey", "BJ"),
        ("Upper Volta", "BF"),
        ("Persia", "IR"),
        ("Holland", "NL"),
        # Japanese
        ("日本", "JP"),
        ("日本国", "JP"),
        ("アメリカ合衆国", "US"),
        ("米国", "US"),
        ("アメリカ", "US"),
        ("中国", "CN"),
        ("中華人民共和国", "CN"),
        ("韓国", "KR"),
        ("大韓民国", "KR"),
        ("北朝鮮", "KP"),
        ("朝鮮民主主義人民共和国", "KP"),
        ("英国", "GB"),
        ("イギリス", "GB"),
        ("ロシア", "RU"),
        ("ロシア連邦", "RU"),
        ("イラン", "IR"),
        ("シリア", "SY"),
        ("東ティモール", "TL"),
        ("ブルネイ", "BN"),
        ("ミャンマー", "MM"),
        ("ビルマ", "MM"),
        ("コートジボワール", "CI"),
        ("イラン・イスラム共和国", "IR"),
        ("ｲﾗﾝ", "IR"),  # half-width katakana
        ("ＪＰ", "JP"),  # full-width letters
    ],
)
def test_countries_by_code_english_former_and_japanese_name(text, code):
    assert to_iso2(text) == code


@pytest.mark.parametrize("text", ["Korea", "Virgin Islands", "USSR", "Yugoslavia", "Atlantis", "アトランティス", ""])
def test_ambiguous_dissolved_and_unknown_countries_are_not_guessed(text):
    assert to_iso2(text) is None


def test_japanese_names_cover_every_country():
    from babel import Locale

    japanese = Locale("ja").territories
    codes = [code for code in japanese if len(code) == 2 and code.isalpha() and to_iso2(code) == code]
    resolved = [code for code in codes if to_iso2(japanese[code]) == code]
    assert len(codes) == 250  # ISO 3166's 249 and Kosovo
    # ISO's Japanese names of Saint Martin and Sint Maarten are both サンマルタン (仏領 / オランダ領): not guessed.
    assert sorted(set(codes) - set(resolved)) == ["MF"]
