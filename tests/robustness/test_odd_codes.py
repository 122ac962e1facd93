"""Platform replies whose error code is not a plain integer: an unknown code, a failed record, no crash.

The simulator sends the reply bodies as they are written here (a fault's raw `body`), over real
HTTP, so the client's own JSON decoding sees them: `1e999` arrives as infinity, `"²"` is a digit to
str.isdigit() but not to int(), a 400-digit integer, booleans, objects. Before, WeChat's "²" and
Weibo's 1e999 or "Infinity" raised ValueError / OverflowError out of publish_menu (a 500).
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from menueditor import publishing
from menueditor.models import Menu, Publication
from menueditor.platforms.codes import read_code, shown_code
from tests.security.conftest import BOTH_PLATFORMS_MENU

pytestmark = pytest.mark.django_db

UNKNOWN_HINT = "This app has no advice for this code"
# The code as JSON text in the reply, and how the person sees it (the record's code).
ODD_CODES = {
    "1e999": "Infinity",
    "-1e999": "-Infinity",
    '"Infinity"': '"Infinity"',
    '"NaN"': '"NaN"',
    "NaN": "NaN",
    '"²"': '"²"',
    '"٣"': '"٣"',  # an Arabic-Indic digit: also a digit to Python
    "40001.0": "40001.0",
    "1.5": "1.5",
    "-0.0": "-0.0",
    "1" * 400: "1" * 31 + "…",
    "true": "true",
    "false": "false",
    '{"code": 40001}': '{"code": 40001}',
    "[45009]": "[45009]",
    '""': '""',
    '"40001x"': '"40001x"',
    '"\\u0000"': '"\\u0000"',
    '"\\ud800"': '"\\ud800"',
}
PATHS = {"wechat": "/cgi-bin/menu/create", "weibo": "/2/messages/menu/create.json"}
LIVE = {"button": [{"type": "click", "name": "Live now", "key": "LIVE"}]}


@pytest.fixture
def publisher(factories):
    return factories.user(username="publisher", perms=("change_menu", "publish_menu", "view_menu"))


def setup(factories, simulator, publisher, platform: str):
    account = factories.account(platform=platform, api_base=simulator.url, members=(publisher,))
    menu = factories.menu(account, title="Spring", tree=BOTH_PLATFORMS_MENU, user=publisher)
    if platform == "wechat":
        simulator.wechat_menu = LIVE
    else:
        simulator.weibo_menu = LIVE
    return account, menu


def reply_body(platform: str, code_json: str) -> str:
    if platform == "wechat":
        return '{"errcode": ' + code_json + ', "errmsg": "odd reply rid: 64a1-2b3c"}'
    return (
        '{"request": "/2/messages/menu/create.json", "error_code": ' + code_json + ', "error": "odd reply"}'
    )


def stored(menu: Menu) -> tuple:
    menu = Menu.objects.get(pk=menu.pk)
    return (json.dumps(menu.tree, sort_keys=True), menu.revision, menu.updated_at, menu.title)


@pytest.mark.parametrize("platform", ["wechat", "weibo"])
@pytest.mark.parametrize("code_json,shown", ODD_CODES.items(), ids=list(ODD_CODES))
def test_publish_menu_records_an_odd_code_as_an_unknown_failure(
    factories, simulator, publisher, platform, code_json, shown
):
    _account, menu = setup(factories, simulator, publisher, platform)
    before = stored(menu)
    status = 200 if platform == "wechat" else 400  # Weibo answers its errors with HTTP 400
    simulator.add_fault(PATHS[platform], body=reply_body(platform, code_json), http_status=status)

    outcome = publishing.publish_menu(menu, publisher, confirm_drift=True)

    if platform == "weibo" and code_json == '""':
        shown = "unknown"  # Weibo's reply has an error but no code
    assert not outcome.ok
    assert outcome.code == shown
    assert UNKNOWN_HINT in outcome.hint
    assert shown in outcome.hint  # the code as it came, for a report to the platform
    record = Publication.objects.get(action=Publication.Action.PUBLISH)
    assert record.outcome == Publication.Outcome.FAILURE
    assert (record.code, record.hint, record.message) == (shown, outcome.hint, outcome.message)
    assert "odd reply" in record.message
    assert stored(menu) == before
    assert (simulator.wechat_menu if platform == "wechat" else simulator.weibo_menu) == LIVE
    # Exactly one call: an odd code is never taken for a token error to refresh and retry.
    assert len(simulator.requests_to(PATHS[platform])) == 1


@pytest.mark.parametrize("platform", ["wechat", "weibo"])
def test_codes_written_as_text_or_with_spaces_are_still_read(factories, simulator, publisher, platform):
    """Weibo sends codes as strings; the tables' advice still applies to them."""
    _account, menu = setup(factories, simulator, publisher, platform)
    code, fragment = ("45009", "tomorrow") if platform == "wechat" else ("10006", "copy a new token")
    simulator.add_fault(PATHS[platform], body=reply_body(platform, f'" {code} "'), http_status=400)
    outcome = publishing.publish_menu(menu, publisher, confirm_drift=True)
    assert outcome.code == code
    assert fragment in outcome.hint


