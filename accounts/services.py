"""Writes to people: invite, accept an invitation, change roles, deactivate a leaver. Each is audited.

Only administrators (the Admin role) manage people; accepting an invitation needs only its link.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from accounts.models import OIDCIdentity, User
from accounts.roles import Role, has_role
from accounts.selectors import role_names
from audit.services import record_event
from reviews.matters.leavers import Handover, hand_over_matters

INVITATION_SALT = "accounts.invitation"

# Sent when a leaver is deactivated, inside that transaction: apps on the floors above hand over their work.
person_deactivated = Signal()


class InvitationRefused(Exception):
    """The link cannot be used: its message says why, for the person holding it."""


def require_admin(actor) -> None:
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied(gettext("Only administrators may manage people."))


def _password_state(user: User) -> str:
    # Changes whenever the password does: a link stops working once used, or once a newer invitation replaces it.
    return salted_hmac(INVITATION_SALT, user.password).hexdigest()[:20]


def invitation_token(user: User) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object({"user": user.pk, "state": _password_state(user)})


def invitee_of(token: str) -> User:
    """The person an invitation link is for, or InvitationRefused when it has expired or was used."""
    max_age = settings.INVITATION_DAYS * 24 * 3600
    try:
        claims = signing.TimestampSigner(salt=INVITATION_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvitationRefused(gettext("This invitation has expired. Ask an administrator for a new one.")) from error
    except signing.BadSignature as error:
        raise InvitationRefused(gettext("This invitation link is not valid.")) from error
    user = User.objects.filter(pk=claims["user"], is_active=True).first()
    if user is None or user.has_usable_password() or claims["state"] != _password_state(user):
        raise InvitationRefused(gettext("This invitation has already been used or was replaced by a newer one. "
                                        "Sign in, or ask an administrator for a new invitation."))  # fmt: skip
    return user


def _set_roles(user: User, roles: set[Role]) -> None:
    """Make the user's role groups exactly `roles`; groups that are not roles stay as they are."""
    user.groups.remove(*Group.objects.filter(name__in=[role.value for role in Role]).exclude(
        name__in=[role.value for role in roles]))  # fmt: skip
    user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles]))
    user.__dict__.pop("_workbench_roles", None)  # roles_of caches them on the object


def _send_invitation(*, actor, user: User, absolute_url) -> None:
    link = absolute_url(reverse("accounts:invitation", kwargs={"token": invitation_token(user)}))
    send_mail(
        subject=gettext("Your invitation to the Workbench"),
        message=gettext("%(inviter)s has invited you to the Workbench as %(username)s.\n\n"
                        "Choose your password here (the link works once, for %(days)d days):\n%(link)s\n")
        % {"inviter": actor.get_full_name() or actor.get_username(), "username": user.username,
           "days": settings.INVITATION_DAYS, "link": link},
        from_email=None,
        recipient_list=[user.email],
    )  # fmt: skip


@transaction.atomic
def invite_person(*, actor, username: str, email: str, first_name: str, last_name: str, role: Role,
                  absolute_url) -> User:  # fmt: skip
    """Create the account without a password and e-mail its invitation link (absolute_url: request's builder).

    The mail is sent inside the transaction: if it cannot be sent, no account is left without its invitation.
    """
    require_admin(actor)
    user = User(username=username.strip(), email=email.strip(), first_name=first_name.strip(),
                last_name=last_name.strip())  # fmt: skip
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _set_roles(user, {role})
    record_event(action="user.invited", actor=actor, target=user,
                 payload={"username": user.username, "email": user.email, "role": role.value})  # fmt: skip
    _send_invitation(actor=actor, user=user, absolute_url=absolute_url)
    return user


