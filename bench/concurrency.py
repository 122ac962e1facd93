#!/usr/bin/env python
"""Concurrency: editors saving while publishers publish one shared account, against gunicorn.

    python bench/concurrency.py [--seconds 20] [--editors 20] [--publishers 8] [--cli-publishes 4]
                                [--create-delay 1.5] [--database-url postgres://app:app@127.0.0.1:5432/bench_conc]

Sets itself up as bin/run serves the app: gunicorn (2 workers x 4 threads, bench.settings, settings
otherwise from the environment) on a free loopback port, and the platform simulator started with
`python -m simulator` on another, told to answer every menu/create only after --create-delay seconds.
The database is fresh: a SQLite file in a temporary folder, or with --database-url a PostgreSQL
database dropped and created again (only when its name contains "bench"; otherwise it is reused and
every figure is still limited to this run's accounts).

For --seconds, at once:
  - each of --editors editors (own sign-in, own account, own full 3x5 draft) saves their draft
    through the editor's save endpoint again and again, each save with a new unique title;
  - each of --publishers publishers (own sign-in and draft, all on ONE shared account) asks for the
    publish review, then publishes: `reviewed_revision` plus the review's `live_fingerprint` when it
    has one, else `confirm_drift=1`;
  - --cli-publishes runs of `manage.py menu_publish DRAFT --user U --confirm-drift`, spread over the
    time, against the same account.

Prints the requests made, 5xx answers, tracebacks in gunicorn's log and in menu_publish's stderr,
the menu/create calls the simulator received against the successful publishes recorded in the
database (they must be equal), pending/unknown publications left, token calls, lost saves (a save
answered "Saved." whose title is not the draft's at the end, nor overwritten by a later save of the
same editor that is) and publishes refused as busy. A table, then one JSON line. Exit 0 always: it
measures, it does not assert.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Gunicorn, free_port, percentile, setup_django, sign_in

CREATE_PATH = "/cgi-bin/menu/create"
TIMEOUT = 120  # seconds a client waits for one answer (publishes may queue behind each other)
SAVE_PAUSE = (0.1, 0.4)  # between one editor's saves
PUBLISH_PAUSE = (0.05, 0.3)  # between one publisher's publishes

_REVISION = re.compile(r'<input[^>]*\bname="revision"[^>]*>')
_HIDDEN_VALUE = re.compile(r'\bvalue="([^"]*)"')
_PLATFORM_CODE = re.compile(r'class="platform-said">\s*<code>([^<]*)</code>')
# A refusal because another publish of the account is running: code "busy" however it is shown
# (not aria-busy and the like), or the panel's wording.
_BUSY = re.compile(r"(?<![-\w])busy(?![-\w])|Another publish (?:of this account )?is running", re.IGNORECASE)
_CLI_CODE = re.compile(r"Not published \[([^\]]+)\]")


def hidden_input(html: str, name: str) -> str | None:
    """The value of <input name=NAME ...> in an answer, or None (attributes in any order)."""
    match = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    if match is None:
        return None
    value = _HIDDEN_VALUE.search(match.group(0))
    return value.group(1) if value else ""


def revision_in(html: str) -> int | None:
    match = _REVISION.search(html)
    if match is None:
        return None
    value = _HIDDEN_VALUE.search(match.group(0))
    return int(value.group(1)) if value and value.group(1).isdigit() else None


def publish_answer(html: str) -> str:
    """What a publish (or review) answer says: published, busy, drift, blocked, unknown:CODE,
    failed:CODE or other."""
    if 'id="publish-title" class="ok"' in html:
        return "published"
    code = _PLATFORM_CODE.search(html)
    code = code.group(1).strip() if code else ""
    if ">Outcome unknown<" in html:
        return f"unknown:{code or '?'}"
    if "stage-outcome" in html and (
        'name="confirm_drift" value="1"' in html or 'name="live_fingerprint"' in html
    ):
        return "drift"
    if code and code != "busy":
        return f"failed:{code}"  # a platform's "busy" (WeChat -1) is a failure, not this refusal
    if code == "busy" or _BUSY.search(html):
        return "busy"
    if "stage-blocked" in html:
        return "blocked"
    return "other"


# -- PostgreSQL and the simulator ------------------------------------------------------------------


def fresh_postgres(url: str) -> str:
    """Drop and create the database named in URL (only a "bench" one); what was done, in words."""
    import psycopg
    from psycopg import errors, sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres", query="").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and "bench" in name:
            try:
                conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
                exists = None
            except errors.ObjectInUse:
                return f"{name} reused (another session is connected to it)"
        elif exists:
            return f"{name} reused (not dropped: its name does not contain 'bench')"
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{name} created afresh"


class Simulator:
    """`python -m simulator` on a free port, as bin/run starts it, for as long as the `with` lasts."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Simulator:
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the simulator exited at start:\n{self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/_sim/state", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the simulator did not answer within 30 s")

    def control(self, what: str, data: dict | None = None) -> None:
        response = requests.post(f"{self.url}/_sim/{what}", json=data, timeout=10)
        if response.status_code != 200:
            raise RuntimeError(f"simulator /_sim/{what}: HTTP {response.status_code} {response.text}")

    def state(self) -> dict:
        return requests.get(self.url + "/_sim/state", timeout=10).json()

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


