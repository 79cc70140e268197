from django.urls import path

from reviews.contracts import views

app_name = "contracts"
urlpatterns = [
    path("matters/<int:pk>/", views.matter_detail, name="matter-detail"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/progress/", views.review_progress, name="review-progress"),
    path("reviews/<int:pk>/missed/", views.add_missed, name="review-add-missed"),
    path("findings/<int:pk>/triage/", views.triage, name="finding-triage"),
    path("findings/<int:pk>/explanation/", views.finding_explanation, name="finding-explanation"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("playbooks/", views.playbook_list, name="playbook-list"),
    path("playbooks/<int:pk>/", views.playbook_detail, name="playbook-detail"),
]