def test_a_wechat_reply_without_errcode_or_with_zero_is_a_success(factories, simulator, publisher):
    for body in (
        '{"errmsg": "ok"}',
        '{"errcode": 0, "errmsg": "ok"}',
        '{"errcode": null}',
        '{"errcode": "0"}',
    ):
        _account, menu = setup(factories, simulator, publisher, "wechat")
        simulator.add_fault(PATHS["wechat"], body=body)
        assert publishing.publish_menu(menu, publisher, confirm_drift=True).ok, body


def test_an_errmsg_the_database_could_not_keep_is_recorded_written_out(factories, simulator, publisher):
    """PostgreSQL refuses NUL and lone surrogates in text: the platform's words are kept escaped."""
    _account, menu = setup(factories, simulator, publisher, "wechat")
    body = '{"errcode": 45009, "errmsg": "quota\\u0000 used \\ud800 up"}'
    simulator.add_fault(PATHS["wechat"], body=body)
    outcome = publishing.publish_menu(menu, publisher, confirm_drift=True)
    assert outcome.code == "45009"
    record = Publication.objects.get(action=Publication.Action.PUBLISH)
    assert record.message == "quota\\u0000 used \\ud800 up"


def test_an_odd_expires_in_on_the_token_is_read_as_the_usual_lifetime(factories, simulator, publisher):
    _account, menu = setup(factories, simulator, publisher, "wechat")
    body = '{"access_token": "TOKEN-FROM-ODD-REPLY", "expires_in": 1e999}'
    simulator.add_fault("/cgi-bin/stable_token", body=body)
    outcome = publishing.publish_menu(menu, publisher, confirm_drift=True)
    # The token was taken and used (1e999 seconds read as the usual 7200); the simulator does not
    # know it and refuses it, so the client fetches a real one once and publishes.
    first_call = simulator.requests_to("/cgi-bin/menu/create")[0]
    assert first_call.query["access_token"] == "TOKEN-FROM-ODD-REPLY"
    assert outcome.ok, outcome
    assert len(simulator.requests_to("/cgi-bin/stable_token")) == 2


@pytest.mark.parametrize("platform", ["wechat", "weibo"])
@pytest.mark.parametrize("code_json", ["1e999", '"²"', '"Infinity"', '{"a": [1]}', "true"])
def test_the_editors_publish_shows_the_unknown_code_hint(
    factories, simulator, publisher, platform, code_json
):
    _account, menu = setup(factories, simulator, publisher, platform)
    before = stored(menu)
    client = Client(raise_request_exception=False)
    client.force_login(publisher)
    simulator.add_fault(PATHS[platform], body=reply_body(platform, code_json), http_status=400)
    review = client.post(reverse("menu_publish_review", args=[menu.pk]), {}, HTTP_HX_REQUEST="true")
    fingerprint = re.search(r'name="live_fingerprint" value="([0-9a-f]+)"', review.content.decode())[1]
    response = client.post(
        reverse("menu_publish", args=[menu.pk]),
        {"reviewed_revision": str(menu.revision), "live_fingerprint": fingerprint},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not published" in html
    assert UNKNOWN_HINT in html
    assert stored(menu) == before
    assert Publication.objects.get(action=Publication.Action.PUBLISH).outcome == Publication.Outcome.FAILURE
    # The history page shows the record too.
    history = client.get(reverse("account_history", args=[menu.account.slug]))
    assert history.status_code == 200


def test_the_rule():
    assert read_code(40001) == "40001"
    assert read_code(-1) == "-1"
    assert read_code(" 0040001 ") == "40001"
    for odd in (True, False, 1.0, float("inf"), "²", "٣", "4e4", "", " ", "-", None, {}, [], 10**20):
        assert read_code(odd) is None, odd
    assert shown_code(float("inf")) == "Infinity"
    assert shown_code("x" * 100).endswith("…") and len(shown_code("x" * 100)) == 32
    assert shown_code(10**5000) == "int"  # past Python's digit limit for str()
