"""The account admin per registered platform: its add page asks the platform first, then each
platform's form holds exactly the fields its account spec lists, in its words, with problems beside them."""

import re

import pytest
from django.urls import reverse

from accounts.models import Account
from menueditor.platforms import PLATFORMS, REGISTERED

# Every account has these whatever its platform (the platform itself is shown, not edited).
COMMON = {"name", "slug", "api_base", "members", "groups", "needs_approval", "second_approver", "time_zone"}
ADD = reverse("admin:accounts_account_add")


def form_names(spec) -> set[str]:
    return {f"set_{f.name}" if f.secret else f.name for f in spec.fields}


def row(html: str, field: str) -> str:
    """The admin's row of one field (its label, input, help and errors)."""
    match = re.search(
        rf'<div class="form-row[^"]*field-{field}\b.*?(?=<div class="form-row|</fieldset>)', html, re.S
    )
    assert match, f"no row for {field}"
    return match.group()


@pytest.fixture
def superuser_client(client, factories):
    client.force_login(factories.user(superuser=True))
    return client


@pytest.mark.django_db
class TestAddAsksThePlatformFirst:
    def test_the_first_step_links_to_each_platform_and_asks_for_no_credentials(self, superuser_client):
        response = superuser_client.get(ADD)
        assert response.status_code == 200
        html = response.content.decode()
        for code, platform in PLATFORMS.items():
            assert f'href="?platform={code}"' in html
            assert str(platform.account.label) in html
        assert "<form" not in html.split('id="content-main"')[1]  # a plain list of links, no form yet

    def test_an_unknown_platform_gets_the_first_step_again(self, superuser_client):
        response = superuser_client.get(ADD + "?platform=myspace")
        assert 'href="?platform=wechat"' in response.content.decode()
        assert "adminform" not in response.context

    def test_posting_without_a_platform_creates_nothing(self, superuser_client):
        superuser_client.post(ADD, {"name": "X", "slug": "x", "platform": "wechat"})
        assert not Account.objects.exists()

    def test_the_platform_chosen_is_the_one_saved_whatever_the_post_says(self, superuser_client):
        data = {"name": "W", "slug": "w", "platform": "wechat", "set_access_token": "a-weibo-token"}
        assert superuser_client.post(ADD + "?platform=weibo", data).status_code == 302
        assert Account.objects.get(slug="w").platform == "weibo"


@pytest.mark.django_db
@pytest.mark.parametrize("code", REGISTERED)
class TestEachPlatformsForm:
    def test_add_form_shows_exactly_its_fields_in_its_words(self, superuser_client, code):
        spec = PLATFORMS[code].account
        response = superuser_client.get(f"{ADD}?platform={code}")
        form = response.context["adminform"].form
        assert set(form.fields) == COMMON | form_names(spec)
        for credential in spec.fields:
            name = f"set_{credential.name}" if credential.secret else credential.name
            assert form.fields[name].label == credential.label
        html = response.content.decode()
        other_fields = set().union(*(form_names(p.account) for p in PLATFORMS.values())) - form_names(spec)
        for name in other_fields:
            assert f'name="{name}"' not in html
        assert str(spec.label) in row(html, "platform")  # shown, not a choice
        always = {f"set_{f.name}" if f.secret else f.name for f in spec.fields if f.required}
        assert {name for name in form_names(spec) if form.fields[name].required} == always
        assert spec.api_base() in form.fields["api_base"].help_text

    def test_change_form_shows_exactly_its_fields(self, superuser_client, code):
        account = Account.objects.create(name="A", slug="a", platform=code)
        form = (
            superuser_client.get(reverse("admin:accounts_account_change", args=[account.pk]))
            .context["adminform"]
            .form
        )
        assert set(form.fields) == COMMON | form_names(PLATFORMS[code].account)

    def test_each_missing_credential_is_said_beside_its_field(self, superuser_client, code):
        spec = PLATFORMS[code].account
        needed = spec.needed(Account(platform=code))
        assert needed, "every platform needs some credential"
        response = superuser_client.post(f"{ADD}?platform={code}", {"name": "X", "slug": "x"})
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert set(form.errors) == {f"set_{f.name}" if f.secret else f.name for f in needed}
        html = response.content.decode()
        for credential in needed:
            name = f"set_{credential.name}" if credential.secret else credential.name
            assert str(credential.missing).replace("“", "&ldquo;")[:20] in row(html, name).replace(
                "“", "&ldquo;"
            )
        assert not Account.objects.exists()


@pytest.mark.django_db
def test_a_malformed_value_is_refused_beside_its_field(superuser_client):
    data = {"name": "X", "slug": "x", "app_id": "wx123", "token_mode": "stable", "set_app_secret": "s"}
    html = superuser_client.post(ADD + "?platform=wechat", data).content.decode()
    assert "16 hexadecimal digits" in row(html, "app_id")
    assert "16 hexadecimal digits" not in row(html, "set_app_secret")


@pytest.mark.django_db
def test_a_secret_the_mode_needs_is_asked_beside_it_not_the_other(superuser_client):
    data = {"name": "X", "slug": "x", "app_id": "wx0123456789abcdef", "token_mode": "authorizer"}
    response = superuser_client.post(ADD + "?platform=wechat", data)
    assert set(response.context["adminform"].form.errors) == {"set_access_token"}
    assert "authorizer access token" in row(response.content.decode(), "set_access_token")
