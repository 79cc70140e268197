from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.services import record_event
from reviews.contracts import selectors, services
from reviews.contracts.models import ContractReview, Finding, Playbook, TriageAction
from reviews.matters.selectors import matter_for_user, matters_for_user


class FindingSerializer(serializers.ModelSerializer):
    quote = serializers.CharField(read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "review", "source", "rule_id", "category", "kind", "title", "detected_severity", "severity",
                  "status", "start", "end", "quote", "score", "explanation", "fallback", "parsed", "explanation_state",
                  "llm_explanation", "llm_fallback", "llm_model"]  # fmt: skip


class ContractReviewSerializer(serializers.ModelSerializer):
    document = serializers.CharField(source="document.name", read_only=True)
    document_sha256 = serializers.CharField(source="document.sha256", read_only=True)
    playbook = serializers.CharField(source="playbook_version.playbook.name", read_only=True)
    playbook_version = serializers.IntegerField(source="playbook_version.number", read_only=True)
    status_message = serializers.CharField(source="status_text", read_only=True)  # in the request's language

    class Meta:
        model = ContractReview
        fields = ["id", "matter", "document", "document_sha256", "playbook", "playbook_version", "our_side", "state",
                  "stage", "progress", "status_message", "classifier", "created_at", "started_at", "finished_at"]  # fmt: skip


class ReviewUploadSerializer(serializers.Serializer):
    matter = serializers.IntegerField()
    playbook = serializers.SlugRelatedField(slug_field="name", queryset=Playbook.objects.all())
    file = serializers.FileField()
    our_side = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")


class TriageSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[c for c in TriageAction.Action.values if c != TriageAction.Action.ADD_MISSED])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    severity = serializers.ChoiceField(choices=Finding.Severity.values, required=False, allow_blank=True, default="")


class ContractReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Contract reviews in the user's matters: upload a contract to start one, poll its state, read findings."""

    serializer_class = ContractReviewSerializer
    queryset = ContractReview.objects.none()
    parser_classes = [parsers.MultiPartParser, parsers.JSONParser]

    def get_queryset(self):
        return selectors.reviews_for_user(self.request.user)

    @extend_schema(request=ReviewUploadSerializer, responses={201: ContractReviewSerializer})
    def create(self, request, *args, **kwargs):
        upload = ReviewUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        matter = matter_for_user(request.user, upload.validated_data["matter"])
        file = upload.validated_data["file"]
        review = services.submit_contract_review(
            actor=request.user, matter=matter, name=file.name, data=file.read(), playbook=upload.validated_data["playbook"],
            our_side=upload.validated_data["our_side"],
        )  # fmt: skip
        return Response(ContractReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=FindingSerializer(many=True))
    @action(detail=True)
    def findings(self, request, pk=None):
        review = self.get_object()
        findings = selectors.findings_by_severity(review)
        record_event(action="document.viewed", actor=request.user, target=review.document,
                     payload={"review_id": review.pk, "findings_shown": len(findings), "via": "api"})  # fmt: skip
        return Response(FindingSerializer(findings, many=True).data)


class FindingViewSet(viewsets.GenericViewSet, mixins.RetrieveModelMixin):
    serializer_class = FindingSerializer
    queryset = Finding.objects.none()

    def get_queryset(self):
        return Finding.objects.filter(review__matter__in=matters_for_user(self.request.user)).select_related(
            "review__document"
        )

    def retrieve(self, request, *args, **kwargs):
        finding = self.get_object()
        record_event(action="document.viewed", actor=request.user, target=finding.review.document,
                     payload={"review_id": finding.review_id, "finding_id": finding.pk, "via": "api"})  # fmt: skip
        return Response(self.get_serializer(finding).data)

    @extend_schema(request=TriageSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        finding = self.get_object()
        decision = TriageSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        services.triage_finding(actor=request.user, finding=finding, **decision.validated_data)
        return Response(FindingSerializer(self.get_queryset().get(pk=finding.pk)).data)
