from django.urls import path

from accounts import oidc

# The names mozilla-django-oidc reverses (the callback's is the redirect URI registered at the provider).
urlpatterns = [
    path("authenticate/", oidc.SignInView.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
]
