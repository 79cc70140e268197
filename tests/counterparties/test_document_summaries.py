"""Counterparty documents are summarised whole, once the review is done: every part, masked in one session, then
the parts combined; the summary says what it read."""

import re

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from reviews import pseudonyms
from reviews.counterparties import runs, services
from reviews.counterparties.models import CounterpartyReview
from tests.factories import MatterFactory, UserFactory, grant
from worker.llm.client import InvalidModelOutput, LLMResult
from worker.pii import MaskedText

NAME = "Rubija Haddad"
PLANTED_AT = 10_000
PARAGRAPH = ("Paragraph {n}. The company renewed its supply contracts with regional distributors and reported steady "
             "revenue from its logistics business; no litigation was pending at the end of the year.")  # fmt: skip


def _document(length: int, planted: str = "", at: int = PLANTED_AT) -> str:
    """Business prose of about `length` characters, with the paragraph `planted` starting at character `at`."""
    filler = "\n\n".join(PARAGRAPH.format(n=n) for n in range(length // len(PARAGRAPH) + 2))[:length]
    if not planted:
        return filler
    cut = filler.rfind("\n\n", 0, at - 4)
    rule = "-" * (at - cut - 4)  # a separator line, so that the planted paragraph starts exactly at `at`
    return f"{filler[:cut]}\n\n{rule}\n\n{planted}\n\n{filler[cut:].strip()}\n\nClosing note: nothing else to report."


class _RecordingModel:
    """Stands in for the LLM client: keeps each prompt with the review's stage at that moment, answers a summary."""

    def __init__(self, fail_on_call: int | None = None) -> None:
        self.review_id, self.fail_on_call = None, fail_on_call
        self.calls: list[tuple[str, str, str]] = []  # (system prompt, masked prompt, review stage)

    def generate(self, prompt, *, schema, use, system, matter_id=None, user_id=None, max_tokens=512) -> LLMResult:
        assert isinstance(prompt, MaskedText)
        stage = CounterpartyReview.objects.get(pk=self.review_id).stage
        self.calls.append((system, prompt.text, stage))
        if len(self.calls) == self.fail_on_call:
            raise InvalidModelOutput("stand-in failure")
        placeholders = " ".join(sorted(set(re.findall(r"<PERSON_\d+>", prompt.text)))) or "nobody"
        answer = schema(summary=f"Answer {len(self.calls)} names {placeholders}.")
        return LLMResult(answer, 0, "stand-in", 7, "", 1, 1, 1)

    def prompts(self) -> str:
        return "\n".join(prompt for _, prompt, _ in self.calls)


@pytest.fixture
def reviewed(small_lists, monkeypatch):
    """Runs a counterparty review of the given documents in this process, the model stood in for."""

    def review(documents: list[tuple[str, str]], **model_options):
        lawyer = UserFactory(role=Role.LAWYER)
        matter = MatterFactory()
        grant(lawyer, matter, "change_matter")
        counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Northwind Logistics Ltd",
                                                    kind="organisation", country="GB")  # fmt: skip
        model = _RecordingModel(**model_options)
        monkeypatch.setattr(runs, "llm_client", lambda: model)
        submitted = services.submit_counterparty_review(
            actor=lawyer,
            counterparty=counterparty,
            documents=[(name, text.encode()) for name, text in documents],
        )
        model.review_id = submitted.pk
        assert runs.run_counterparty_review(submitted.pk, task_id="in-process") == "done"
        assert CounterpartyReview.objects.get(pk=submitted.pk).summary_state == "queued"
        runs.summarise_queued(submitted.pk)  # the task the done review queues
        return CounterpartyReview.objects.get(pk=submitted.pk), model

    return review


def _placeholder_of(review: CounterpartyReview, value: str) -> str:
    return next(key for key, original in pseudonyms.unseal(review.pseudonyms).items() if original == value)


@pytest.mark.django_db
def test_a_name_far_past_the_first_3000_characters_reaches_the_model_masked(reviewed):
    text = _document(14_000, f"The beneficial owner is {NAME}, who holds sixty per cent of the shares.")
    assert text.index(NAME) == PLANTED_AT + len("The beneficial owner is ")

    review, model = reviewed([("registry.txt", text)])

    placeholder = _placeholder_of(review, NAME)
    assert f"The beneficial owner is {placeholder}, who holds sixty per cent" in model.prompts()
    assert "Rubija" not in model.prompts() and "Haddad" not in model.prompts()
    assert "Closing note: nothing else to report." in model.prompts(), "the document was read to its end"
    assert review.summary.startswith(f"Answer {len(model.calls)} names")
    assert review.llm_model == "stand-in (register #7)"
    assert b"Rubija" not in bytes(review.pseudonyms)


@pytest.mark.django_db
def test_every_part_is_summarised_then_the_summaries_are_combined_by_one_more_call(reviewed):
    review, model = reviewed([("registry.txt", _document(14_000, f"Director: {NAME}."))])

    parts = len(model.calls) - 1
    assert parts >= 2
    assert [system for system, _, _ in model.calls] == [runs.PART.system] * parts + [runs.COMBINE_ALL.system]
    assert [stage for _, _, stage in model.calls] == [
        *(f"summarising part {n} of {parts}" for n in range(1, parts + 1)),
        "combining the summaries",
    ]
    combined = model.calls[-1][1]
    assert all(f"Answer {n} names" in combined for n in range(1, parts + 1))
    assert _placeholder_of(review, NAME) in combined, "placeholders in the parts' summaries stay as they are"
    assert (review.stage, review.progress, review.summary_state) == ("done", 100, "written")
    [covers] = review.summary_covers
    assert (covers["parts_read"], covers["parts"], covers["characters_read"]) == (parts, parts, covers["characters"])
    written = AuditEvent.objects.get(action="counterparty_review.summary_written", object_id=str(review.pk))
    assert written.payload["covers"] == review.summary_covers


@pytest.mark.django_db
def test_one_person_keeps_one_placeholder_across_documents(reviewed):
    review, model = reviewed([("questionnaire.txt", f"Contact person: {NAME}, compliance officer."),
                              ("news.txt", _document(12_000, f"Local press quoted {NAME} on the merger."))])  # fmt: skip

    placeholder = _placeholder_of(review, NAME)
    assert f"Contact person: {placeholder}" in model.prompts()
    assert f"Local press quoted {placeholder} on the merger" in model.prompts()
    assert list(pseudonyms.unseal(review.pseudonyms).values()).count(NAME) == 1


@pytest.mark.django_db
def test_a_short_document_is_summarised_in_one_call_as_before(reviewed):
    review, model = reviewed([("extract.txt", f"Company: Northwind Logistics Ltd. Director: {NAME}.")])

    assert [system for system, _, _ in model.calls] == [runs.SUMMARY_SYSTEM_PROMPT]
    assert model.calls[0][1].startswith("extract.txt:\n") and NAME not in model.calls[0][1]
    assert review.summary == f"Answer 1 names {_placeholder_of(review, NAME)}."


@pytest.mark.django_db
def test_parts_beyond_the_cap_are_left_out_from_every_document_in_turn_and_said(reviewed, monkeypatch):
    monkeypatch.setattr(runs, "MAX_SUMMARY_PARTS", 3)
    other = _document(20_000).replace("revenue", "income")  # the same file twice would be stored once
    review, model = reviewed([("a.txt", _document(20_000)), ("b.txt", other)])

    read = [prompt.split(":\n", 1)[0] for system, prompt, _ in model.calls if system == runs.PART.system]
    assert read == ["a.txt (part 1 of 4)", "a.txt (part 2 of 4)", "b.txt (part 1 of 4)"]
    assert review.summary
    a, b = review.summary_covers
    assert (a["name"], a["parts_read"], a["parts"], b["name"], b["parts_read"], b["parts"]) == ("a.txt", 2, 4, "b.txt", 1, 4)
    assert 0 < b["characters_read"] < a["characters_read"] < a["characters"] == 20_000
    assert a["pages_read"] is None, "a text file has no pages"


def test_the_summary_says_which_pages_of_a_pdf_it_read():
    from reviews.matters.models import Document

    document = Document(pk=1, name="registry.pdf", text="x" * 9_000, pages=30, page_starts=list(range(0, 9_000, 300)))
    chunk = document.text[:2_000]
    assert runs._coverage(document, [(chunk, chunk)], total=5)["pages_read"] == 7  # 2,000 characters: pages 1-7


@pytest.mark.django_db
def test_a_failed_call_leaves_the_review_done_without_a_summary(reviewed):
    review, model = reviewed([("registry.txt", _document(14_000, f"Director: {NAME}."))], fail_on_call=2)

    assert len(model.calls) == 2, "no call after the failure"
    assert (review.state, review.summary_state) == (CounterpartyReview.State.DONE, "failed")
    assert (review.summary, review.llm_model, review.pseudonyms) == ("", "", None)
    assert AuditEvent.objects.filter(action="counterparty_review.summary_failed", object_id=str(review.pk)).exists()


@pytest.mark.django_db
def test_with_no_model_answering_the_review_is_done_and_its_summary_waits(reviewed, monkeypatch):
    from worker.llm.client import NoModelAvailable

    class _Down:
        def generate(self, *args, **kwargs):
            raise NoModelAvailable("every endpoint is down")

    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Northwind Logistics Ltd",
                                                kind="organisation", country="GB")  # fmt: skip
    monkeypatch.setattr(runs, "llm_client", lambda: _Down())
    submitted = services.submit_counterparty_review(actor=lawyer, counterparty=counterparty,
                                                    documents=[("extract.txt", f"Director: {NAME}.".encode())])  # fmt: skip
    assert runs.run_counterparty_review(submitted.pk, task_id="in-process") == "done"
    with pytest.raises(NoModelAvailable):
        runs.summarise_queued(submitted.pk)
    review = CounterpartyReview.objects.get(pk=submitted.pk)
    assert (review.state, review.summary_state) == ("done", "queued")
    assert review.proposed_rating and review.screenings.exists(), "the screening and the rating did not wait"
