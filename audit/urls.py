from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("<int:seq>/", views.event_detail, name="event-detail"),
    path("<int:seq>/verify/", views.event_verify, name="event-verify"),
    path("export/", views.export_download, name="export"),
]
