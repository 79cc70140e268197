import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.counterparties.lists import FORMATS
from reviews.counterparties.models import (
    Counterparty,
    HitDecision,
    JurisdictionRisk,
    SanctionsList,
    ScreeningHit,
)
from reviews.counterparties.rating import QUESTIONS
from reviews.counterparties.services import TYPED_DATE_LENGTH


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class CounterpartyForm(forms.Form):
    matter = forms.ModelChoiceField(queryset=None, label=_("Matter"), empty_label=None)
    name = forms.CharField(max_length=300, label=_("Name"))
    kind = forms.ChoiceField(choices=Counterparty.Kind.choices, label=_("Type"))
    aliases = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Aliases (one a line)")
    )
    country = forms.CharField(required=False, max_length=60, label=_("Country (ISO code or name)"))
    date = forms.CharField(
        required=False,
        max_length=TYPED_DATE_LENGTH,
        label=_("Date of birth or registration (1969, 1969-07-16, 16 July 1969 or 1969年7月16日)"),
    )
    identifiers = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  label=_("Identifiers: passport, registration numbers (one a line)"))  # fmt: skip

    def __init__(self, *args, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters

    def clean_aliases(self) -> list[str]:
        return _lines(self.cleaned_data["aliases"])

    def clean_identifiers(self) -> list[str]:
        return _lines(self.cleaned_data["identifiers"])


class CounterpartyEditForm(CounterpartyForm):
    """What is known of the counterparty, corrected: the matter and the type stay as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, matters=None, **kwargs)
        del self.fields["matter"], self.fields["kind"]

    @classmethod
    def of(cls, counterparty: Counterparty) -> "CounterpartyEditForm":
        return cls(initial={"name": counterparty.name, "aliases": "\n".join(counterparty.aliases),
                            "country": counterparty.country, "date": counterparty.date,
                            "identifiers": "\n".join(counterparty.identifiers)})  # fmt: skip


class HitDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=HitDecision.Outcome.choices, label=_("Decision"))
    reason = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class OpenHitFilter(django_filters.FilterSet):
    """The queue's filters: the matter, the list and the level of the hit."""

    matter = django_filters.ModelChoiceFilter(field_name="screening__counterparty__matter", queryset=None,
                                              label=_("Matter"))  # fmt: skip
    list_name = django_filters.ChoiceFilter(choices=(), label=_("List"))
    decision = django_filters.ChoiceFilter(choices=[("match", _("match")), ("review", _("review"))], label=_("Level"))

    class Meta:
        model = ScreeningHit
        fields = ["matter", "list_name", "decision"]

    def __init__(self, *args, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["matter"].queryset = matters
        self.filters["list_name"].extra["choices"] = [
            (name, name) for name in SanctionsList.objects.order_by("name").values_list("name", flat=True)
        ]


class RelatedPersonForm(forms.Form):
    name = forms.CharField(max_length=300, label=_("Name"))
    role = forms.CharField(max_length=100, label=_("Role (director, owner, ...)"))
    date_of_birth = forms.CharField(
        required=False,
        max_length=TYPED_DATE_LENGTH,
        label=_("Date of birth (1969, 1969-07-16, 16 July 1969 or 1969年7月16日)"),
    )
    nationality = forms.CharField(required=False, max_length=60, label=_("Nationality"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReviewRequestForm(forms.Form):
    documents = MultipleFileField(required=False, widget=MultipleFileInput,
                                  label=_("Documents: registry extracts, news, questionnaires (PDF, DOCX or TXT)"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (question, _floor) in QUESTIONS.items():
            self.fields[f"q_{key}"] = forms.BooleanField(required=False, label=question)

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data[f"q_{key}"] for key in QUESTIONS}


class RatingForm(forms.Form):
    rating = forms.ChoiceField(choices=JurisdictionRisk.Level.choices, label=_("Rating"))
    reason = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


class JurisdictionRiskForm(forms.Form):
    country = forms.CharField(max_length=60, label=_("Country (ISO code or name)"))
    level = forms.ChoiceField(choices=JurisdictionRisk.Level.choices, label=_("Level"))
    source = forms.CharField(required=False, max_length=200, label=_("Source"))
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note")
    )


class SanctionsImportForm(forms.Form):
    file = forms.FileField(label=_("List file"))
    file_format = forms.ChoiceField(choices=[(f, f) for f in FORMATS], label=_("Format"))
    published = forms.DateField(
        required=False, label=_("Publication date (YYYY-MM-DD; required for the OFAC CSV)")
    )
