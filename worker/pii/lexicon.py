"""Words and regex fragments shared by the recognizers and the rules that clean their results."""

from __future__ import annotations

# A capitalised word of a personal name: "Smith", "O'Farrell", "McColl", "Wieloch-Bolnbach", "Müller".
NAME_WORD = r"\p{Lu}[\p{L}'’]*\p{Ll}[\p{L}'’]*(?:-\p{Lu}[\p{L}'’]*\p{Ll}[\p{L}'’]*)*"
PARTICLES = frozenset("van von der den de del della di da dos du la le y ter ten".split())
PARTICLE = "(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + ")"
# A personal name of one to four words, particles between them: "Lot de Vries".
NAME = rf"\b{NAME_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+)*{NAME_WORD}){{0,3}}"
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra|Sig|Sig\.ra)\.?"

# Words of contract roles, defined terms, headings and letter phrases: a "name" made only of these
# is not a person, and they are trimmed off the edges of a real one.
NOT_NAME_WORDS = frozenset(
    """
    a an the of and or for to by in on at as with this that these its their our your his her
    agreement customer supplier party parties licensor licensee buyer seller vendor purchaser recipient
    discloser disclosing receiving contractor subcontractor client company services service term terms
    fee fees confidential information schedule section article exhibit annex appendix clause director
    guarantor employer employee lender borrower landlord tenant lessor lessee consultant provider
    processor controller data subject affiliate affiliates agent force majeure deliverables intellectual
    property rights law laws governing notice notices termination liability warranty warranties
    indemnity head legal counsel officer chief executive ceo cfo coo general manager managing partner
    signatory witness dear hi hello kind regards best sincerely thanks cheers subject renewal kyc ubo
    screening sanctions risk rating effective date dates commencement signature signed name names full
    contact attention attn address email e-mail phone tel telephone mobile fax account holder payee
    beneficial owner passport ssn nino iban card number sort code mr mrs ms miss mx dr prof sir dame herr
    frau mme mlle sr sra dob born birth from cc bank limited salary personnel key payment payments
    invoice invoices amendment copy refund persons person screened shareholder shareholders team title
    agreed accepted witnessed behalf business day days good industry practice credit credits price
    purchase closing material adverse effect change control statement work licensed software territory
    net revenue share contract year portal privacy protection acceptance tests standard contractual
    clauses personal policy order orders product products dispute disputes
    cap uncapped audit insurance exclusivity covenant assignment convenience favored nation volume
    restriction ownership license irrevocable perpetual escrow liquidated damages minimum commitment
    exception sharing beneficiary expiration period category president vice senior associate deputy
    principal esq assistant chairman chairperson founder financial operating regulatory quality project
    facsimile dated print department
    """.split()
)

# Words that make a capitalised phrase an organisation or a place rather than a person.
ORGANIZATION_WORDS = frozenset(
    """
    bank banca banco group groep gruppe ministry university universidad università council office agency
    authority court commission fund trust association foundation institute services solutions systems
    technologies technology international global capital industries logistics consulting software pharma
    energy media insurance ventures labs networks airlines motors foods royal koninklijke comercial fábrica
    finanzas transportes manufacturas alimentación construcciones inversiones hermanos store club hotel
    hospital school college department government federal national state city county republic kingdom
    union european america american united states new york london paris berlin madrid rome tokyo
    """.split()
)

# Legal forms that end a company name. Case matters: "AS" is a legal form, "as" is not.
LEGAL_FORM = (
    r"(?:Inc|Incorporated|LLC|L\.L\.C\.|Ltd|Limited|LLP|LP|PLC|plc|GmbH|mbH|AG|KG|KGaA|OHG|GbR|Stiftung|SE|SA|"
    r"S\.A\.(?:D\.?)?|SAS|S\.A\.S\.|SARL|S\.p\.A\.?|SpA|SPA|SP|Srl|SRL|[sS]\.r\.l\.?|BV|B\.V\.?|NV|N\.V\.?|"
    r"e\.G\.?|"
    r"Corp\.?|Corporation|Company|Co\.|Group|Groep|Gruppe|Holding|Holdings|Partners|Associates|Asociados|"
    r"S\.Coop\.?|S\.Com\.?|S\.L\.(?:L\.|N\.E\.?)?|SL|S\.C\.(?:P\.?)?|S\.N\.C\.|Oy|AB|AS|ApS|KK|K\.K\.|Ltda|Pty|"
    r"S\.A\.T\.?|e[ ]figli|e[ ]figlio|&[ ]Co\.?|(?:&|and)[ ]Sons|e[ ]Hijos|et[ ]Fils|[yY][ ][aA]sociados|Söhne)"
)
