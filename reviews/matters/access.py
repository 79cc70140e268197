"""Who may do what in a matter: the one place that decides it.

Rights come only from grants on the matter, to the person or to one of their groups (django-guardian's direct
foreign-key tables). Neither a role nor the superuser flag opens a matter: guardian's get_user_perms and
get_group_perms read the grants alone (user.has_perm would say yes to a superuser), and nothing to an inactive user.

A matter's life (opening, transferring, closing, legal hold) is decided by role and ownership instead: those who
act on it still reach it only through their grants (reviews.matters.selectors.matter_for_user).
"""

from guardian.shortcuts import get_group_perms, get_user_perms

from accounts.roles import Role, has_role
from reviews.matters.models import Matter

SEE = "view_matter"
WORK = "change_matter"
MANAGE_ACCESS = "manage_matter_access"


def rights(user, matter: Matter) -> frozenset[str]:
    """The codenames the user holds on the matter, directly or through a group (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_matter_rights", {})
    if matter.pk not in cache:
        cache[matter.pk] = frozenset(get_user_perms(user, matter)) | frozenset(get_group_perms(user, matter))
    return cache[matter.pk]


def may_see(user, matter: Matter) -> bool:
    return SEE in rights(user, matter)


def may_work_in(user, matter: Matter) -> bool:
    """Uploading, reviewing, triaging and rating need the right to work in the matter, not only to see it."""
    return WORK in rights(user, matter)


def may_manage_access(user, matter: Matter) -> bool:
    return MANAGE_ACCESS in rights(user, matter)


def may_open_matters(user) -> bool:
    return has_role(user, Role.LAWYER, Role.ADMIN)


def may_be_responsible_lawyer(user) -> bool:
    return user.is_active and has_role(user, Role.LAWYER)


def may_transfer_close_or_reopen(user, matter: Matter) -> bool:
    return user.is_authenticated and (user.pk == matter.owner_id or has_role(user, Role.ADMIN))


def may_set_legal_hold(user, matter: Matter) -> bool:
    """Holds preserve evidence: compliance orders them as well as the matter's owner or an administrator."""
    return may_transfer_close_or_reopen(user, matter) or has_role(user, Role.COMPLIANCE_OFFICER)
