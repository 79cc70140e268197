from rest_framework import serializers, viewsets

from reviews.matters import selectors
from reviews.matters.models import Matter


class MatterSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Matter
        fields = ["id", "reference", "title", "client", "owner", "created_at"]


class MatterViewSet(viewsets.ReadOnlyModelViewSet):
    """Matters granted to the signed-in user; any other id answers 404."""

    serializer_class = MatterSerializer
    queryset = Matter.objects.none()  # tells the schema the model; requests use get_queryset below

    def get_queryset(self):
        return selectors.matters_for_user(self.request.user)
