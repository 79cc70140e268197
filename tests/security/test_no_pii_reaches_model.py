"""No personal data reaches a model: what the embedded LLM server receives, recorded by a proxy in front of it.

Reviews run in this process with LLM_ENDPOINTS pointing at the proxy (`recording_llm`), through the same code a
worker runs. Every planted identifier, and every part of a planted name, must be absent from every message the
server was sent; the placeholders standing for them, and the company names, must be there.
"""

import re

import pytest

from accounts.roles import Role
from licenses.seed import seed_register
from reviews.contracts import runs as contract_runs
from reviews.contracts import services as contract_services
from reviews.contracts.models import ContractReview
from reviews.counterparties import lists
from reviews.counterparties import runs as counterparty_runs
from reviews.counterparties import services as counterparty_services
from reviews.counterparties.models import CounterpartyReview
from tests.counterparties.lists_data import OFAC_PUBLISHED, OFAC_SMALL, UN_SMALL
from tests.factories import MatterFactory, UserFactory, grant
from worker.pii.recognizers import JpMyNumberRecognizer

PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_\d+>")

# Flags quote the sentence they are about, and only those sentences are sent for explanation: the names, e-mail
# and phone sit in a flagged sentence. The address and IBAN in the notices clause are not sent today (that clause
# raises no flag; the counterparty test below covers both); they are checked in case more text is sent one day.
CONTRACT = """MASTER SERVICES AGREEMENT

1. Governing Law. This Agreement is governed by the laws of the State of Texas, as confirmed by the Customer's \
contract manager (my name is Rubija; rubija.okafor@example.org, +1 (415) 555-0142) and by Tobias Wainwright and \
Marguerite Delacroix, who sign below.

2. Exclusivity. Customer shall purchase such services exclusively from Supplier during the Term.

3. Liability. Supplier's liability shall not exceed the fees paid in the three (3) months preceding the claim.

4. Notices. Notices to Customer go to 1420 Harbor View Drive, Springfield. Customer pays from IBAN DE89 3704 0044 \
0532 0130 00.

5. Renewal. This Agreement renews automatically for successive one (1) year terms.

IN WITNESS WHEREOF the parties have signed this Agreement.

NORTHWIND ANALYTICS INC.
By: Tobias Wainwright
Title: Chief Executive Officer

BLUEFIN SOFTWARE LLC
By: Marguerite Delacroix
Title: General Counsel
"""
CONTRACT_NAMES = ["Rubija Okafor", "Tobias Wainwright", "Marguerite Delacroix"]
CONTRACT_IDENTIFIERS = ["rubija.okafor@example.org", "+1 (415) 555-0142", "1420 Harbor View Drive",
                        "DE89 3704 0044 0532 0130 00"]  # fmt: skip

MY_NUMBER = "123456789018"
ENGLISH_DOCUMENT = """KNOW-YOUR-CUSTOMER FILE: SAMPLE CORPORATION (KABUSHIKI KAISHA SAMPLE)

The counterparty is a Tokyo company owned by its founder. Our relationship manager is Evelyn Hartmann \
(evelyn.hartmann@example.com, +44 20 7946 0958). The founder, Taro Yamada, lives at 27 Kensington Gardens \
Square, London, and holds an account with IBAN GB82 WEST 1234 5698 7654 32.
"""
JAPANESE_DOCUMENT = f"""秘密保持契約書

株式会社サンプル（以下「甲」という。）と株式会社テスト商事（以下「乙」という。）は、以下のとおり秘密保持契約を締結する。

第1条（目的）甲及び乙は、相互に開示する秘密情報を、本件取引の検討のためにのみ使用する。

第2条（連絡先）乙の担当者 鈴木花子様（電話 03-1234-5678）を窓口とする。

第3条（支払）甲は、乙の指定する口座（三菱UFJ銀行 丸の内支店 普通 1234567）に支払う。

甲：〒100-0005 東京都千代田区丸の内1丁目2番3号
株式会社サンプル
代表取締役 山田太郎
マイナンバー {MY_NUMBER}

The English summary for the file: 代表取締役 山田太郎 signed for 株式会社サンプル, and Ms. Suzuki (鈴木花子) \
will answer questions on 03-1234-5678.
"""
JAPANESE_NAMES = ["山田太郎", "鈴木花子", "Evelyn Hartmann", "Taro Yamada", "Suzuki"]
JAPANESE_NAME_PARTS = ("山田", "太郎", "鈴木", "花子")  # surnames and given names alone
JAPANESE_IDENTIFIERS = [MY_NUMBER, "03-1234-5678", "丸の内1丁目2番3号", "100-0005", "1234567",
                        "evelyn.hartmann@example.com", "+44 20 7946 0958", "27 Kensington Gardens Square",
                        "GB82 WEST 1234 5698 7654 32"]  # fmt: skip
