"""Build (or complete) the demo community and its committee. Safe to run again: it only adds
what is missing. It lives in the project package because it uses every app."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from committee.demo import seed_agreement_update, seed_committee
from stakeholders.demo import DEMO_LOGINS, seed_stakeholders
from workplans.demo import seed_workplan


class Command(BaseCommand):
    help = "Create the Riverside demo community with one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo-pass-2026"))

    @transaction.atomic
    def handle(self, *args, password, **options):
        demo = seed_stakeholders(password=password)
        seed_committee(demo)
        seed_workplan(demo)
        seed_agreement_update(demo)
        self.stdout.write(self.style.SUCCESS(f"Demo community '{demo.community.name}' is ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/ as any of:")
        for suffix, *_rest in DEMO_LOGINS:
            self.stdout.write(f"  demo-{suffix}")
        self.stdout.write(f"Password for all of them: {password}")
        required = [
            f"demo-{suffix}"
            for suffix, _name, role, *_rest in DEMO_LOGINS
            if role in settings.TWO_FACTOR_REQUIRED_ROLES
        ]
        if required:
            self.stdout.write(
                f"{' and '.join(required)} must set up two-step sign-in (any authenticator app) "
                "at their first sign-in; to try the demo without it, start the server with "
                "TWO_FACTOR_REQUIRED=false."
            )
