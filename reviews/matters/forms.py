from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.matters.models import Matter


class MatterGrantForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, required=False, label=_("User"))
    group = forms.ModelChoiceField(queryset=None, required=False, label=_("Group"))
    permissions = forms.MultipleChoiceField(
        label=_("Access"),
        choices=[("view_matter", _("See the matter")), ("change_matter", _("Work in the matter")),
                 ("manage_matter_access", _("Manage who has access"))],  # fmt: skip
        initial=["view_matter"],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth.models import Group

        from accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["group"].queryset = Group.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("user")) == bool(cleaned.get("group")):
            raise forms.ValidationError(_("Choose either a user or a group."))
        return cleaned


def _lawyers():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role

    lawyers = Group.objects.get(name=Role.LAWYER.value).user_set
    return User.objects.filter(is_active=True, pk__in=lawyers.values("pk")).order_by("username")


class MatterOpenForm(forms.Form):
    """The fields of a new matter; the service validates them (format, uniqueness) and reports by field."""

    reference = forms.CharField(label=_("Reference"), max_length=64, help_text=_("Such as M-2026-003."))
    title = forms.CharField(label=_("Title"), max_length=200)
    client = forms.CharField(label=_("Client"), max_length=200, required=False)
    owner = forms.ModelChoiceField(queryset=None, required=False, label=_("Responsible lawyer"),
                                   empty_label=_("Me"))  # fmt: skip
    practice_area = forms.ChoiceField(label=_("Practice area"), required=False,
                                      choices=[("", "—"), *Matter.PracticeArea.choices])  # fmt: skip
    confidentiality = forms.ChoiceField(label=_("Confidentiality level"), choices=Matter.Confidentiality.choices,
                                        initial=Matter.Confidentiality.CONFIDENTIAL)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _lawyers()


class MatterTransferForm(forms.Form):
    new_owner = forms.ModelChoiceField(queryset=None, label=_("New responsible lawyer"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = _lawyers()

