from django.urls import path

from operations import dashboard, views

app_name = "operations"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("usage/", views.token_usage, name="usage"),
]
