from django import forms
from django.utils.translation import gettext_lazy as _

from audit.export import FORMATS

_LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class RangeForm(forms.Form):
    since = forms.DateTimeField(
        label=_("From"), required=False, widget=_LOCAL_TIME, input_formats=_TIME_FORMATS
    )
    until = forms.DateTimeField(
        label=_("Until"), required=False, widget=_LOCAL_TIME, input_formats=_TIME_FORMATS
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since >= until:
            raise forms.ValidationError(_("The start of the range must come before its end."))
        return cleaned


class EventFilterForm(RangeForm):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150,
                            help_text=_("A username, or system:<task>."))  # fmt: skip
    action = forms.RegexField(
        label=_("Action"), required=False, max_length=64, regex=r"^[a-z_.]+$",
        help_text=_("An action such as auth.login, or a namespace such as auth."),
        error_messages={"invalid": _("Actions are lower-case names separated by dots.")},
    )  # fmt: skip
    matter = forms.IntegerField(label=_("Matter id"), required=False, min_value=1)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    q = forms.CharField(label=_("Search actions and payloads"), required=False, max_length=200)
    hide_reads = forms.BooleanField(label=_("Hide reads (views, downloads, exports)"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("object_id") and not cleaned.get("object_type"):
            self.add_error("object_type", _("Give the object type with the object id."))
        return cleaned


class ExportForm(RangeForm):
    format = forms.ChoiceField(label=_("Format"), choices=[(name, name.upper()) for name in FORMATS])
