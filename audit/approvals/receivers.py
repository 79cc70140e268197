"""Approval steps kept in sight when people leave the groups that decide them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from audit.approvals.services import flag_unstaffed_steps


def flag_steps_left_by(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """m2m_changed on user.groups: whoever removes people from a group (a leaver's deactivation, a role change,
    an access review's revocation, the admin site), a step that group can no longer complete is flagged."""
    if action != "post_remove" or not pk_set:
        return
    if reverse:  # group.user_set.remove(...): one group, these people
        groups, people = [instance], get_user_model().objects.filter(pk__in=pk_set)
    else:
        groups, people = Group.objects.filter(pk__in=pk_set), [instance]
    flag_unstaffed_steps(groups=groups, people=people)
