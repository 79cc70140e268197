from django import forms
from django.utils.translation import gettext_lazy as _

from audit.approvals.models import ApprovalDecision


class SubmitForm(forms.Form):
    note = forms.CharField(label=_("Note for the approvers"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, label) for value, label in ApprovalDecision.Decision.choices
                 if value != ApprovalDecision.Decision.REVOKE],
        widget=forms.RadioSelect,
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
