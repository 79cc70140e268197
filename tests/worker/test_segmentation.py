import itertools

import pytest

from worker.segmentation import Segment, segment

NUMBERED = """MASTER SERVICES AGREEMENT

This Agreement is made on June 1, 2020 between Acme Corp., a Delaware corporation ("Acme"), and
Beta Ltd. ("Beta").

1. DEFINITIONS
1.1 "Services" means the services described in Exhibit A. 1.2 "Fees" means the fees in Section 4.2.
(a) first item; and
(b) second item.

2. Term. This Agreement starts on the Effective Date. It ends after two (2) years, i.e. on June 1, 2022!
Is it renewable? No.
"""

TRICKY = [
    NUMBERED,
    NUMBERED.replace("\n", "\r\n"),
    "   leading spaces\n\n\n   and   trailing   \n\n  ",
    (
        "No newline at all. Amendment #3 to the Agreement This Amendment is made by U.S. Bank N.A. and "
        "Mr. J. Smith. 12. Duties: a. manage the venture; b. keep the books. Done."
    ),
    "\u201cQuoted.\u201d Next sentence\u2019s turn. \u2022 bullet one\n\u2022 bullet two",
    "",
    "\n\n\n",
    "x",
]

NDA_JA = """秘密保持契約書

株式会社サンプル（以下「甲」という。）と株式会社テスト（以下「乙」という。）は、次のとおり秘密保持契約（以下「本契約」という。）を締結する。

第1条（目的）
甲及び乙は、両者間の業務提携の検討（以下「本目的」という。）のために相互に開示する秘密情報の取扱いについて定める。

第２条（秘密情報）
１　本契約において「秘密情報」とは、甲又は乙が相手方に開示した技術上又は営業上の情報をいう。
２　前項の規定にかかわらず、次の各号のいずれかに該当する情報は、秘密情報に含まれない。
（１）開示を受けた時点で既に公知であった情報
（２）開示を受けた後、受領者の責めに帰すべき事由によらず公知となった情報

第３条（返還・破棄）
乙は、甲から「秘密情報を返還せよ。」と求められたときは、直ちに返還する。返還できないときは、破棄する！

第5条（準拠法及び管轄）本契約は日本法に準拠し、本契約に関する一切の紛争は東京地方裁判所を第一審の専属的合意管轄裁判所とする。

（以下余白）
本契約締結の証として、本書2通を作成し、甲乙記名押印の上、各1通を保有する。
2024年4月1日
甲　東京都千代田区丸の内一丁目1番1号　株式会社サンプル　代表取締役　山田太郎　印

別紙１　秘密情報の一覧
"""

# No blank lines, headings above their articles, kanji numbers, full-width periods, indented paragraphs.
SERVICES_JA = """業務委託契約書
委託者株式会社サンプル（以下「甲」という。）と受託者株式会社テスト（以下「乙」という。）は、次のとおり契約を締結する。
第１章　総則
（目的）
第一条　甲は、乙に対し、次の業務を委託する。
一　システムの保守　二　利用者の問合せ対応　①電話②電子メール
（再委託）
第十二条の２　乙は、甲の事前の書面による承諾を得なければ、業務を第三者に再委託してはならない。ただし、
第三条の規定に基づく場合は、この限りでない。
２．乙は、再委託先に本契約と同等の義務を負わせる。
3 乙は、次の各号に定める事項を遵守する。
(1) 法令を遵守すること
(2) 一方当事者の指示に従うこと
イ　細目
　本条の規定は、本契約の終了後も有効に存続する。
以上の合意を証するため、本書２通を作成し、各自１通を保有する。
別表　委託料
"""

JAPANESE = [NDA_JA, NDA_JA.replace("\n", "\r\n"), SERVICES_JA, SERVICES_JA.replace("\n", "\r\n")]


@pytest.mark.parametrize("text", TRICKY + JAPANESE)
def test_segments_round_trip_and_are_trimmed(text):
    for seg in segment(text):
        piece = text[seg.start : seg.end]
        # str.strip removes the ideographic space U+3000 too.
        assert piece and piece == piece.strip(), seg
        assert 0 <= seg.start < seg.end <= len(text)


@pytest.mark.parametrize("text", TRICKY + JAPANESE)
def test_blocks_cover_all_text_without_overlap_and_hold_their_sentences(text):
    blocks = [s for s in segment(text) if s.kind != "sentence"]
    for before, after in itertools.pairwise(blocks):
        assert before.end <= after.start
    covered = {i for b in blocks for i in range(b.start, b.end)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    for sentence in (s for s in segment(text) if s.kind == "sentence"):
        assert any(b.kind == "clause" and b.start <= sentence.start and sentence.end <= b.end for b in blocks)


def _texts(text: str, kind: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text) if s.kind == kind]


