from django import forms
from django.utils.translation import gettext_lazy as _


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
