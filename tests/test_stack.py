"""docker-compose.yml starts a stack that this code base can actually run: every service is there,
every command names something that exists, and the web is configured only through variables that
the settings read. (Docker itself is not needed to run these tests.)"""

import ast
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service(name: str) -> dict:
    return compose()["services"][name]


def command_line(name: str) -> str:
    command = service(name)["command"]
    return command if isinstance(command, str) else " ".join(command)


def settings_variables() -> set[str]:
    """The environment variables lic/settings.py reads: first arguments of env_*() and
    os.environ.get()."""
    tree = ast.parse((ROOT / "lic" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        func = ast.unparse(node.func)
        if func.startswith("env_") or func in {"os.environ.get", "os.getenv"}:
            names.add(first.value)
    return names


def interpolated(value: str) -> str:
    """What docker compose makes of `${VAR:-default}` and `${VAR:?error}` when VAR is unset
    (a stand-in value for the required ones)."""
    value = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{(\w+):\?[^}]*\}", r"required-\1-" + "x" * 50, value)


def test_it_has_the_whole_stack():
    assert set(compose()["services"]) >= SERVICES


def test_the_web_serves_the_wsgi_application_after_migrating():
    line = command_line("web")
    match = re.search(r"gunicorn\s+([\w.]+):(\w+)", line)
    assert match, line
    module, attribute = match.groups()
    application = getattr(importlib.import_module(module), attribute)
    assert callable(application)
    assert line.index("manage.py migrate") < line.index("gunicorn")


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_the_celery_services_run_the_lic_app(name):
    match = re.search(r"celery\s+-A\s+(\S+)\s+(\w+)", command_line(name))
    assert match
    app_name, program = match.groups()
    assert program == name
    from lic.celery import app

    # The same lookup the celery command does for `-A lic`.
    found = find_app(app_name)
    assert isinstance(found, Celery)
    assert found is app


def test_every_management_command_it_runs_exists():
    used = set()
    for name in APP_SERVICES:
        used |= set(re.findall(r"manage\.py\s+(\w+)", command_line(name)))
    assert used, "web should at least migrate"
    assert used <= set(get_commands())


@pytest.mark.parametrize("program", ["gunicorn", "celery"])
def test_the_programs_it_runs_are_installed(program):
    venv_bin = str(Path(sys.executable).parent)
    assert shutil.which(program, path=venv_bin), f"{program} is not installed next to Python"


def test_the_web_sets_only_variables_that_the_settings_read():
    read = settings_variables()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= read
    for name in APP_SERVICES:
        unknown = set(service(name)["environment"]) - read
        assert not unknown, f"{name} sets variables that lic/settings.py never reads: {unknown}"


def test_the_app_services_run_in_production_mode_against_postgres_and_redis():
    for name in APP_SERVICES:
        environment = service(name)["environment"]
        assert environment["DEBUG"] == "false"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert ":?" in environment["SECRET_KEY"], "SECRET_KEY must be required, never defaulted"
        for setting in (
            "ALLOWED_HOSTS",
            "SITE_URL",
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD",
            "DEFAULT_FROM_EMAIL",
        ):
            assert setting in environment, f"{name} does not set {setting}"


def test_the_app_services_wait_for_healthy_postgres_and_redis():
    services = compose()["services"]
    assert services["postgres"]["healthcheck"]["test"]
    assert services["redis"]["healthcheck"]["test"]
    assert services["web"]["healthcheck"]["test"]
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        for dependency in ("postgres", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy"
    for name in ("worker", "beat"):  # the web runs the migrations they need
        assert services[name]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_web_environment_passes_the_deploy_checks():
    # Only what the container would have: none of the DJANGO_* variables that tests set here.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in settings_variables() and not key.startswith("DJANGO_")
    }
    environment.update(
        {key: interpolated(str(value)) for key, value in service("web")["environment"].items()}
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_image_collects_static_files_and_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
