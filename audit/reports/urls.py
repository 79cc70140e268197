from django.urls import path

from audit.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.request_report, name="request"),
    path("tasks/<str:task_id>/", views.progress, name="progress"),
    path("<uuid:report_id>/download/", views.download, name="download"),
]
