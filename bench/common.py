"""What bench/run.py and bench/load.py share: Django set-up on a throwaway database, percentiles,
a free port, and a gunicorn server started and stopped by the script."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON_BIN = Path(sys.executable).parent


def setup_django(database_url: str | None = None) -> str:
    """Point Django at bench.settings and a database, migrate it, and return the DATABASE_URL.

    Without a URL a fresh SQLite file in a temporary folder is used, so nothing running is needed.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="menueditor-bench-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return database_url


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (pct in 0..100) of the values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving bench.settings on a free loopback port, for as long as the `with` lasts."""

    def __init__(self, database_url: str, *, workers: int = 2, threads: int = 1, log: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.workers = workers
        self.threads = threads
        self.log = log or Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.database_url,
            "PYTHONPATH": str(ROOT),
        }
        command = [
            str(PYTHON_BIN / "gunicorn"),
            "menueditor.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited at start; see {self.log}:\n{self.log.read_text()[-2000:]}"
                )
            try:
                if requests.get(self.url + "/login/", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass  # still starting (on a busy machine a worker may take seconds to boot)
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()

    def errors_logged(self) -> str:
        """Tracebacks or errors gunicorn and Django wrote while serving."""
        text = self.log.read_text(errors="replace")
        return "\n".join(line for line in text.splitlines() if "Traceback" in line or "ERROR" in line)


def sign_in(session: requests.Session, base_url: str, username: str, password: str) -> None:
    """Sign in through the real sign-in form (CSRF cookie and token included)."""
    page = session.get(base_url + "/login/", timeout=10)
    token = session.cookies.get("csrftoken") or _csrf_from(page.text)
    response = session.post(
        base_url + "/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base_url + "/login/"},
        timeout=10,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} failed: HTTP {response.status_code}")


def _csrf_from(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]
