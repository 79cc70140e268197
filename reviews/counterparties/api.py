"""REST API of the counterparty review (in the OpenAPI schema); permissions as in the UI: 404 outside your matters."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.services import record_event
from reviews.counterparties import selectors, services
from reviews.counterparties.models import (
    Counterparty,
    CounterpartyReview,
    HitDecision,
    JurisdictionRisk,
    ListVersion,
    RelatedPerson,
    Screening,
    ScreeningHit,
)
from reviews.counterparties.rating import QUESTIONS
from reviews.matters.selectors import matter_for_user


class RelatedPersonSerializer(serializers.ModelSerializer):
    # As people type them ("16 July 1969", "東ティモール"); the service stores the ISO forms.
    date_of_birth = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.TYPED_DATE_LENGTH
    )
    nationality = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)

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
    date = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.TYPED_DATE_LENGTH
    )
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
        fields = ["id", "subject", "subject_role", "list", "entry_id", "name", "score", "decision", "why"]


class HitDecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.get_username", read_only=True)
    confirmed_by = serializers.CharField(source="confirmed_by.get_username", read_only=True, default=None)

    class Meta:
        model = HitDecision
        fields = ["id", "hit", "outcome", "reason", "decided_by", "decided_at", "needs_confirmation", "confirmed_by",
                  "confirmed_at", "in_force"]  # fmt: skip
        read_only_fields = fields


class DecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=HitDecision.Outcome.choices)
    reason = serializers.CharField(max_length=4000)


class OpenHitSerializer(HitSerializer):
    counterparty = serializers.IntegerField(source="screening.counterparty_id", read_only=True)
    screened_at = serializers.DateTimeField(source="screening.created_at", read_only=True)
    decided_outcome = serializers.CharField(read_only=True, allow_null=True)

    class Meta(HitSerializer.Meta):
        fields = [*HitSerializer.Meta.fields, "counterparty", "screened_at", "decided_outcome"]


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
    status_message = serializers.CharField(source="status_text", read_only=True)  # in the request's language
    screening = serializers.SerializerMethodField()

    class Meta:
        model = CounterpartyReview
        fields = ["id", "counterparty", "state", "stage", "progress", "status_message", "answers", "proposed_rating",
                  "rating_basis", "rating", "rating_reason", "rated_by", "rated_at", "summary_state", "summary",
                  "summary_covers", "llm_model", "documents", "screening", "created_at", "finished_at"]  # fmt: skip

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
    """Counterparties in the user's matters; creating or correcting one needs the right to work in its matter, and a
    correction screens it again."""

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

    @extend_schema(request=CounterpartySerializer, responses=CounterpartySerializer)
    def partial_update(self, request, *args, **kwargs):
        counterparty = self.get_object()
        data = CounterpartySerializer(counterparty, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        current = {"name": counterparty.name, "aliases": counterparty.aliases, "country": counterparty.country,
                   "date": counterparty.date, "identifiers": counterparty.identifiers}  # fmt: skip
        fields = {key: value for key, value in data.validated_data.items() if key in current}
        counterparty = services.update_counterparty(actor=request.user, counterparty=counterparty,
                                                    **{**current, **fields})  # fmt: skip
        return Response(CounterpartySerializer(counterparty).data)

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


class OpenHitFilterSet(django_filters.FilterSet):
    matter = django_filters.NumberFilter(field_name="screening__counterparty__matter")

    class Meta:
        model = ScreeningHit
        fields = ["matter", "list_name", "decision"]


class ScreeningHitViewSet(viewsets.ReadOnlyModelViewSet):
    """The open hits of the latest screenings in the user's matters, oldest first (the queue); compliance and risk
    officers decide on a hit, and a second one confirms a cleared match."""

    serializer_class = OpenHitSerializer
    queryset = ScreeningHit.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = OpenHitFilterSet

    def get_queryset(self):
        return selectors.open_hits_for_user(self.request.user)

    def get_object(self):
        return selectors.hit_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=DecideSerializer, responses={201: HitDecisionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        hit = self.get_object()  # a hit outside the user's matters is a 404 before the body is read
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.decide_hit(actor=request.user, hit=hit, **data.validated_data)
        return Response(HitDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class HitDecisionViewSet(viewsets.GenericViewSet):
    serializer_class = HitDecisionSerializer
    queryset = HitDecision.objects.none()

    @extend_schema(request=None, responses=HitDecisionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        decision = services.confirm_decision(actor=request.user, decision=selectors.decision_for_user(request.user, pk))
        return Response(HitDecisionSerializer(decision).data)


class CounterpartyReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Counterparty contracts: start one (documents optional), poll it, then set the rating with a reason."""

    serializer_class = CounterpartyReviewSerializer
    queryset = CounterpartyReview.objects.none()
    parser_classes = [parsers.MultiPartParser, parsers.JSONParser]

    def get_queryset(self):
        return selectors.counterparty_reviews_for_user(self.request.user).prefetch_related("documents")

    def retrieve(self, request, *args, **kwargs):
        review = self.get_object()
        record_event(action="counterparty_review.viewed", actor=request.user, target=review,
                     matter_id=review.counterparty.matter_id, payload={"via": "api", "summary_shown": bool(review.summary)})  # fmt: skip
        return Response(self.get_serializer(review).data)

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
