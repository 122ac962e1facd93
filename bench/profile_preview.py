#!/usr/bin/env python
"""Profile the preview endpoint in-process with the exact request bench/run.py times.

    python bench/profile_preview.py [--requests 300] [--sort cumulative] [--limit 60] [--dump FILE]

Prints cProfile's table for N previews (after warm-ups), then the SQL the last one ran.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--dump", help="also write the raw profile to this file (pstats format)")
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.fixtures import make_account, make_draft, make_editor
    from menueditor.forms import tree_to_post_data
    from menueditor.tree import parse_menu

    user = make_editor("profile-editor")
    account = make_account("profile", members=[user])
    menu = make_draft(account, user)
    client = Client()
    client.force_login(user)
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    data["b-1-s-2-name"] += "x"
    data["touched"] = "1.2"
    body = urlencode(data)
    url = f"/menus/{menu.pk}/preview/"
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "editor-form"}

    def post():
        response = client.post(url, body, content_type="application/x-www-form-urlencoded", **headers)
        assert response.status_code == 200, response.status_code
        return response

    for _ in range(30):
        post()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        post()
    profiler.disable()
    if args.dump:
        profiler.dump_stats(args.dump)
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.limit)
    with CaptureQueriesContext(connection) as queries:
        response = post()
    for query in queries:
        print(query["time"], query["sql"][:400])
    print(len(response.content), "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
