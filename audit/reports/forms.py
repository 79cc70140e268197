from django import forms
from django.utils.translation import gettext_lazy as _

from audit.reports.registry import BUILDERS


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=[(kind, b.label) for kind, b in BUILDERS.items()])
    which = forms.CharField(
        label=_("Which"), max_length=40, help_text=_("An id, all, or a period 2026-01-01..2026-02-01.")
    )
