#!/usr/bin/env python
"""Speed of the editor, measured: prints a table and writes bench/results.json.

    python bench/run.py [--samples 300] [--keystrokes 60] [--publishes 40] [--no-browser]

Sets itself up: a temporary SQLite database (migrated), staff, accounts, drafts and history, the
platform simulator in-process, and gunicorn on a free port for the browser measurement. Needs
nothing running. See bench/README.md for what each figure means and the goals.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform as host_platform
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Gunicorn, percentile, setup_django

RESULTS = Path(__file__).resolve().parent / "results.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

GOALS = {
    "preview": "p50 ≤ 2 × baseline p50",
    "queries": "same count small and large",
    "keystroke": "p95 < 150 ms (debounce included)",
    "publish": "overhead < 20 ms",
}


# -- preview against the baseline view ----------------------------------------------------------------


def measure_preview(samples: int, warmup: int) -> dict:
    """The preview endpoint (full 3×5 menu, as htmx posts it) and the baseline, alternating."""
    from django.test import Client

    from bench.fixtures import make_account, make_draft, make_editor
    from menueditor.forms import tree_to_post_data
    from menueditor.tree import parse_menu

    user = make_editor("preview-editor")
    account = make_account("preview", members=[user])
    menu = make_draft(account, user)
    client = Client()
    client.force_login(user)
    # htmx posts the form urlencoded, with HX-Request; the change is one typed character.
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    data["b-1-s-2-name"] += "x"
    data["touched"] = "1.2"  # editor.js names the buttons typed in since the last answer (data-path)
    body = urlencode(data)
    urls = {"preview": f"/menus/{menu.pk}/preview/", "baseline": f"/_bench/baseline/{menu.pk}/"}
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "editor-form"}

    def post(url: str) -> float:
        start = time.perf_counter()
        response = client.post(url, body, content_type="application/x-www-form-urlencoded", **headers)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed

    timings: dict[str, list[float]] = {"preview": [], "baseline": []}
    for _ in range(warmup):
        for url in urls.values():
            post(url)
    # Alternating the two spreads any noise of the machine over both alike.
    for _ in range(samples):
        for name, url in urls.items():
            timings[name].append(post(url))
    response = client.post(urls["preview"], body, content_type="application/x-www-form-urlencoded", **headers)
    html = response.content.decode()
    assert "限时折扣" in html and "优惠券包x" in html, "the preview does not show the menu"
    return {
        "preview_p50_ms": statistics.median(timings["preview"]),
        "preview_p99_ms": percentile(timings["preview"], 99),
        "baseline_p50_ms": statistics.median(timings["baseline"]),
        "baseline_p99_ms": percentile(timings["baseline"], 99),
        "preview_response_bytes": len(response.content),
        "preview_samples": samples,
    }


# -- query counts ---------------------------------------------------------------------------------------


def measure_queries() -> dict:
    """SQL queries per page: one account against 50, one history entry against 200."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.fixtures import make_account, make_draft, make_editor, make_history

    def count(user, url: str) -> int:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, url  # warm-up: per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(queries)

    small = make_editor("q-small")
    large = make_editor("q-large")
    team = Group.objects.create(name="bench large team")
    large.groups.add(team)
    small_account = make_account("q-small-0", members=[small])
    small_menu = make_draft(small_account, small)
    make_history(small_account, small_menu, small, 1)
    large_menu = None
    for i in range(50):
        # Half assigned directly, half through a group: both routes of Account.objects.for_user.
        account = make_account(f"q-large-{i}", members=[large] if i % 2 else [])
        if not i % 2:
            account.groups.add(team)
        menus = [make_draft(account, large, title=f"Draft {i}.{j}") for j in range(2)]
        make_history(account, menus[0], large, 3)
        large_menu = large_menu or menus[0]
    history_account = make_account("q-history-200", members=[small])
    history_menu = make_draft(history_account, small)
    make_history(history_account, history_menu, small, 200)
    return {
        "editor_small": count(small, f"/menus/{small_menu.pk}/"),
        "editor_large": count(large, f"/menus/{large_menu.pk}/"),
        "home_small": count(small, "/"),
        "home_large": count(large, "/"),
        "history_small": count(small, f"/accounts/{small_account.slug}/history/"),
        "history_large": count(small, f"/accounts/{history_account.slug}/history/"),
    }


# -- publish overhead ------------------------------------------------------------------------------------


