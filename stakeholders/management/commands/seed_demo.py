"""Build (or complete) the demo community. Safe to run again: it only adds what is missing."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from stakeholders import services
from stakeholders.demo import DEMO_COMMUNITY, DEMO_LOGINS, NOTES, ORGANIZATIONS, OTHER_PEOPLE
from stakeholders.models import Community, Organization, OrganizationNote, Person, Sector

User = get_user_model()


class Command(BaseCommand):
    help = "Create the Riverside demo community with one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo-pass-2026"))

    @transaction.atomic
    def handle(self, *args, password, **options):
        community = Community.objects.filter(slug=DEMO_COMMUNITY["slug"]).first()
        if community is None:
            community = services.create_community(
                name=DEMO_COMMUNITY["name"],
                slug=DEMO_COMMUNITY["slug"],
                timezone_name=DEMO_COMMUNITY["timezone"],
            )
        sectors = {sector.key: sector for sector in Sector.objects.filter(community=community)}
        organizations = self._organizations(community, sectors)

        logins = {}
        for suffix, name, role, sector_key, organization in DEMO_LOGINS:
            logins[suffix] = self._person(
                community,
                f"demo-{suffix}",
                name,
                role,
                sectors[sector_key],
                organizations.get(organization),
                password,
            )
        for index, (name, sector_key, organization) in enumerate(OTHER_PEOPLE, start=1):
            self._person(
                community,
                f"member-{index:02d}",
                name,
                "member",
                sectors[sector_key],
                organizations.get(organization),
                password,
            )
        for author, organization, visibility, sector_keys, body in NOTES:
            if not OrganizationNote.objects.filter(community=community, body=body).exists():
                services.write_organization_note(
                    author=logins[author],
                    organization=organizations[organization],
                    body=body,
                    visibility=visibility,
                    sectors=[sectors[key] for key in sector_keys],
                )

        self.stdout.write(self.style.SUCCESS(f"Demo community '{community.name}' is ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/ as any of:")
        for suffix, *_rest in DEMO_LOGINS:
            self.stdout.write(f"  demo-{suffix}")
        self.stdout.write(f"Password for all of them: {password}")

    def _organizations(self, community, sectors) -> dict[str, Organization]:
        organizations = {}
        for sector_key, names in ORGANIZATIONS.items():
            for name in names:
                organization = Organization.objects.filter(community=community, name=name).first()
                if organization is None:
                    organization = services.create_organization(
                        community=community,
                        sector=sectors[sector_key],
                        name=name,
                        status=Organization.Status.ACTIVE,
                    )
                organizations[name] = organization
        return organizations

    def _person(self, community, username, name, role, sector, organization, password) -> Person:
        person = Person.objects.filter(user__username=username).first()
        if person is not None:
            return person
        return services.create_person(
            community=community,
            username=username,
            password=password,
            display_name=name,
            email=f"{username}@example.org",
            sectors=[sector],
            role=role,
            organization=organization,
        )
