# The production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin lic
WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# Static files are collected (and compressed, with hashed names) into the image at build time;
# whitenoise serves them. The key below exists only for this build step.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-real-key ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

USER lic
EXPOSE 8000
CMD ["gunicorn", "lic.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
