from django.urls import path

from licenses import views

app_name = "licenses"
urlpatterns = [
    path("", views.approved_list, name="approved-list"),
    path("register/", views.register, name="register"),
    path("register.csv", views.register_csv, name="register-csv"),
    path("register/versions/", views.add_version, name="version-add"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/status/", views.change_status, name="version-status"),
    path("versions/<int:pk>/evaluations/", views.add_evaluation, name="version-evaluation"),
    path("versions/<int:pk>/evaluations/run/", views.run_evaluation, name="version-evaluation-run"),
    path("versions/<int:pk>/evaluations/runs/", views.evaluation_runs, name="version-evaluation-runs"),
    path("licenses/<int:pk>/", views.license_detail, name="license-detail"),
    path("licenses/<int:pk>/texts/", views.add_license_text, name="license-text-add"),
    path("licenses/<int:pk>/diff/", views.license_diff, name="license-diff"),
]