# -- the people ------------------------------------------------------------------------------------


class Start:
    """Everyone signed in: the run's clock starts as the barrier opens, before anyone is released."""

    def __init__(self, parties: int, seconds: float) -> None:
        self.seconds = seconds
        self.began = self.deadline = 0.0
        self.barrier = threading.Barrier(parties, action=self._go)

    def _go(self) -> None:
        self.began = time.monotonic()
        self.deadline = self.began + self.seconds

    def wait(self) -> None:
        self.barrier.wait(timeout=180)


class Person(threading.Thread):
    """A signed-in browser session; every request it makes is recorded (kind, status, ms)."""

    def __init__(self, base_url: str, username: str, password: str, menu_id: int, start: Start):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.username = username
        self.password = password
        self.menu_id = menu_id
        self.edit_url = f"{base_url}/menus/{menu_id}/"
        self.start_gate = start
        self.records: list[tuple[str, int | None, float]] = []  # (kind, HTTP status or None, ms)
        self.failures: list[str] = []  # requests that got no answer at all
        self.setup_error = ""
        self.random = random.Random(f"{username}")
        self.session = requests.Session()
        self.headers: dict[str, str] = {}

    def run(self) -> None:
        try:
            sign_in(self.session, self.base_url, self.username, self.password)
            page = self.session.get(self.edit_url, timeout=TIMEOUT)
            if page.status_code != 200:
                raise RuntimeError(f"editor page: HTTP {page.status_code}")
            self.headers = {
                "HX-Request": "true",
                "HX-Current-URL": self.edit_url,
                "X-CSRFToken": self.session.cookies.get("csrftoken", ""),
                "Referer": self.edit_url,
                "Accept-Language": "en",
            }
            self.ready(page.text)
        except Exception as exc:  # counted; the run goes on with the others
            self.setup_error = f"{self.username}: {type(exc).__name__}: {exc}"
        try:
            self.start_gate.wait()
        except threading.BrokenBarrierError:
            return
        if not self.setup_error:
            self.work()
        self.session.close()

    @property
    def deadline(self) -> float:
        return self.start_gate.deadline

    def ready(self, page: str) -> None:
        pass

    def work(self) -> None:
        raise NotImplementedError

    def request(self, kind: str, method: str, url: str, data: dict | None = None) -> tuple[int | None, str]:
        started = time.perf_counter()
        try:
            response = self.session.request(method, url, data=data, headers=self.headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            self.records.append((kind, None, (time.perf_counter() - started) * 1000))
            self.failures.append(f"{kind}: {type(exc).__name__}")
            return None, ""
        self.records.append((kind, response.status_code, (time.perf_counter() - started) * 1000))
        return response.status_code, response.text

    def pause(self, bounds: tuple[float, float]) -> None:
        time.sleep(self.random.uniform(*bounds))


class Editor(Person):
    """Saves their own draft again and again, each time with a new title; keeps what was answered."""

    def __init__(self, *args, run_id: str, index: int, data: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_id = run_id
        self.index = index
        self.data = dict(data)
        self.revision = int(data["revision"])
        self.attempts: list[tuple[str, bool]] = []  # (title sent, acknowledged with "Saved.")
        self.conflicts = 0

    def ready(self, page: str) -> None:
        self.revision = revision_in(page) or self.revision

    def work(self) -> None:
        save_url = self.edit_url + "save/"
        while time.monotonic() < self.deadline:
            title = f"{self.run_id} editor {self.index} save {len(self.attempts) + 1}"
            data = self.data | {"title": title, "revision": str(self.revision)}
            status, html = self.request("save", "POST", save_url, data)
            acknowledged = status == 200 and "Saved." in html and "conflict-title" not in html
            self.attempts.append((title, acknowledged))
            if acknowledged:
                self.revision = revision_in(html) or self.revision + 1
            else:
                if status == 200 and "conflict-title" in html:
                    self.conflicts += 1
                # The save may or may not have been kept: read the revision again, as a reload does.
                status, page = self.request("reload", "GET", self.edit_url)
                if status == 200:
                    self.revision = revision_in(page) or self.revision
            self.pause(SAVE_PAUSE)


class Publisher(Person):
    """Reviews, then publishes, their draft of the shared account, again and again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes: Counter[str] = Counter()
        self.samples: dict[str, str] = {}  # one answer per unrecognised outcome, to read later

    def work(self) -> None:
        review_url = self.edit_url + "publish/review/"
        publish_url = self.edit_url + "publish/"
        while time.monotonic() < self.deadline:
            status, html = self.request("review", "POST", review_url, {})
            if status != 200:
                self.outcomes[f"review http_{status}" if status else "review no answer"] += 1
                self.pause(PUBLISH_PAUSE)
                continue
            reviewed = hidden_input(html, "reviewed_revision")
            if reviewed is None:
                said = publish_answer(html)
                self.outcomes[f"review {said}"] += 1
                self.samples.setdefault(f"review {said}", html[-1500:])
                self.pause(PUBLISH_PAUSE)
                continue
            data = {"reviewed_revision": reviewed}
            fingerprint = hidden_input(html, "live_fingerprint")
            if fingerprint:
                data["live_fingerprint"] = fingerprint
            else:
                data["confirm_drift"] = "1"
            status, html = self.request("publish", "POST", publish_url, data)
            if status != 200:
                self.outcomes[f"http_{status}" if status else "no answer"] += 1
            else:
                said = publish_answer(html)
                self.outcomes[said] += 1
                if said == "other":
                    self.samples.setdefault(said, html[-1500:])
            self.pause(PUBLISH_PAUSE)


def run_cli(
    database_url: str, menu_id: int, username: str, results: list[dict], lock: threading.Lock
) -> None:
    """One `manage.py menu_publish` run in its own process, as someone at a terminal would."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "manage.py",
        "menu_publish",
        str(menu_id),
        "--user",
        username,
        "--confirm-drift",
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        rc, stderr = done.returncode, done.stderr
    except subprocess.TimeoutExpired as exc:
        rc, stderr = None, str(exc.stderr or "")
    elapsed = (time.perf_counter() - started) * 1000
    if rc is None:
        said = "timeout"
    elif "Traceback (most recent call last)" in stderr:
        said = "traceback"
    elif rc == 0:
        said = "published"
    else:
        code = _CLI_CODE.search(stderr)
        if code:
            said = "busy" if code.group(1) == "busy" else f"failed:{code.group(1)}"
        else:
            said = "busy" if _BUSY.search(stderr) else f"exit {rc}"
    with lock:
        results.append(
            {
                "outcome": said,
                "exit": rc,
                "ms": elapsed,
                "tracebacks": len(tracebacks(stderr)),
                "exceptions": tracebacks(stderr),
                "stderr_tail": stderr.strip()[-300:],
            }
        )


# -- reading the logs ------------------------------------------------------------------------------

_CHAINED = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Timeout|Warning)\b.*)$")


