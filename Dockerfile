# The production shape: gunicorn serving the app, whitenoise the static files; the same image runs the
# background worker (`python manage.py db_worker`). The shared volumes are created owned by the app's user.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}
ARG PIP_INDEX_URL
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN PRODUCTION=false SECRET_KEY=collectstatic-only STATIC_MANIFEST=true python manage.py collectstatic --noinput \
 && useradd --system --home /app lianchun && mkdir -p /app/var /srv/lianchun/attachments /srv/lianchun/files \
 && chown -R lianchun /app/var /srv/lianchun
USER lianchun
EXPOSE 8000
# Migrations run in the compose file's one-off `migrate` service, not at every start. Each request is
# one JSON line from the app's own log (lianchun.requestlog), so gunicorn's access log stays off.
CMD ["sh", "-c", "gunicorn lianchun.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 60"]