def test_headings_numbered_items_and_lists_start_blocks():
    headings = _texts(NUMBERED, "heading")
    clauses = _texts(NUMBERED, "clause")
    assert "MASTER SERVICES AGREEMENT" in headings
    assert "1. DEFINITIONS" in headings
    assert "(a) first item; and" in clauses and "(b) second item." in clauses
    assert any(c.startswith('1.1 "Services" means') for c in clauses)
    # A wrapped line inside a paragraph does not start a new block.
    assert any(
        c.startswith("This Agreement is made on June 1, 2020") and c.endswith('("Beta").') for c in clauses
    )


def test_sentences_split_at_sentence_ends_but_not_at_abbreviations_or_section_numbers():
    sentences = _texts(NUMBERED, "sentence")
    assert "2. Term." in sentences
    assert "This Agreement starts on the Effective Date." in sentences
    assert "It ends after two (2) years, i.e. on June 1, 2022!" in sentences
    assert "Is it renewable?" in sentences and "No." in sentences
    assert (
        'This Agreement is made on June 1, 2020 between Acme Corp., a Delaware corporation ("Acme"), and\n'
        'Beta Ltd. ("Beta").' in sentences
    )
    assert '1.2 "Fees" means the fees in Section 4.2.' in sentences


def test_flat_text_splits_inline_list_items():
    text = TRICKY[3]
    sentences = _texts(text, "sentence")
    assert (
        "Amendment #3 to the Agreement This Amendment is made by U.S. Bank N.A. and Mr. J. Smith."
        in sentences
    )
    assert "a. manage the venture;" in sentences
    assert "b. keep the books." in sentences


def test_segment_type_is_a_plain_value():
    assert segment("Hello world.") == [Segment(0, 12, "clause"), Segment(0, 12, "sentence")]


@pytest.mark.parametrize("text", JAPANESE)
def test_japanese_sentences_and_the_gaps_between_them_rebuild_each_clause(text):
    segments = segment(text)
    for k, clause in enumerate(segments):
        if clause.kind != "clause":
            continue
        sentences = list(itertools.takewhile(lambda s: s.kind == "sentence", segments[k + 1 :]))
        assert sentences and sentences[0].start == clause.start and sentences[-1].end == clause.end
        rebuilt, position = "", clause.start
        for sentence in sentences:
            gap = text[position : sentence.start]
            assert gap == "" or gap.isspace(), (gap, sentence)
            rebuilt += gap + text[sentence.start : sentence.end]
            position = sentence.end
        assert rebuilt == text[clause.start : clause.end]


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_japanese_nda_articles_paragraphs_items_preamble_closing_and_annex(line_end):
    text = NDA_JA.replace("\n", line_end)
    headings = _texts(text, "heading")
    clauses = _texts(text, "clause")
    assert headings == [
        "秘密保持契約書",
        "第1条（目的）",
        "第２条（秘密情報）",
        "第３条（返還・破棄）",
        "第5条（準拠法及び管轄）",
        "（以下余白）",
        "別紙１　秘密情報の一覧",
    ]
    assert clauses[0].startswith("株式会社サンプル（以下「甲」という。）") and clauses[0].endswith(
        "を締結する。"
    )
    assert clauses[1].startswith("甲及び乙は、") and clauses[1].endswith("について定める。")
    assert clauses[2:6] == [
        "１　本契約において「秘密情報」とは、甲又は乙が相手方に開示した技術上又は営業上の情報をいう。",
        "２　前項の規定にかかわらず、次の各号のいずれかに該当する情報は、秘密情報に含まれない。",
        "（１）開示を受けた時点で既に公知であった情報",
        "（２）開示を受けた後、受領者の責めに帰すべき事由によらず公知となった情報",
    ]
    # The article text on the heading's line is the article's clause.
    assert (
        "本契約は日本法に準拠し、本契約に関する一切の紛争は東京地方裁判所を第一審の専属的合意管轄裁判所とする。"
        in clauses
    )
    # The closing text (後文) with the date and signatures, then the annex.
    closing = clauses[-1]
    assert closing.startswith("本契約締結の証として、") and closing.endswith("山田太郎　印")
    assert f"2024年4月1日{line_end}甲　東京都" in closing


def test_japanese_sentences_end_at_full_stops_outside_brackets_and_quotes():
    sentences = _texts(NDA_JA, "sentence")
    # The 。 inside （以下「甲」という。） does not end the preamble's one sentence.
    assert any(s.startswith("株式会社サンプル") and s.endswith("を締結する。") for s in sentences)
    # A 。 directly followed by 」 belongs to the quote, and the sentence goes on.
    assert "乙は、甲から「秘密情報を返還せよ。」と求められたときは、直ちに返還する。" in sentences
    assert "返還できないときは、破棄する！" in sentences
    assert _texts("甲は「解除する。」と通知した？　乙は、同意した。", "sentence") == [
        "甲は「解除する。」と通知した？",
        "乙は、同意した。",
    ]
    # Closing brackets after the full stop stay with the sentence (here a quote opened before the block).
    assert _texts("前条の通知は次のとおりとする。」乙は、これに従う。", "sentence") == [
        "前条の通知は次のとおりとする。」",
        "乙は、これに従う。",
    ]