def tracebacks(text: str) -> list[str]:
    """One entry per reported exception (a chain of tracebacks counts once): its last exception line."""
    reports: list[str] = []
    current: str | None = None
    previous = ""
    for line in text.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            if current is None or previous not in _CHAINED:
                if current is not None:
                    reports.append(current)
                current = "?"
        elif current is not None and line and not line[0].isspace():
            match = _EXCEPTION_LINE.match(line)
            if match:
                current = match.group(1)[:160]
        if line.strip():
            previous = line.strip()
    if current is not None:
        reports.append(current)
    return reports


# -- set-up ----------------------------------------------------------------------------------------


def prepare(args, run_id: str, simulator_url: str) -> dict:
    """Users, accounts and drafts: one account per editor, one shared account for the publishers."""
    from bench.fixtures import full_menu, make_account, make_draft, make_editor
    from menueditor.forms import tree_to_post_data
    from menueditor.models import Menu
    from menueditor.tree import parse_menu

    editors = []
    for i in range(args.editors):
        user = make_editor(f"ed-{run_id}-{i}")
        account = make_account(f"ed-{run_id}-{i}", api_base=simulator_url, members=[user])
        menu = make_draft(account, user, title=f"{run_id} editor {i} save 0")
        data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
        editors.append({"username": user.username, "menu_id": menu.pk, "data": data})
    publishers = [make_editor(f"pub-{run_id}-{i}") for i in range(args.publishers)]
    cli_user = make_editor(f"cli-{run_id}")
    shared = make_account(f"shared-{run_id}", api_base=simulator_url, members=[*publishers, cli_user])

    def draft_for(user, index: int) -> Menu:
        # Each publisher's menu differs from the others' by one sub-button name.
        tree = full_menu()
        tree["button"][0]["sub_button"][0]["name"] = f"新品{index}"
        return Menu.objects.create(account=shared, title=f"Publisher {index}", tree=tree, updated_by=user)

    publisher_drafts = [
        {"username": u.username, "menu_id": draft_for(u, i).pk} for i, u in enumerate(publishers)
    ]
    cli_draft = draft_for(cli_user, args.publishers)
    return {
        "editors": editors,
        "publishers": publisher_drafts,
        "cli": {"username": cli_user.username, "menu_id": cli_draft.pk},
        "shared_account_id": shared.pk,
    }


