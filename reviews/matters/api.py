from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from reviews.matters import selectors, services
from reviews.matters.models import Matter


class MatterSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Matter
        fields = ["id", "reference", "title", "client", "owner", "practice_area", "confidentiality", "created_at",
                  "closed_at", "legal_hold", "legal_hold_reason"]  # fmt: skip


def _user_field(**kwargs) -> serializers.SlugRelatedField:
    # A lawyer by username; whether they may be responsible for a matter is the service's to say.
    return serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


class MatterOpenSerializer(serializers.Serializer):
    """What opening a matter takes; the service checks the reference's format and uniqueness."""

    reference = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=200)
    client = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner = _user_field(required=False, allow_null=True, default=None)
    practice_area = serializers.ChoiceField(choices=Matter.PracticeArea.choices, required=False, allow_blank=True,
                                            default="")  # fmt: skip
    confidentiality = serializers.ChoiceField(choices=Matter.Confidentiality.choices,
                                              default=Matter.Confidentiality.CONFIDENTIAL)  # fmt: skip


class MatterTransferSerializer(serializers.Serializer):
    new_owner = _user_field()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MatterReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LegalHoldSerializer(serializers.Serializer):
    hold = serializers.BooleanField()
    reason = serializers.CharField(max_length=500)


class MatterViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Matters granted to the signed-in user (open ones unless ?state=closed or all); any other id answers 404.

    Lawyers and administrators open matters; the owner or an administrator transfers, closes and reopens one.
    """

    serializer_class = MatterSerializer
    queryset = Matter.objects.none()  # tells the schema the model; requests use get_queryset below

    def get_queryset(self):
        if self.action == "list":
            state = self.request.query_params.get("state", "open")
            return selectors.matter_list_for_user(self.request.user, state)
        return selectors.matters_for_user(self.request.user)

    @extend_schema(parameters=[OpenApiParameter("state", enum=selectors.LIST_STATES, default="open")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MatterOpenSerializer, responses={201: MatterSerializer})
    def create(self, request, *args, **kwargs):
        services.require_may_open_matters(request.user)  # before the input is read: a 403, not a 400
        data = MatterOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        matter = services.create_matter(actor=request.user, **data.validated_data)
        return Response(MatterSerializer(matter).data, status=status.HTTP_201_CREATED)

    def _change(self, request, require, serializer_class, service):
        """The person is checked before the input, so others get a 403 whatever they send."""
        matter = self.get_object()
        require(request.user, matter)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(MatterSerializer(service(actor=request.user, matter=matter, **data.validated_data)).data)

    @extend_schema(request=MatterTransferSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._change(request, services.require_owner_or_admin, MatterTransferSerializer,
                            services.transfer_matter)  # fmt: skip

    @extend_schema(request=MatterReasonSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._change(request, services.require_owner_or_admin, MatterReasonSerializer, services.close_matter)

    @extend_schema(request=MatterReasonSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._change(request, services.require_owner_or_admin, MatterReasonSerializer, services.reopen_matter)

    @extend_schema(request=LegalHoldSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], url_path="legal-hold")
    def legal_hold(self, request, pk=None):
        return self._change(request, services.require_legal_hold_right, LegalHoldSerializer,
                            services.set_legal_hold)  # fmt: skip
