"""Credentials never travel back out: not in any page, any log line, or any Publication.

Four accounts hold known secrets (WeChat stable and classic token modes, a third-party authorizer
token, a Weibo token). They publish, pull and delete over the simulator, meet faults, and get a
cached token renewed; then a superuser visits every page of the app and of the admin.
"""

from __future__ import annotations

import json
import logging
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import Account, CachedToken
from menueditor import publishing
from menueditor.models import Menu, Publication
from tests.security.conftest import BOTH_PLATFORMS_MENU, client_for
from tests.security.urlmap import World, targets

pytestmark = pytest.mark.django_db

STABLE_SECRET = "SecretStable-9f8e7d6c5b4a39281706"
CLASSIC_SECRET = "SecretClassic-1a2b3c4d5e6f70819283"
AUTHORIZER_TOKEN = "AuthorizerToken-77aa88bb99cc00dd"
WEIBO_TOKEN = "WeiboToken-2.00abcdefghijklmnopqrstuv"
RETYPED_SECRET = "SecretRetyped-5544332211009988"
FERNET_PREFIX = "gAAAAA"  # how every ciphertext of accounts.crypto begins


def _account(factories, sim, **fields) -> Account:
    return factories.account(api_base=sim.url, **fields)


def _register(sim) -> None:
    """The simulator forgets tokens on reset; it learns the four accounts' credentials again."""
    sim.reset()
    sim.add_wechat_app("wx1111111111111111", STABLE_SECRET)
    sim.add_wechat_app("wx2222222222222222", CLASSIC_SECRET)
    sim.add_authorizer_token(AUTHORIZER_TOKEN, "wx3333333333333333")
    sim.add_weibo_token(WEIBO_TOKEN)


@pytest.fixture
def vault(db, simulator, factories):
    sim = simulator
    _register(sim)
    root = factories.user(username="root", superuser=True)
    accounts = {
        "stable": _account(
            factories,
            sim,
            name="Stable Tea",
            slug="stable",
            app_id="wx1111111111111111",
            app_secret=STABLE_SECRET,
        ),
        "weibo": _account(
            factories, sim, name="Weibo Tea", slug="weibo", platform="weibo", access_token=WEIBO_TOKEN
        ),
        "classic": _account(
            factories,
            sim,
            name="Classic Tea",
            slug="classic",
            app_id="wx2222222222222222",
            app_secret=CLASSIC_SECRET,
            token_mode="classic",
        ),
        "authorizer": _account(
            factories,
            sim,
            name="Agency Tea",
            slug="agency",
            app_id="wx3333333333333333",
            app_secret="",
            token_mode="authorizer",
            access_token=AUTHORIZER_TOKEN,
        ),
    }
    menus = {
        k: factories.menu(a, title=f"{k} draft", tree=BOTH_PLATFORMS_MENU, user=root)
        for k, a in accounts.items()
    }
    return SimpleNamespace(sim=sim, root=root, accounts=accounts, menus=menus, issued=set())


def _note_issued(vault) -> None:
    with vault.sim.lock:
        vault.issued |= set(vault.sim.wechat.tokens)


def _exercise(vault, settings) -> None:
    """Publish, pull and delete on every account, through faults and a token renewal."""
    sim, root = vault.sim, vault.root
    for key, menu in vault.menus.items():
        account = vault.accounts[key]
        _register(sim)
        CachedToken.objects.all().delete()
        assert publishing.publish_menu(menu, root, confirm_drift=True).ok, key
        _note_issued(vault)
        assert publishing.pull_menu(account, root).outcome.ok, key
        for fault in (
            {"http_status": 502},
            {"not_json": True},
            {"errcode": 40164 if key != "weibo" else 10004},
        ):
            sim.add_fault(platform=account.platform, **fault)
            assert not publishing.publish_menu(menu, root, confirm_drift=True).ok
        settings.PLATFORM_TIMEOUT = 0.2
        sim.add_fault(platform=account.platform, delay=1)
        timed_out = publishing.publish_menu(menu, root, confirm_drift=True)
        settings.PLATFORM_TIMEOUT = 10.0
        assert timed_out.code == "timeout"
        sim.expire_tokens()  # WeChat renews once and retries; Weibo and authorizer tokens fail
        publishing.publish_menu(menu, root, confirm_drift=True)
        _note_issued(vault)
        sim.invalidate_tokens()
        publishing.delete_live_menu(account, root)
        _note_issued(vault)
        publishing.check_connection(account)
        _note_issued(vault)
    _register(sim)
    for menu in vault.menus.values():  # leave a cached token and a success behind
        publishing.publish_menu(menu, root, confirm_drift=True)
        _note_issued(vault)
    # An unreachable platform: the error text names the URL, token included, in requests' words.
    account = vault.accounts["weibo"]
    Account.objects.filter(pk=account.pk).update(api_base="http://127.0.0.1:9")
    publishing.publish_menu(Menu.objects.get(pk=vault.menus["weibo"].pk), root, confirm_drift=True)
    Account.objects.filter(pk=account.pk).update(api_base=sim.url)


