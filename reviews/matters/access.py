"""Who may do what in a matter: the one place that decides it.

Rights come only from grants on the matter, to the person or to one of their groups (django-guardian's direct
foreign-key tables). Neither a role nor the superuser flag opens a matter: guardian's get_user_perms and
get_group_perms read the grants alone (user.has_perm would say yes to a superuser), and nothing to an inactive user.
"""

from guardian.shortcuts import get_group_perms, get_user_perms

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
