"""A bad value in the environment stops the start with a message that names the variable; the
defaults start a newcomer's machine with nothing set."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lic.settings'); "
    "django.setup()"
)
SETTINGS_VARIABLES = set(
    re.findall(r"env_\w+\(\s*\"(\w+)\"", (ROOT / "lic" / "settings.py").read_text())
)


def start_django(**variables: str) -> subprocess.CompletedProcess:
    """Set Django up in a fresh interpreter, with only the given settings variables set (none of
    the DJANGO_* ones that other tests set in this process either)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in SETTINGS_VARIABLES and not key.startswith("DJANGO_")
    }
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_starts_with_the_defaults():
    result = start_django()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"EMAIL_PORT": "abc"}, "EMAIL_PORT"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"QUICK_EXIT_URL": "javascript:alert(1)"}, "QUICK_EXIT_URL"),
        ({"SECURITY_CONTACT": "someone"}, "SECURITY_CONTACT"),
    ],
)
def test_a_bad_value_stops_the_start_and_names_the_variable(variables, named):
    result = start_django(**variables)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {named} " in result.stderr, result.stderr
