"""REST API of the counterparty review (in the OpenAPI schema); permissions as in the UI: 404 outside your matters."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reviews.counterparties import selectors, services
from reviews.counterparties.models import (
    Counterparty,
    CounterpartyReview,
    JurisdictionRisk,
    ListVersion,
    RelatedPerson,
    Screening,
    ScreeningHit,
)
from reviews.counterparties.rating import QUESTIONS
from reviews.matters.selectors import matter_for_user


class RelatedPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelatedPerson
        fields = ["id", "name", "role", "date_of_birth", "nationality"]


class CounterpartySerializer(serializers.ModelSerializer):
    related_people = RelatedPersonSerializer(many=True, read_only=True)
    aliases = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list)
    identifiers = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list
    )
    country = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    date = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)
    matter = serializers.IntegerField(source="matter_id")

    class Meta:
        model = Counterparty
        fields = ["id", "matter", "name", "kind", "aliases", "country", "date", "identifiers", "related_people",
                  "new_hits", "created_at"]  # fmt: skip
        read_only_fields = ["new_hits", "created_at"]


class HitSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="list_name")

    class Meta:
        model = ScreeningHit
        fields = ["subject", "subject_role", "list", "entry_id", "name", "score", "decision", "why"]


class ScreeningSerializer(serializers.ModelSerializer):
    hits = HitSerializer(many=True, read_only=True)

    class Meta:
        model = Screening
        fields = [
            "id",
            "decision",
            "best_score",
            "thresholds",
            "list_versions",
            "new_hit_count",
            "created_at",
            "hits",
        ]


class CounterpartyReviewSerializer(serializers.ModelSerializer):
    screening = serializers.SerializerMethodField()

    class Meta:
        model = CounterpartyReview
        fields = ["id", "counterparty", "state", "stage", "progress", "status_message", "answers", "proposed_rating",
                  "rating_basis", "rating", "rating_reason", "rated_by", "rated_at", "summary", "llm_model",
                  "documents", "screening", "created_at", "finished_at"]  # fmt: skip

    @extend_schema(responses=ScreeningSerializer(allow_null=True))
    def get_screening(self, review) -> dict | None:
        screening = selectors.review_screening(review)
        return ScreeningSerializer(screening).data if screening else None


class ReviewRequestSerializer(serializers.Serializer):
    counterparty = serializers.IntegerField()
    documents = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    answers = serializers.DictField(child=serializers.BooleanField(), required=False, default=dict,
                                    help_text=f"Questionnaire: {', '.join(QUESTIONS)}")  # fmt: skip


class RatingSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=JurisdictionRisk.Level.choices)
    reason = serializers.CharField(max_length=4000)


class CounterpartyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Counterparties in the user's matters; creating one needs the right to work in its matter."""

    serializer_class = CounterpartySerializer
    queryset = Counterparty.objects.none()

    def get_queryset(self):
        return selectors.counterparties_for_user(self.request.user).prefetch_related("related_people")

    def create(self, request, *args, **kwargs):
        data = CounterpartySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        matter = matter_for_user(request.user, fields.pop("matter_id"))
        counterparty = services.create_counterparty(actor=request.user, matter=matter, **fields)
        return Response(CounterpartySerializer(counterparty).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RelatedPersonSerializer, responses={201: RelatedPersonSerializer})
    @action(detail=True, methods=["post"], url_path="related-people")
    def related_people(self, request, pk=None):
        counterparty = self.get_object()
        data = RelatedPersonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.add_related_person(
            actor=request.user, counterparty=counterparty, **data.validated_data
        )
        return Response(RelatedPersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ScreeningSerializer(many=True))
    @action(detail=True)
    def screenings(self, request, pk=None):
        counterparty = self.get_object()
        return Response(ScreeningSerializer(counterparty.screenings.prefetch_related("hits", "list_versions"),
                                            many=True).data)  # fmt: skip


class CounterpartyReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Counterparty contracts: start one (documents optional), poll it, then set the rating with a reason."""

    serializer_class = CounterpartyReviewSerializer
    queryset = CounterpartyReview.objects.none()
    parser_classes = [parsers.MultiPartParser, parsers.JSONParser]

    def get_queryset(self):
        return selectors.counterparty_reviews_for_user(self.request.user).prefetch_related("documents")

    @extend_schema(request=ReviewRequestSerializer, responses={201: CounterpartyReviewSerializer})
    def create(self, request, *args, **kwargs):
        data = ReviewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        counterparty = selectors.counterparty_for_user(request.user, data.validated_data["counterparty"])
        documents = [(f.name, f.read()) for f in data.validated_data["documents"]]
        review = services.submit_counterparty_review(
            actor=request.user, counterparty=counterparty, documents=documents, answers=data.validated_data["answers"],
        )  # fmt: skip
        return Response(CounterpartyReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RatingSerializer, responses=CounterpartyReviewSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        review = self.get_object()
        data = RatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.rate_counterparty(actor=request.user, review=review, **data.validated_data)
        return Response(CounterpartyReviewSerializer(review).data)


class ListVersionSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="sanctions_list.name", read_only=True)

    class Meta:
        model = ListVersion
        fields = [
            "id",
            "list",
            "published",
            "imported_at",
            "file_format",
            "sha256",
            "entry_count",
            "is_current",
        ]


class ListVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Imported sanctions list versions, current and kept ones."""

    serializer_class = ListVersionSerializer
    queryset = ListVersion.objects.none()

    def get_queryset(self):
        return selectors.list_versions()


class JurisdictionRiskSerializer(serializers.ModelSerializer):
    class Meta:
        model = JurisdictionRisk
        fields = ["country", "level", "source", "note", "updated_at"]


class JurisdictionRiskViewSet(viewsets.ReadOnlyModelViewSet):
    """The jurisdiction risk table (edited by compliance officers on its page)."""

    serializer_class = JurisdictionRiskSerializer
    queryset = JurisdictionRisk.objects.all()
    lookup_field = "country"
