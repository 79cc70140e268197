from django.urls import path

from operations import views

# No app_name: operations/dashboard_urls.py holds the "operations" namespace under the same prefix.
urlpatterns = [
    path("usage/", views.token_usage, name="operations-usage"),
]