def measure_publish(samples: int) -> dict:
    """publish_menu against the same menu/create made directly with requests and the cached token."""
    import requests

    from accounts.models import CachedToken
    from bench.fixtures import make_account, make_draft, make_editor
    from menueditor.platforms import get_platform
    from menueditor.publishing import publish_menu
    from menueditor.tree import parse_menu
    from simulator.server import start_simulator

    sim = start_simulator()
    try:
        user = make_editor("publisher")
        account = make_account("publish", api_base=sim.url, members=[user])
        menu = make_draft(account, user)
        first = publish_menu(menu, user)  # fetches and caches the token
        assert first.ok, (first.code, first.message)
        published, confirmed = [], []
        for _ in range(samples):
            start = time.perf_counter()
            outcome = publish_menu(menu, user)
            published.append((time.perf_counter() - start) * 1000)
            assert outcome.ok, (outcome.code, outcome.message)
            # Skipping the drift check: what publishing costs without its menu/get.
            start = time.perf_counter()
            outcome = publish_menu(menu, user, confirm_drift=True)
            confirmed.append((time.perf_counter() - start) * 1000)
            assert outcome.ok, (outcome.code, outcome.message)

        token = CachedToken.objects.get(account=account).token
        payload = get_platform("wechat").payload_bytes(parse_menu(menu.tree))
        url = f"{sim.url}/cgi-bin/menu/create"
        direct = []
        for _ in range(samples):
            start = time.perf_counter()
            response = requests.post(
                url,
                params={"access_token": token},
                data=payload,
                headers={"Content-Type": "application/json; charset=utf-8"},
                timeout=(5, 15),
            )
            direct.append((time.perf_counter() - start) * 1000)
            assert response.json()["errcode"] == 0, response.text
        assert sim.token_fetches == 1, sim.token_fetches
    finally:
        sim.stop()
    publish_p50 = statistics.median(published)
    direct_p50 = statistics.median(direct)
    return {
        "publish_overhead_ms": publish_p50 - direct_p50,
        "publish_p50_ms": publish_p50,
        "publish_confirmed_p50_ms": statistics.median(confirmed),
        "direct_create_p50_ms": direct_p50,
        "publish_samples": samples,
    }


# -- keystroke to preview, in Chromium ---------------------------------------------------------------------

# Installed in the page before each keystroke: the keydown's own timestamp, and the first moment
# the preview item shows the expected name (seen by a MutationObserver on the phone).
ARM_JS = """([fieldId, selector, expected]) => {
  const field = document.getElementById(fieldId);
  window.__bench = new Promise((resolve, reject) => {
    let typedAt = null, sentAt = null, answeredAt = null;
    const done = () => {
      const item = document.querySelector(selector);
      if (typedAt !== null && item && item.textContent.trim() === expected) {
        const now = performance.now();
        observer.disconnect();
        // The XHR's own timing splits the request: the server's answer, and htmx putting it in place.
        const timing = performance.getEntriesByType("resource")
          .filter((e) => e.name.includes("/preview/")).pop();
        performance.clearResourceTimings();
        resolve({total: now - typedAt, debounce: sentAt - typedAt, request: answeredAt - sentAt,
                 swap: now - answeredAt, server: timing ? timing.responseStart - timing.requestStart : null,
                 htmx: timing ? answeredAt - timing.responseEnd : null});
      }
    };
    const observer = new MutationObserver(done);
    observer.observe(document.getElementById("phone"), {subtree: true, childList: true, characterData: true});
    field.addEventListener("keydown", (event) => { typedAt = event.timeStamp; }, {once: true, capture: true});
    document.body.addEventListener("htmx:beforeRequest", () => { sentAt = performance.now(); }, {once: true});
    document.body.addEventListener("htmx:afterRequest", () => { answeredAt = performance.now(); },
                                   {once: true});
    setTimeout(() => { observer.disconnect(); reject(new Error("preview did not show " + expected)); }, 5000);
  });
  return true;
}"""


