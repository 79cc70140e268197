"""Clause spans read from headings: the articles of Japanese contracts (第N条（見出し） and the text
under it), and the numbered sections and set phrases of English ones for the categories CUAD has none for.

A Japanese contract names what each article is about in its heading, and the words lawyers look
for are set phrases (自動的に更新, 一切の損害を無制限に賠償, 反社会的勢力). The CUAD classifier has
never seen Japanese, so Japanese text is read here: an article whose heading names a category is a
span of that category, and a sentence holding a set phrase is a span of the phrase's category. In
English the classifier finds CUAD's 41 categories; a section headed "Confidentiality" or
"Jurisdiction" is a span of the practice category its heading names, and a sentence holding a set
phrase of an NDA ("independently developed", "required by law", "unaided memory") one of its phrase's.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from worker.clauses.model import ClauseSpan

HEADING_SCORE = 0.9
PHRASE_SCORE = 0.85

_NUMBER = r"[0-9０-９一二三四五六七八九十百〇]+"
# An article starts a line: 第5条（準拠法及び管轄）, 第十二条 (管轄), 第12条の2【再委託】, or 第3条 alone.
_ARTICLE = regex.compile(
    rf"(?m)^[ \t　]*第{_NUMBER}条(?:の{_NUMBER})?[ \t　]*(?:[（(【〔](?P<heading>[^）)】〕\n]{{1,40}})[）)】〕])?"
)
# What ends the last article: the closing words (後文), the signature date, an annex.
_ARTICLES_END = regex.compile(r"(?m)^[ \t　]*(?:本契約締結の証として|以上を証するため|（以下余白）|\(以下余白\)|別紙)")
_SENTENCE = regex.compile(r"[^。\n]+(?:。|$)", regex.MULTILINE)

# Heading words, most specific first: an article is of every category its heading names.
_HEADINGS: tuple[tuple[str, regex.Pattern], ...] = tuple(
    (category, regex.compile(words))
    for category, words in (
        ("Governing Law", r"準拠法"),
        ("Jurisdiction", r"管轄"),
        ("Confidentiality", r"秘密保持|秘密情報|機密保持|守秘"),
        ("Definition of Confidential Information", r"秘密情報の定義"),
        ("Confidentiality Exclusions", r"秘密情報の(?:例外|除外)|適用除外"),
        ("Residuals", r"残留情報|残存情報"),
        ("No-Solicit of Employees", r"引抜|引き抜|従業員の勧誘"),
        ("Return or Destruction", r"返還|破棄|廃棄|消去"),
        ("Anti-Social Forces", r"反社会的勢力|暴力団"),
        ("Subcontracting", r"再委託"),
        ("Damages", r"損害賠償"),
        ("Anti-Assignment", r"譲渡"),
        ("IP Ownership Assignment", r"知的財産|著作権|権利の帰属|成果物の帰属|権利帰属"),
        ("Termination for Convenience", r"中途解約|任意解約"),
        ("Non-Compete", r"競業"),
        ("Audit Rights", r"監査|立入"),
        ("Insurance", r"保険"),
        ("Expiration Date", r"有効期間|契約期間|存続期間|^期間$"),
    )
)
# Set phrases in the text, whatever the heading says.
_PHRASES: tuple[tuple[str, regex.Pattern], ...] = tuple(
    (category, regex.compile(words))
    for category, words in (
        ("Renewal Term", r"自動的に(?:更新|延長)|自動更新|同一(?:の)?条件(?:で|にて)(?:さらに)?[^。]{0,8}(?:更新|延長)"),
        ("Notice Period to Terminate Renewal",
         rf"(?:期間満了|満了日|満了)[^。]{{0,6}}{_NUMBER}\s*(?:日|か月|ヶ月|ヵ月|カ月|箇月|週間)前"),
        ("Uncapped Liability", r"(?:一切の|全ての|すべての)損害[^。]{0,40}(?:無制限|制限なく|上限なく)|無制限に賠償|上限を設けず"),
        ("Cap on Liability", r"(?:を|の)?(?:上限|限度)とする|を超えない(?:範囲|額|金額)|を上限として"),
        ("Termination for Convenience", r"いつでも[^。]{0,40}(?:解約|解除)"),
        ("Anti-Social Forces", r"反社会的勢力"),
        ("Subcontracting", r"再委託"),
        ("Return or Destruction", r"(?:返還|破棄|廃棄)(?:し|する|しなければ)"),
        ("Definition of Confidential Information", r"「?秘密情報」?とは"),
        # The usual exclusions, each a line of its own list or all in one sentence.
        ("Confidentiality Exclusions", r"秘密情報(?:に|から)(?:は)?(?:含まれない|含まない|該当しない|除く|除外)|公知|独自に開発"
         r"|既に[^。]{0,10}(?:保有|所有|知って|了知)|第三者から[^。]{0,30}(?:取得|入手|開示を受け)"),
        ("Permitted Disclosure", r"(?:役員|従業員|弁護士|公認会計士|税理士|専門家|アドバイザー)[^。]{0,60}開示(?:する|できる|することができる)"),
        ("Compelled Disclosure", r"法令[^。]{0,40}(?:開示|提出)を(?:求め|要求|命じ|要請)"
         r"|(?:裁判所|行政機関|官公庁|捜査機関)[^。]{0,30}(?:命令|要請|求め)[^。]{0,20}開示"),
        ("Residuals", r"残留情報|残存情報|記憶[^。]{0,20}(?:残|保持|とどめ)"),
        ("No-Solicit of Employees", r"(?:従業員|役職員|社員)[^。]{0,40}(?:勧誘|引き抜|引抜)|(?:勧誘|引き抜|引抜)[^。]{0,30}(?:従業員|役職員|社員)"),
        # A survival sentence, often in the article on the term, is part of the confidentiality clause.
        ("Confidentiality", r"(?:終了|満了)後も[^。]{0,30}(?:存続|効力を有)"),
    )
)


# A numbered English section heading at the start of a line: "12. Confidentiality.", "Section 9 Jurisdiction".
_SECTION = regex.compile(
    r"(?m)^[ \t]*(?:(?:Section|SECTION|Article|ARTICLE)[ \t]+)?\d{1,2}(?:\.\d{1,2})?\.?[ \t]+"
    r"(?P<heading>(?:[A-Z][A-Za-z'’-]*|of|and|or|the|to|for|in|&|;|,|/)(?:[ \t]+(?:[A-Z][A-Za-z'’-]*|of|and|or|the|to|for"
    r"|in|&)[;,]?){0,7})[ \t]*(?:[.:]|$)"
)
_ENGLISH_HEADINGS: tuple[tuple[str, regex.Pattern], ...] = tuple(
    (category, regex.compile(words, regex.IGNORECASE))
    for category, words in (
        ("Jurisdiction", r"\b(?:jurisdiction|venue|forum)\b"),
        ("Confidentiality", r"\bconfidential|\bnon-?disclosure|\bnondisclosure"),
        ("Definition of Confidential Information", r"\bconfidential information\b|\bdefinition of confidential"),
        # "Exceptions", "Exclusions", but not a heading on the exclusion of liability
        ("Confidentiality Exclusions",
         r"^(?!.*\b(?:liabilit|damages|warrant|indemn)).*\b(?:exceptions?|exclusions?)\b"),
        ("Permitted Disclosure", r"\bpermitted disclosures?|\brepresentatives\b"),
        ("Compelled Disclosure", r"\b(?:compelled|required|legally required)\s+disclosures?|\blegal process"),
        ("Residuals", r"\bresiduals?\b"),
        ("Return or Destruction", r"\b(?:return|destruction)\b"),
        ("Anti-Social Forces", r"\banti-?social|\borgani[sz]ed crime"),
        ("Subcontracting", r"\bsub-?contract"),
        ("Damages", r"\bdamages\b"),
    )
)


# Set phrases of English NDAs, read in the sentence that holds them (a list "(a) ...; (b) ..." is one sentence).
_ENGLISH_PHRASES: tuple[tuple[str, regex.Pattern], ...] = tuple(
    (category, regex.compile(words, regex.IGNORECASE))
    for category, words in (
        ("Definition of Confidential Information",
         r"[\"“]?Confidential Information[\"”]?\s+(?:shall\s+)?(?:means?|includes?|refers?\s+to)\b"
         r"|\((?:the\s+|collectively,?\s+)?[\"“]Confidential Information[\"”]\)"
         r"|\bterm\s+[\"“]?Confidential Information"),
        ("Confidentiality Exclusions",
         r"\b(?:public\s+domain|public\s+knowledge|publicly\s+(?:available|known)|generally\s+(?:available|known)"
         r"|(?:available|known)\s+to\s+the\s+public"
         r"|independently\s+develop|developed\s+independently|independent\s+development"
         r"|rightfully\s+(?:received|obtained|acquired|known)|lawfully\s+(?:received|obtained|acquired)"
         r"|known\s+to\s+(?:it|the\s+(?:Recipient|Receiving\s+Party))\s+(?:before|prior)"
         r"|(?:before|prior\s+to)\s+(?:the\s+)?disclosure"
         r"|without\s+(?:a\s+|any\s+)?(?:duty|obligation|restriction)\s+of\s+confidential"
         r"|(?:shall|does|will)\s+not\s+(?:include|apply\s+to)\s+(?:any\s+)?information)"),
        ("Permitted Disclosure",
         r"\bneed\s+to\s+know\b|\bdisclose\b(?:\s+\S+){0,4}?\s+to\s+(?:\S+\s+){0,3}?"
         r"(?:employees|directors|officers|advis[eo]rs|attorneys|accountants|counsel|consultants|Representatives"
         r"|agents)\b"),
        ("Compelled Disclosure",
         r"\b(?:required|compelled|requested|ordered)\s+(?:to\s+disclose\s+\S+(?:\s+\S+)?\s+)?by\s+"
         r"(?:applicable\s+|any\s+)?"
         r"(?:law|statute|regulation|rule|court|order|subpoena|legal\s+process|govern\w*|judicial|stock\s+exchange)"
         r"|\bsubpoena|\bcourt\s+order|\border\s+of\s+(?:a|any)\s+court|\blegal(?:ly)?\s+(?:process|compelled)"),
        ("Residuals", r"\bresiduals?\b|\bunaided\s+memor|\bretained\s+in\s+(?:the\s+)?(?:\S+\s+)?memor"),
        ("Return or Destruction",
         r"\breturn\b[^.]{0,80}\b(?:destroy|destruction)\b|\b(?:destroy|destruction)\b[^.]{0,80}\breturn\b"
         r"|\b(?:Information|materials|documents|copies)\b[^.;]{0,200}?\bbe\s+(?:\w+\s+and\s+)?"
         r"(?:returned|destroyed)\b"),
        # How long the obligations last, part of the confidentiality clause as in Japanese contracts.
        ("Confidentiality",
         r"\b(?:confidential\w*|obligations?)\b[^.]{0,200}\b(?:surviv\w*|remain\s+in\s+(?:full\s+)?(?:force|effect))"
         r"|\bsurviv\w*\b[^.]{0,200}\bconfidential"),
        ("No-Solicit of Employees",
         r"\bsolicit\w*\b[^.]{0,150}\b(?:employ\w*|personnel|staff)\b|\bhire\b[^.]{0,60}\bemployees?\b"
         r"|\binduce\w*\b[^.]{0,60}\bleave\b[^.]{0,40}\bemploy"),
        ("No-Solicit of Customers", r"\b(?:solicit|divert)\w*\b[^.]{0,100}\b(?:customers?|clients?)\b"),
    )
)
# An English sentence ends at a full stop before a space or at a blank line ("2.1" and "U.S.A" do not end one).
_ENGLISH_SENTENCE = regex.compile(r"(?:[^.\n]|\.(?!\s)|\n(?![ \t]*\n))+\.?")


def heading_spans(text: str) -> list[ClauseSpan]:
    """The spans Japanese articles, English section headings and English set phrases give."""
    return article_spans(text) + section_spans(text) + phrase_spans(text)


def section_spans(text: str) -> list[ClauseSpan]:
    """English sections of the practice categories (CUAD has none for them), from heading to next section."""
    found = list(_SECTION.finditer(text))
    spans = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        spans += [ClauseSpan(category, *_trimmed(text, match.start(), end), HEADING_SCORE)
                  for category, words in _ENGLISH_HEADINGS if words.search(match.group("heading"))]  # fmt: skip
    return spans


def article_spans(text: str) -> list[ClauseSpan]:
    """Spans of the categories the articles' headings and set phrases name, with exact offsets."""
    spans = []
    for start, end, heading in _articles(text):
        spans += [ClauseSpan(category, start, end, HEADING_SCORE)
                  for category, words in _HEADINGS if heading and words.search(heading)]  # fmt: skip
        for sentence in _SENTENCE.finditer(text, start, end):
            for category, words in _PHRASES:
                if words.search(sentence.group()):
                    spans.append(ClauseSpan(category, *_trimmed(text, *sentence.span()), PHRASE_SCORE))
    return spans


def phrase_spans(text: str) -> list[ClauseSpan]:
    """English sentences holding a set phrase of an NDA's categories, one span per category."""
    return [ClauseSpan(category, *_trimmed(text, *sentence.span()), PHRASE_SCORE)
            for sentence in _ENGLISH_SENTENCE.finditer(text)
            for category, words in _ENGLISH_PHRASES if words.search(sentence.group())]  # fmt: skip


def _articles(text: str) -> Iterator[tuple[int, int, str]]:
    """Each article as (start, end, heading): from its number to the next article or the closing words."""
    found = list(_ARTICLE.finditer(text))
    closing = _ARTICLES_END.search(text, found[-1].end()) if found else None
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else (closing.start() if closing else len(text))
        yield *_trimmed(text, match.start(), end), (match.group("heading") or "").strip()


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
