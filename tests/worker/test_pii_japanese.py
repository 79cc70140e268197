"""Japanese masking: names with the context Japanese documents give them, identifiers by shape."""

import pytest

from worker.pii import Masker
from worker.pii.japanese import fold_width, my_number_valid


@pytest.fixture(scope="module")
def masker():
    return Masker()


def masked(masker, text):
    return masker.session().mask(text).masked.text


@pytest.mark.parametrize(
    ("text", "readable_after"),
    [
        ("代表取締役 山田太郎は本契約に署名する。", ["山田", "太郎"]),
        ("担当者：鈴木花子様までご連絡ください。", ["鈴木", "花子"]),
        ("ジョン・スミス氏が来日した。", ["ジョン", "スミス"]),
        ("出席者：高橋、伊藤、渡辺", ["高橋", "伊藤", "渡辺"]),
        ("長野さんの件で連絡があった。", ["長野"]),
        ("口座名義 ヤマダ タロウ", ["ヤマダ", "タロウ"]),
        ("石破茂首相は会見で述べた。", ["石破"]),
        ("大谷翔平選手が本塁打を打った。", ["大谷", "翔平"]),
        ("ご予約者：Emma Thompson様", ["Emma", "Thompson"]),
    ],
)
def test_names_in_their_japanese_context_are_masked(masker, text, readable_after):
    out = masked(masker, text)
    assert "<PERSON_1>" in out
    for part in readable_after:
        assert part not in out


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("山田\n太郎は本日付で退職した。", "山田\n太郎"),
        ("山田　太郎は本日付で退職した。", "山田　太郎"),
        ("ｽｽﾞｷ ﾊﾅｺ様へ送付済み。", "ｽｽﾞｷ ﾊﾅｺ"),
    ],
)
def test_a_line_break_ideographic_space_or_half_width_does_not_split_a_name(masker, text, name):
    result = masker.session().mask(text)
    assert [text[e.start:e.end] for e in result.entities if e.type == "PERSON"] == [name]


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("PHONE_NUMBER", "電話 03-1234-5678 まで", "03-1234-5678"),
        ("PHONE_NUMBER", "携帯０９０－１２３４－５６７８に連絡", "０９０－１２３４－５６７８"),
        ("PHONE_NUMBER", "TEL 0312345678", "0312345678"),
        ("JP_MY_NUMBER", "マイナンバー 1234 5678 9018 を確認", "1234 5678 9018"),
        ("JP_MY_NUMBER", "個人番号：１２３４５６７８９０１８", "１２３４５６７８９０１８"),
        ("BANK_ACCOUNT", "三菱UFJ銀行 丸の内支店 普通 1234567", "1234567"),
        ("ID_NUMBER", "運転免許証番号 第123456789012号", "123456789012"),
        ("ID_NUMBER", "旅券番号 TK1234567", "TK1234567"),
        ("DATE_OF_BIRTH", "生年月日：昭和60年4月1日", "昭和60年4月1日"),
        ("EMAIL_ADDRESS", "メール taro.yamada@example.co.jp まで", "taro.yamada@example.co.jp"),
        ("STREET_ADDRESS", "東京都千代田区丸の内1丁目2番3号 丸の内ビル5階", "丸の内1丁目2番3号 丸の内ビル5階"),
    ],
)
def test_japanese_identifiers_are_masked(masker, kind, text, value):
    result = masker.session().mask(text)
    start = text.index(value)
    assert any(e.type == kind and e.start <= start and start + len(value) <= e.end for e in result.entities)
    assert value not in result.masked.text


def test_a_postcode_and_the_address_after_it_are_masked_whole(masker):
    out = masked(masker, "〒100-0005 東京都千代田区丸の内一丁目2番3号")
    assert "100-0005" not in out and "2番3号" not in out


def test_a_my_number_with_a_wrong_check_digit_is_left_alone(masker):
    assert my_number_valid("123456789018") and not my_number_valid("123456789012")
    assert "123456789012" in masked(masker, "番号 123456789012 は誤記")


@pytest.mark.parametrize(
    "text",
    [
        "株式会社サンプルと田中商事株式会社は協議する。",
        "法人番号 1234567890123",
        "第5条（秘密保持）甲及び乙は、相手方の秘密情報を第三者に開示してはならない。",
        "お客様各位",
    ],
)
def test_companies_corporate_numbers_and_contract_words_stay_readable(masker, text):
    assert masked(masker, text) == text


def test_a_japanese_name_found_once_is_masked_where_it_recurs(masker):
    session = masker.session()
    first, later = session.mask_all(["代表取締役 山田太郎", "なお、山田は本件を了承した。"])
    assert "山田" not in later.masked.text
    assert first.masked.text.endswith("<PERSON_1>")


def test_a_mixed_paragraph_gets_both_languages(masker):
    out = masked(masker, "Contact Jane Doe (jane.doe@example.com) or 担当者 鈴木花子 at 03-1234-5678.")
    for value in ("Jane", "Doe", "jane.doe", "鈴木", "花子", "03-1234-5678"):
        assert value not in out


def test_width_folding_keeps_offsets():
    text = "ＴＥＬ：０３　ｶﾞ"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text).startswith("TEL:03 ")
