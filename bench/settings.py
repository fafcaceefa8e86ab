"""The project's settings, as production runs them (DEBUG off, persistent connections), pointed
at the benchmark's own database (`BENCH_DATABASE_URL`, never `DATABASE_URL`, so that a shell set
up for the real database cannot be seeded over), with email kept in memory."""

import os
import warnings

from bench.scales import bench_database_url

os.environ["DATABASE_URL"] = bench_database_url()
os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory: not what production does
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["REDIS_URL"] = ""  # Celery runs in process; the benchmark never queues tasks

from lic.settings import *  # noqa: E402, F403

# Pages link static files by name; the manifest storage would need `collectstatic` first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Static files are served from the app folders here; whitenoise need not warn about STATIC_ROOT.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