def measure_keystrokes(database_url: str, samples: int, warmup: int) -> dict:
    """In Chromium against gunicorn: keydown in a sub-button's name → the phone shows the new name."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from bench.fixtures import PASSWORD, make_account, make_draft, make_editor
    from menueditor.platforms import get_platform

    user = make_editor("typist")
    account = make_account("typing", members=[user])
    menu = make_draft(account, user)
    connections.close_all()  # let gunicorn's workers have the SQLite file
    field_id, selector = "f-b-0-s-1-name", '.pm-sub-item[data-path="0.1"]'
    rules = get_platform("wechat")
    timings: list[dict] = []
    # As bin/run serves the app: 2 workers × 4 threads (keep-alive between the browser and gunicorn).
    with Gunicorn(database_url, workers=2, threads=4) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(server.url + "/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(server.url + "/")
            # The sub-button opened for editing (the outline shows the others as summaries).
            page.goto(f"{server.url}/menus/{menu.pk}/#sel-0.1")
            page.wait_for_function("() => window.htmx !== undefined")
            field = page.locator(f"#{field_id}")
            trigger = page.get_attribute("#editor-form", "hx-trigger") or ""
            debounce = int(re.search(r"delay:(\d+)ms", trigger).group(1)) if "delay:" in trigger else 0
            field.click()
            page.keyboard.press("End")
            value = field.input_value()
            for i in range(warmup + samples):
                # Type a letter, then take it back: each keystroke changes the name.
                key = "Backspace" if i % 2 else "x"
                value = value[:-1] if key == "Backspace" else value + key
                expected = rules.display_name(value, 2)
                page.evaluate(ARM_JS, [field_id, selector, expected])
                page.keyboard.press(key)
                elapsed = page.evaluate("() => window.__bench")
                if i >= warmup:
                    timings.append(elapsed)
                page.wait_for_timeout(150)  # a pause between keystrokes, past the debounce
        finally:
            browser.close()
        errors = server.errors_logged()
        if errors:
            raise RuntimeError("the server logged errors:\n" + errors)
    totals = [t["total"] for t in timings]
    return {
        "keystroke_p50_ms": statistics.median(totals),
        "keystroke_p95_ms": percentile(totals, 95),
        # Where the time goes (medians): the debounce, the request (of which: the server's answer
        # from the request sent to its first byte, and htmx handling the response and swapping it in),
        # and what is left after htmx is done.
        "keystroke_parts_p50_ms": {
            part: statistics.median(t[part] for t in timings if t[part] is not None)
            for part in ("debounce", "request", "server", "htmx", "swap")
        },
        "keystroke_samples": samples,
        "keystroke_debounce_ms": debounce,
    }


def fresh_heap() -> None:
    """Collect, then freeze what survived: garbage and objects left by one section (thousands of
    test-client responses) would otherwise be scanned by the collector during the next one's timings,
    which no server process serving requests pays (publish_menu measured 14 ms alone, 30-50 ms after
    the preview section without this)."""
    gc.collect()
    gc.freeze()


# -- report ----------------------------------------------------------------------------------------------


def verdicts(results: dict) -> dict[str, bool]:
    out = {"preview": results["preview_p50_ms"] <= 2 * results["baseline_p50_ms"]}
    q = results["queries"]
    out["queries"] = all(q[f"{page}_small"] == q[f"{page}_large"] for page in ("editor", "home", "history"))
    if "keystroke_p95_ms" in results:
        out["keystroke"] = results["keystroke_p95_ms"] < 150
    out["publish"] = results["publish_overhead_ms"] < 20
    return out


def print_table(results: dict) -> None:
    ok = verdicts(results)
    mark = {True: "met", False: "MISSED"}
    rows = [
        (
            "preview p50 / p99",
            f"{results['preview_p50_ms']:.2f} / {results['preview_p99_ms']:.2f} ms",
            "preview",
        ),
        ("baseline p50 / p99", f"{results['baseline_p50_ms']:.2f} / {results['baseline_p99_ms']:.2f} ms", ""),
        (
            "preview ÷ baseline (p50)",
            f"{results['preview_p50_ms'] / results['baseline_p50_ms']:.1f} ×",
            "preview",
        ),
    ]
    q = results["queries"]
    for page in ("editor", "home", "history"):
        rows.append(
            (f"queries {page} small / large", f"{q[page + '_small']} / {q[page + '_large']}", "queries")
        )
    if "keystroke_p95_ms" in results:
        rows.append(
            (
                "keystroke → preview p50 / p95",
                f"{results['keystroke_p50_ms']:.1f} / {results['keystroke_p95_ms']:.1f} ms",
                "keystroke",
            )
        )
    rows.append(
        (
            "publish p50 / direct p50",
            f"{results['publish_p50_ms']:.2f} / {results['direct_create_p50_ms']:.2f} ms",
            "",
        )
    )
    rows.append(("publish overhead", f"{results['publish_overhead_ms']:.2f} ms", "publish"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'figure':>22}  goal")
    print("-" * (width + 60))
    for label, figure, goal in rows:
        verdict = f"{mark[ok[goal]]}: {GOALS[goal]}" if goal else ""
        print(f"{label.ljust(width)}  {figure:>22}  {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=300, help="preview and baseline requests each")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--keystrokes", type=int, default=60)
    parser.add_argument("--publishes", type=int, default=40)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--only", choices=["preview", "queries", "publish", "keystroke"], help="one figure, printed"
    )
    args = parser.parse_args(argv)

    database_url = setup_django()
    import django

    results: dict = {}
    if args.only:
        # A quick look at one figure while working on it; results.json is left alone.
        runs = {
            "preview": lambda: measure_preview(args.samples, args.warmup),
            "queries": lambda: {"queries": measure_queries()},
            "publish": lambda: measure_publish(args.publishes),
            "keystroke": lambda: measure_keystrokes(database_url, args.keystrokes, warmup=5),
        }
        print(json.dumps(runs[args.only](), indent=2, ensure_ascii=False))
        return 0
    # Publishing first, then the rest: each section starts from a collected heap (see fresh_heap).
    fresh_heap()
    results.update(measure_publish(args.publishes))
    fresh_heap()
    results.update(measure_preview(args.samples, args.warmup))
    results["queries"] = measure_queries()
    if not args.no_browser:
        results.update(measure_keystrokes(database_url, args.keystrokes, warmup=5))
    results["meta"] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": host_platform.python_version(),
        "django": django.get_version(),
        "database": "sqlite (temporary file)",
        "cpus": __import__("os").cpu_count(),
        "machine": host_platform.platform(),
    }
    results["goals_met"] = verdicts(results)
    print_table(results)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