# -- the run ---------------------------------------------------------------------------------------


def measure(args) -> dict:
    database_note = "temporary SQLite file"
    if args.database_url:
        if args.database_url.startswith(("postgres://", "postgresql://")):
            database_note = fresh_postgres(args.database_url)
        else:
            database_note = args.database_url
    database_url = setup_django(args.database_url)
    from django.db import connection, connections

    from bench.fixtures import PASSWORD

    vendor = connection.vendor
    run_id = uuid.uuid4().hex[:6]
    folder = Path(tempfile.mkdtemp(prefix="menueditor-concurrency-"))
    results: dict = {
        "database": vendor,
        "database_note": database_note,
        "seconds": args.seconds,
        "editors": args.editors,
        "publishers": args.publishers,
        "cli_publishes": args.cli_publishes,
        "create_delay_s": args.create_delay,
        "gunicorn": "2 workers x 4 threads",
        "logs": str(folder),
    }
    with Simulator(folder / "simulator.log") as sim:
        sim.control("fault", {"path": CREATE_PATH, "delay": args.create_delay, "times": None})
        people = prepare(args, run_id, sim.url)
        connections.close_all()  # gunicorn's workers and the command-line runs have the database
        gate = Start(args.editors + args.publishers + 1, args.seconds)
        cli_results: list[dict] = []
        cli_lock = threading.Lock()
        with Gunicorn(database_url, workers=2, threads=4, log=folder / "gunicorn.log") as server:
            editors = [
                Editor(
                    server.url,
                    e["username"],
                    PASSWORD,
                    e["menu_id"],
                    gate,
                    run_id=run_id,
                    index=i,
                    data=e["data"],
                )
                for i, e in enumerate(people["editors"])
            ]
            publishers = [
                Publisher(server.url, p["username"], PASSWORD, p["menu_id"], gate)
                for p in people["publishers"]
            ]
            everyone = [*editors, *publishers]
            for person in everyone:
                person.start()
            gate.wait()  # everyone signed in and on their editor page
            began = gate.began
            cli_threads = []
            for k in range(args.cli_publishes):
                # Spread over the run, each at its own moment.
                at = began + (k + 0.5) * args.seconds / args.cli_publishes
                time.sleep(max(0.0, at - time.monotonic()))
                thread = threading.Thread(
                    target=run_cli,
                    args=(
                        database_url,
                        people["cli"]["menu_id"],
                        people["cli"]["username"],
                        cli_results,
                        cli_lock,
                    ),
                    daemon=True,
                )
                thread.start()
                cli_threads.append(thread)
            for thread in [*everyone, *cli_threads]:
                thread.join(timeout=args.seconds + 2 * TIMEOUT)
            duration = time.monotonic() - began
        # gunicorn has stopped (after finishing what it was serving): the database is final.
        state = sim.state()
    server_log = (folder / "gunicorn.log").read_text(errors="replace")
    server_errors = tracebacks(server_log)

    from menueditor.models import Menu, Publication

    shared_publications = Publication.objects.filter(account_id=people["shared_account_id"])
    recorded_success = shared_publications.filter(action="publish", outcome="success").count()
    run_publications = Publication.objects.filter(account__slug__contains=run_id)
    pending = run_publications.filter(outcome__in=["pending", "unknown"]).count()
    by_outcome = Counter(
        f"{action} {outcome}" + (f" {code}" if outcome != "success" else "")
        for action, outcome, code in shared_publications.values_list("action", "outcome", "code")
    )

    # Lost saves: acknowledged, yet neither the draft's title at the end nor overwritten by a later
    # attempt of the same editor that is (a save answered 500 may still have been kept).
    titles = dict(Menu.objects.filter(pk__in=[e.menu_id for e in editors]).values_list("pk", "title"))
    lost = 0
    for editor in editors:
        final = titles.get(editor.menu_id)
        kept_at = max((i for i, (title, _) in enumerate(editor.attempts) if title == final), default=-1)
        lost += sum(1 for title, acked in editor.attempts[kept_at + 1 :] if acked)
    acknowledged = sum(acked for e in editors for _, acked in e.attempts)
    per_editor = [len(e.attempts) for e in editors]
    save_attempts = sum(per_editor)

    records = [r for p in everyone for r in p.records]
    by_kind = Counter(kind for kind, _, _ in records)
    fivexx = Counter(kind for kind, status, _ in records if status is not None and status >= 500)
    other_http = Counter(
        f"{kind} {status}"
        for kind, status, _ in records
        if status is not None and status != 200 and status < 500
    )
    no_answer = Counter(kind for kind, status, _ in records if status is None)
    web_outcomes = sum((p.outcomes for p in publishers), Counter())
    cli_outcomes = Counter(r["outcome"] for r in cli_results)
    cli_errors = [e for r in cli_results for e in r["exceptions"]]
    counts = state.get("request_counts")
    if counts is not None:
        create_calls = counts.get(CREATE_PATH, 0)
        counted = "request_counts"
    else:  # a simulator without per-path counters: its last 50 requests only
        create_calls = sum(1 for r in state.get("requests", []) if r["path"] == CREATE_PATH)
        counted = "last 50 requests only" if len(state.get("requests", [])) >= 50 else "requests"

    def latency(kind: str) -> dict:
        values = [ms for k, status, ms in records if k == kind and status == 200]
        if not values:
            return {}
        return {
            "p50": round(statistics.median(values), 1),
            "p99": round(percentile(values, 99), 1),
            "max": round(max(values), 1),
        }

    setup_errors = [p.setup_error for p in everyone if p.setup_error]
    results |= {
        "duration_s": round(duration, 1),
        "requests": len(records),
        "requests_by_kind": dict(by_kind),
        "http_5xx": sum(fivexx.values()),
        "http_5xx_by_kind": dict(fivexx),
        "other_non_200": dict(other_http),
        "no_answer": dict(no_answer),
        "server_tracebacks": len(server_errors),
        "server_exceptions": dict(Counter(server_errors).most_common()),
        "cli_runs": len(cli_results),
        "cli_tracebacks": len(cli_errors),
        "cli_exceptions": dict(Counter(cli_errors).most_common()),
        "menu_create_calls": create_calls,
        "menu_create_counted_from": counted,
        "publications_success": recorded_success,
        "creates_equal_publications": create_calls == recorded_success,
        "publications_by_outcome": dict(by_outcome),
        "pending_unknown_left": pending,
        "token_calls": state.get("token_fetches"),
        "simulator_requests": counts,
        "published_answers": {"web": web_outcomes["published"], "cli": cli_outcomes["published"]},
        "save_attempts": save_attempts,
        "saves_acknowledged": acknowledged,
        "lost_saves": lost,
        "save_conflicts": sum(e.conflicts for e in editors),
        "saves_per_editor": [min(per_editor, default=0), max(per_editor, default=0)],
        "busy_refusals": web_outcomes["busy"] + web_outcomes["review busy"] + cli_outcomes["busy"],
        "publish_outcomes_web": dict(web_outcomes),
        "publish_outcomes_cli": dict(cli_outcomes),
        "latency_ms": {kind: latency(kind) for kind in ("save", "review", "publish")},
        "cli_ms": [round(r["ms"]) for r in cli_results],
        "setup_errors": setup_errors,
        "unrecognised_answers": {k: v for p in publishers for k, v in p.samples.items()},
    }
    return results


