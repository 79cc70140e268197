"""Matters, the unit every app's permissions hang on, their documents and their grants.

The tables kept the names they had in the reviews app (db_table), so a database migrates with no copy.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

# Such as M-2026-003: no spaces or slashes, so a reference reads the same in a URL, a file name or a report.
reference_format = RegexValidator(
    r"^(?=.{3,40}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
    _("A reference is 3 to 40 letters, digits and single hyphens between them, such as M-2026-003."),
    code="bad_reference",
)


class Matter(models.Model):
    """A client matter: the unit that carries object permissions. Everything reviewed lives in one.

    A closed matter is read-only (reviews.matters.services.require_work_access refuses every write); a matter on
    legal hold may not be closed.
    """

    class PracticeArea(models.TextChoices):
        CORPORATE = "corporate", _("Corporate and M&A")
        COMMERCIAL = "commercial", _("Commercial contracts")
        EMPLOYMENT = "employment", _("Employment")
        INTELLECTUAL_PROPERTY = "ip", _("Intellectual property")
        DISPUTES = "disputes", _("Disputes and litigation")
        REGULATORY = "regulatory", _("Regulatory and compliance")
        DATA_PROTECTION = "data_protection", _("Data protection")
        FINANCE = "finance", _("Finance")
        REAL_ESTATE = "real_estate", _("Real estate")
        OTHER = "other", _("Other")

    class Confidentiality(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        CONFIDENTIAL = "confidential", _("Confidential")
        STRICTLY_CONFIDENTIAL = "strictly_confidential", _("Strictly confidential")

    reference = models.CharField(
        _("reference"), max_length=64, unique=True, validators=[reference_format],
        error_messages={"unique": _("A matter with this reference exists already.")},
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    client = models.CharField(_("client"), max_length=200, blank=True)
    practice_area = models.CharField(_("practice area"), max_length=32, choices=PracticeArea.choices, blank=True)
    confidentiality = models.CharField(
        _("confidentiality level"), max_length=32, choices=Confidentiality.choices, default=Confidentiality.CONFIDENTIAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_matters",
        verbose_name=_("owner"),
        help_text=_("Certifies who may access the matter in access reviews."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("legal hold reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        permissions = [("manage_matter_access", _("Can grant and revoke access to the matter"))]
        db_table = "reviews_matter"

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


# Direct foreign-key permission tables (django-guardian): joins instead of generic object_pk casts.
class MatterUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Matter, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "reviews_matteruserobjectpermission"


class MatterGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Matter, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "reviews_mattergroupobjectpermission"


def _document_path(document: "Document", filename: str) -> str:
    # Content-addressed: the same bytes are stored once, whatever they were called.
    return f"documents/{document.sha256[:2]}/{document.sha256}"


class Document(models.Model):
    """An uploaded file and the text extracted from it. Findings quote the text by offset."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="documents", verbose_name=_("matter"))
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    kind = models.CharField(_("type"), max_length=8)  # pdf, docx, txt: decided by content
    mime_type = models.CharField(_("media type"), max_length=100)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    page_starts = models.JSONField(default=list, blank=True)  # of a PDF: the offset in `text` where each page starts
    text = models.TextField(_("extracted text"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint(fields=["matter", "sha256"], name="document_once_per_matter")]
        db_table = "reviews_document"

    def __str__(self) -> str:
        return self.name