@transaction.atomic
def reinvite_person(*, actor, person: User, absolute_url) -> User:
    """A new link for someone who has not chosen a password yet; the earlier link stops working."""
    require_admin(actor)
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active or person.has_usable_password() or OIDCIdentity.objects.filter(user=person).exists():
        raise ValidationError(gettext("Only someone who has not yet accepted an invitation can get a new one."))
    person.set_unusable_password()  # a new password state: tokens made for the previous one are refused
    person.save(update_fields=["password"])
    record_event(action="user.reinvited", actor=actor, target=person,
                 payload={"username": person.username, "email": person.email})  # fmt: skip
    _send_invitation(actor=actor, user=person, absolute_url=absolute_url)
    return person


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> User:
    """Set the invitee's password (already checked by the password validators); the link is then used up."""
    user = invitee_of(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    invitee_of(token)  # again under the lock: two submissions of one link set one password
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(action="user.invitation_accepted", actor=user, target=user, payload={"username": user.username})
    return user


def _change_roles(person: User, roles: set[Role], *, actor=None, system: str = "", **details) -> None:
    """Set the roles and record the change (if any): the one path for an administrator and the identity provider."""
    before = role_names(person)
    _set_roles(person, roles)
    after = role_names(person)
    if before != after:
        record_event(action="user.roles_changed", actor=actor, system=system, target=person,
                     payload={"username": person.username, "before": before, "after": after, **details})  # fmt: skip


@transaction.atomic
def change_roles(*, actor, person: User, roles: set[Role]) -> User:
    require_admin(actor)
    if person.pk == actor.pk and Role.ADMIN not in roles:
        raise ValidationError(gettext("You cannot remove your own Admin role: ask another administrator."))
    _change_roles(person, roles, actor=actor)
    return person


def _free_username(wanted: str) -> str:
    """`wanted`, or `wanted-2`, `-3`... when someone has it: an IdP account never takes over a local one by name."""
    wanted = wanted[:140] or "user"
    candidate, number = wanted, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


@transaction.atomic
def create_oidc_account(*, issuer: str, subject: str, username: str, email: str, first_name: str, last_name: str,
                        roles: set[Role]) -> User:  # fmt: skip
    """First sign-in through the company's identity provider: the account, its link to the IdP, its roles.

    No password: such a person signs in only through the provider (accounts/oidc.py).
    """
    user = User(username=_free_username(username), email=email, first_name=first_name[:150], last_name=last_name[:150])
    user.set_unusable_password()
    user.full_clean()
    user.save()
    OIDCIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    record_event(action="user.oidc_created", system="oidc", target=user,
                 payload={"username": user.username, "issuer": issuer, "subject": subject})  # fmt: skip
    _change_roles(user, roles, system="oidc", source="oidc")
    return user


@transaction.atomic
def apply_oidc_roles(*, person: User, roles: set[Role]) -> User:
    """At each sign-in the identity provider's groups decide the roles (OIDC_ROLE_MAP), replacing earlier ones."""
    _change_roles(person, roles, system="oidc", source="oidc")
    return person


@dataclass(frozen=True)
class Departure:
    person: User
    groups_left: list[str]
    matters: Handover


@transaction.atomic
def deactivate_person(*, actor, person: User, reason: str, successor: User | None = None) -> Departure:
    """A leaver: the account stays (for the record) but can no longer sign in, and holds no role or grant.

    Their sessions end at once: the auth middleware turns an inactive user away, and the new password hash fails
    the session's check. Their matters go to the successor, or each is flagged as needing a new owner.
    """
    require_admin(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why the account is deactivated.")})
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.pk == actor.pk:
        raise ValidationError(gettext("You cannot deactivate your own account."))
    if not person.is_active:
        raise ValidationError(gettext("This account is deactivated already."))
    if successor is not None and successor.pk == person.pk:
        raise ValidationError({"successor": gettext("The successor must be someone else.")})
    groups_left = sorted(person.groups.values_list("name", flat=True))
    person.is_active = False
    person.set_unusable_password()
    person.save(update_fields=["is_active", "password"])
    person.groups.remove(*person.groups.all())  # not clear(): removals tell the apps above who left which group
    person.user_permissions.clear()
    matters = hand_over_matters(actor=actor, leaver=person, successor=successor, reason=reason)
    record_event(action="user.deactivated", actor=actor, target=person, payload={
        "username": person.username, "reason": reason[:500], "groups_left": groups_left,
        "successor": successor.username if successor else "",
        "owned_matters": [matter.reference for matter in matters.owned],
        "revoked_matters": [matter.reference for matter in matters.revoked],
    })  # fmt: skip
    # The floors above (access reviews) hand over what waits on the leaver, in this transaction.
    person_deactivated.send(sender=User, person=person, actor=actor)
    return Departure(person=person, groups_left=groups_left, matters=matters)
