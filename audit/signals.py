"""Events the auth framework raises: sign-ins, sign-outs, failures, lockouts, new accounts, role changes."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from audit.services import record_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_event(action="auth.login", actor=user, target=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(action="auth.logout", actor=user, target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django already replaced the password in `credentials` with stars; keep only the claimed account.
    record_event(action="auth.login_failed", payload={"username": str(credentials.get("username", ""))[:150]})


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record_event(action="auth.locked_out", payload={"username": str(username or "")[:150]})


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _user_created(sender, instance, created, **kwargs):
    # Accounts are created in the admin, by seed_demo or by commands: catch them all here.
    if created:
        record_event(action="user.created", system="accounts", target=instance, payload={"username": instance.get_username()})


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Role (group) membership is a permission grant or revocation, whichever side it was changed from."""
    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    event = "permission.granted" if action == "post_add" else "permission.revoked"
    pairs = [(user_id, instance.pk) for user_id in pk_set] if reverse else [(instance.pk, group_id) for group_id in pk_set]
    names = dict(Group.objects.filter(pk__in={group_id for _, group_id in pairs}).values_list("pk", "name"))
    for user_id, group_id in pairs:
        record_event(
            action=event,
            system="accounts",
            object_type="accounts.user",
            object_id=user_id,
            payload={"grantee_type": "user", "grantee_id": user_id, "role": names.get(group_id, str(group_id))},
        )
