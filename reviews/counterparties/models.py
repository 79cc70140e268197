"""Counterparties, the sanctions lists they are screened against, screenings and ratings (tables named as in
the reviews app)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviews.matters.models import Document, Matter
from reviews.review_runs import ModelText, ReviewRun, message_text


class SanctionsList(models.Model):
    """A published sanctions list (OFAC SDN, UN consolidated, ...); its imports are its versions."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        db_table = "reviews_sanctionslist"
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
        db_table = "reviews_listversion"
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
        db_table = "reviews_sanctionsentry"
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
    status_message = models.CharField(_("status"), max_length=500, blank=True)  # a template: see message_text
    status_params = models.JSONField(default=dict, blank=True)
    version = models.ForeignKey(ListVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reviews_sanctionsimport"
        ordering = ["-created_at"]
        verbose_name = _("sanctions list import")
        verbose_name_plural = _("sanctions list imports")

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def status_text(self) -> str:
        return message_text(self.status_message, self.status_params)


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
        db_table = "reviews_counterparty"
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
        db_table = "reviews_relatedperson"
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
        db_table = "reviews_jurisdictionrisk"
        ordering = ["country"]
        verbose_name = _("jurisdiction risk")
        verbose_name_plural = _("jurisdiction risks")

    def __str__(self) -> str:
        return f"{self.country}: {self.level}"


class CounterpartyReview(ReviewRun):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Screened")
        RATED = "rated", _("Rated, awaiting approval")
        BLOCKED = "blocked", _("Blocked by the model register")
        FAILED = "failed", _("Failed")

    counterparty = models.ForeignKey(Counterparty, on_delete=models.PROTECT, related_name="reviews")
    documents = models.ManyToManyField(
        Document, blank=True, related_name="counterparty_reviews", db_table="reviews_counterpartyreview_documents"
    )
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
    # Written by the LLM from masked documents after the review is done: untrusted, shown escaped and labelled with
    # its model. The screening and the rating never wait for it.
    summary_state = models.CharField(
        _("model's summary"), max_length=10, choices=ModelText.choices, default=ModelText.SKIPPED
    )
    summary = models.TextField(_("model's summary of the documents"), blank=True)
    summary_covers = models.JSONField(_("what the summary read"), default=list, blank=True)  # see runs.Coverage
    llm_model = models.CharField(_("written by"), max_length=200, blank=True)

    FINISHED = frozenset({State.DONE, State.RATED, State.BLOCKED, State.FAILED})

    class Meta(ReviewRun.Meta):
        db_table = "reviews_counterpartyreview"
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
    list_versions = models.ManyToManyField(ListVersion, related_name="screenings", db_table="reviews_screening_list_versions")
    decision = models.CharField(_("decision"), max_length=10)  # match / review / clear
    best_score = models.FloatField(_("best score"))
    thresholds = models.JSONField(default=dict)  # {"match": ..., "review": ...} as used
    new_hit_count = models.PositiveIntegerField(_("new hits"), default=0)
    created_at = models.DateTimeField(_("screened"), auto_now_add=True)

    class Meta:
        db_table = "reviews_screening"
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
    # What a decision on this hit is about: the subject's data as screened and the listed entry's data. A decision
    # holds for every later hit with the same fingerprint; a changed entry or subject is asked again.
    fingerprint = models.CharField(max_length=64, db_index=True, blank=True)

    class Meta:
        db_table = "reviews_screeninghit"
        ordering = ["screening", "-score"]
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")


class HitDecision(models.Model):
    """A compliance decision on a screening hit, remembered for the same entry against the same subject data.

    Clearing a `match` as a false positive takes two people: the decision holds once a second officer confirms it.
    """

    class Outcome(models.TextChoices):
        FALSE_POSITIVE = "false_positive", _("False positive")
        TRUE_MATCH = "true_match", _("True match")
        NEEDS_INFORMATION = "needs_information", _("Needs more information")

    counterparty = models.ForeignKey(Counterparty, on_delete=models.CASCADE, related_name="hit_decisions")
    fingerprint = models.CharField(max_length=64, db_index=True)  # the hit's (see ScreeningHit.fingerprint)
    hit = models.ForeignKey(ScreeningHit, on_delete=models.PROTECT, related_name="+")  # the hit decided on
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    needs_confirmation = models.BooleanField(default=False)  # a match cleared by one person so far
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # fmt: skip
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reviews_hitdecision"
        ordering = ["-decided_at", "-id"]
        verbose_name = _("hit decision")
        verbose_name_plural = _("hit decisions")

    @property
    def in_force(self) -> bool:
        return not self.needs_confirmation or self.confirmed_by_id is not None

    @property
    def closes_the_hit(self) -> bool:
        return self.in_force and self.outcome != self.Outcome.NEEDS_INFORMATION

    @property
    def matter_id(self) -> int:
        return self.counterparty.matter_id
