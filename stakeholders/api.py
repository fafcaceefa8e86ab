"""The stakeholders REST API. Querysets come from selectors; writes go through services.
Input and output serializers are kept apart."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from . import selectors, services
from .models import (
    Community,
    Invitation,
    Organization,
    OrganizationNote,
    Person,
    Role,
    Sector,
    Visibility,
)


def _raise_as_api_error(error: DjangoValidationError) -> None:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    raise ValidationError(detail) from error


@extend_schema_field(OpenApiTypes.INT)
class SectorField(serializers.PrimaryKeyRelatedField):
    """Sectors of the caller's own community only; any other id is 'does not exist'."""

    def get_queryset(self):
        return selectors.sectors_for(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class OrganizationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.organizations_for(self.context["request"].user)


# --- output ------------------------------------------------------------------------------------


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "name", "slug", "timezone"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "key", "name", "is_experiential", "is_required"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "description", "sector", "status"]


class PersonSerializer(serializers.ModelSerializer):
    """Contact details are present only for the person themself and coordinators."""

    sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "display_name", "sectors", "organization", "role", "email", "phone"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not selectors.can_see_contact(self.context["request"].user, instance):
            data.pop("email")
            data.pop("phone")
        return data


class InvitationSerializer(serializers.ModelSerializer):
    sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "display_name",
            "organization",
            "sectors",
            "role",
            "language",
            "created_at",
            "expires_at",
            "emailed_at",
            "accepted_at",
            "revoked_at",
            "state",
        ]

    def get_state(self, invitation: Invitation) -> str:
        return invitation.state


class OrganizationNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True, default=None)
    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = OrganizationNote
        fields = [
            "id",
            "organization",
            "body",
            "visibility",
            "visible_sectors",
            "author",
            "created_at",
        ]


# --- input -------------------------------------------------------------------------------------


class OrganizationInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sector = SectorField()


class InvitationInput(serializers.Serializer):
    email = serializers.EmailField()
    display_name = serializers.CharField(required=False, allow_blank=True, default="")
    organization = OrganizationField(required=False, allow_null=True, default=None)
    sectors = SectorField(many=True)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)
    language = serializers.ChoiceField(
        choices=[("en", "English"), ("fr", "Français")], default="en"
    )


class OrganizationNoteInput(serializers.Serializer):
    organization = OrganizationField()
    body = serializers.CharField()
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    visible_sectors = SectorField(many=True, required=False, default=list, source="sectors")


# --- viewsets ----------------------------------------------------------------------------------


class CommunityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommunitySerializer

    def get_queryset(self):
        person = selectors.person_of(self.request.user)
        if person is None:
            return Community.objects.none()
        return Community.objects.filter(pk=person.community_id)


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SectorSerializer

    def get_queryset(self):
        return selectors.sectors_for(self.request.user).order_by("position", "name")


class OrganizationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return selectors.organizations_for(self.request.user).order_by("name")

    @extend_schema(request=OrganizationInput, responses=OrganizationSerializer)
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            OrganizationInput,
            services.register_organization,
            OrganizationSerializer,
            actor=_committee_actor(request),
        )


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        return selectors.people_for(self.request.user).order_by("display_name", "pk")


class InvitationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InvitationSerializer

    def get_queryset(self):
        return selectors.invitations_for(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=InvitationInput, responses=InvitationSerializer)
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            InvitationInput,
            services.invite_person,
            InvitationSerializer,
            actor=_committee_actor(request),
        )

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = self.get_object()
        try:
            services.revoke_invitation(actor=_committee_actor(request), invitation=invitation)
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        invitation.refresh_from_db()
        return Response(InvitationSerializer(invitation).data)


class OrganizationNoteViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationNoteSerializer

    def get_queryset(self):
        return selectors.organization_notes_for(self.request.user)

    @extend_schema(request=OrganizationNoteInput, responses=OrganizationNoteSerializer)
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            OrganizationNoteInput,
            services.write_organization_note,
            OrganizationNoteSerializer,
            author=_committee_actor(request),
        )


def _committee_actor(request) -> Person:
    person = selectors.person_of(request.user)
    if person is None:
        raise ValidationError({"detail": _("Your account is not part of a community.")})
    return person


def _create(request, input_class, service, output_class, **actor) -> Response:
    """Validate the input, hand it to the service, answer 201 with the new record, or 400 with
    the service's messages (nothing is saved then)."""
    serializer = input_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    try:
        record = service(**actor, **serializer.validated_data)
    except DjangoValidationError as error:
        _raise_as_api_error(error)
    return Response(output_class(record).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("communities", CommunityViewSet, basename="community")
    router.register("sectors", SectorViewSet, basename="sector")
    router.register("organizations", OrganizationViewSet, basename="organization")
    router.register("people", PersonViewSet, basename="person")
    router.register("invitations", InvitationViewSet, basename="invitation")
    router.register("organization-notes", OrganizationNoteViewSet, basename="organization-note")
