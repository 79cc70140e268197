from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from reviews.models import Matter


def matters_for_user(user) -> QuerySet[Matter]:
    """The matters granted to the user or their groups (object permissions only; roles grant no matter)."""
    return get_objects_for_user(user, "reviews.view_matter", klass=Matter, accept_global_perms=False).select_related(
        "owner"
    )


def matter_for_user(user, pk: int) -> Matter:
    """One matter the user may see; any other id is a 404, so its existence is not revealed."""
    return get_object_or_404(matters_for_user(user), pk=pk)
