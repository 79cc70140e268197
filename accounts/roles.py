"""The five roles of the workbench, as Django groups, and the navigation each one sees.

A role grants model-level abilities (what kind of work a person does). Which matters a person may see is
decided separately, per matter, by object permissions (see reviews.matters.models.Matter).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    LAWYER = "Lawyer"
    RISK_OFFICER = "Risk officer"
    COMPLIANCE_OFFICER = "Compliance officer"
    MODEL_STEWARD = "Model steward"
    ADMIN = "Admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.LAWYER: _("Lawyer"),
    Role.RISK_OFFICER: _("Risk officer"),
    Role.COMPLIANCE_OFFICER: _("Compliance officer"),
    Role.MODEL_STEWARD: _("Model steward"),
    Role.ADMIN: _("Admin"),
}


def roles_of(user) -> frozenset[Role]:
    """The roles of a user, read once per request object.

    The one rule for superusers: the flag counts as the Admin role and as nothing else. It opens Django's admin
    site; it gives no other role's work and no matter (matters come only from grants, see reviews.matters.access).
    """
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_workbench_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names or (role is Role.ADMIN and user.is_superuser))
        user._workbench_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None = None  # None: every signed-in user


NAVIGATION = [
    NavItem(_("Matters"), "matters:matter-list"),
    NavItem(_("Playbooks"), "contracts:playbook-list"),
    NavItem(_("Counterparties"), "counterparties:list"),
    NavItem(_("Jurisdiction risk"), "counterparties:jurisdictions", frozenset({Role.COMPLIANCE_OFFICER})),
    NavItem(_("Review quality"), "contracts:dashboard", frozenset({Role.LAWYER, Role.RISK_OFFICER})),
    NavItem(_("Model register"), "licenses:approved-list"),
    NavItem(_("Audit trail"), "audit:event-list", frozenset({Role.COMPLIANCE_OFFICER})),
    NavItem(_("PDF reports"), "reports:request"),
    NavItem(_("Approvals"), "approvals:inbox"),
    NavItem(_("Access reviews"), "access_reviews:campaigns", frozenset({Role.COMPLIANCE_OFFICER})),
    NavItem(_("My access reviews"), "access_reviews:mine"),
    NavItem(_("API"), "api-docs"),
    NavItem(_("People"), "accounts:people", frozenset({Role.ADMIN})),
    NavItem(_("Operations"), "operations:dashboard", frozenset({Role.ADMIN})),
    NavItem(_("Token usage"), "operations:usage", frozenset({Role.COMPLIANCE_OFFICER})),
]


def navigation(request: HttpRequest) -> dict:
    """Template context: the navigation entries the signed-in user's roles allow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    roles = roles_of(user)
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": request.path.startswith(reverse(item.url_name))}
        for item in NAVIGATION
        if item.roles is None or item.roles & roles
    ]
    return {"nav_items": items, "user_roles": [role.label for role in sorted(roles)]}


# Model-level permissions of each role ("app_label.codename"). Matter access is never given here.
ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.LAWYER: set(),
    Role.RISK_OFFICER: set(),
    Role.COMPLIANCE_OFFICER: {"audit.view_auditevent"},
    Role.MODEL_STEWARD: set(),
    Role.ADMIN: {
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "auth.view_group",
        "auth.change_group",
        "matters.add_matter",
        "matters.view_matter",
        "matters.change_matter",
    },
}


def sync_role_groups(**kwargs) -> None:
    """Create the role groups and give each exactly its permissions (run after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = set()
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:  # not yet created when its app migrates later in the same run
                wanted.add(permission)
        group.permissions.set(wanted)
