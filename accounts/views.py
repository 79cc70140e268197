from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.services import record_event


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language"]


def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_event(action="user.preferences_changed", actor=request.user, target=request.user,
                     payload={"language": form.cleaned_data["language"]})
        messages.success(request, _("Preferences saved."))
        return redirect("preferences")
    return render(request, "accounts/preferences.html", {"form": form})
