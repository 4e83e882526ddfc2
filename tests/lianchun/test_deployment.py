"""A deployment that grows past one machine: the compose file's shape, the proxy's configuration, and the
settings that keep the web tier stateless (sessions in the database, files on shared storage, pooled
connections). Docker itself is not needed: the files are read as Docker Compose and nginx would read them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _volume_names(service: dict) -> set[str]:
    return {str(volume).split(":")[0] for volume in service.get("volumes", [])}


def test_only_the_proxy_publishes_a_port(compose):
    services = compose["services"]
    assert services["proxy"]["ports"] == ["${PORT:-8000}:80"]
    for name in ("web", "worker", "db", "migrate", "backup"):
        assert "ports" not in services[name], f"{name} publishes a host port: it could not be scaled or reached"


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_can_be_scaled(compose, name):
    service = compose["services"][name]
    assert "container_name" not in service
    assert {"attachments", "files"} <= _volume_names(service), "each replica must see the same files"
    environment = service["environment"]
    assert environment["FILES_ROOT"] == "/srv/lianchun/files"
    assert environment["ATTACHMENTS_ROOT"] == "/srv/lianchun/attachments"
    assert environment["DATABASE_URL"].startswith("postgresql://") and "@db:5432/" in environment["DATABASE_URL"]
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_worker_runs_the_task_queue(compose):
    command = compose["services"]["worker"]["command"]
    assert command[:3] == ["python", "manage.py", "db_worker"]
    assert "--reload" not in command


def test_the_proxy_forwards_to_the_web_service_by_name(compose):
    proxy = compose["services"]["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"set \$upstream http://web:8000;", conf) and "proxy_pass $upstream;" in conf
    # Docker's DNS, asked again, so replicas added by --scale are found.
    assert re.search(r"resolver 127\.0\.0\.11 valid=\d+s", conf)
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in conf and "X-Forwarded-Proto" in conf
    # One proxy appends to X-Forwarded-For: the app must trust exactly that many.
    assert compose["services"]["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
    body_limit = re.search(r"client_max_body_size (\d+)m;", conf)
    assert body_limit and int(body_limit.group(1)) * 1024 * 1024 >= settings.ATTACHMENT_MAX_BYTES


def test_existing_services_keep_working(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    assert "attachments" in _volume_names(services["backup"])
    assert {"pgdata", "backups", "attachments", "files"} <= set(compose["volumes"])


def test_sessions_live_in_the_database(client, cadre_a):
    from django.contrib.sessions.models import Session

    client.force_login(cadre_a)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/workbench/").status_code == 200
    # What one web process writes, every other reads: the row is the session (a logout elsewhere ends it here).
    Session.objects.filter(session_key=key).delete()
    response = client.get("/workbench/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _settings_with(env: dict[str, str]) -> dict:
    """The project's settings as a fresh process with `env` would read them."""
    code = (
        "import json, lianchun.settings as s; "
        "print(json.dumps({'STORAGES': s.STORAGES, 'DATABASE': s.DATABASES['default'], 'TASKS': s.TASKS}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FILES_", "ATTACHMENTS_", "DB_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_files_default_to_a_shared_directory(tmp_path):
    config = _settings_with({"FILES_ROOT": str(tmp_path / "files"), "ATTACHMENTS_ROOT": str(tmp_path / "att")})
    storages = config["STORAGES"]
    assert storages["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "files")},
    }
    assert storages["attachments"]["OPTIONS"] == {"location": str(tmp_path / "att")}
    assert config["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_one_s3_compatible_bucket_holds_every_file_when_set():
    config = _settings_with({"FILES_S3_BUCKET": "lianchun", "FILES_S3_ENDPOINT_URL": "http://minio.county.local:9000"})
    default, attachments = config["STORAGES"]["default"], config["STORAGES"]["attachments"]
    for storage in (default, attachments):
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"]["bucket_name"] == "lianchun"
        assert storage["OPTIONS"]["endpoint_url"] == "http://minio.county.local:9000"
        assert storage["OPTIONS"]["default_acl"] == "private"
    assert (default["OPTIONS"]["location"], attachments["OPTIONS"]["location"]) == ("files", "attachments")


def test_the_older_attachment_bucket_setting_still_works():
    config = _settings_with({"ATTACHMENTS_S3_BUCKET": "evidence"})
    assert config["STORAGES"]["attachments"]["OPTIONS"]["bucket_name"] == "evidence"
    assert config["STORAGES"]["default"]["OPTIONS"]["bucket_name"] == "evidence"


def test_the_connection_pool_is_switched_on_for_postgresql_only():
    pooled = _settings_with({"DATABASE_URL": "postgresql://u:p@db:5432/lianchun", "DB_POOL": "true"})["DATABASE"]
    assert pooled["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}
    assert pooled["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    plain = _settings_with({"DATABASE_URL": "postgresql://u:p@db:5432/lianchun"})["DATABASE"]
    assert "pool" not in plain.get("OPTIONS", {}) and plain["CONN_MAX_AGE"] == 60
    sqlite = _settings_with({"DB_POOL": "true"})["DATABASE"]
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3" and "pool" not in sqlite["OPTIONS"]


def test_the_pooled_postgresql_settings_pass_djangos_checks():
    """Django checks the pool options against psycopg-pool when the connection is configured."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lianchun.settings'); django.setup(); "
        "from django.db import connection; "
        "pool = connection.pool; print(type(pool).__name__, pool.max_size)"
    )
    env = {**os.environ, "DATABASE_URL": "postgresql://u:p@127.0.0.1:1/none", "DB_POOL": "true"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ConnectionPool", "4"]


def test_pooled_connections_answer_on_a_real_postgresql():
    """Under scripts/with-postgres.sh: a process with DB_POOL=true takes its connections from the pool."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("needs PostgreSQL (scripts/with-postgres.sh)")
    code = """
import os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianchun.settings")
django.setup()
from django.db import connection
for _ in range(5):  # five requests, each closing its connection at the end
    connection.cursor().execute("SELECT 1")
    connection.close()
stats = connection.pool.get_stats()
print(stats["requests_num"], stats["connections_num"])
"""
    env = {**os.environ, "DB_POOL": "true"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    requests, connections = map(int, result.stdout.split())
    assert requests >= 5 and connections <= 2  # five uses, one or two real connections: the pool reused them


def test_check_deploy_warns_of_files_kept_inside_the_app(settings, tmp_path):
    from exports.checks import check_shared_storage

    local = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**local, "OPTIONS": {"location": str(Path(settings.BASE_DIR) / "var" / "files")}},
        "attachments": {**local, "OPTIONS": {"location": str(tmp_path / "attachments")}},
    }
    assert [(w.id, "'default'" in w.msg) for w in check_shared_storage()] == [("exports.W002", True)]

    settings.STORAGES = {**settings.STORAGES, "default": {**local, "OPTIONS": {"location": str(tmp_path)}}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert [w.id for w in check_shared_storage()] == ["exports.W003"]


def test_a_web_process_refuses_to_start_without_the_static_files_manifest(tmp_path):
    """Started with hashed static files named but collectstatic never run, every page (its error page too)
    would be a bare English server error: the process stops at start-up and says what to run."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lianchun.settings",
        "STATIC_MANIFEST": "true",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECRET_KEY": "deployment-test-" + "x" * 40,
    }
    started = subprocess.run(
        [sys.executable, "-c", "import lianchun.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert started.returncode != 0
    assert "collectstatic" in started.stderr and "manifest" in started.stderr
