"""The model license register: models, their versions, licenses and their texts, obligations, approvals.

Status changes happen only through licenses.services (a steward's decision with a reason; an approval that a
second steward confirmed in an approval flow; the system seeding the demo or sending a version back to
review); the gate (licenses.gate) reads them before any inference.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from licenses.uses import Task, Use

SHA256_HEX = RegexValidator(r"^[0-9a-f]{64}$", _("Enter a SHA-256 as 64 lowercase hexadecimal characters."))


class License(models.Model):
    """A license: an SPDX one (Apache-2.0, MIT) or a named one (Llama 3 Community License, Gemma Terms of Use)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    spdx_id = models.CharField(
        _("SPDX id"), max_length=64, blank=True, help_text=_("Empty when SPDX lists none.")
    )
    url = models.URLField(_("official text URL"), blank=True)
    text_source = models.CharField(
        _("where the text comes from"),
        max_length=300,
        blank=True,
        help_text=_("Where a steward obtains the full text to paste as a new license text version."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("license")
        verbose_name_plural = _("licenses")

    def __str__(self) -> str:
        return self.name


class LicenseText(models.Model):
    """One version of a license's full text. A new version sends the versions under the license back to review."""

    license = models.ForeignKey(
        License, on_delete=models.PROTECT, related_name="texts", verbose_name=_("license")
    )
    number = models.PositiveIntegerField(_("text version"))
    text = models.TextField(_("full text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, validators=[SHA256_HEX])
    retrieved_on = models.DateField(_("retrieved on"))
    source_url = models.URLField(_("retrieved from"), blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("added by")
    )

    class Meta:
        ordering = ["license", "-number"]
        verbose_name = _("license text")
        verbose_name_plural = _("license texts")
        constraints = [
            models.UniqueConstraint(fields=["license", "number"], name="license_text_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.license} v{self.number}"


class Obligations(models.Model):
    """What a license asks of us, in the terms a reviewer checks before approving a use."""

    license = models.OneToOneField(
        License, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("license")
    )
    commercial_use = models.BooleanField(_("commercial use allowed"))
    redistribution = models.TextField(_("redistribution terms"), blank=True)
    attribution_text = models.TextField(_("attribution text"), blank=True)
    user_limit = models.CharField(
        _("user-count limit"), max_length=300, blank=True, help_text=_("For example Llama's 700M MAU clause.")
    )
    acceptable_use_policy = models.CharField(_("acceptable-use policy"), max_length=300, blank=True)
    output_training_restriction = models.CharField(
        _("restriction on training other models with outputs"), max_length=300, blank=True
    )
    field_of_use = models.CharField(_("field-of-use limits"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("obligations")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return f"{self.license} obligations"


def use_labels(uses: list[str]) -> list[str]:
    return [str(Use(use).label) for use in uses]


class Model(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    provider = models.CharField(_("provider"), max_length=120)
    task = models.CharField(_("task"), max_length=32, choices=Task.choices)
    purpose = models.TextField(_("purpose in the workbench"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("model")
        verbose_name_plural = _("models")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    RESTRICTED = "restricted", _("restricted (named uses only)")
    BLOCKED = "blocked", _("blocked")
    RETIRED = "retired", _("retired")


RUNNABLE_STATUSES = frozenset({Status.APPROVED, Status.RESTRICTED})


class ModelVersion(models.Model):
    model = models.ForeignKey(
        Model, on_delete=models.PROTECT, related_name="versions", verbose_name=_("model")
    )
    version = models.CharField(_("version"), max_length=64)
    served_name = models.CharField(
        _("served name"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("The model id an OpenAI-compatible server reports in /v1/models."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    weights_sha256 = models.CharField(
        _("weights SHA-256"), max_length=64, blank=True, validators=[SHA256_HEX]
    )
    quantization = models.CharField(_("quantization"), max_length=32, blank=True)
    context_length = models.PositiveIntegerField(_("context length"), null=True, blank=True)
    added_on = models.DateField(_("date added"), auto_now_add=True)
    license = models.ForeignKey(
        License, on_delete=models.PROTECT, related_name="versions", verbose_name=_("license")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    approved_uses = models.JSONField(_("approved uses"), default=list, blank=True)
    reviewed_text = models.ForeignKey(
        LicenseText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("license text reviewed"),
        help_text=_("The license text the steward reviewed at the last status change."),
    )
    # The steward who added it may not be the second steward who approves it.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("registered by"),
    )  # fmt: skip

    class Meta:
        ordering = ["model__name", "-added_on", "-pk"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        constraints = [models.UniqueConstraint(fields=["model", "version"], name="model_version_unique")]

    def __str__(self) -> str:
        return f"{self.model.name} {self.version}"

    @property
    def use_labels(self) -> list[str]:
        return use_labels(self.approved_uses)


class StatusChange(models.Model):
    """The approval trail of a version: every status change, who made it and why."""

    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("model version")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    uses = models.JSONField(_("uses"), default=list)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("steward")
    )
    system = models.CharField(_("system actor"), max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("second steward"), help_text=_("The steward whose approval in the flow applied the change."),
    )  # fmt: skip
    license_text = models.ForeignKey(
        LicenseText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("license text"),
    )
    evaluation_run = models.ForeignKey(
        "EvaluationRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("evaluation run"),
    )  # fmt: skip
    override_reason = models.TextField(_("evaluation override reason"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    @property
    def use_labels(self) -> list[str]:
        return use_labels(self.uses)


class StatusProposal(models.Model):
    """A steward's decision to approve or restrict a version, waiting for a second steward in an approval flow.

    The version keeps its status until the flow completes; then the proposal is applied as a StatusChange.
    """

    class State(models.TextChoices):
        OPEN = "open", _("awaiting a second steward")
        APPLIED = "applied", _("applied")
        WITHDRAWN = "withdrawn", _("withdrawn")

    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("model version")
    )
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    uses = models.JSONField(_("uses"), default=list)
    reason = models.TextField(_("reason"))
    evaluation_run = models.ForeignKey(
        "EvaluationRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("evaluation run"),
    )  # fmt: skip
    override_reason = models.TextField(_("evaluation override reason"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    status_change = models.OneToOneField(
        StatusChange, on_delete=models.PROTECT, null=True, blank=True, related_name="proposal",
        verbose_name=_("applied as"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status proposal")
        verbose_name_plural = _("status proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["model_version"], condition=models.Q(state="open"), name="one_open_proposal_per_version"
            )
        ]

    @property
    def use_labels(self) -> list[str]:
        return use_labels(self.uses)


# The figures each model task is evaluated on, in the order the version page shows them. The headline metrics
# (the first of each list comes first) are what the gate compares with the previous approved version's figures.
METRICS_BY_TASK: dict[str, tuple[str, ...]] = {
    Task.CLAUSE_CLASSIFICATION: ("aupr", "p_at_80r", "p_at_90r"),
    Task.TEXT_GENERATION: (
        "schema_validity", "injection_refusal", "latency_p50_seconds", "latency_p95_seconds", "items",
    ),
}  # fmt: skip
HEADLINE_METRICS: dict[str, tuple[str, ...]] = {
    Task.CLAUSE_CLASSIFICATION: ("aupr",),
    Task.TEXT_GENERATION: ("schema_validity", "injection_refusal"),
}
METRIC_LABELS = {
    "aupr": _("AUPR"),
    "p_at_80r": _("Precision at 80% recall"),
    "p_at_90r": _("Precision at 90% recall"),
    "schema_validity": _("Schema-valid answers"),
    "injection_refusal": _("Injected instructions refused"),
    "latency_p50_seconds": _("Latency p50 (s)"),
    "latency_p95_seconds": _("Latency p95 (s)"),
    "items": _("Items"),
}
FRACTION_METRICS = frozenset({"aupr", "p_at_80r", "p_at_90r", "schema_validity", "injection_refusal"})
COUNT_METRICS = frozenset({"items"})


class EvaluationRun(models.Model):
    """A version's figures on a fixed evaluation set (the evaluation gate compares them).

    Computed runs are the workbench's own measurement: the clause classifier's validation figures registered
    with its artifact, or the LLM evaluation set run in a worker against the endpoint. A steward's typed
    figures are kept as a note; the gate refuses them.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        NOTE = "", _("typed by a steward")
        ARTIFACT = "artifact", _("registered with the trained artifact")
        STEWARD = "steward", _("requested by a steward")
        APPROVAL = "approval", _("a new approval was applied")
        SERVED_WEIGHTS = "served_weights", _("different weights were served")

    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="evaluation_runs",
        verbose_name=_("model version"),
    )
    dataset_label = models.CharField(
        _("dataset"), max_length=120, help_text=_("For example cuad-v1-validation.")
    )
    metrics = models.JSONField(
        _("metrics"), default=dict, blank=True, help_text=_("The figures of the model's task (empty while running).")
    )
    computed = models.BooleanField(
        _("computed by the workbench"), default=False, help_text=_("False: figures a steward typed in, a note only.")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DONE)
    items_done = models.PositiveIntegerField(_("items done"), default=0)
    items_total = models.PositiveIntegerField(_("items"), default=0)
    error = models.TextField(_("error"), blank=True)
    endpoint = models.CharField(_("endpoint"), max_length=300, blank=True)
    weights_sha256 = models.CharField(
        _("weights SHA-256 measured"), max_length=64, blank=True,
        help_text=_("The weights the endpoint served during the run, where it could be known."),
    )  # fmt: skip
    trigger = models.CharField(_("why it ran"), max_length=32, choices=Trigger.choices, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        headline = HEADLINE_METRICS[self.model_version.model.task][0]
        value = self.metrics.get(headline)
        figure = f"{METRIC_LABELS[headline]} {value:.3f}" if value is not None else self.get_state_display()
        kind = "" if self.computed else f" · {_('typed note')}"
        return f"{self.dataset_label} · {figure}{kind} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def usable_by_gate(self) -> bool:
        return self.computed and self.state == self.State.DONE

    @property
    def figures(self) -> list[str]:
        """The task's metrics in display order, as the version page shows them ("—" where this run has none)."""
        shown = []
        for name in METRICS_BY_TASK[self.model_version.model.task]:
            value = self.metrics.get(name)
            shown.append("—" if value is None else str(int(value)) if name in COUNT_METRICS else f"{value:.3f}")
        return shown


class TrainingDataRight(models.Model):
    """The rights in the data a model we train ourselves learned from (the clause classifier: CUAD, CC BY 4.0)."""

    model = models.ForeignKey(
        Model, on_delete=models.CASCADE, related_name="training_data", verbose_name=_("model")
    )
    dataset = models.CharField(_("dataset"), max_length=200)
    license = models.ForeignKey(
        License, on_delete=models.PROTECT, related_name="+", verbose_name=_("license")
    )
    attribution_text = models.TextField(_("attribution text"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["dataset"]
        verbose_name = _("training-data right")
        verbose_name_plural = _("training-data rights")
        constraints = [models.UniqueConstraint(fields=["model", "dataset"], name="training_data_unique")]

    def __str__(self) -> str:
        return f"{self.model}: {self.dataset}"