def test_japanese_structure_without_blank_lines():
    headings = _texts(SERVICES_JA, "heading")
    clauses = _texts(SERVICES_JA, "clause")
    # The title, a chapter, headings on the line above their articles, an annex.
    assert headings == ["業務委託契約書", "第１章　総則", "（目的）", "（再委託）", "別表　委託料"]
    assert clauses[0].startswith("委託者株式会社サンプル") and clauses[0].endswith("締結する。")
    assert clauses[1] == "第一条　甲は、乙に対し、次の業務を委託する。"
    assert clauses[2] == "一　システムの保守　二　利用者の問合せ対応　①電話②電子メール"
    # A line that starts with a reference to an article (第三条の規定) continues the paragraph.
    assert clauses[3].startswith("第十二条の２　乙は、") and clauses[3].endswith("この限りでない。")
    assert clauses[4:9] == [
        "２．乙は、再委託先に本契約と同等の義務を負わせる。",
        "3 乙は、次の各号に定める事項を遵守する。",
        "(1) 法令を遵守すること",
        # 一方 is a word, not the item number 一.
        "(2) 一方当事者の指示に従うこと",
        "イ　細目\n　本条の規定は、本契約の終了後も有効に存続する。",
    ]
    assert clauses[9] == "以上の合意を証するため、本書２通を作成し、各自１通を保有する。"
    # Items run into one line are apart by ideographic spaces.
    sentences = _texts(SERVICES_JA, "sentence")
    assert ["一　システムの保守", "二　利用者の問合せ対応", "①電話②電子メール"] == [
        s for s in sentences if s.startswith(("一", "二", "①"))
    ]


@pytest.mark.parametrize(
    "number", ["第1条", "第１条", "第十二条", "第12条の2", "第１２条の２", "第三十一条の三"]
)
def test_japanese_article_numbers_start_a_block_and_their_heading_is_a_heading(number):
    text = (
        f"前条の規定は、適用しない。\n{number}（有効期間）\n本契約の有効期間は、1年間とする。\n"
        f"{number}（解除）甲は、本契約を解除できる。"
    )
    assert segment(text) == [
        Segment(0, 13, "clause"),
        Segment(0, 13, "sentence"),
        *_at(text, f"{number}（有効期間）", "heading"),
        *_at(text, "本契約の有効期間は、1年間とする。", "clause", "sentence"),
        *_at(text, f"{number}（解除）", "heading"),
        *_at(text, "甲は、本契約を解除できる。", "clause", "sentence"),
    ]


def _at(text: str, piece: str, *kinds: str) -> list[Segment]:
    start = text.index(piece)
    return [Segment(start, start + len(piece), kind) for kind in kinds]


@pytest.mark.parametrize(
    "line",
    [
        "１　乙は、これに従う。",
        "2 乙は、これに従う。",
        "２．乙は、これに従う。",
        "（３）乙の義務",
        "(3) 乙の義務",
        "三　乙の義務",
        "③乙の義務",
        "ハ　乙の義務",
    ],
)
def test_japanese_paragraphs_and_items_start_clauses(line):
    text = f"第4条（乙の義務）\n乙は、次の義務を負う。\n{line}"
    assert _texts(text, "clause") == ["乙は、次の義務を負う。", line]


def test_short_japanese_lines_without_a_full_stop_are_headings_and_sentences_are_prose():
    assert _texts("秘密保持契約書", "heading") == ["秘密保持契約書"]
    assert _texts("第1条（目的）", "heading") == ["第1条（目的）"]
    assert _texts("第7条(目的)\r\n　本契約は、業務提携のために締結する。", "heading") == ["第7条(目的)"]
    assert _texts("本契約は、日本法に準拠する。", "clause") == ["本契約は、日本法に準拠する。"]
    assert _texts("本契約は日本法に準拠する。", "clause") == ["本契約は日本法に準拠する。"]


def test_mixed_english_and_japanese_documents():
    text = (
        "CONFIDENTIALITY AGREEMENT 秘密保持契約書\n\n"
        "1. DEFINITIONS\n"
        '1.1 "Confidential Information" (秘密情報) means any information. 秘密情報とは、一切の情報をいう。\n'
        "(a) first item; and\n"
        "第2条（目的）\n"
        "This Agreement sets out the purpose. It binds both parties.\n"
    )
    assert _texts(text, "heading") == [
        "CONFIDENTIALITY AGREEMENT 秘密保持契約書",
        "1. DEFINITIONS",
        "第2条（目的）",
    ]
    assert _texts(text, "sentence") == [
        '1.1 "Confidential Information" (秘密情報) means any information.',
        "秘密情報とは、一切の情報をいう。",
        "(a) first item; and",
        "This Agreement sets out the purpose.",
        "It binds both parties.",
    ]
