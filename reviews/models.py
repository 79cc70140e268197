from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class Matter(models.Model):
    """A client matter: the unit that carries object permissions. Everything reviewed lives in one."""

    reference = models.CharField(_("reference"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    client = models.CharField(_("client"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_matters",
        verbose_name=_("owner"),
        help_text=_("Certifies who may access the matter in access reviews."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        permissions = [("manage_matter_access", _("Can grant and revoke access to the matter"))]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


# Direct foreign-key permission tables (django-guardian): joins instead of generic object_pk casts.
class MatterUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Matter, on_delete=models.CASCADE)


class MatterGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Matter, on_delete=models.CASCADE)
