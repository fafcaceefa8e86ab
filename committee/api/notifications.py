"""The caller's in-app notifications and their choice of channel per kind.

Rows come only from `selectors.notifications_for`: the caller's own, sent in the app, about a
meeting or proposal they may still see now. One about a record hidden since is gone from the
list, the unread count and every URL (404, as a missing one, and as someone else's). Writes go
to `services.mark_read` and `services.set_preference`. As the notification pages, the
preferences exist for committee members only (404 for anyone else), and the kind "minutes not
yet written" is offered to coordinators only."""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from stakeholders.api import _committee_actor
from stakeholders.models import Person
from stakeholders.selectors import person_of

from .. import selectors, services
from ..consensus import Result
from ..models import Channel, Notification, NotificationKind
from .meetings import TitledRefSerializer

# --- output ------------------------------------------------------------------------------------


class ContextMomentField(serializers.DateTimeField):
    """A moment of the occasion, as the row's context recorded it (an ISO 8601 string)."""

    def to_representation(self, value):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return super().to_representation(value)


def _from_context(key: str, help_text: str) -> ContextMomentField:
    return ContextMomentField(
        source=f"context.{key}", read_only=True, allow_null=True, help_text=help_text
    )


class NotificationSerializer(serializers.ModelSerializer):
    meeting = TitledRefSerializer(read_only=True, allow_null=True)
    proposal = TitledRefSerializer(read_only=True, allow_null=True)
    starts_at = _from_context("starts_at", "The meeting's start (the new one when it moved).")
    old_starts_at = _from_context("old_starts_at", "The start a moved meeting had before.")
    closes_at = _from_context("closes_at", "When the proposal closes for positions.")
    result = serializers.ChoiceField(
        source="context.result",
        choices=Result.choices,
        read_only=True,
        allow_null=True,
        help_text="The outcome of a closed proposal.",
    )
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "meeting",
            "proposal",
            "starts_at",
            "old_starts_at",
            "closes_at",
            "result",
            "created_at",
            "sent_at",
            "read",
            "read_at",
        ]

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


UNREAD_COUNT = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})

NotificationPreferencesSerializer = type(
    "NotificationPreferencesSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "The channel of each kind of notification offered to the caller.",
        **{
            kind: serializers.ChoiceField(
                choices=Channel.choices, required=False, help_text=str(label)
            )
            for kind, label in NotificationKind.choices
        },
    },
)


# --- viewsets ----------------------------------------------------------------------------------


UNREAD_FILTER = OpenApiParameter(
    "unread", OpenApiTypes.BOOL, description="true: only unread ones; false: only read ones."
)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        queryset = selectors.notifications_for(self.request.user)
        unread = self.request.query_params.get("unread")
        if unread is None:
            return queryset
        if unread not in {"true", "false"}:
            raise ValidationError({"unread": _("Give true or false.")})
        return queryset.filter(read_at__isnull=unread == "true")

    def get_object(self) -> Notification:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise Http404 from None
        notification = selectors.notifications_for(self.request.user).filter(pk=pk).first()
        if notification is None:
            raise Http404
        return notification

    @extend_schema(parameters=[UNREAD_FILTER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        services.mark_read(person=_committee_actor(request), notification=self.get_object())
        return Response(NotificationSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=UNREAD_COUNT, description="Mark all of them read.")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        services.mark_read(person=_committee_actor(request))
        return Response({"unread": selectors.unread_count(request.user)})

    @extend_schema(responses=UNREAD_COUNT)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(request.user)})


class NotificationPreferenceViewSet(viewsets.GenericViewSet):
    """The caller's channel for each kind of notification: email (and in the app), in the app
    only, or off. One document per caller at the collection's own address: GET reads it, PUT
    and PATCH alike set the kinds given and leave the others as they are."""

    serializer_class = NotificationPreferencesSerializer
    pagination_class = None

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # The router gives a collection's address only GET (`list`) and POST; this one document
        # is also replaced or changed there. `list` stays as the router's cue for the address.
        if actions == {"get": "list"}:
            actions = {"get": "read", "put": "replace", "patch": "change"}
        return super().as_view(actions, **initkwargs)

    def member(self) -> Person:
        person = person_of(self.request.user)
        if person is None or not person.is_committee_member:
            raise Http404
        return person

    @staticmethod
    def offered(person: Person) -> list[str]:
        """The kinds the settings page offers: unwritten minutes concern coordinators only."""
        return [
            kind
            for kind in NotificationKind.values
            if kind != NotificationKind.MINUTES_DUE or person.is_coordinator
        ]

    def current(self, person: Person) -> dict[str, str]:
        channels = services.channels_of(person)
        return {kind: channels[kind] for kind in self.offered(person)}

    def get_object(self) -> dict[str, str]:
        """The caller's document (DRF's OPTIONS answer reads it to describe PUT)."""
        return self.current(self.member())

    @extend_schema(responses=NotificationPreferencesSerializer)
    def read(self, request):
        return Response(self.current(self.member()))

    list = read

    @extend_schema(
        request=NotificationPreferencesSerializer, responses=NotificationPreferencesSerializer
    )
    def replace(self, request):
        person = self.member()
        if not isinstance(request.data, Mapping):
            raise ValidationError({"detail": [_("Send an object of kinds and channels.")]})
        offered = self.offered(person)
        errors = {
            kind: [_("Choose one of the kinds of notification.")]
            for kind in request.data
            if kind not in offered
        }
        errors |= {
            kind: [_("Choose email, in the app only, or off.")]
            for kind, channel in request.data.items()
            if kind in offered and channel not in Channel.values
        }
        if errors:
            raise ValidationError(errors)
        with transaction.atomic():
            for kind, channel in request.data.items():
                services.set_preference(person=person, kind=kind, channel=channel)
        return Response(self.current(person))

    @extend_schema(
        request=NotificationPreferencesSerializer, responses=NotificationPreferencesSerializer
    )
    def change(self, request):
        return self.replace(request)
