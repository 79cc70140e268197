from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.counterparties.lists import FORMATS
from reviews.counterparties.models import Counterparty, JurisdictionRisk
from reviews.counterparties.rating import QUESTIONS


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
        required=False, max_length=10, label=_("Date of birth or registration (YYYY or YYYY-MM-DD)")
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


class RelatedPersonForm(forms.Form):
    name = forms.CharField(max_length=300, label=_("Name"))
    role = forms.CharField(max_length=100, label=_("Role (director, owner, ...)"))
    date_of_birth = forms.CharField(
        required=False, max_length=10, label=_("Date of birth (YYYY or YYYY-MM-DD)")
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
