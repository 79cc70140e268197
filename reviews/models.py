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
    text = models.TextField(_("extracted text"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint(fields=["matter", "sha256"], name="document_once_per_matter")]

    def __str__(self) -> str:
        return self.name


class Playbook(models.Model):
    """A firm's positions for one kind of contract. Edits make new versions; reviews keep the one they used."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contract_type = models.CharField(_("contract type"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "PlaybookVersion":
        return self.versions.order_by("-number").first()


class PlaybookVersion(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(_("rules"), help_text=_("The playbook as JSON: see worker/playbook/rules.py."))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    note = models.CharField(_("change note"), max_length=500, blank=True)

    class Meta:
        ordering = ["playbook", "-number"]
        constraints = [models.UniqueConstraint(fields=["playbook", "number"], name="playbook_version_number")]

    def __str__(self) -> str:
        return f"{self.playbook.name} v{self.number}"


class ReviewRun(models.Model):
    """What every review a worker runs records about its run: claim, progress, outcome, pseudonym map.

    reviews.run_states moves these fields; the concrete model adds its State (with QUEUED, RUNNING,
    WAITING_FOR_MODEL, BLOCKED, FAILED) and the states after which the run is over (FINISHED).
    """

    stage = models.CharField(_("stage"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    status_message = models.CharField(_("status"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)  # the Celery task id running it
    pseudonyms = models.BinaryField(null=True, blank=True)  # encrypted placeholder mapping, see reviews.pseudonyms
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    FINISHED: frozenset[str] = frozenset()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED


class ContractReview(ReviewRun):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        WAITING_FOR_MODEL = "waiting_for_model", _("Waiting for model")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked by the model register")
        FAILED = "failed", _("Failed")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="contract_reviews")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    playbook_version = models.ForeignKey(PlaybookVersion, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True)
    classifier = models.JSONField(_("clause model"), default=dict, blank=True)  # name, version, sha256

    FINISHED = frozenset({State.DONE, State.BLOCKED, State.FAILED})

    class Meta(ReviewRun.Meta):
        verbose_name = _("contract review")
        verbose_name_plural = _("contract reviews")

    def __str__(self) -> str:
        return f"{self.document.name} ({self.playbook_version})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reviews:review-detail", args=[self.pk])


class Finding(models.Model):
    class Severity(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")
        INFO = "info", _("Info")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed as false positive")

    class Source(models.TextChoices):
        SYSTEM = "system", _("Found by the workbench")
        LAWYER = "lawyer", _("Added by a lawyer (missed)")

    review = models.ForeignKey(ContractReview, on_delete=models.CASCADE, related_name="findings")
    fingerprint = models.CharField(max_length=64)  # rule + span: a retried task finds its own rows again
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    rule_id = models.CharField(_("playbook rule"), max_length=64, blank=True)
    category = models.CharField(_("category"), max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    detected_severity = models.CharField(_("severity found"), max_length=10, choices=Severity.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(_("confidence"), default=0.0)
    explanation = models.TextField(_("explanation"), blank=True)
    fallback = models.TextField(_("fallback wording"), blank=True)
    parsed = models.JSONField(_("values read"), default=dict, blank=True)
    # Written by the LLM from masked text: untrusted, shown escaped and labelled with its model.
    llm_explanation = models.TextField(_("model's explanation"), blank=True)
    llm_fallback = models.TextField(_("model's fallback wording"), blank=True)
    llm_model = models.CharField(_("written by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "start"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [models.UniqueConstraint(fields=["review", "fingerprint"], name="finding_once_per_review")]

    def __str__(self) -> str:
        return f"{self.title} ({self.severity})"

    @property
    def matter_id(self) -> int:
        return self.review.matter_id

    @property
    def quote(self) -> str:
        if self.start is None:
            return ""
        return self.review.document.text[self.start : self.end]


class TriageAction(models.Model):
    """One decision of a lawyer on a finding; the dashboard's false-positive and miss rates come from these."""

    class Action(models.TextChoices):
        CONFIRM = "confirm", _("Confirmed")
        DISMISS = "dismiss", _("Dismissed as false positive")
        CHANGE_SEVERITY = "change_severity", _("Changed severity")
        COMMENT = "comment", _("Commented")
        ADD_MISSED = "add_missed", _("Added a missed finding")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="triage")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason or comment"), blank=True)
    from_severity = models.CharField(max_length=10, blank=True)
    to_severity = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("triage action")
        verbose_name_plural = _("triage actions")


# ---------------------------------------------------------------------------------------------------------------
# Counterparty review (issue 5): sanctions lists, counterparties, screenings, ratings. See reviews/counterparties/.


class SanctionsList(models.Model):
    """A published sanctions list (OFAC SDN, UN consolidated, ...); its imports are its versions."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sanctions list")
        verbose_name_plural = _("sanctions lists")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "ListVersion | None":
        return self.versions.filter(is_current=True).first()


class ListVersion(models.Model):
    """One import of a list. Old versions stay, so a screening can say which versions it used."""

    sanctions_list = models.ForeignKey(SanctionsList, on_delete=models.PROTECT, related_name="versions")
    published = models.DateField(_("published"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=20)
    sha256 = models.CharField(_("file SHA-256"), max_length=64)
    entry_count = models.PositiveIntegerField(_("entries"))
    is_current = models.BooleanField(_("current"), default=False, db_index=True)

    class Meta:
        ordering = ["sanctions_list", "-imported_at"]
        verbose_name = _("list version")
        verbose_name_plural = _("list versions")
        constraints = [
            models.UniqueConstraint(
                fields=["sanctions_list"], condition=models.Q(is_current=True), name="one_current_list_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sanctions_list.name} {self.published:%Y-%m-%d} (#{self.pk})"


class SanctionsEntry(models.Model):
    """One listed person, entity, vessel or aircraft of a list version; `data` holds the engine's other fields."""

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.CharField(_("entry id"), max_length=64)
    name = models.CharField(_("name"), max_length=500)
    type = models.CharField(_("type"), max_length=10)
    # aliases, birth_dates, nationalities, countries, identifiers, programmes, gender (reviews.counterparties.lists)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("sanctions list entry")
        verbose_name_plural = _("sanctions list entries")
        indexes = [models.Index(fields=["version", "entry_id"], name="sanctions_entry_lookup")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.name}"


