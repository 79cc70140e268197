"""Synthetic labelled PII corpus: contract-like and counterparty-file-like paragraphs.

Values come from Faker in several locales with a fixed seed; sentence shapes are varied on purpose
(clauses, notices, signature blocks, KYC notes, e-mails, field lists) so that a masker tuned on this
set is not tuned to one template. Gold spans carry the entity type; company names, role words,
headings, amounts and durations are planted unlabelled, as things that must stay readable.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

from faker import Faker

NAME_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "en_IE", "ja_JP")
ADDRESS_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "en_IE")
IBAN_LOCALES = ("en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "en_IE")

# The types whose leak counts as high risk in the benchmark.
HIGH_RISK = frozenset({"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN"})


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str


@dataclass
class Paragraph:
    text: str
    spans: list[Span] = field(default_factory=list)


@dataclass
class Document:
    id: str
    paragraphs: list[Paragraph]
    # Planted unlabelled: company names must stay readable.
    companies: list[str]


@dataclass
class Person:
    first: str
    last: str
    title: str
    email: str
    phone: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


# Slots in the templates below. A slot in LABELLED is planted as PII of that type; any other slot
# is filler that must stay readable.
LABELLED = {
    "name": "PERSON", "name2": "PERSON", "last": "PERSON", "titled": "PERSON", "titled2": "PERSON",
    "email": "EMAIL_ADDRESS", "email2": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "phone2": "PHONE_NUMBER",
    "card": "CREDIT_CARD", "iban": "IBAN_CODE", "ssn": "US_SSN", "nino": "UK_NINO",
    "mynumber": "JP_MY_NUMBER", "passport": "PASSPORT", "account": "BANK_ACCOUNT",
    "address": "STREET_ADDRESS", "dob": "DATE_OF_BIRTH", "date": "DATE_TIME",
    "reversed": "PERSON", "reversed2": "PERSON", "initialled": "PERSON", "upper": "PERSON", "last2": "PERSON",
    "first": "PERSON", "first2": "PERSON",
}

CONTRACT = [
    "This Agreement is entered into on {date} between {company} (the \"Supplier\") and {company2} "
    "(the \"Customer\"), represented by {name}.",
    "Notices to the Customer shall be sent to {titled}, {address}, or by e-mail to {email}.",
    "The Supplier appoints {name} as its account manager; {last} can be reached on {phone}.",
    "Any notice under Section {n} shall be in writing and addressed to the attention of {name} at {address}.",
    "IN WITNESS WHEREOF, the parties have executed this Agreement. Signed for {company} by {name}, "
    "Director, on {date}.",
    "Payments shall be made by bank transfer to IBAN {iban} held in the name of {company}, within {n} days "
    "of the invoice date.",
    "The Customer designates {titled} (tel. {phone}) as the contact for data protection matters.",
    "Key Personnel. The Supplier shall not replace {name} or {name2} without the prior written consent of "
    "the Customer.",
    "{name}, acting as authorised signatory of {company}, confirms that the Effective Date is {date}.",
    "For escalation, the Customer may contact {name2} ({email2}) and, failing a reply within {n} business "
    "days, {titled}.",
    "The guarantor, {name}, born on {dob}, residing at {address}, irrevocably guarantees the obligations "
    "of the Customer.",
    "Fees under this Agreement total {amount}, payable to account no. {account} unless the Supplier "
    "designates another account.",
    "Should {last} leave {company}, the Supplier will promptly name a successor and notify {email}.",
]

COUNTERPARTY = [
    "Beneficial owner: {name}, date of birth {dob}, passport no. {passport}, resident at {address}.",
    "Screening note: {titled} was identified as the ultimate beneficial owner of {company} on {date}.",
    "The director's social security number is {ssn}; the file also lists a personal card ending in "
    "the full number {card}.",
    "Contact details provided by the counterparty: phone {phone}, e-mail {email}.",
    "{name} (DOB {dob}) holds {pct}% of the shares of {company}; her National Insurance number is {nino}.",
    "We met {titled} at the offices of {company} on {date}; {last} confirmed the source of funds.",
    "Her Individual Number (My Number) is {mynumber}, as shown on the copy received from {name}.",
    "Salary is paid into IBAN {iban}; a second account, {account}, was closed on {date}.",
    "According to the onboarding form, {name} lives at {address} and can be reached at {phone2} or {email2}.",
    "The card {card} was used for the deposit of {amount} on {date}.",
    "KYC refresh: identity of {name2} verified against passport {passport} and SSN {ssn}.",
    "Adverse media search on {titled2} returned no relevant results; {company} remains rated low risk.",
    "Please ask {last} to resend the utility bill for {address} before {date}.",
]

EMAIL_LIKE = [
    "From: {name} <{email}>\nTo: {name2} <{email2}>\nSubject: Renewal of the {company} agreement",
    "Hi {first2}, as discussed, I attach the draft. Call me on {phone} if anything is unclear. Best, {first}",
    "Dear {titled}, thank you for the signed copy. We will countersign and return it by {date}.",
    "{first} - the Supplier's invoices are overdue; please chase {company2} and copy {email2}.",
    "Kind regards,\n{name}\nHead of Legal, {company}\nT: {phone}\nE: {email}",
]

NARRATIVE = [
    "{name} signed the amendment on behalf of {company} after a short call with {name2}.",
    "Following the meeting with {name}, the Supplier agreed to extend the deadline to {date}.",
    "{last}'s comments on the indemnity clause were accepted by the Customer without change.",
    "The file notes that {name} and {name2} jointly control {company} through a holding in Cyprus.",
    "Payments were approved by {name} and countersigned by {name2} on {date}.",
    "It was {name2} who first introduced {company} to the Customer, according to {first}.",
    "According to press reports, {name} resigned as chief executive of {company} in {year}.",
    "Our analyst spoke to {name} twice; both times {first} declined to name the other shareholders.",
    "The sanctions list contains an entry similar to {name}, but the birth date ({dob}) differs.",
    "Persons screened: {reversed}; {reversed2}.",
    "Copy to {initialled} ({email}) and to the Legal team.",
    "During the site visit on {date}, {name} showed us the premises at {address}.",
    "{company} confirmed that {name} has no authority to bind it; only {name2} does.",
    "Mrs {last} called from {phone} to ask about the status of the onboarding.",
    "Refund to be sent to {name}, {address}, by cheque.",
]

SIGNATURE = [
    "By: ______________________\nName: {upper}\nTitle: Director\nDate: {date}",
    "SIGNED by {upper}\nfor and on behalf of {company}",
    "For the Supplier: {name}, Managing Director. For the Customer: {name2}, General Counsel.",
    "Agreed and accepted:\n{name}\n{company}",
]

FIELD_LIST = [
    "Name: {name}\nAddress: {address}\nTelephone: {phone}\nEmail: {email}",
    "Full name - {name}; Date of birth - {dob}; SSN - {ssn}",
    "Account holder: {name} | IBAN: {iban} | Card: {card}",
    "Signatory | {name} | {date}\nWitness | {name2} | {date}",
    "Passport: {passport}\nNINO: {nino}\nMobile: {phone}",
    "Payee {name}, account {account}, sort code {sort}",
]

FILLER = [
    "1. DEFINITIONS AND INTERPRETATION",
    "Section {n} - Confidentiality",
    "ARTICLE {n}: LIMITATION OF LIABILITY",
    "Schedule {n} (Service Levels)",
    "The Customer shall pay all undisputed invoices within {n} days of receipt.",
    "The Supplier warrants that the Services will be performed with reasonable skill and care.",
    "This Agreement shall be governed by the laws of England and Wales.",
    "Neither party shall be liable for any indirect or consequential loss.",
    "The Effective Date is the date on which the last party signs this Agreement.",
    "{company} and {company2} agree that the Term is {n} months, renewable annually.",
    "Confidential Information excludes information that is or becomes public through no fault of the "
    "Recipient.",
    "The Customer may terminate for convenience on {n} days' written notice.",
    "The liability cap equals the Fees paid in the {n} months preceding the claim, namely {amount}.",
    "The Supplier shall maintain insurance with a reputable insurer for the duration of the Term.",
    "Risk rating: medium. Sanctions screening: no match. Next review in {n} months.",
    "{company} is incorporated in Delaware and its parent is {company2}.",
    "Force Majeure. Neither party is in breach if delayed by events beyond its reasonable control.",
    "The Purchase Price is payable on the Closing Date unless a Material Adverse Effect has occurred.",
    "Each Service Credit is calculated per Business Day of delay against the Acceptance Tests.",
    "Personal Data shall be processed only on documented instructions under the Standard Contractual Clauses.",
    "A Change of Control of the Supplier entitles the Customer to terminate under Clause {n}.",
    "Good Industry Practice applies to all Deliverables listed in the Statement of Work.",
    "The Licensee may use the Licensed Software in the Territory, which comprises the European Union and "
    "the United Kingdom.",
    "Disputes go to the courts of New York; the Net Revenue Share is reviewed each Contract Year.",
    "MUTUAL NON-DISCLOSURE AGREEMENT",
    "Data Protection Officer: see the Privacy Notice on the Supplier Portal.",
]

# Held-out shapes: written once and never used to tune the masker, so the benchmark can tell
# tuning to the templates above from generalising to text the masker has not seen.
HELDOUT = [
    "We refer to the letter of {date} in which your client, {name}, disputes the invoice of {amount}.",
    "As agreed with {titled}, all correspondence goes to her home address ({address}) and not to the office.",
    "• {name} - {phone} - {email}\n• {name2} - {phone2} - {email2}",
    "The undersigned, {name}, born {dob}, holder of passport {passport}, declares that the funds are his own.",
    "Reimbursements: card no. {card}, cardholder {name}; fallback IBAN {iban}.",
    "{company} has nominated {name2} (SSN {ssn}) as its compliance officer with effect from {date}.",
    "Interview notes - present: {name}, {name2} and {titled2}. {last} explained the ownership chain.",
    "Please wire the deposit to {name} at {address}; her account number is {account}.",
    "Call log: {date}, inbound from {phone}, caller identified herself as {first} {last}.",
    "Under clause {n}.{n}, {name} personally undertakes not to compete with the Customer.",
    "Employee data transferred: {name}; {dob}; NI {nino}; {address}.",
    "Thanks {first}! I'll loop in {name2} from finance. Cheers, {first2}",
    "Mr. {last} and Ms. {last2} attended on behalf of {company}; minutes were taken by {name}.",
    "Resident address on file for {name2}: {address} (verified {date}).",
    "The Supplier's key contact, {name}, may be replaced on {n} days' notice to {email}.",
    "Her My Number card ({mynumber}) and a utility bill addressed to {address} were provided.",
    "{upper} / {company} / {date}",
    "Ref. {company} v {name}: the claimant seeks {amount} in damages.",
]

STYLES = (CONTRACT, COUNTERPARTY, EMAIL_LIKE, FIELD_LIST, NARRATIVE, SIGNATURE, NARRATIVE)

DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%d/%m/%Y", "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%-d %b %Y")
TITLES = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mr", "Ms")


def my_number(rng: random.Random) -> str:
    """A 12-digit Japanese Individual Number with a valid check digit."""
    body = [rng.randrange(10) for _ in range(11)]
    total = sum(d * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(body), start=1))
    check = 0 if total % 11 <= 1 else 11 - total % 11
    digits = "".join(map(str, body)) + str(check)
    return rng.choice([digits] + [separator.join((digits[:4], digits[4:8], digits[8:])) for separator in " -"])


def nino(rng: random.Random) -> str:
    first = rng.choice("ABCEGHJKLMNOPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    while first + second in {"BG", "GB", "NK", "KN", "NT", "TN", "ZZ"}:
        second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    digits = "".join(str(rng.randrange(10)) for _ in range(6))
    suffix = rng.choice("ABCD")
    if rng.random() < 0.5:
        return f"{first}{second} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    return f"{first}{second}{digits}{suffix}"


def _grouped(value: str, rng: random.Random, sep_choices: tuple[str, ...] = ("", " ")) -> str:
    sep = rng.choice(sep_choices)
    return sep.join(value[i:i + 4] for i in range(0, len(value), 4)) if sep else value


class CorpusBuilder:
    def __init__(self, seed: int, styles: tuple[list[str], ...] = STYLES) -> None:
        self.rng = random.Random(seed)
        self.styles = styles
        self.fakers = {loc: Faker(loc) for loc in sorted({*NAME_LOCALES, *ADDRESS_LOCALES, *IBAN_LOCALES})}
        for n, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed + n)

    def _faker(self, locales: tuple[str, ...]) -> Faker:
        return self.fakers[self.rng.choice(locales)]

    def person(self) -> Person:
        loc = self.rng.choice(NAME_LOCALES)
        faker = self.fakers[loc]
        if loc == "ja_JP":
            first, last = faker.first_romanized_name(), faker.last_romanized_name()
        else:
            first, last = faker.first_name(), faker.last_name()
        domain = self.rng.choice((faker.free_email_domain(), faker.domain_name()))
        local = self.rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{last}{self.rng.randrange(100)}"))
        local = "".join(c for c in local.lower() if c in string.ascii_lowercase + string.digits + ".")
        email = f"{local or 'contact'}@{domain}" if self.rng.random() < 0.7 else faker.email()
        phone = self._faker(NAME_LOCALES[:-1]).phone_number()
        return Person(first, last, self.rng.choice(TITLES), email, phone)

    def date(self, *, birth: bool) -> str:
        faker = self.fakers["en_US"]
        if birth:
            value = faker.date_of_birth(minimum_age=18, maximum_age=85)
        else:
            value = faker.date_between("-6y", "+2y")
        return value.strftime(self.rng.choice(DATE_FORMATS))

    def address(self) -> str:
        faker = self._faker(ADDRESS_LOCALES)
        if self.rng.random() < 0.4:
            return faker.street_address()
        return ", ".join(line.strip() for line in faker.address().splitlines())

    def card(self) -> str:
        number = self.fakers["en_US"].credit_card_number()  # Luhn-valid
        return _grouped(number, self.rng, ("", " ", "-")) if len(number) == 16 else number

    def iban(self) -> str:
        return _grouped(self._faker(IBAN_LOCALES).iban(), self.rng)

    def account(self) -> str:
        return self.rng.choice((
            self.fakers["en_US"].bban()[4:], str(self.rng.randrange(10**7, 10**10)),
            f"{self.rng.randrange(10**7, 10**8)}", self._faker(IBAN_LOCALES).bban()[-10:],
        ))

    def paragraph(self, templates: list[str], cast: list[Person], companies: list[str]) -> Paragraph:
        parts = [self.rng.choice(templates) for _ in range(self.rng.randint(1, 3))]
        parts += [self.rng.choice(FILLER) for _ in range(self.rng.randint(0, 2))]
        self.rng.shuffle(parts)
        return self.fill(" ".join(parts), cast, companies)

    def fill(self, template: str, cast: list[Person], companies: list[str]) -> Paragraph:
        one, two = self.rng.sample(cast, 2)
        text, spans = "", []
        for literal, slot, _, _ in string.Formatter().parse(template):
            text += literal
            if slot is None:
                continue
            value = self.value(slot, one, two, companies)
            if slot in {"titled", "titled2"}:
                # The courtesy title stays readable; only the name is personal data.
                title, _, value = value.partition(" ")
                text += title + " "
            if slot in LABELLED:
                spans.append(Span(len(text), len(text) + len(value), LABELLED[slot]))
            text += value
        return Paragraph(text, spans)

    def value(self, slot: str, one: Person, two: Person, companies: list[str]) -> str:
        rng = self.rng
        simple = {
            "name": one.full, "name2": two.full, "last": one.last, "last2": two.last, "first": one.first,
            "first2": two.first,
            "email": one.email, "email2": two.email, "phone": one.phone, "phone2": two.phone,
            "company": companies[0], "company2": companies[1],
        }
        if slot in simple:
            return simple[slot]
        producers = {
            "titled": lambda: f"{one.title} {rng.choice((one.full, one.last))}",
            "titled2": lambda: f"{two.title} {two.full}",
            "reversed": lambda: f"{one.last}, {one.first}", "reversed2": lambda: f"{two.last}, {two.first}",
            "initialled": lambda: f"{one.first[0]}. {one.last}", "upper": lambda: one.full.upper(),
            "year": lambda: str(rng.randrange(2005, 2025)),
            "card": self.card, "iban": self.iban, "ssn": self.fakers["en_US"].ssn,
            "nino": lambda: nino(rng), "mynumber": lambda: my_number(rng),
            "passport": lambda: self._faker(("en_US", "de_DE", "fr_FR", "it_IT", "es_ES")).passport_number(),
            "account": self.account, "address": self.address,
            "dob": lambda: self.date(birth=True), "date": lambda: self.date(birth=False),
            "n": lambda: str(rng.choice((3, 5, 10, 12, 14, 30, 45, 60, 90))),
            "pct": lambda: str(rng.randrange(5, 95)),
            "amount": lambda: rng.choice(("EUR", "USD", "GBP", "$")) + f" {rng.randrange(1000, 900000):,}",
            "sort": lambda: f"{rng.randrange(10, 99)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}",
        }
        return producers[slot]()

    def document(self, doc_id: str) -> Document:
        cast = [self.person() for _ in range(self.rng.randint(2, 4))]
        companies = [self._faker(ADDRESS_LOCALES).company() for _ in range(2)]
        style = self.rng.choice(self.styles)
        paragraphs = [
            self.paragraph(style if self.rng.random() < 0.7 else self.rng.choice(self.styles), cast, companies)
            for _ in range(self.rng.randint(3, 6))
        ]
        return Document(doc_id, paragraphs, companies)


def build_corpus(n_documents: int = 70, seed: int = 20261128, *, heldout: bool = False) -> list[Document]:
    """The tuning corpus, or with `heldout` one made of the held-out sentence shapes only."""
    builder = CorpusBuilder(seed, (HELDOUT,) if heldout else STYLES)
    return [builder.document(f"doc-{n:04d}") for n in range(n_documents)]