COMPANIES = ["株式会社サンプル", "株式会社テスト商事"]


def _leaks(
    messages: list[str], names: list[str], identifiers: list[str], name_parts: tuple[str, ...] = ()
) -> list[str]:
    """The planted values found in the messages: names and each of their words (Latin words as whole words),
    identifiers also with their spaces and hyphens taken out."""
    sent = "\n".join(messages)
    squeezed = re.sub(r"[\s\-()]", "", sent)
    words = {word for name in names for word in name.split()} | set(name_parts) | set(names)
    found = [word for word in words
             if (re.search(rf"\b{re.escape(word)}\b", sent, re.IGNORECASE) if word.isascii() else word in sent)]  # fmt: skip
    found += [value for value in identifiers if value in sent or re.sub(r"[\s\-()]", "", value) in squeezed]
    return sorted(found)


def _lawyer_in_a_matter():
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    return lawyer, matter


def test_the_planted_my_number_is_valid():
    """Otherwise the masker would rightly leave it alone, and the test would prove nothing."""
    assert JpMyNumberRecognizer().validate_result(MY_NUMBER)


@pytest.mark.django_db
def test_a_contract_review_sends_the_model_no_personal_data(recording_llm, approved_clause_model, msa_playbook,
                                                            settings):  # fmt: skip
    seed_register()  # approves the embedded model for contract review, as the demo does
    settings.REVIEW_LLM_MAX_FLAGS = 8
    lawyer, matter = _lawyer_in_a_matter()
    review = contract_services.submit_contract_review(actor=lawyer, matter=matter, name="msa.txt",
                                                      data=CONTRACT.encode(), playbook=msa_playbook)  # fmt: skip
    assert contract_runs.run_contract_review(review.pk, task_id="in-process") == "done"
    contract_runs.explain_queued(review.pk)  # the step the done review queues

    messages = recording_llm.messages()
    assert recording_llm.bodies, "the review asked the model to explain its flags"
    sent = "\n".join(messages)
    # The sentences holding the planted values were sent: their own words arrived, around placeholders.
    assert "my name is <PERSON_" in sent and "as confirmed by" in sent and "who sign below" in sent
    assert _leaks(messages, CONTRACT_NAMES, CONTRACT_IDENTIFIERS) == []
    assert ContractReview.objects.get(pk=review.pk).state == ContractReview.State.DONE


@pytest.mark.django_db
def test_a_counterparty_review_of_english_and_japanese_documents_sends_the_model_no_personal_data(
    recording_llm,
):
    seed_register()  # approves the embedded model for counterparty review, as the demo does
    lists.import_file("ofac-sdn-csv", OFAC_SMALL, published=OFAC_PUBLISHED, system="tests")
    lists.import_file("un-xml", UN_SMALL, system="tests")
    lawyer, matter = _lawyer_in_a_matter()
    counterparty = counterparty_services.create_counterparty(actor=lawyer, matter=matter, name="株式会社サンプル",
                                                             kind="organisation", country="JP")  # fmt: skip
    review = counterparty_services.submit_counterparty_review(
        actor=lawyer, counterparty=counterparty,
        documents=[("kyc.txt", ENGLISH_DOCUMENT.encode()), ("nda.txt", JAPANESE_DOCUMENT.encode())],
    )  # fmt: skip
    assert counterparty_runs.run_counterparty_review(review.pk, task_id="in-process") == "done"
    counterparty_runs.summarise_queued(review.pk)  # the step the done review queues

    messages = recording_llm.messages()
    assert recording_llm.bodies, "the review asked the model to summarise the documents"
    sent = "\n".join(messages)
    assert "KNOW-YOUR-CUSTOMER FILE" in sent and "秘密保持契約書" in sent, "both documents were sent"
    assert "<PERSON_" in sent and len(set(PLACEHOLDER.findall(sent))) >= 5
    assert [company for company in COMPANIES if company not in sent] == [], "company names stay readable"
    assert _leaks(messages, JAPANESE_NAMES, JAPANESE_IDENTIFIERS, JAPANESE_NAME_PARTS) == []
    assert CounterpartyReview.objects.get(pk=review.pk).state == CounterpartyReview.State.DONE
