#!/usr/bin/env python
"""Load: simulated editors typing into the live preview, against gunicorn.

    python bench/load.py --seconds 30 --editors 50 [--workers N] [--threads N]

Starts gunicorn (bench.settings) on a free loopback port. The database is DATABASE_URL when set
(PostgreSQL: the database is created when missing, this run's users and accounts are removed at the
end), else a temporary SQLite file. Each editor is a thread with its own requests session, signed
in through the sign-in form, working on its own full 3×5 draft: it changes a name one character at
a time and posts the whole form to the preview endpoint as htmx does (urlencoded, HX-Request,
X-CSRFToken), pausing as a person typing does. Prints throughput, p50/p99 latency and errors; exits
1 on any error (an HTTP status other than 200, a failed request, or a preview without the new name).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Gunicorn, percentile, setup_django, sign_in

# Between two keystrokes a typist pauses 120-350 ms; htmx waits 100 ms of quiet before posting,
# so each keystroke after such a pause is one request.
PAUSE_RANGE = (0.12, 0.35)


def ensure_postgres_database(url: str) -> None:
    """Create the database named in a postgres:// URL when it does not exist (the role has CREATEDB)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres", query="").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


class Editor(threading.Thread):
    """One person at the editor: signs in, then types into their draft's names until the deadline."""

    def __init__(self, base_url: str, username: str, password: str, menu_id: int, data: dict, start):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.username = username
        self.password = password
        self.url = f"{base_url}/menus/{menu_id}/preview/"
        self.data = dict(data)
        self.start_gate = start
        self.deadline = 0.0
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.random = random.Random(menu_id)

    def run(self) -> None:
        session = requests.Session()
        try:
            sign_in(session, self.base_url, self.username, self.password)
            page = session.get(self.url.replace("preview/", ""), timeout=30)
            if page.status_code != 200:
                self.errors.append(f"editor page: HTTP {page.status_code}")
                return
        except Exception as exc:
            self.errors.append(f"sign-in: {exc}")
            return
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": self.url.replace("preview/", ""),
            "X-CSRFToken": session.cookies.get("csrftoken", ""),
            "Referer": self.url.replace("preview/", ""),
        }
        self.start_gate.wait()
        while True:
            time.sleep(self.random.uniform(*PAUSE_RANGE))
            if time.monotonic() >= self.deadline:
                break
            field, typed = self.keystroke()
            started = time.perf_counter()
            try:
                response = session.post(self.url, data=self.data, headers=headers, timeout=30)
            except requests.RequestException as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                self.errors.append(f"HTTP {response.status_code}")
            elif typed and typed not in response.text:
                self.errors.append(f"the preview does not show {typed!r} ({field})")
            else:
                self.latencies.append(elapsed)
        session.close()

    def keystroke(self) -> tuple[str, str]:
        """Change one sub-button name by one character; the name as the preview must show it."""
        top, sub = self.random.randrange(3), self.random.randrange(5)
        field = f"b-{top}-s-{sub}-name"
        name = self.data[field]
        if len(name) > 4 and self.random.random() < 0.4:
            name = name[:-1]
        else:
            name += self.random.choice("新品优惠会员ABCxyz")
        self.data[field] = name[:8]
        self.data["touched"] = f"{top}.{sub}"  # as editor.js reports the button typed in (its data-path)
        return field, self.data[field]


def prepare(editors: int, run_id: str) -> tuple[list[tuple[str, int, dict]], object]:
    """Staff, one account each and a full draft each; returns (username, draft id, form data)."""
    from bench.fixtures import make_account, make_draft, make_editor
    from menueditor.forms import tree_to_post_data
    from menueditor.tree import parse_menu

    people = []
    for i in range(editors):
        user = make_editor(f"load-{run_id}-{i}")
        account = make_account(f"load-{run_id}-{i}", members=[user])
        menu = make_draft(account, user)
        data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
        people.append((user.username, menu.pk, data))
    return people


def cleanup(run_id: str) -> None:
    from django.contrib.auth.models import User

    from accounts.models import Account

    Account.objects.filter(slug__startswith=f"load-{run_id}-").delete()
    User.objects.filter(username__startswith=f"load-{run_id}-").delete()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--editors", type=int, default=50)
    cores = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL") or None
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(database_url)
    database_url = setup_django(database_url)
    from django.db import connection, connections

    from bench.fixtures import PASSWORD

    vendor = connection.vendor
    run_id = uuid.uuid4().hex[:8]
    people = prepare(args.editors, run_id)
    connections.close_all()
    start = threading.Barrier(args.editors + 1)
    threads = []
    try:
        with Gunicorn(database_url, workers=args.workers, threads=args.threads) as server:
            for username, menu_id, data in people:
                threads.append(Editor(server.url, username, PASSWORD, menu_id, data, start))
            for thread in threads:
                thread.start()
            start.wait(timeout=120)  # everyone signed in and on their editor page
            began = time.monotonic()
            for thread in threads:
                thread.deadline = began + args.seconds
            for thread in threads:
                thread.join(timeout=args.seconds + 60)
            duration = time.monotonic() - began
            server_errors = server.errors_logged()
    finally:
        cleanup(run_id)

    latencies = [ms for t in threads for ms in t.latencies]
    errors = [e for t in threads for e in t.errors]
    if server_errors:
        errors.append("server log: " + server_errors)
    print(f"database        {vendor}")
    print(f"gunicorn        {args.workers} workers × {args.threads} threads, {cores} CPUs")
    print(f"editors         {args.editors} for {duration:.1f} s")
    print(f"requests        {len(latencies)} answered")
    print(f"throughput      {len(latencies) / duration:.1f} previews/s")
    if latencies:
        print(f"latency p50     {statistics.median(latencies):.1f} ms")
        print(f"latency p99     {percentile(latencies, 99):.1f} ms")
        print(f"latency max     {max(latencies):.1f} ms")
    print(f"errors          {len(errors)}")
    for error in sorted(set(errors))[:20]:
        print(f"  {error}")
    return 1 if errors or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())
