from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.MatterListView.as_view(), name="matter-list"),
    path("<int:pk>/", views.MatterDetailView.as_view(), name="matter-detail"),
]
