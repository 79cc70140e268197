from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Django's username and password check, unless LOCAL_LOGIN is off: then only the company's sign-in
    (accounts/oidc.py) lets anyone in, on the sign-in page and the admin site alike. Permissions work as ever."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
