from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts import second_factor
from accounts import views as account_views
from licenses.api import EvaluationRunViewSet, LicenseViewSet, ModelVersionViewSet
from operations import views as operations_views
from reviews.contracts.api import ContractReviewViewSet, FindingViewSet
from reviews.counterparties import api as counterparty_api
from reviews.matters import views as matter_views
from reviews.matters.api import MatterViewSet
from workbench import health

api = DefaultRouter()
api.register("matters", MatterViewSet, basename="matter")
api.register("reviews", ContractReviewViewSet, basename="review")
api.register("findings", FindingViewSet, basename="finding")
api.register("model-versions", ModelVersionViewSet, basename="model-version")
api.register("licenses", LicenseViewSet, basename="license")
api.register("evaluation-runs", EvaluationRunViewSet, basename="evaluation-run")
api.register("counterparties", counterparty_api.CounterpartyViewSet, basename="counterparty")
api.register("counterparty-reviews", counterparty_api.CounterpartyReviewViewSet, basename="counterparty-review")
api.register("screening-hits", counterparty_api.ScreeningHitViewSet, basename="screening-hit")
api.register("hit-decisions", counterparty_api.HitDecisionViewSet, basename="hit-decision")
api.register("sanctions-list-versions", counterparty_api.ListVersionViewSet, basename="sanctions-list-version")
api.register("jurisdiction-risks", counterparty_api.JurisdictionRiskViewSet, basename="jurisdiction-risk")

urlpatterns = [
    path("", matter_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", operations_views.metrics, name="metrics"),
    path("2fa/", second_factor.second_factor, name="second-factor"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("oidc/", include("accounts.oidc_urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("preferences/", account_views.preferences, name="preferences"),
    # Open to everyone: the login page has the language switch too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("accounts.urls")),
    path("", include("reviews.matters.urls")),
    path("", include("reviews.contracts.urls")),
    path("models/", include("licenses.urls")),
    path("audit/reports/", include("audit.reports.urls")),
    path("audit/approvals/", include("audit.approvals.urls")),
    path("audit/access-reviews/", include("audit.access_reviews.urls")),
    path("audit/", include("audit.urls")),
    path("counterparties/", include("reviews.counterparties.urls")),
    path("operations/", include("operations.urls")),
    path("api/", include(api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
