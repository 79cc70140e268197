from django.urls import path

from reviews.matters import views

app_name = "matters"
urlpatterns = [
    path("matters/", views.MatterListView.as_view(), name="matter-list"),
    path("matters/new/", views.matter_open, name="matter-open"),
    path("matters/<int:pk>/access/", views.matter_access, name="matter-access"),
    path("matters/<int:pk>/transfer/", views.matter_transfer, name="matter-transfer"),
    path("matters/<int:pk>/close/", views.matter_close, name="matter-close"),
    path("matters/<int:pk>/reopen/", views.matter_reopen, name="matter-reopen"),
    path("matters/<int:pk>/legal-hold/", views.matter_legal_hold, name="matter-legal-hold"),
]
