"""Playbooks, contract reviews, their findings and the lawyers' triage of them (tables named as in the reviews app)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviews.matters.models import Document, Matter
from reviews.review_runs import ModelText, ReviewRun


class Playbook(models.Model):
    """A firm's positions for one kind of contract. Edits make new versions; reviews keep the one they used."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contract_type = models.CharField(_("contract type"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        db_table = "reviews_playbook"
        ordering = ["name"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "PlaybookVersion":
        return self.versions.order_by("-number").first()

    LANGUAGES = {"en": _("English"), "ja": _("Japanese")}

    def language_name(self) -> str:
        """The language its newest version is written in, from the prefetched versions (no query of its own
        when the list prefetched them)."""
        newest = max(self.versions.all(), key=lambda version: version.number, default=None)
        code = newest.rules.get("language", "en") if newest else "en"
        return str(self.LANGUAGES.get(code, code))


class PlaybookVersion(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(_("rules"), help_text=_("The playbook as JSON: see worker/playbook/rules.py."))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    note = models.CharField(_("change note"), max_length=500, blank=True)

    class Meta:
        db_table = "reviews_playbookversion"
        ordering = ["playbook", "-number"]
        constraints = [models.UniqueConstraint(fields=["playbook", "number"], name="playbook_version_number")]

    def __str__(self) -> str:
        return f"{self.playbook.name} v{self.number}"



class ContractReview(ReviewRun):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked by the model register")
        FAILED = "failed", _("Failed")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="contract_reviews")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    playbook_version = models.ForeignKey(PlaybookVersion, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True)
    classifier = models.JSONField(_("clause model"), default=dict, blank=True)  # name, version, sha256
    # The party we are, as the contract names it (甲, 乙, 委託者, Customer): rules about one side read it.
    our_side = models.CharField(_("our side"), max_length=40, blank=True)

    FINISHED = frozenset({State.DONE, State.BLOCKED, State.FAILED})

    class Meta(ReviewRun.Meta):
        db_table = "reviews_contractreview"
        verbose_name = _("contract review")
        verbose_name_plural = _("contract reviews")

    def __str__(self) -> str:
        return f"{self.document.name} ({self.playbook_version})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("contracts:review-detail", args=[self.pk])


class Finding(models.Model):
    class Severity(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")
        INFO = "info", _("Info")

        @classmethod
        def rank(cls, value: str) -> int:
            """0 for the most severe, as a sort key: the engine's order (worker/playbook/rules.py).

            Imported here, not at the top: loading the models must not load the classifier's libraries.
            """
            from worker.playbook.rules import Severity

            return Severity(value).rank

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
    # Written by the LLM from masked text after the review is done: untrusted, shown escaped and labelled with its
    # model. The flags never wait for it.
    explanation_state = models.CharField(
        _("model's explanation"), max_length=10, choices=ModelText.choices, default=ModelText.SKIPPED
    )
    llm_explanation = models.TextField(_("model's explanation"), blank=True)
    llm_fallback = models.TextField(_("model's fallback wording"), blank=True)
    llm_model = models.CharField(_("written by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reviews_finding"
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
        db_table = "reviews_triageaction"
        ordering = ["created_at"]
        verbose_name = _("triage action")
        verbose_name_plural = _("triage actions")