class SanctionsImport(models.Model):
    """An import started from the UI, run by a worker; progress is visible while it runs."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Refused")

    file_format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField()  # the uploaded file, kept with the job that imports it
    published = models.DateField(_("published"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    status_message = models.CharField(_("status"), max_length=500, blank=True)
    version = models.ForeignKey(ListVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sanctions list import")
        verbose_name_plural = _("sanctions list imports")

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}


class Counterparty(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="counterparties", verbose_name=_("matter"))
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2"))
    date = models.CharField(
        _("date of birth or registration"), max_length=10, blank=True, help_text=_("YYYY or YYYY-MM-DD")
    )
    identifiers = models.JSONField(_("identifiers"), default=list, blank=True)
    # Set when a re-screening finds hits the previous screening did not have; cleared by the next rating.
    new_hits = models.BooleanField(_("new hits to look at"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("counterparty")
        verbose_name_plural = _("counterparties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("counterparties:detail", args=[self.pk])


class RelatedPerson(models.Model):
    """A director, owner or other person behind a counterparty; screened with it."""

    counterparty = models.ForeignKey(Counterparty, on_delete=models.CASCADE, related_name="related_people")
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role"), max_length=100, help_text=_("director, owner, ..."))
    date_of_birth = models.CharField(_("date of birth"), max_length=10, blank=True, help_text=_("YYYY or YYYY-MM-DD"))
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2"))

    class Meta:
        ordering = ["counterparty", "name"]
        verbose_name = _("related person")
        verbose_name_plural = _("related people")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class JurisdictionRisk(models.Model):
    """A country's risk level, maintained by compliance (seeded from a FATF snapshot)."""

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        PROHIBITED = "prohibited", _("Prohibited")

    country = models.CharField(_("country"), max_length=2, unique=True, help_text=_("ISO 3166 alpha-2"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("jurisdiction risk")
        verbose_name_plural = _("jurisdiction risks")

    def __str__(self) -> str:
        return f"{self.country}: {self.level}"


class CounterpartyReview(ReviewRun):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        WAITING_FOR_MODEL = "waiting_for_model", _("Waiting for model")
        DONE = "done", _("Screened")
        RATED = "rated", _("Rated, awaiting approval")
        BLOCKED = "blocked", _("Blocked by the model register")
        FAILED = "failed", _("Failed")

    counterparty = models.ForeignKey(Counterparty, on_delete=models.PROTECT, related_name="reviews")
    documents = models.ManyToManyField(Document, blank=True, related_name="counterparty_reviews")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True)
    answers = models.JSONField(_("questionnaire answers"), default=dict, blank=True)
    proposed_rating = models.CharField(_("proposed rating"), max_length=10, choices=JurisdictionRisk.Level.choices,
                                       blank=True)  # fmt: skip
    rating_basis = models.JSONField(_("why this rating was proposed"), default=list, blank=True)
    rating = models.CharField(_("rating"), max_length=10, choices=JurisdictionRisk.Level.choices, blank=True)
    rating_reason = models.TextField(_("reason for the rating"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")  # fmt: skip
    rated_at = models.DateTimeField(null=True, blank=True)
    # Written by the LLM from masked documents: untrusted, shown escaped and labelled with its model.
    summary = models.TextField(_("model's summary of the documents"), blank=True)
    llm_model = models.CharField(_("written by"), max_length=200, blank=True)

    FINISHED = frozenset({State.DONE, State.RATED, State.BLOCKED, State.FAILED})

    class Meta(ReviewRun.Meta):
        verbose_name = _("counterparty review")
        verbose_name_plural = _("counterparty reviews")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("counterparties:review-detail", args=[self.pk])

    @property
    def matter_id(self) -> int:
        return self.counterparty.matter_id


class Screening(models.Model):
    """One screening of a counterparty (its names, aliases and related people) against the current lists."""

    counterparty = models.ForeignKey(Counterparty, on_delete=models.CASCADE, related_name="screenings")
    review = models.ForeignKey(CounterpartyReview, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="screenings")  # fmt: skip
    list_versions = models.ManyToManyField(ListVersion, related_name="screenings")
    decision = models.CharField(_("decision"), max_length=10)  # match / review / clear
    best_score = models.FloatField(_("best score"))
    thresholds = models.JSONField(default=dict)  # {"match": ..., "review": ...} as used
    new_hit_count = models.PositiveIntegerField(_("new hits"), default=0)
    created_at = models.DateTimeField(_("screened"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")


class ScreeningHit(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="hits")
    subject = models.CharField(_("name screened"), max_length=300)
    subject_role = models.CharField(_("screened as"), max_length=100)  # name, alias, or a related person's role
    list_name = models.CharField(_("list"), max_length=100)
    entry_id = models.CharField(_("entry id"), max_length=64)
    name = models.CharField(_("listed name"), max_length=500)
    score = models.FloatField(_("score"))
    decision = models.CharField(_("decision"), max_length=10)
    why = models.JSONField(_("why"), default=dict)

    class Meta:
        ordering = ["screening", "-score"]
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")
