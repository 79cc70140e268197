"""Personal names in Japanese text: the morphemes SudachiPy tags as names, and what the dictionary
misses found by context: honorifics and titles after a name (様, さん, 氏, 部長, 首相), labels before
one (氏名, 担当者, 代表取締役, 出席者), a given name after a tagged surname, middle-dotted katakana, names
in Latin letters, and a name seen earlier in the same document. GiNZA's neural NER would add a few names
at a hundredth of the speed (bench/bench_pii_ja.py measures both), so it is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from worker.pii.companies import company_spans as english_company_spans
from worker.pii.japanese.companies import company_spans
from worker.pii.japanese.text import Morpheme, Span, fold_width, has_japanese, inside, morphemes
from worker.pii.name_context import is_ordinary_word
from worker.pii.name_lexicon import name_lexicon
from worker.pii.spans import PERSON, Entity

_KATAKANA_WORD = regex.compile(r"[\p{Katakana}ー]{2,}")
_NAME_DOTS = frozenset("・=＝")
_DOTTED_KATAKANA = regex.compile(r"[\p{Katakana}ー]{2,}(?:[・=＝](?:[A-Z]\.?[・=＝])?[\p{Katakana}ー]{2,})+")
_INITIALS_BEFORE = regex.compile(r"(?:[A-Z]\.[ ]?){1,3}$")
_READING_AFTER = regex.compile(
    r"[(（](?P<reading>[\p{Hiragana}\p{Katakana}ー][\p{Hiragana}\p{Katakana}ー・ 　]{1,20})(?=[)）、,])"
)

# Suffixes and titles that follow a person's name. 様 and さん follow company names too (株式会社
# サンプル様), which the company check takes care of.
HONORIFICS = frozenset(
    """
    様 さま さん 氏 殿 君 くん ちゃん 先生 首相 総理 大臣 長官 知事 市長 町長 村長 議員 議長 選手 監督 投手
    社長 会長 副社長 専務 常務 取締役 部長 課長 係長 次長 室長 支店長 店長 主任 教授 准教授 博士 弁護士
    弁理士 税理士 司法書士 会計士 医師 容疑者 被告 被告人 夫人 さんら 氏ら 騎手 棋士 判事 検事 大統領 党首 代表
    校長 院長 理事長 所長 工場長 元首相 前首相 総裁 頭取 CEO 宛 宛て 女史
    """.split()
)
# Before a title: former, current, late, deputy, and the prefecture of a governor ("都知事").
_TITLE_PREFIXES = frozenset("元前現故副都道府県")
# Labels and roles after which a name is written: in forms, signature blocks and minutes.
_CUE = (
    r"(?:氏名|お名前|名前|フリガナ|ふりがな|担当者名?|ご担当者?|代表者名?|代表取締役(?:社長|会長)?|取締役(?:社長)?|"
    r"代表社員|代表理事|理事長|執行役員|社長|会長|申請者|申込者|契約者|名義人|口座名義(?:人)?|受取人名?|差出人|宛先|"
    r"作成者|承認者|確認者|署名者|出席者|参加者|欠席者|記録者?|本人|保証人|連帯保証人|被保険者|代理人|弁護士|"
    r"責任者|連絡先|実質的支配者|株主|役員|従業員|面談者|面接者|対応者|報告者|依頼者|相談者|通報者|"
    r"Name|NAME|Contact)"
)
_LATIN_WORD = r"\p{Lu}[\p{Ll}'’-]*\p{Ll}(?:['’]\p{Lu}\p{Ll}+)?"
_LATIN_NAME = regex.compile(
    rf"(?<![\p{{Latin}}])(?P<name>{_LATIN_WORD}(?:[ ]{_LATIN_WORD}){{0,2}})(?![\p{{Latin}}])"
    r"(?P<honorific>[ ]?(?:様|さん|氏|殿|-san|先生))?"
)
_AFTER_CUE = regex.compile(rf"(?P<cue>{_CUE})[ \t　]*[:：）)]?[ \t　]*")
# Labels followed by a list of names.
_LIST_CUES = frozenset("出席者 参加者 欠席者 面談者 宛先 役員 株主".split())
# Suffixes that follow children's and friends' names, whatever word the name is.
_CHILD_SUFFIXES = frozenset("くん 君 ちゃん".split())
# Suffixes after which a name written in kana is a name ("こうじさん").
_KANA_NAME_SUFFIXES = frozenset("さん 様 さま 氏 殿".split())
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}ー]{2,6}")
_KANA_RUN = regex.compile(r"[\p{Katakana}ー]{2,}(?:[ 　・][\p{Katakana}ー]{2,})*")
_GIVEN_AFTER = regex.compile(
    r"(?P<space>[ 　]{0,2})(?P<given>[\p{Han}\p{Hiragana}\p{Katakana}ー々]{1,4})(?=[ 　\n、，,。（(）)」』：:]|様|さん|氏|殿|$)"
)
PERSON_SCORE = 0.85
CUE_SCORE = 0.6
# A known surname shorter than this recurs inside ordinary words (田, 林) too often to search for.
MIN_KNOWN_NAME = 2


@dataclass(frozen=True)
class JapaneseNames:
    surnames: frozenset[str]
    given: frozenset[str]  # in kanji, and their readings in hiragana


@cache
def japanese_names() -> JapaneseNames:
    """Surnames and given names from `japanese-personal-name-dataset` (MIT): 2,000 surnames, and
    given names with their readings and their kanji."""
    data = resources.files("japanese_personal_name_dataset").joinpath("dataset")
    surnames = {row.split(",")[0] for row in data.joinpath("last_name_org.csv").read_text("utf-8").splitlines()}
    given: set[str] = set()
    for name in ("first_name_man_org.csv", "first_name_woman_org.csv"):
        for row in data.joinpath(name).read_text("utf-8").splitlines():
            reading, _romaji, *kanji = row.split(",")
            given.update([reading, *kanji])
    return JapaneseNames(frozenset(filter(None, surnames)), frozenset(filter(None, given)))


def person_entities(text: str, folded: str) -> list[Entity]:
    """The persons of one paragraph, outside company names."""
    found = morphemes(text)
    companies = company_spans(folded)
    return [
        Entity(PERSON, *_with_initials_and_reading(folded, span), score)
        for spans, score in (
            (_name_runs(found), PERSON_SCORE),
            (_dotted_names(text, found), PERSON_SCORE),
            (_before_honorifics(found), PERSON_SCORE),
            (_given_names_after_surnames(text, found), PERSON_SCORE),
            (_after_cues(folded, found), CUE_SCORE),
            (_latin_names(text), CUE_SCORE),
        )
        for span in spans
        if not inside(span, companies)
    ]


def _joins_name(morpheme: Morpheme) -> bool:
    return morpheme.surface in _NAME_DOTS or (morpheme.is_space and len(morpheme.surface) <= 2)


def _name_runs(morphemes: list[Morpheme]) -> Iterator[Span]:
    """Runs of name morphemes: surname and given name, with a space, an ideographic space, a line
    break or a middle dot between them ("山田　太郎", "ジョン・スミス"), and a katakana word the
    dictionary does not know after a middle dot ("ジョン・ウィッカーシャム")."""
    i, count = 0, len(morphemes)
    while i < count:
        if not morphemes[i].is_name:
            i += 1
            continue
        j = i
        while True:
            if j + 1 < count and morphemes[j + 1].is_name:
                j += 1
            elif j + 2 < count and _joins_name(morphemes[j + 1]) and (
                morphemes[j + 2].is_name
                or (morphemes[j + 1].surface in _NAME_DOTS and _KATAKANA_WORD.fullmatch(morphemes[j + 2].surface))
            ):
                j += 2
            else:
                break
        start = i
        # A surname the dictionary knows only as a proper noun, before a known given name ("ｽｽﾞｷ ﾊﾅｺ").
        if i >= 2 and _joins_name(morphemes[i - 1]) and morphemes[i - 2].may_be_name:
            start = i - 2
        if start < j or not _glued_to_word(morphemes, j):
            yield morphemes[start].start, morphemes[j].end
        i = j + 1


def _glued_to_word(morphemes: list[Morpheme], k: int) -> bool:
    """A lone name morpheme written into a compound ("高山植物", "旭洋丸") is part of a word."""
    after = morphemes[k + 1] if k + 1 < len(morphemes) else None
    return (
        after is not None and after.start == morphemes[k].end and after.surface not in HONORIFICS
        and (after.pos[:2] == ("名詞", "普通名詞") or after.pos[0] == "接尾辞")
    )


def _dotted_names(text: str, morphemes: list[Morpheme]) -> Iterator[Span]:
    """Foreign names in katakana joined by middle dots, with initials between ("アンゲラ・メルケル",
    "ジョージ・W・ブッシュ"), when the dictionary knows one part as a name or knows none of it."""
    for match in _DOTTED_KATAKANA.finditer(text):
        inside = [m for m in morphemes if match.start() <= m.start < match.end() and m.surface not in _NAME_DOTS]
        if any(m.is_name or m.oov for m in inside):
            yield match.span()


def _with_initials_and_reading(text: str, span: Span) -> Span:
    """A name with the initials written before it ("J.K.ローリング") and its reading in brackets
    after it ("朱川湊人（しゅかわ・みなと、42）")."""
    start, end = span
    initials = _INITIALS_BEFORE.search(text, max(0, start - 8), start)
    reading = _READING_AFTER.match(text, end)
    return (initials.start() if initials else start), (reading.end("reading") if reading else end)


def _before_honorifics(morphemes: list[Morpheme]) -> Iterator[Span]:
    """The word before an honorific or a title, when it can be a name ("長野さん", "ウィリアムズ氏",
    "大橋専務", "こうじくん"). A title the dictionary splits ("部" + "長") counts whole."""
    for i, morpheme in enumerate(morphemes):
        title = _title_at(morphemes, i)
        if title is None or i == 0:
            continue
        j = i - 1
        if morphemes[j].surface in _TITLE_PREFIXES and j > 0:  # "レーガン元大統領"
            j -= 1
        if not _may_be_name_before(morphemes[j], title):
            continue
        start = morphemes[j].start
        # Katakana names joined by a middle dot: "メアリー・アン・スミス様".
        while j >= 2 and morphemes[j - 1].surface in _NAME_DOTS and morphemes[j - 2].may_be_name:
            j -= 2
            start = morphemes[j].start
        yield start, morpheme.start


def _title_at(morphemes: list[Morpheme], i: int) -> str | None:
    surface = morphemes[i].surface
    joined = surface + morphemes[i + 1].surface if i + 1 < len(morphemes) else ""
    for candidate in (joined, surface):
        if candidate and (candidate in HONORIFICS or (candidate[0] in _TITLE_PREFIXES and candidate[1:] in HONORIFICS)):
            return candidate
    return None


def _may_be_name_before(morpheme: Morpheme, title: str) -> bool:
    """A proper noun, a known surname, a kana word before さん or 様, any noun before くん or ちゃん."""
    if morpheme.may_be_name or _known_surname(morpheme.surface) or _KATAKANA_WORD.fullmatch(morpheme.surface):
        return True  # a katakana word before a title is a foreign name ("メルケル首相")
    if morpheme.pos[0] != "名詞":
        return False
    return title in _CHILD_SUFFIXES or (title in _KANA_NAME_SUFFIXES and _KANA.fullmatch(morpheme.surface) is not None)


def _given_names_after_surnames(text: str, morphemes: list[Morpheme]) -> Iterator[Span]:
    """The given name the dictionary does not tag after a surname it does ("佐野 さくら", "高橋 蒼",
    "森 こはる"): up to four kana or kanji to the next space or punctuation, a known given name or a
    kana word."""
    for morpheme in morphemes:
        if not (morpheme.is_name and morpheme.pos[3] == "姓") and not _known_surname(morpheme.surface):
            continue
        given = _GIVEN_AFTER.match(text, morpheme.end)
        if given is None:
            continue
        word, spaced = given.group("given"), given.group("space") != ""
        known, kana = word in japanese_names().given, _KANA.fullmatch(word) is not None
        # After a space a known given name or any kana word; glued to the surname a known one in kanji.
        if (spaced and (known or kana)) or (known and not kana):
            yield morpheme.start, given.end("given")


def _known_surname(surface: str) -> bool:
    """A surname of the list; one-character ones (中, 新, 林) are ordinary words too often."""
    return len(surface) >= 2 and surface in japanese_names().surnames


def _after_cues(text: str, morphemes: list[Morpheme]) -> Iterator[Span]:
    """The names written after a label or role: the words up to the next punctuation or particle,
    when one of them can be a name ("担当者：菊池 凛", "口座名義 ヤマダ タロウ"); after 出席者 and the
    like, every name of the list ("出席者：サラ・リー、ラージ・パテル")."""
    starts = {m.start: k for k, m in enumerate(morphemes)}
    for cue in _AFTER_CUE.finditer(text):
        k = starts.get(cue.end())
        is_list = cue.group("cue") in _LIST_CUES
        while k is not None:
            run, k = _noun_run(morphemes, k)
            # Kana after a label is a name written in kana ("口座名義：オカベ シュウイチ"); so is a dotted one.
            written = text[run[0].start:run[-1].end] if run else ""
            if run and ("・" in written or _KANA_RUN.fullmatch(written) or any(
                    m.may_be_name or _known_surname(m.surface) for m in run)):  # fmt: skip
                yield run[0].start, run[-1].end
            if not (is_list and k < len(morphemes) and morphemes[k].surface in "、，,・"):
                break
            k += 1


def _noun_run(morphemes: list[Morpheme], k: int) -> tuple[list[Morpheme], int]:
    """Up to four nouns from morpheme k (single spaces between them), and where the run stopped;
    katakana words joined by a middle dot count as one."""
    run: list[Morpheme] = []
    while k < len(morphemes) and len(run) < 4:
        morpheme = morphemes[k]
        if run and (morpheme.is_space and morpheme.surface in " 　" or (
                morpheme.surface in _NAME_DOTS and _KATAKANA_WORD.fullmatch(run[-1].surface))):  # fmt: skip
            k += 1
            continue
        if morpheme.pos[0] != "名詞" or morpheme.pos[1] == "数詞" or morpheme.surface in HONORIFICS:
            break
        run.append(morpheme)
        k += 1
    return run, k


def _latin_names(text: str) -> Iterator[Span]:
    """A name in Latin letters inside Japanese text ("ご予約者：Emma Thompson様", "、Daniel Kim、"): two
    or three capitalised words, before an honorific or with a first name or surname the lexicon knows."""
    names = name_lexicon()
    english_companies = english_company_spans(text)
    for match in _LATIN_NAME.finditer(text):
        words = match.group("name").split()
        if any(is_ordinary_word(word) for word in words):
            continue
        honorific = match.group("honorific") is not None
        known = names.is_first(words[0]) or names.is_last(words[-1].rstrip("'’"))
        if (honorific or (len(words) > 1 and known)) and not inside(match.span("name"), english_companies):
            yield match.span("name")


def known_names(text: str, entities: Iterable[Entity]) -> set[str]:
    """The Japanese names found, and their parts split at a space or dot, to look for again in the
    rest of the document ("山田太郎" found once, "山田" later)."""
    names = set()
    for entity in entities:
        if entity.type != PERSON or not has_japanese(text[entity.start:entity.end]):
            continue
        name = text[entity.start:entity.end]
        names.add(name)
        parts = regex.split(r"[\s・=＝]+", name)
        names.update(parts)
        names.update(m.surface for m in morphemes(name) if m.is_name and m.pos[3] == "姓")
    return {name for name in names if len(name) >= MIN_KNOWN_NAME and has_japanese(name)}


def known_name_mentions(text: str, names: set[str]) -> list[Span]:
    """Where the known Japanese names recur in a paragraph, outside company names."""
    if not names:
        return []
    pattern = regex.compile("|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True)))
    companies = company_spans(fold_width(text))
    return [m.span() for m in pattern.finditer(text) if not inside(m.span(), companies)]
