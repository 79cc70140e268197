from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from licenses.models import (
    FRACTION_METRICS,
    METRIC_LABELS,
    METRICS_BY_TASK,
    EvaluationRun,
    License,
    Model,
    ModelVersion,
    Status,
)
from licenses.uses import USES_BY_TASK


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    uses = forms.MultipleChoiceField(
        label=_("Uses (restricted approvals only)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    evaluation_run = forms.ModelChoiceField(
        label=_("Evaluation run"), queryset=EvaluationRun.objects.none(), required=False
    )
    override_reason = forms.CharField(
        label=_("Override reason (only when the evaluation figures dropped beyond the threshold)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, version: ModelVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uses"].choices = [(use.value, use.label) for use in USES_BY_TASK[version.model.task]]
        # Only the workbench's own finished figures can carry a decision; typed notes are not offered.
        self.fields["evaluation_run"].queryset = version.evaluation_runs.filter(
            computed=True, state=EvaluationRun.State.DONE
        ).select_related("model_version__model")


class LicenseTextForm(forms.Form):
    text = forms.CharField(label=_("Full license text"), widget=forms.Textarea(attrs={"rows": 12}))
    retrieved_on = forms.DateField(
        label=_("Retrieved on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_url = forms.URLField(label=_("Retrieved from (URL)"), required=False, assume_scheme="https")


class EvaluationRunForm(forms.Form):
    """Figures a steward types in, with the metrics of the model's task: kept as a note, never used by the gate."""

    dataset_label = forms.CharField(label=_("Evaluation set or split"), max_length=120)

    def __init__(self, *args, task: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in METRICS_BY_TASK[task]:
            top = 1 if name in FRACTION_METRICS else None
            self.fields[name] = forms.FloatField(label=METRIC_LABELS[name], min_value=0, max_value=top)

    def metrics(self) -> dict[str, float]:
        return {name: value for name, value in self.cleaned_data.items() if name != "dataset_label"}


class ModelVersionForm(forms.Form):
    """A model update: a new version of a registered model, added as pending."""

    model = forms.ModelChoiceField(label=_("Model"), queryset=Model.objects.all())
    version = forms.CharField(label=_("Version"), max_length=64)
    license = forms.ModelChoiceField(
        label=_("License"), queryset=License.objects.all(), required=False,
        help_text=_("Empty: the license of the model's latest version."),
    )  # fmt: skip
    served_name = forms.CharField(label=_("Served name (/v1/models id)"), max_length=200, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    quantization = forms.CharField(label=_("Quantization"), max_length=32, required=False)
    context_length = forms.IntegerField(label=_("Context length"), min_value=1, required=False)
