from django.urls import path

from reviews.counterparties import views

app_name = "counterparties"
urlpatterns = [
    path("", views.counterparty_list, name="list"),
    path("<int:pk>/", views.counterparty_detail, name="detail"),
    path("hits/", views.hit_queue, name="hit-queue"),
    path("hits/<int:pk>/decide/", views.decide_hit, name="hit-decide"),
    path("decisions/<int:pk>/confirm/", views.confirm_decision, name="decision-confirm"),
    path("contracts/<int:pk>/", views.review_detail, name="review-detail"),
    path("contracts/<int:pk>/progress/", views.review_progress, name="review-progress"),
    path("contracts/<int:pk>/summary/", views.review_summary, name="review-summary"),
    path("lists/", views.sanctions_lists, name="lists"),
    path("jurisdictions/", views.jurisdictions, name="jurisdictions"),
]
