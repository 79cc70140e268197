from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/invite/", views.person_reinvite, name="person-reinvite"),
    path("people/<int:pk>/roles/", views.person_roles, name="person-roles"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
