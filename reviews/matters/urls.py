from django.urls import path

from reviews.matters import views

app_name = "matters"
urlpatterns = [
    path("matters/", views.MatterListView.as_view(), name="matter-list"),
    path("matters/<int:pk>/access/", views.matter_access, name="matter-access"),
]
