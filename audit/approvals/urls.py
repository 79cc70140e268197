from django.urls import path

from audit.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.flow_detail, name="flow"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("for/<slug:kind>/<int:pk>/", views.object_approvals, name="object"),
    path("for/<slug:kind>/<int:pk>/submit/", views.submit, name="submit"),
]