def print_table(r: dict) -> None:
    def breakdown(counter: dict) -> str:
        return (
            ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: -kv[1]))
            if counter
            else ""
        )

    equal = "equal" if r["creates_equal_publications"] else "NOT EQUAL"
    rows = [
        ("database", f"{r['database']} ({r['database_note']})"),
        ("run", f"{r['seconds']:g} s, all answered after {r['duration_s']} s; {r['gunicorn']}"),
        (
            "load",
            f"{r['editors']} editors, {r['publishers']} publishers, {r['cli_publishes']} menu_publish runs; "
            f"menu/create delay {r['create_delay_s']} s",
        ),
        ("requests made", f"{r['requests']}  ({breakdown(r['requests_by_kind'])})"),
        ("5xx answers", f"{r['http_5xx']}  ({breakdown(r['http_5xx_by_kind'])})"),
        (
            "other non-200 / no answer",
            f"{breakdown(r['other_non_200']) or 0} / {breakdown(r['no_answer']) or 0}",
        ),
        ("tracebacks, server log", str(r["server_tracebacks"])),
        *[(f"  {n} ×", exc) for exc, n in list(r["server_exceptions"].items())[:6]],
        ("tracebacks, menu_publish", f"{r['cli_tracebacks']} in {r['cli_runs']} runs"),
        *[(f"  {n} ×", exc) for exc, n in list(r["cli_exceptions"].items())[:4]],
        ("menu/create received", f"{r['menu_create_calls']}  (simulator {r['menu_create_counted_from']})"),
        ("publishes recorded", f"{r['publications_success']}  (publish, success)  -> {equal}"),
        (
            "publishes answered ok",
            f"web {r['published_answers']['web']}, command line {r['published_answers']['cli']}",
        ),
        ("pending/unknown left", str(r["pending_unknown_left"])),
        ("token calls", str(r["token_calls"])),
        (
            "saves",
            f"{r['save_attempts']} tried, {r['saves_acknowledged']} acknowledged, "
            f"{r['save_conflicts']} conflicts; {'-'.join(map(str, r['saves_per_editor']))} per editor",
        ),
        ("lost saves", str(r["lost_saves"])),
        ("refused as busy", str(r["busy_refusals"])),
        ("publish outcomes, web", breakdown(r["publish_outcomes_web"])),
        ("publish outcomes, cli", breakdown(r["publish_outcomes_cli"])),
        ("records, shared account", breakdown(r["publications_by_outcome"])),
    ]
    for kind, figures in r["latency_ms"].items():
        if figures:
            rows.append(
                (f"{kind} p50 / p99 / max", f"{figures['p50']} / {figures['p99']} / {figures['max']} ms")
            )
    if r["setup_errors"]:
        rows.append(("set-up errors", "; ".join(r["setup_errors"][:3])))
    width = max(len(label) for label, _ in rows)
    for label, figure in rows:
        print(f"{label.ljust(width)}  {figure}")
    print(f"{'logs'.ljust(width)}  {r['logs']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--publishers", type=int, default=8)
    parser.add_argument("--cli-publishes", type=int, default=4, help="manage.py menu_publish runs")
    parser.add_argument("--create-delay", type=float, default=1.5, help="seconds menu/create takes to answer")
    parser.add_argument("--database-url", help="postgres://...; default: a temporary SQLite file")
    args = parser.parse_args(argv)
    results = measure(args)
    print_table(results)
    samples = results.pop("unrecognised_answers")
    if samples:  # answers this script could not classify, kept to read
        (Path(results["logs"]) / "unrecognised.html").write_text(
            "\n\n".join(f"<!-- {kind} -->\n{html}" for kind, html in samples.items())
        )
    print(json.dumps(results, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