def secrets_of(vault) -> list[str]:
    cached = [t.token for t in CachedToken.objects.all() if t.token]
    assert cached, "the exercise should leave a cached WeChat token"
    values = {
        STABLE_SECRET,
        CLASSIC_SECRET,
        AUTHORIZER_TOKEN,
        WEIBO_TOKEN,
        RETYPED_SECRET,
        *cached,
        *vault.issued,
    }
    return sorted(values)


def leaks(text: str, secrets: list[str]) -> list[str]:
    from urllib.parse import quote

    found = [s for s in secrets if s in text or quote(s, safe="") in text]
    if FERNET_PREFIX in text:
        found.append("ciphertext " + text[text.index(FERNET_PREFIX) : text.index(FERNET_PREFIX) + 20])
    return found


def test_no_page_log_line_or_record_holds_a_secret_or_token(vault, settings, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3").setLevel(logging.DEBUG)
    _exercise(vault, settings)
    client = client_for(vault.root)
    # The admin's "test connection" action reports each account's outcome.
    changelist = reverse("admin:accounts_account_changelist")
    response = client.post(
        changelist,
        {"action": "test_connection", "_selected_action": [a.pk for a in vault.accounts.values()]},
        follow=True,
    )
    assert response.status_code == 200
    action_page = response.content.decode()
    # A secret typed again in the admin lands in the admin's own history as a field name only.
    stable = vault.accounts["stable"]
    form = client.get(reverse("admin:accounts_account_change", args=[stable.pk]))
    assert form.status_code == 200
    edit = {
        "name": stable.name,
        "slug": stable.slug,
        "app_id": stable.app_id,
        "token_mode": "stable",
        "set_app_secret": RETYPED_SECRET,
        "app_secret": RETYPED_SECRET,
        "api_base": vault.sim.url,
        "members": [],
        "groups": [],
        "_save": "Save",
    }
    client.post(reverse("admin:accounts_account_change", args=[stable.pk]), edit)
    secrets = secrets_of(vault)
    assert len(secrets) >= 7

    wrong = []
    if leaks(action_page, secrets):
        wrong.append(f"test-connection messages: {leaks(action_page, secrets)}")
    keys = list(vault.accounts)
    pages = 0
    for first, second in ((keys[0], keys[1]), (keys[2], keys[3])):
        menus = {k: Menu.objects.filter(account=vault.accounts[k]).first() for k in (first, second)}
        pubs = {k: Publication.objects.filter(account=vault.accounts[k]).first() for k in (first, second)}
        world = World(
            a=vault.accounts[first],
            b=vault.accounts[second],
            menu_a=menus[first],
            menu_b=menus[second],
            pub_a=pubs[first],
            pub_b=pubs[second],
            anyone=vault.root,
        )
        for target in targets(world):
            response = client.get(target.url)
            pages += response.status_code == 200
            body = response.content.decode("utf-8", errors="replace")
            headers = json.dumps(dict(response.headers))
            found = leaks(body + headers, secrets)
            if found:
                wrong.append(f"{target}: {found}")
    # Every history page of every account, each publication's page of the admin included.
    for publication in Publication.objects.all():
        for url in (
            reverse("admin:menueditor_publication_change", args=[publication.pk]),
            reverse("account_history", args=[publication.account.slug]),
        ):
            found = leaks(client.get(url).content.decode(), secrets)
            if found:
                wrong.append(f"{url}: {found}")
    assert pages > 40
    assert not wrong, "\n".join(wrong)

    records = Publication.objects.all()
    assert records.count() >= 30
    for publication in records:
        for field in Publication._meta.get_fields():
            if field.concrete and not field.is_relation:
                value = str(getattr(publication, field.attname))
                assert not leaks(value, secrets), (publication.pk, field.name, publication.code)

    assert any(r.name.startswith("urllib3") for r in caplog.records), "urllib3's DEBUG lines were captured"
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert not leaks(text, secrets), (record.name, text[:200])
    assert not leaks(caplog.text, secrets)
    # The log does say what happened, with the token redacted.
    assert re.search(r"access_token=\*\*\*", caplog.text)
