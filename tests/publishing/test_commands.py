"""menu_publish, menu_pull, menu_delete_live and demo_setup from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Account
from menueditor.models import Menu, Publication
from menueditor.platforms import PLATFORMS

from .conftest import snapshot

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_menu_publish_prints_the_outcome(simulator, wechat_menu, publisher):
    out, _err = run("menu_publish", str(wechat_menu.pk), "--user", publisher.username)
    assert "Published “Spring menu”" in out
    assert "within about 5 minutes" in out
    assert simulator.wechat_menu == wechat_menu.tree
    assert Publication.objects.get().user == publisher


def test_menu_publish_fails_with_exit_1_and_the_hint(simulator, wechat_menu, publisher):
    simulator.create_quota = 0
    before = snapshot(wechat_menu)
    with pytest.raises(CommandError) as failure:
        run("menu_publish", str(wechat_menu.pk), "--user", publisher.username)
    assert failure.value.returncode == 1
    assert "45009" in str(failure.value)
    assert "tomorrow" in str(failure.value)
    assert snapshot(wechat_menu) == before


def test_menu_publish_lists_the_problems_of_an_invalid_draft(simulator, wechat_account, factories, publisher):
    menu = factories.menu(
        wechat_account, tree={"button": [{"type": "view", "name": "官网", "url": "ftp://x"}]}
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "menu_publish", str(menu.pk), "--user", publisher.username, stderr=err, stdout=io.StringIO()
        )
    assert "invalid" in str(failure.value)
    assert "button 1" in err.getvalue()
    assert simulator.requests == []


def test_menu_publish_stops_on_drift_until_confirmed(simulator, wechat_menu, publisher):
    run("menu_publish", str(wechat_menu.pk), "--user", publisher.username)
    simulator.wechat_menu = {"button": [{"type": "click", "name": "别处", "key": "ELSEWHERE"}]}
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "menu_publish",
            str(wechat_menu.pk),
            "--user",
            publisher.username,
            stderr=err,
            stdout=io.StringIO(),
        )
    assert "drift" in str(failure.value)
    assert "--confirm-drift" in err.getvalue() and "--if-live" in err.getvalue()
    assert "ELSEWHERE" in err.getvalue()

    run("menu_publish", str(wechat_menu.pk), "--user", publisher.username, "--confirm-drift")
    assert simulator.wechat_menu == wechat_menu.tree


def _review(menu, user) -> list[str]:
    out, _err = run("menu_review", str(menu.pk), "--user", user.username)
    return out.strip().splitlines()


def test_menu_review_prints_the_changes_and_ends_with_the_live_fingerprint(simulator, wechat_menu, publisher):
    simulator.wechat_menu = {"button": [{"type": "click", "name": "别处", "key": "ELSEWHERE"}]}
    lines = _review(wechat_menu, publisher)
    assert any("outside this app" in line for line in lines)
    assert any("别处" in line for line in lines)
    assert lines[-1].startswith("live-fingerprint: ") and len(lines[-1].split()[-1]) == 16
    assert not simulator.requests_to("/cgi-bin/menu/create")  # a review sends nothing


def test_menu_publish_if_live_replaces_only_the_menu_that_was_reviewed(simulator, wechat_menu, publisher):
    simulator.wechat_menu = {"button": [{"type": "click", "name": "别处", "key": "ELSEWHERE"}]}
    seen = _review(wechat_menu, publisher)[-1].split()[-1]
    simulator.wechat_menu = {"button": [{"type": "click", "name": "又改了", "key": "AGAIN"}]}
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "menu_publish", str(wechat_menu.pk), "--user", publisher.username, "--if-live", seen,
            stderr=err, stdout=io.StringIO(),
        )  # fmt: skip
    assert "drift" in str(failure.value)
    assert "又改了" in err.getvalue() and "--if-live" in err.getvalue()
    assert simulator.wechat_menu["button"][0]["key"] == "AGAIN"
    assert not Publication.objects.exists()

    now = _review(wechat_menu, publisher)[-1].split()[-1]
    assert now != seen
    out, _err = run("menu_publish", str(wechat_menu.pk), "--user", publisher.username, "--if-live", now)
    assert "Published" in out
    assert simulator.wechat_menu == wechat_menu.tree


def test_menu_review_explains_what_it_cannot_do(simulator, wechat_menu, publisher):
    simulator.add_fault("/cgi-bin/menu/get", http_status=502)
    with pytest.raises(CommandError, match="could not be read"):
        run("menu_review", str(wechat_menu.pk), "--user", publisher.username)
    with pytest.raises(CommandError, match="no menu draft"):
        run("menu_review", "999999", "--user", publisher.username)


@pytest.mark.parametrize("who", ["editor-only", "not-assigned"])
def test_menu_publish_refuses_who_may_not_publish(simulator, wechat_menu, factories, who):
    user = factories.user(perms=("change_menu",) if who == "editor-only" else ("change_menu", "publish_menu"))
    if who == "editor-only":
        wechat_menu.account.members.add(user)
    with pytest.raises(CommandError, match="may not publish"):
        run("menu_publish", str(wechat_menu.pk), "--user", user.username)
    assert simulator.requests == []
    assert not Publication.objects.exists()


def test_menu_publish_explains_unknown_ids_and_users(simulator, wechat_menu, publisher):
    with pytest.raises(CommandError, match="no menu draft"):
        run("menu_publish", "999999", "--user", publisher.username)
    with pytest.raises(CommandError, match="no active user"):
        run("menu_publish", str(wechat_menu.pk), "--user", "nobody")


def test_menu_pull_prints_the_new_drafts_id(simulator, wechat_account, publisher):
    simulator.wechat_menu = {"button": [{"type": "click", "name": "拉取", "key": "PULLED"}]}
    out, _err = run("menu_pull", "--account", wechat_account.slug)
    menu = Menu.objects.get()
    assert out.strip() == str(menu.pk)
    assert menu.tree == simulator.wechat_menu
    assert Publication.objects.get().user is None  # the command line itself

    out, _err = run("menu_pull", "--account", wechat_account.slug, "--user", publisher.username)
    assert Menu.objects.get(pk=int(out)).updated_by == publisher


def test_menu_pull_lists_what_could_not_be_converted(simulator, wechat_account):
    simulator.set_console_menu({"button": [{"type": "text", "name": "你好", "value": "hi"}]})
    out, err = run("menu_pull", "--account", wechat_account.slug)
    assert out.strip().isdigit()
    assert "text reply" in err


def test_menu_pull_of_an_empty_menu_says_so(simulator, weibo_account):
    out, err = run("menu_pull", "--account", weibo_account.slug)
    assert out == ""
    assert "empty" in err
    assert not Menu.objects.exists()


def test_menu_pull_checks_the_user(simulator, wechat_account, factories):
    outsider = factories.user(perms=("change_menu",))
    with pytest.raises(CommandError):
        run("menu_pull", "--account", wechat_account.slug, "--user", outsider.username)
    with pytest.raises(CommandError, match="no account"):
        run("menu_pull", "--account", "nope")


def test_menu_pull_failure_exits_1_with_the_hint(simulator, weibo_account):
    simulator.invalidate_tokens()
    with pytest.raises(CommandError) as failure:
        run("menu_pull", "--account", weibo_account.slug)
    assert failure.value.returncode == 1
    assert "copy a new token" in str(failure.value)


def test_menu_delete_live_needs_yes(simulator, wechat_menu, publisher):
    run("menu_publish", str(wechat_menu.pk), "--user", publisher.username)
    with pytest.raises(CommandError, match="--yes"):
        run("menu_delete_live", "--account", wechat_menu.account.slug)
    assert simulator.wechat_menu is not None

    out, _err = run("menu_delete_live", "--account", wechat_menu.account.slug, "--yes")
    assert "deleted" in out
    assert simulator.wechat_menu is None
    assert Publication.objects.filter(action="delete", outcome="success").count() == 1


def test_menu_delete_live_checks_the_user(simulator, wechat_account, factories):
    editor = factories.user(perms=("change_menu",))
    wechat_account.members.add(editor)
    with pytest.raises(CommandError):
        run("menu_delete_live", "--account", wechat_account.slug, "--yes", "--user", editor.username)
    assert simulator.requests == []


def test_demo_setup_points_two_accounts_at_the_simulator_and_can_run_again(simulator, factories):
    run("demo_setup", "--simulator-url", simulator.url)
    run("demo_setup", "--simulator-url", simulator.url)

    wechat = Account.objects.get(slug="demo-wechat")
    weibo = Account.objects.get(slug="demo-weibo")
    assert (wechat.name, wechat.platform, wechat.api_base) == ("Demo WeChat", "wechat", simulator.url)
    assert (weibo.name, weibo.platform, weibo.access_token) == ("Demo Weibo", "weibo", "demo-weibo-token")
    assert Menu.objects.filter(account=wechat).count() == 1
    assert Menu.objects.filter(account=weibo).count() == 1

    admin = factories.user(superuser=True, username="demo-admin")
    for account in (wechat, weibo):
        out, _err = run("menu_publish", str(account.menus.get().pk), "--user", admin.username)
        assert "Published" in out
    assert simulator.wechat_menu == wechat.menus.get().tree
    assert simulator.weibo_menu == weibo.menus.get().tree


def test_demo_setup_makes_a_demo_account_of_every_platform_publishing_to_the_simulator(simulator, factories):
    run("demo_setup", "--simulator-url", simulator.url)
    admin = factories.user(superuser=True, username="demo-admin")
    demos = {code: platform.demo() for code, platform in PLATFORMS.items()}
    assert all(demos.values()), "every registered platform has a demo account"
    for code, demo in demos.items():
        account = Account.objects.get(slug=demo.slug)
        assert (account.platform, account.api_base) == (code, simulator.url + demo.path)
        out, _err = run("menu_publish", str(account.menus.get().pk), "--user", admin.username)
        assert "Published" in out, code
    assert len([r for r in simulator.requests if "menu/create" in r.path]) == len(demos)


def test_demo_setup_follows_a_new_simulator_url(simulator):
    run("demo_setup")
    assert Account.objects.get(slug="demo-wechat").api_base == "http://127.0.0.1:8900"
    run("demo_setup", "--simulator-url", simulator.url + "/")
    assert Account.objects.get(slug="demo-wechat").api_base == simulator.url
