"""Sign-in: staff only, sign-out by POST, and a lockout after repeated failures (django-axes).

Five failures for one username from one client address lock that pair out for 15 minutes. The
client address is the connection's, or, behind the reverse proxy, the one the proxy wrote in
X-Forwarded-For; a header the client wrote itself never decides.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"
LIMIT = 5
LOCKED = "Too many failed sign-ins"


def sign_in(client, username, password=PASSWORD, address="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail(client, username, times=LIMIT, **kwargs):
    for _ in range(times):
        response = sign_in(client, username, password="guess", **kwargs)
        assert response.status_code in (200, 429)
    return response


def behind_proxy(address, proxy="127.0.0.1", client_wrote=None):
    """What the app receives through nginx ($proxy_add_x_forwarded_for) from a client at `address`."""
    forwarded = f"{client_wrote}, {address}" if client_wrote else address
    return {"address": proxy, "HTTP_X_FORWARDED_FOR": forwarded}


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def age_attempts(by: timedelta) -> None:
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - by)


def test_login_page_renders_for_anonymous(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_staff_signs_in_and_lands_on_home(client, factories):
    factories.user(username="ann")
    response = sign_in(client, "ann")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_follows_next(client, factories):
    factories.user(username="ann")
    response = client.post(
        reverse("login") + "?next=/accounts/x/history/",
        {"username": "ann", "password": PASSWORD, "next": "/accounts/x/history/"},
    )
    assert response.url == "/accounts/x/history/"


def test_non_staff_is_told_they_may_not_use_the_editor(client, factories):
    factories.user(username="bob", staff=False)
    response = sign_in(client, "bob")
    assert response.status_code == 200
    assert "may not use the menu editor" in response.content.decode()
    assert not signed_in(client)


def test_wrong_password_says_so_and_stays_signed_out(client, factories):
    factories.user(username="ann")
    response = sign_in(client, "ann", password="nope")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert not signed_in(client)


def test_pages_need_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_is_post_only(client, factories):
    user = factories.user()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not signed_in(client)


def test_logout_needs_csrf(factories):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.user())
    assert client.post(reverse("logout")).status_code == 403


# -- the lockout ---------------------------------------------------------------------------------


def test_five_failures_lock_out_even_the_right_password(client, factories):
    factories.user(username="ann")
    fourth = fail(client, "ann", times=LIMIT - 1)
    assert fourth.status_code == 200
    assert "correct username" in fourth.content.decode()
    fifth = sign_in(client, "ann", password="guess")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    response = sign_in(client, "ann")  # the right password is refused during the lockout
    assert response.status_code == 429
    page = response.content.decode()
    assert "try again in 15 minutes" in page
    assert "correct username" not in page  # not told the right password was wrong
    assert 'name="username"' in page  # the sign-in page itself, not a bare error
    assert int(response["Retry-After"]) > 14 * 60
    assert not signed_in(client)


def test_the_lockout_page_speaks_chinese_to_a_chinese_browser(client, factories):
    factories.user(username="ann")
    fail(client, "ann")
    response = sign_in(client, "ann", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录失败次数过多" in page and "15 分钟后再试" in page
    assert "Account locked" not in page  # not django-axes' own English text


def test_lockout_is_per_username_and_address(client, factories):
    factories.user(username="ann")
    factories.user(username="cat")
    fail(client, "ann", address="10.0.0.1")
    assert sign_in(client, "ann", address="10.0.0.1").status_code == 429
    # Another colleague on the same address, and the same user elsewhere, still get in.
    assert sign_in(client, "cat", address="10.0.0.1").status_code == 302
    client.logout()
    assert sign_in(client, "ann", address="10.0.0.2").status_code == 302


def test_spelling_the_name_differently_counts_for_the_same_user(client, factories):
    """The form strips spaces and NFKC-normalizes: "ann " signs in as ann, so it counts as ann."""
    factories.user(username="ann")
    for spelling in ("ann ", " ANN", "Ann", "ａｎｎ", "ann"):  # the fourth is written in full-width letters
        sign_in(client, spelling, password="guess")
    response = sign_in(client, "ann ")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert AccessAttempt.objects.filter(username="ann").count() == 1


def test_failures_for_a_padded_name_elsewhere_do_not_lock_the_real_user(client, factories):
    factories.user(username="PublisherB")
    fail(client, "PublisherB ", address="10.0.0.7")
    assert sign_in(client, "PublisherB", address="10.0.0.8").status_code == 302


def test_lockout_ends_after_fifteen_minutes(client, factories):
    factories.user(username="ann")
    fail(client, "ann")
    assert sign_in(client, "ann").status_code == 429
    age_attempts(timedelta(minutes=15, seconds=1))
    assert sign_in(client, "ann").status_code == 302


def test_the_minutes_left_count_down(client, factories):
    factories.user(username="ann")
    fail(client, "ann")
    age_attempts(timedelta(minutes=10, seconds=30))
    assert "try again in 5 minutes" in sign_in(client, "ann").content.decode()
    age_attempts(timedelta(minutes=4))
    assert "try again in 1 minute." in sign_in(client, "ann").content.decode()


def test_attempts_during_the_lockout_do_not_prolong_it(client, factories):
    factories.user(username="ann")
    fail(client, "ann")
    age_attempts(timedelta(minutes=14))
    fail(client, "ann", times=3)
    sign_in(client, "ann")
    age_attempts(timedelta(minutes=1, seconds=1))
    assert sign_in(client, "ann").status_code == 302


def test_failures_are_forgotten_after_fifteen_quiet_minutes(client, factories):
    factories.user(username="ann")
    fail(client, "ann", times=LIMIT - 1)
    age_attempts(timedelta(minutes=15, seconds=1))
    fail(client, "ann", times=LIMIT - 1)
    assert sign_in(client, "ann").status_code == 302


def test_success_clears_earlier_failures(client, factories):
    factories.user(username="ann")
    fail(client, "ann", times=LIMIT - 1)
    assert sign_in(client, "ann").status_code == 302
    client.logout()
    assert not AccessAttempt.objects.exists()
    fail(client, "ann", times=LIMIT - 1)  # a fresh count: four more do not lock
    assert sign_in(client, "ann").status_code == 302


def test_no_row_outlives_the_cool_off(client, factories):
    """Failures are deleted once 15 minutes old (on the next sign-in event); successes leave none."""
    factories.user(username="ann")
    factories.user(username="cat")
    fail(client, "ann", times=3, address="10.0.0.1")
    fail(client, "nobody", times=2, address="10.0.0.3")
    assert AccessAttempt.objects.count() == 2
    age_attempts(timedelta(minutes=15, seconds=1))
    sign_in(client, "cat", password="guess", address="10.0.0.4")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["cat"]
    assert sign_in(client, "cat", address="10.0.0.4").status_code == 302
    assert not AccessAttempt.objects.exists()
    assert not AccessLog.objects.exists()
    assert not AccessFailureLog.objects.exists()


def test_an_administrator_can_lift_a_lockout(client, factories):
    factories.user(username="ann")
    fail(client, "ann")
    call_command("axes_reset_username", "ann")
    assert sign_in(client, "ann").status_code == 302


def test_admin_sign_in_is_locked_too(client, factories):
    factories.user(username="root", superuser=True)
    for _ in range(LIMIT):
        client.post(reverse("admin:login"), {"username": "root", "password": "guess"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "try again in 15 minutes" in page
    assert 'id="login-form"' in page  # the admin's own sign-in page
    assert not signed_in(client)
    # One count for both doors: the app's sign-in page is locked for root from there too.
    assert sign_in(client, "root", address="10.0.0.9").status_code == 429
    assert sign_in(client, "root", address="10.0.0.10").status_code == 302


def test_failures_at_the_app_lock_the_admin_door(client, factories):
    factories.user(username="root", superuser=True)
    fail(client, "root", address="10.0.0.9")
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


# -- which address counts -----------------------------------------------------------------------


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, factories, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    factories.user(username="ann")
    # A guesser cannot escape the lockout by writing a different address in each request...
    for n in range(LIMIT):
        sign_in(client, "ann", password="guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert sign_in(client, "ann", address="10.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.99").status_code == 429
    # ...nor lock out the user at the address it claims.
    fail(client, "ann", address="10.0.0.66", HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert sign_in(client, "ann", address="10.0.0.2").status_code == 302


def test_behind_the_proxy_the_forwarded_address_decides(client, factories, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factories.user(username="publisherb")
    # Every request comes from the proxy's address; the header tells the people apart.
    fail(client, "publisherb", **behind_proxy("10.0.0.1"))
    assert sign_in(client, "publisherb", **behind_proxy("10.0.0.1")).status_code == 429
    assert sign_in(client, "publisherb", **behind_proxy("10.0.0.2")).status_code == 302


def test_behind_the_proxy_what_the_client_writes_in_the_header_is_not_used(client, factories, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factories.user(username="ann")
    # A guesser at 10.0.0.1 claims to be the real user's 10.0.0.2, then every other address.
    fail(client, "ann", **behind_proxy("10.0.0.1", client_wrote="10.0.0.2"))
    for n in range(3):
        response = sign_in(client, "ann", **behind_proxy("10.0.0.1", client_wrote=f"10.0.1.{n}, 10.0.2.{n}"))
        assert response.status_code == 429
    assert sign_in(client, "ann", **behind_proxy("10.0.0.2")).status_code == 302


def test_behind_the_proxy_a_public_proxy_address_does_not_stand_for_the_client(client, factories, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factories.user(username="ann")
    fail(client, "ann", **behind_proxy("10.0.0.1", proxy="203.0.113.10"))
    assert sign_in(client, "ann", **behind_proxy("10.0.0.2", proxy="203.0.113.10")).status_code == 302


def test_two_proxies_count_from_the_right(client, factories, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    factories.user(username="ann")
    # The load balancer writes the client; nginx appends the load balancer (10.8.0.1).
    fail(client, "ann", address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.2, 10.0.0.1, 10.8.0.1")
    assert (
        sign_in(client, "ann", address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 10.8.0.1").status_code
        == 429
    )
    assert (
        sign_in(client, "ann", address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.2, 10.8.0.1").status_code
        == 302
    )


def test_behind_the_proxy_a_request_without_the_header_counts_under_its_peer(client, factories, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factories.user(username="ann")
    fail(client, "ann", address="10.0.0.5")
    assert sign_in(client, "ann", address="10.0.0.5").status_code == 429
    assert sign_in(client, "ann", **behind_proxy("10.0.0.6", proxy="10.0.0.5")).status_code == 302
