from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Roles are Django groups (see accounts.roles).

    The model began in the workbench package: its tables keep their names, so a database migrates with no copy.
    """

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow the browser's language."),
    )

    # Declared again only to keep the join tables' names (AbstractUser's would be accounts_user_*).
    groups = models.ManyToManyField(
        Group, verbose_name=_("groups"), blank=True, related_name="user_set", related_query_name="user",
        db_table="workbench_user_groups",
        help_text=_("The groups this user belongs to. A user will get all permissions granted to each of their groups."),
    )
    user_permissions = models.ManyToManyField(
        Permission, verbose_name=_("user permissions"), blank=True, related_name="user_set",
        related_query_name="user", db_table="workbench_user_user_permissions",
        help_text=_("Specific permissions for this user."),
    )

    class Meta:
        db_table = "workbench_user"
        verbose_name = _("user")
        verbose_name_plural = _("users")


class OIDCIdentity(models.Model):
    """Who a person is at the company's identity provider (accounts/oidc.py): the issuer and its `sub`.

    Sign-ins match on these, which the provider never reassigns; an e-mail address can change hands.
    """

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="oidc_identity")
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company sign-in identity")
        verbose_name_plural = _("company sign-in identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_oidc_identity_unique"),
        ]
