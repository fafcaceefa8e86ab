"""The charter and the trust agreement in the REST API. Read through the selectors; accepting
goes through the service. A community other than the caller's own answers 404, as a missing
one does; a version names the proposal that made it only if the caller may see it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lic.schema import OneRecordSchema
from stakeholders.api import _raise_as_api_error
from stakeholders.selectors import person_of

from .. import selectors, services


class BilingualSerializer(serializers.Serializer):
    en = serializers.CharField()
    fr = serializers.CharField()
    text = serializers.CharField(help_text="In the caller's language, or the other when blank.")
    lang = serializers.CharField(help_text="The language of `text`.")


class CharterObjectiveSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stays the same across versions while the words change.")
    text = BilingualSerializer()


class CharterVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    is_model = serializers.BooleanField(help_text="Version 1: the model's own charter.")
    applied_at = serializers.DateTimeField(allow_null=True)
    proposal = serializers.SerializerMethodField(
        help_text="The agreed proposal that made it, if you may see it."
    )
    purpose = BilingualSerializer()
    objectives = CharterObjectiveSerializer(many=True)
    values = BilingualSerializer(many=True)

    def get_proposal(self, version) -> int | None:
        return version.proposal_id if version.proposal_id in self.context["visible"] else None


class CharterSerializer(serializers.Serializer):
    current = CharterVersionSerializer()
    versions = CharterVersionSerializer(many=True, help_text="Newest first.")


class AgreementVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    applied_at = serializers.DateTimeField()
    proposal = serializers.SerializerMethodField()
    text = BilingualSerializer(help_text="Markdown.")

    def get_proposal(self, version) -> int | None:
        return version.proposal_id if version.proposal_id in self.context["visible"] else None


class AgreementSerializer(serializers.Serializer):
    current = AgreementVersionSerializer(
        allow_null=True, help_text="Null while the committee has not agreed one."
    )
    accepted_at = serializers.DateTimeField(
        allow_null=True, help_text="When you accepted the current version; null if not yet."
    )
    must_accept = serializers.BooleanField(
        help_text="True until you accept the current version: taking part needs it."
    )
    versions = AgreementVersionSerializer(many=True, help_text="Newest first.")


class AcceptInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="The number of the version you read.")


def _visible(request, versions) -> set[int]:
    return set(selectors.visible_proposal_titles(request.user, [v.proposal_id for v in versions]))


class CharterViewSet(viewsets.ViewSet):
    """`/communities/{id}/charter/`: the caller's community's charter, with every version."""

    schema = OneRecordSchema()

    @extend_schema(responses=CharterSerializer)
    def list(self, request, community_pk=None):
        person = person_of(request.user)
        if person is None or str(person.community_id) != str(community_pk):
            raise Http404
        versions = selectors.charter_versions(person.community)
        context = {"visible": _visible(request, versions)}
        return Response(
            CharterSerializer({"current": versions[0], "versions": versions}, context=context).data
        )


class AgreementViewSet(viewsets.ViewSet):
    """`/agreements/`: the trust agreement of the caller's committee; `accept` records that the
    caller accepted the current version. Committee members only."""

    schema = OneRecordSchema()

    def _member(self, request):
        person = person_of(request.user)
        if person is None or not person.is_committee_member:
            raise Http404
        return person

    def _state(self, request, person) -> dict:
        versions = selectors.agreement_versions(person.community)
        current = versions[0] if versions else None
        acceptance = selectors.my_acceptance(person, current) if current else None
        data = {
            "current": current,
            "accepted_at": acceptance.accepted_at if acceptance else None,
            "must_accept": current is not None and acceptance is None,
            "versions": versions,
        }
        return AgreementSerializer(data, context={"visible": _visible(request, versions)}).data

    @extend_schema(responses=AgreementSerializer)
    def list(self, request):
        return Response(self._state(request, self._member(request)))

    @extend_schema(request=AcceptInput, responses=AgreementSerializer)
    @action(detail=False, methods=["post"])
    def accept(self, request):
        person = self._member(request)
        serializer = AcceptInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.accept_agreement(person=person, number=serializer.validated_data["version"])
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(self._state(request, person))
