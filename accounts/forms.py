from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import ROLE_LABELS, Role
from accounts.selectors import successors

ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class InviteForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=ROLE_CHOICES)

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True  # the invitation is sent there

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone already has an account with this e-mail address."))
        return email

    def clean_role(self):
        return Role(self.cleaned_data["role"])


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label=_("roles"), choices=ROLE_CHOICES, required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def clean_roles(self):
        return {Role(value) for value in self.cleaned_data["roles"]}


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)
    successor = forms.ModelChoiceField(
        label=_("new responsible lawyer for their matters"), queryset=User.objects.none(), required=False,
        help_text=_("Leave empty to flag each of their matters as needing a new owner."),
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors().exclude(pk=person.pk)
