import json

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.contracts.categories import category_choices
from reviews.contracts.models import Finding, Playbook, TriageAction


class ContractUploadForm(forms.Form):
    file = forms.FileField(label=_("Contract (PDF, DOCX or TXT)"))
    playbook = forms.ModelChoiceField(queryset=Playbook.objects.all(), label=_("Playbook"), empty_label=None)
    our_side = forms.CharField(
        max_length=40, required=False, label=_("Our side"),
        widget=forms.TextInput(attrs={"aria-describedby": "our-side-help", "placeholder": "甲"}),
        help_text=_("The party we are, as the contract names it: 甲 or 乙, 委託者, Customer. Rules about one side use it."),
    )


class TriageForm(forms.Form):
    action = forms.ChoiceField(choices=[c for c in TriageAction.Action.choices if c[0] != TriageAction.Action.ADD_MISSED])
    reason = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(choices=[("", "—"), *Finding.Severity.choices], required=False)


class MissedFindingForm(forms.Form):
    category = forms.ChoiceField(choices=category_choices, label=_("Clause category"))
    severity = forms.ChoiceField(choices=Finding.Severity.choices, label=_("Severity"))
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    comment = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}), label=_("What is wrong with it"))


class PlaybookForm(forms.Form):
    rules = forms.CharField(widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}), label=_("Playbook (JSON)"))
    note = forms.CharField(max_length=500, required=False, label=_("What changed"))

    def clean_rules(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": error}) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The playbook must be a JSON object."))
        return value


