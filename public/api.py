"""The public page as JSON: `/api/v1/public/<slug>/` (with `?year=` the yearly summary), for
anyone, without signing in, through the same selectors as the page. It answers the same to
everyone, members included: 404 while the community's page is off."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from committee.api.charter import BilingualSerializer, CharterObjectiveSerializer
from workplans.rollup import action_progress

from . import selectors

# --- output ------------------------------------------------------------------------------------


class PublicCharterSerializer(serializers.Serializer):
    """The charter in force, without the proposal that made it (proposals are the
    committee's)."""

    number = serializers.IntegerField()
    purpose = BilingualSerializer()
    objectives = CharterObjectiveSerializer(many=True)
    values = BilingualSerializer(many=True)


class PublicSectorSerializer(serializers.Serializer):
    key = serializers.CharField(source="sector.key")
    name = serializers.CharField(source="label")
    organizations = serializers.IntegerField()


class PublicIndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    unit = serializers.CharField()


class PublicActionSerializer(serializers.Serializer):
    """A public action: what it is, when, how far along. Never who leads it or answers for it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.SerializerMethodField()
    starts_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    indicators = PublicIndicatorSerializer(many=True, source="indicators.all")

    def get_progress(self, action) -> int:
        return action_progress(action.status, action.progress)


class PublicObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="objective.pk")
    title = serializers.CharField(source="objective.title")
    description = serializers.CharField(source="objective.description")
    progress = serializers.IntegerField(allow_null=True)
    actions = PublicActionSerializer(many=True)


class PublicAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="area.pk")
    title = serializers.CharField(source="area.title")
    description = serializers.CharField(source="area.description")
    progress = serializers.IntegerField(allow_null=True)
    objectives = PublicObjectiveSerializer(many=True)


class PublicRealityEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    sector = serializers.CharField(source="sector.localized_name")
    observed_on = serializers.DateField()
    text = serializers.CharField()
    sources = serializers.CharField()


class PublicRealityGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    entries = PublicRealityEntrySerializer(many=True)


class PublicCommunitySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class PublicPageSerializer(serializers.Serializer):
    community = PublicCommunitySerializer()
    charter = PublicCharterSerializer()
    sectors = PublicSectorSerializer(many=True)
    progress = serializers.IntegerField(source="workplan.progress", allow_null=True)
    areas = PublicAreaSerializer(many=True, source="workplan.areas")
    reality = PublicRealityGroupSerializer(many=True)
    years = serializers.ListField(child=serializers.IntegerField())


class PublicActionYearSerializer(serializers.Serializer):
    action = PublicActionSerializer()
    area = serializers.CharField(source="area_title")
    progress_at_end = serializers.IntegerField(allow_null=True)


class PublicYearSummarySerializer(serializers.Serializer):
    community = PublicCommunitySerializer()
    year = serializers.IntegerField()
    charter = PublicCharterSerializer()
    sectors = PublicSectorSerializer(many=True)
    progress = serializers.IntegerField(allow_null=True)
    actions = PublicActionYearSerializer(many=True)
    reality = PublicRealityGroupSerializer(many=True)


# --- the endpoint ------------------------------------------------------------------------------


class PublicPageView(APIView):
    """A community's public page; 404 while it is off (for everyone)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="the yearly summary of that year")],
        responses={200: PublicPageSerializer},
    )
    def get(self, request, slug: str) -> Response:
        community = selectors.published_community(slug)
        year = request.query_params.get("year")
        if year is None:
            data = PublicPageSerializer(selectors.public_page(community)).data
        else:
            if not year.isdigit():
                raise ValidationError({"year": [_("Give a year, such as 2026.")]})
            data = PublicYearSummarySerializer(selectors.year_summary(community, int(year))).data
        response = Response(data)
        if not community.public_page_indexed:
            response["X-Robots-Tag"] = "noindex"
        return response
