"""Personal data in Japanese text: names from SudachiPy's morphological analysis and the cues that
contracts and KYC files put around them, identifiers by their shape.

SudachiPy (the tokenizer GiNZA itself runs on, with its core dictionary) tags most Japanese and
many foreign names `名詞-固有名詞-人名`, at hundreds of thousands of characters a second; GiNZA's
neural NER would add a few names at a hundredth of that speed, so it is left out. What the
dictionary misses is found by context: honorifics after a name (様, さん, 氏, 首相), labels before
one (氏名, 担当者, 代表取締役) and a name seen earlier in the same document.

Identifiers are matched on a width-folded copy of the text (full-width digits and letters read as
half-width, one character for one, so offsets stay those of the original).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex
from sudachipy import Dictionary, SplitMode

from worker.pii.companies import company_spans as english_company_spans
from worker.pii.name_context import is_ordinary_word
from worker.pii.name_lexicon import name_lexicon
from worker.pii.spans import PERSON, Entity

Span = tuple[int, int]

# Japanese script: a paragraph holding any of it goes through this module.
_JAPANESE = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}ー々〆〇]")
_KATAKANA_WORD = regex.compile(r"[\p{Katakana}ー]{2,}")
_NAME_DOTS = frozenset("・=＝")
_DOTTED_KATAKANA = regex.compile(r"[\p{Katakana}ー]{2,}(?:[・=＝](?:[A-Z]\.?[・=＝])?[\p{Katakana}ー]{2,})+")
_INITIALS_BEFORE = regex.compile(r"(?:[A-Z]\.[ ]?){1,3}$")
_READING_AFTER = regex.compile(r"[(（](?P<reading>[\p{Hiragana}\p{Katakana}ー][\p{Hiragana}\p{Katakana}ー・ 　]{1,20})(?=[)）、,])")

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
# The street part of an address: 丁目, 番(地) and 号, or numbers joined by dashes after a place name,
# then the building and room.
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
    rf"(?:{_SPACE}?\d+(?:{_DASH}\d+)?(?:階|F|号室|号)?)?(?:内)?|\d+(?:{_DASH}\d+)?(?:階|F|号室)|内(?=$|[\s。、])|(?<=[^\d\s])\d{{2,4}}(?=$|\s))"
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
PERSON_SCORE = 0.85
CUE_SCORE = 0.6
IDENTIFIER_SCORE = 0.8
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


def has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


def fold_width(text: str) -> str:
    """Full-width digits, letters and punctuation as half-width, and the ideographic space as a
    space, one character for one so that offsets carry over; characters that NFKC would turn into
    more or fewer characters stay as they are."""
    return "".join(_fold_char(char) for char in text)


@cache
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


@cache
def _tokenizer():
    """One SudachiPy tokenizer per process (the dictionary is memory-mapped)."""
    return Dictionary(dict="core").create(mode=SplitMode.C)


@dataclass(frozen=True)
class _Morpheme:
    surface: str
    start: int
    end: int
    pos: tuple[str, ...]
    oov: bool

    @property
    def is_name(self) -> bool:
        return self.pos[1] == "固有名詞" and self.pos[2] == "人名"

    @property
    def is_space(self) -> bool:
        return self.pos[0] == "空白"

    @property
    def may_be_name(self) -> bool:
        """A word that can be a name the dictionary does not know as one: a proper noun, or a word
        it does not know at all."""
        return self.is_name or self.oov or (self.pos[1] == "固有名詞" and self.pos[3] != "国")


# SudachiPy refuses input longer than about 49,000 bytes: longer text is analysed a line at a time.
_MAX_PIECE_CHARS = 8_000
_LINE = regex.compile(r"[^\n]*\n?")


def _morphemes(text: str) -> list[_Morpheme]:
    morphemes = []
    for offset, piece in _pieces(text):
        morphemes += [
            _Morpheme(m.surface(), offset + m.begin(), offset + m.end(), tuple(m.part_of_speech()), m.is_oov())
            for m in _tokenizer().tokenize(piece)
        ]
    return morphemes


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """The text in pieces SudachiPy accepts, cut at line ends (a line longer than that, in slices)."""
    if len(text) <= _MAX_PIECE_CHARS:
        yield 0, text
        return
    start = 0
    for line in _LINE.finditer(text):
        if line.end() - start > _MAX_PIECE_CHARS and line.start() > start:
            yield start, text[start:line.start()]
            start = line.start()
        while line.end() - start > _MAX_PIECE_CHARS:
            yield start, text[start:start + _MAX_PIECE_CHARS]
            start += _MAX_PIECE_CHARS
    if start < len(text):
        yield start, text[start:]


def company_spans(text: str) -> list[Span]:
    return [m.span() for m in _COMPANY.finditer(text)]


def _inside(span: Span, spans: Iterable[Span]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def _joins_name(morpheme: _Morpheme) -> bool:
    return morpheme.surface in _NAME_DOTS or (morpheme.is_space and len(morpheme.surface) <= 2)


def _name_runs(morphemes: list[_Morpheme]) -> Iterator[Span]:
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


def _glued_to_word(morphemes: list[_Morpheme], k: int) -> bool:
    """A lone name morpheme written into a compound ("高山植物", "旭洋丸") is part of a word."""
    after = morphemes[k + 1] if k + 1 < len(morphemes) else None
    return (
        after is not None and after.start == morphemes[k].end and after.surface not in HONORIFICS
        and (after.pos[:2] == ("名詞", "普通名詞") or after.pos[0] == "接尾辞")
    )


def _dotted_names(text: str, morphemes: list[_Morpheme]) -> Iterator[Span]:
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


def _before_honorifics(morphemes: list[_Morpheme]) -> Iterator[Span]:
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


def _title_at(morphemes: list[_Morpheme], i: int) -> str | None:
    surface = morphemes[i].surface
    joined = surface + morphemes[i + 1].surface if i + 1 < len(morphemes) else ""
    for candidate in (joined, surface):
        if candidate and (candidate in HONORIFICS or (candidate[0] in _TITLE_PREFIXES and candidate[1:] in HONORIFICS)):
            return candidate
    return None


def _may_be_name_before(morpheme: _Morpheme, title: str) -> bool:
    """A proper noun, a known surname, a kana word before さん or 様, any noun before くん or ちゃん."""
    if morpheme.may_be_name or _known_surname(morpheme.surface) or _KATAKANA_WORD.fullmatch(morpheme.surface):
        return True  # a katakana word before a title is a foreign name ("メルケル首相")
    if morpheme.pos[0] != "名詞":
        return False
    return title in _CHILD_SUFFIXES or (title in _KANA_NAME_SUFFIXES and _KANA.fullmatch(morpheme.surface) is not None)


def _given_names_after_surnames(text: str, morphemes: list[_Morpheme]) -> Iterator[Span]:
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


def _after_cues(text: str, morphemes: list[_Morpheme]) -> Iterator[Span]:
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


def _noun_run(morphemes: list[_Morpheme], k: int) -> tuple[list[_Morpheme], int]:
    """Up to four nouns from morpheme k (single spaces between them), and where the run stopped;
    katakana words joined by a middle dot count as one."""
    run: list[_Morpheme] = []
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
        if (honorific or (len(words) > 1 and known)) and not _inside(match.span("name"), english_companies):
            yield match.span("name")


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


def japanese_entities(text: str) -> list[Entity]:
    """Personal data in one paragraph of Japanese (or mixed) text; company names are left out."""
    folded = fold_width(text)
    morphemes = _morphemes(text)
    companies = company_spans(folded)
    entities = [
        Entity(PERSON, *_with_initials_and_reading(folded, span), score)
        for spans, score in (
            (_name_runs(morphemes), PERSON_SCORE),
            (_dotted_names(text, morphemes), PERSON_SCORE),
            (_before_honorifics(morphemes), PERSON_SCORE),
            (_given_names_after_surnames(text, morphemes), PERSON_SCORE),
            (_after_cues(folded, morphemes), CUE_SCORE),
            (_latin_names(text), CUE_SCORE),
        )
        for span in spans
        if not _inside(span, companies)
    ]
    entities += [Entity("STREET_ADDRESS", *span, IDENTIFIER_SCORE) for span in _addresses(folded)]
    entities += [Entity("JP_MY_NUMBER", *span, IDENTIFIER_SCORE) for span in _my_numbers(folded)]
    for kind, pattern in _IDENTIFIERS:
        entities += [Entity(kind, *m.span(), IDENTIFIER_SCORE) for m in pattern.finditer(folded)]
    return entities


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
        morphemes = _morphemes(name)
        names.update(m.surface for m in morphemes if m.is_name and m.pos[3] == "姓")
    return {name for name in names if len(name) >= MIN_KNOWN_NAME and has_japanese(name)}


def known_name_mentions(text: str, names: set[str]) -> list[Span]:
    """Where the known Japanese names recur in a paragraph, outside company names."""
    if not names:
        return []
    pattern = regex.compile("|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True)))
    companies = company_spans(fold_width(text))
    return [m.span() for m in pattern.finditer(text) if not _inside(m.span(), companies)]
