"""Sign-in: staff only, sign-out by POST, and a lockout after repeated failures."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInFailure
from accounts.throttle import LOCKOUT, MAX_FAILURES, lockout_remaining

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"


def sign_in(client, username, password=PASSWORD, address="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


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
    assert "_auth_user_id" not in client.session


def test_wrong_password_says_so_and_stays_signed_out(client, factories):
    factories.user(username="ann")
    response = sign_in(client, "ann", password="nope")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


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
    assert "_auth_user_id" not in client.session


def test_logout_needs_csrf(factories):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.user())
    assert client.post(reverse("logout")).status_code == 403


def test_five_failures_lock_out_even_the_right_password(client, factories):
    factories.user(username="ann")
    for _ in range(MAX_FAILURES - 1):
        assert "correct username" in sign_in(client, "ann", password="guess").content.decode()
    fifth = sign_in(client, "ann", password="guess").content.decode()
    assert "Too many failed sign-ins" in fifth
    response = sign_in(client, "ann")  # the right password is refused during the lockout
    assert response.status_code == 200
    assert "try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, factories):
    factories.user(username="ann")
    factories.user(username="cat")
    for _ in range(MAX_FAILURES):
        sign_in(client, "ann", password="guess", address="10.0.0.1")
    # Another colleague on the same address, and the same user elsewhere, still get in.
    assert sign_in(client, "cat", address="10.0.0.1").status_code == 302
    client.logout()
    assert sign_in(client, "ann", address="10.0.0.2").status_code == 302


def test_lockout_ends_after_fifteen_minutes(client, factories):
    factories.user(username="ann")
    for _ in range(MAX_FAILURES):
        sign_in(client, "ann", password="guess")
    assert lockout_remaining("ann", "10.0.0.1")
    SignInFailure.objects.update(created_at=timezone.now() - LOCKOUT - timedelta(seconds=1))
    assert lockout_remaining("ann", "10.0.0.1") is None
    assert sign_in(client, "ann").status_code == 302


def test_failures_spread_wider_than_the_window_do_not_lock(client, factories):
    factories.user(username="ann")
    now = timezone.now()
    for minutes in (40, 30, 20, 10):
        SignInFailure.objects.create(
            username="ann", address="10.0.0.1", created_at=now - timedelta(minutes=minutes)
        )
    sign_in(client, "ann", password="guess")
    assert lockout_remaining("ann", "10.0.0.1") is None


def test_success_clears_earlier_failures(client, factories):
    factories.user(username="ann")
    for _ in range(MAX_FAILURES - 1):
        sign_in(client, "ann", password="guess")
    assert sign_in(client, "ann").status_code == 302
    assert not SignInFailure.objects.filter(username="ann").exists()


def test_admin_sign_in_is_locked_too(client, factories):
    factories.user(username="root", superuser=True)
    for _ in range(MAX_FAILURES):
        client.post(reverse("admin:login"), {"username": "root", "password": "guess"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_changing_the_case_does_not_escape_the_lockout(client, factories):
    factories.user(username="ann")
    for _ in range(MAX_FAILURES):
        sign_in(client, "ann", password="guess")
    assert "Too many failed sign-ins" in sign_in(client, "ANN", password="guess").content.decode()
