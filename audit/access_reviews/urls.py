from django.urls import path

from audit.access_reviews import views

app_name = "access_reviews"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/close/", views.close, name="close"),
    path("mine/", views.my_reviews, name="mine"),
    path("items/<int:pk>/decide/", views.decide, name="decide"),
]
