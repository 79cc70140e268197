"""REST API of the model register. Everyone signed in reads what is approved; stewards read and decide the rest."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from licenses import llm_evaluation, selectors, services
from licenses.models import (
    RUNNABLE_STATUSES,
    EvaluationRun,
    License,
    LicenseText,
    ModelVersion,
    Obligations,
    Status,
    StatusProposal,
)
from licenses.uses import Use


class IsModelSteward(permissions.BasePermission):
    message = _("Only model stewards may do this.")

    def has_permission(self, request, view) -> bool:
        return services.is_steward(request.user)


class ModelVersionSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="model.name", read_only=True)
    provider = serializers.CharField(source="model.provider", read_only=True)
    task = serializers.CharField(source="model.task", read_only=True)
    license = serializers.CharField(source="license.name", read_only=True)
    approved_uses = serializers.ListField(child=serializers.ChoiceField(choices=Use.choices), read_only=True)

    class Meta:
        model = ModelVersion
        fields = [
            "id", "model", "version", "provider", "task", "served_name", "source", "file_name", "size_bytes",
            "weights_sha256", "quantization", "context_length", "added_on", "license", "status", "approved_uses",
        ]  # fmt: skip
        read_only_fields = fields


class StatusChangeSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(max_length=2000)
    uses = serializers.ListField(
        child=serializers.ChoiceField(choices=Use.choices), required=False, default=list
    )
    evaluation_run = serializers.IntegerField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StatusProposalSerializer(serializers.ModelSerializer):
    approval_url = serializers.SerializerMethodField()

    class Meta:
        model = StatusProposal
        fields = ["id", "model_version", "to_status", "uses", "reason", "evaluation_run", "override_reason", "state",
                  "approval_url"]  # fmt: skip
        read_only_fields = fields

    def get_approval_url(self, proposal: StatusProposal) -> str:
        """Where a steward submits the proposal for a second steward's approval."""
        return reverse("approvals:object", args=["model-version", proposal.model_version_id])


class EvaluationRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationRun
        fields = ["id", "model_version", "dataset_label", "metrics", "computed", "state", "items_done", "items_total",
                  "error", "endpoint", "weights_sha256", "trigger", "created_at", "finished_at"]  # fmt: skip
        read_only_fields = [name for name in fields if name not in ("model_version", "dataset_label", "metrics")]


class ModelVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Model versions: stewards see the whole register, everyone else only approved and restricted versions."""

    serializer_class = ModelVersionSerializer
    queryset = ModelVersion.objects.none()  # tells the schema the model; requests use get_queryset below

    def get_queryset(self):
        if services.is_steward(self.request.user):
            return selectors.register_versions()
        return selectors.approved_versions()

    @extend_schema(
        request=StatusChangeSerializer, responses={200: ModelVersionSerializer, 202: StatusProposalSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, IsModelSteward])
    def status(self, request, pk=None):
        """Block, retire or send back a version at once; propose approving it (model stewards only).

        A proposal answers 202: a second steward's approval of the version's approval flow applies it.
        """
        version = self.get_object()
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        run = None
        if data["evaluation_run"] is not None:
            run = EvaluationRun.objects.filter(pk=data["evaluation_run"], model_version=version).first()
            if run is None:
                raise ValidationError({"evaluation_run": [_("No such evaluation run for this version.")]})
        decision = {
            "actor": request.user, "model_version": version, "to_status": data["to_status"], "reason": data["reason"],
            "uses": data["uses"], "evaluation_run": run, "override_reason": data["override_reason"],
        }  # fmt: skip
        if data["to_status"] in RUNNABLE_STATUSES:
            proposal = services.propose_status(**decision)
            return Response(StatusProposalSerializer(proposal).data, status=status.HTTP_202_ACCEPTED)
        services.change_status(**decision)
        return Response(ModelVersionSerializer(selectors.version_detail(version.pk)).data)

    @extend_schema(request=None, responses={202: EvaluationRunSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, IsModelSteward])
    def evaluate(self, request, pk=None):
        """Start the LLM evaluation set against the endpoint serving the version (model stewards only).

        Answers 202 with the running run; poll /api/evaluation-runs/{id}/ for its progress and figures.
        """
        run = llm_evaluation.request_evaluation(actor=request.user, model_version=self.get_object())
        return Response(EvaluationRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class EvaluationRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Evaluation runs, model stewards only: the figures of the model's task (a clause classifier: aupr, p_at_80r,
    p_at_90r; an LLM: schema_validity, injection_refusal, latency_p50_seconds, latency_p95_seconds, items).

    Creating one here keeps typed figures as a note (`computed` false), which the evaluation gate refuses; POST
    /api/model-versions/{id}/evaluate/ starts a computed run of the LLM evaluation set.
    """

    serializer_class = EvaluationRunSerializer
    queryset = EvaluationRun.objects.select_related("model_version")
    permission_classes = [permissions.IsAuthenticated, IsModelSteward]

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        run = services.record_evaluation_run(
            actor=request.user, model_version=data["model_version"], dataset_label=data["dataset_label"],
            metrics=data["metrics"] if isinstance(data["metrics"], dict) else {},
        )  # fmt: skip
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)


class ObligationsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Obligations
        exclude = ["id", "license"]


class LicenseTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenseText
        fields = ["id", "number", "text", "sha256", "retrieved_on", "source_url", "created_at"]
        read_only_fields = ["id", "number", "sha256", "created_at"]


class LicenseSerializer(serializers.ModelSerializer):
    obligations = ObligationsSerializer(read_only=True, allow_null=True)
    current_text_version = serializers.SerializerMethodField()

    class Meta:
        model = License
        fields = ["id", "name", "spdx_id", "url", "text_source", "obligations", "current_text_version"]

    def get_current_text_version(self, license: License) -> int | None:
        return max((text.number for text in license.texts.all()), default=None)


class LicenseViewSet(viewsets.ReadOnlyModelViewSet):
    """Licenses and their obligations (everyone signed in); new text versions (model stewards only)."""

    serializer_class = LicenseSerializer
    queryset = License.objects.select_related("obligations").prefetch_related("texts")

    @extend_schema(request=LicenseTextSerializer, responses={201: LicenseTextSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, IsModelSteward])
    def texts(self, request, pk=None):
        """Add a new version of the license text; approved versions under it go back to pending."""
        license = self.get_object()
        payload = LicenseTextSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        text = services.add_license_text(actor=request.user, license=license, **payload.validated_data)
        return Response(LicenseTextSerializer(text).data, status=status.HTTP_201_CREATED)
