"""Reads about people for the administrators' pages."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role

STATUS_LABELS = {"active": _("Active"), "invited": _("Invited"), "deactivated": _("Deactivated")}


def status_of(user: User) -> str:
    """Invited: no password chosen yet (and no company sign-in). Deactivated: a leaver, kept for the record."""
    if not user.is_active:
        return "deactivated"
    return "active" if user.has_usable_password() or hasattr(user, "oidc_identity") else "invited"


def role_names(user: User) -> list[str]:
    return sorted(user.groups.filter(name__in=[role.value for role in Role]).values_list("name", flat=True))


def people() -> QuerySet[User]:
    """Everyone, active first, with their role groups loaded for the list."""
    role_groups = Group.objects.filter(name__in=[role.value for role in Role]).order_by("name")
    return (
        User.objects.select_related("oidc_identity")
        .prefetch_related(Prefetch("groups", queryset=role_groups, to_attr="role_groups"))
        .order_by("-is_active", "username")
    )


def successors() -> QuerySet[User]:
    """Who may take over a leaver's matters: active lawyers (reviews.matters.access.may_be_responsible_lawyer)."""
    return User.objects.filter(is_active=True, groups__name=Role.LAWYER.value).distinct().order_by("username")
