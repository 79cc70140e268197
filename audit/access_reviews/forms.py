from django import forms
from django.utils.translation import gettext_lazy as _

from audit.access_reviews.models import AccessReviewItem


class StartCampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class DecideItemForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (d.value, d.label)
            for d in (AccessReviewItem.Decision.CERTIFIED, AccessReviewItem.Decision.REVOKED)
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)
