"""`docker compose up --scale web=3 --scale worker=2`, run without Docker: the same processes, really started.

Three web processes (gunicorn, pooled connections) behind nginx running the project's proxy configuration
(`deploy/nginx.conf`, with the upstream block the README gives for several hosts instead of Docker's name
lookup), two task workers (`manage.py db_worker`), one PostgreSQL and one shared file directory. A county
office signs in through the proxy, its session is honoured by every web process, a download too large for the
request is made by a worker and fetched through whichever web process answers, and the office keeps working
while one web process is gone. Nothing here is mocked: it is the deployment's shape, on one machine.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from lianchun.unsaved import KEEP_PER_ADDRESS

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the deployment's shape needs PostgreSQL (make test runs this in its PostgreSQL stage)",
    ),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is installed by make system-deps-test"),
]

PASSWORD = "Scale-out-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}")


def proxy_config(web_ports: list[int], port: int, prefix: Path) -> str:
    """deploy/nginx.conf as a whole nginx configuration: its server block, with an upstream of the web ports."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    # Docker's resolver and service name become the upstream block the README's province sketch describes.
    site = re.sub(r"^resolver .*$", "", site, flags=re.M)
    site = site.replace("set $upstream http://web:8000;", "").replace("proxy_pass $upstream;", "proxy_pass http://web;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    upstream = "upstream web {\n" + "".join(f"    server 127.0.0.1:{p};\n" for p in web_ports) + "}\n"
    temp = "".join(
        f"    {name}_temp_path {prefix / name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\n    access_log {prefix / 'access.log'};\n{temp}{upstream}{site}\n}}\n"
    )


@pytest.fixture
def deployment(tmp_path, county_office, village_a):
    """The processes of the compose file, against this test's PostgreSQL database; stopped afterwards."""
    county_office.password = PBKDF2PasswordHasher().encode(PASSWORD, "scaleoutsalt")
    county_office.save(update_fields=["password"])
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": "scale-out-test-" + "k" * 40,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_POOL": "true",
        "FILES_ROOT": str(tmp_path / "shared" / "files"),
        "ATTACHMENTS_ROOT": str(tmp_path / "shared" / "attachments"),
        "TASKS_IMMEDIATE": "false",
        "EXPORT_BACKGROUND_ROWS": "0",  # every workbook goes to a worker
        "REQUEST_LOG": "false",
        "DJANGO_SETTINGS_MODULE": "lianchun.settings",
    }
    processes: list[subprocess.Popen] = []
    logs = tmp_path / "logs"
    logs.mkdir()

    def start(name: str, args: list[str]) -> subprocess.Popen:
        log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 (closed when the process is stopped)
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        process.log_file = log
        processes.append(process)
        return process

    web_ports = [free_port() for _ in range(3)]
    webs = []
    for number, port in enumerate(web_ports, start=1):
        web = start(
            f"web{number}",
            [sys.executable, "-m", "gunicorn", "lianchun.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", str(logs / f"web{number}.access"), "--timeout", "60"],
        )  # fmt: skip
        webs.append(web)
    for number in (1, 2):
        start(f"worker{number}", [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"])
    proxy_port = free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "nginx.conf").write_text(proxy_config(web_ports, proxy_port, prefix))
    proxy = start("proxy", [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"])
    try:
        for port, web in zip(web_ports, webs, strict=True):
            wait_for_port(port, web)
        wait_for_port(proxy_port, proxy)
        yield {"url": f"http://127.0.0.1:{proxy_port}", "webs": webs, "logs": logs, "files": tmp_path / "shared"}
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.log_file.close()


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    login = base + reverse("accounts:login")
    page = session.get(login, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        login,
        data={"username": "county_office", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": login},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def csrf_of(session: requests.Session, page: requests.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def requests_served(logs: Path, number: int) -> int:
    path = logs / f"web{number}.access"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_three_web_processes_two_workers_one_database_behind_the_proxy(deployment):
    base = deployment["url"]
    office = sign_in(base)

    # The session made by one web process is honoured by all of them: the proxy spreads the requests.
    for _ in range(9):
        page = office.get(base + reverse("workbench"), allow_redirects=False, timeout=30)
        assert page.status_code == 200 and "王主任" in page.text
    assert all(requests_served(deployment["logs"], number) >= 1 for number in (1, 2, 3))

    # A post without a login is kept for after the login, KEEP_PER_ADDRESS times an hour from one address: the
    # count is in the shared cache, so the three web processes together keep no more than one would, even when
    # six posts arrive at once (one for each worker of the three processes).
    propose = base + reverse("clusters:cluster-propose")
    start = threading.Barrier(6)

    def post_six_times(number: int) -> int:
        # A browser on which the office signed in and whose session then ran out: posts are kept for the account
        # the browser last signed in as (lianchun.unsaved), whose cookie outlives the session.
        stranger = sign_in(base)
        stranger.cookies.set("sessionid", None)
        token = csrf_of(stranger, stranger.get(base + reverse("accounts:login"), timeout=30))
        kept = 0
        start.wait(timeout=30)
        for attempt in range(6):
            login_page = stranger.post(
                propose,
                data={"name": f"联村{number}-{attempt}", "csrfmiddlewaretoken": token},
                headers={"Referer": propose},
                timeout=30,
            )
            assert login_page.url.startswith(base + reverse("accounts:login"))
            kept += "已保留" in login_page.text
        return kept

    with ThreadPoolExecutor(max_workers=6) as pool:
        kept = sum(pool.map(post_six_times, range(6)))
    assert kept == KEEP_PER_ADDRESS
    assert all(requests_served(deployment["logs"], number) >= 12 for number in (1, 2, 3))

    # A workbook too large for the request (every one, here) is queued by a web process, made by a worker,
    # stored on the shared directory and downloaded through whichever web process answers.
    workbook = base + reverse("exports:workbook", kwargs={"topic": "county"})
    offer = office.get(workbook, timeout=30)
    assert offer.status_code == 200 and "后台" in offer.text
    queued = office.post(
        workbook, data={"csrfmiddlewaretoken": csrf_of(office, offer)}, headers={"Referer": workbook}, timeout=30
    )
    assert queued.status_code == 200, queued.text[:500]
    status_url = base + reverse("exports:job-status")
    deadline = time.time() + 90
    while True:
        jobs = office.get(status_url, timeout=30).json()["jobs"]
        assert len(jobs) == 1
        if jobs[0]["status"] in {"done", "failed"} or time.time() > deadline:
            break
        time.sleep(0.5)
    assert jobs[0]["status"] == "done", jobs
    made = list((deployment["files"] / "files").rglob("*.xlsx"))
    assert len(made) == 1, "the worker writes the file to the shared directory"
    download = office.get(base + reverse("exports:job-download", kwargs={"pk": jobs[0]["id"]}), timeout=30)
    assert download.status_code == 200 and download.content == made[0].read_bytes()
    assert load_workbook(io.BytesIO(download.content), read_only=True).sheetnames[0] == "分乡镇汇总"

    # One web process gone (a host restarted): the proxy hands its requests to the others.
    deployment["webs"][0].terminate()
    deployment["webs"][0].wait(timeout=30)
    for _ in range(6):
        page = office.get(base + reverse("reports:inbox"), allow_redirects=False, timeout=30)
        assert page.status_code == 200
