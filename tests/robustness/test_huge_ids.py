"""Ids past a signed 64-bit integer in any URL: a 404 like any id that names nothing, never a 500.

Django's <int:pk> matched any run of digits and SQLite's driver raised OverflowError on the lookup
(PostgreSQL found nothing). Every route with an id parameter is read from the URL resolver, so new
routes are covered without anyone listing them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from menueditor.converters import MAX_ID, IdConverter
from tests.security.urlmap import all_routes

pytestmark = pytest.mark.django_db

TOO_BIG = (str(MAX_ID + 1), "18446744073709551616", "9" * 40, "0" * 30 + "1" * 19 + "0")
ID_PARAMS = ("pk", "object_id", "id", "content_type_id")


def id_routes():
    """(route text, its parameters) for every route that takes an id."""
    return [(r.route, r.params) for r, _choices in all_routes() if set(r.params) & set(ID_PARAMS)]


def url_of(route: str, params: tuple[str, ...], value: str, fill: dict[str, str]) -> str:
    return "/" + route.format(**{p: value if p in ID_PARAMS else fill[p] for p in params})


@pytest.fixture
def root(factories, simulator):
    user = factories.user(username="root", superuser=True)
    account = factories.account(slug="coffee", members=(user,), api_base=simulator.url)
    menu = factories.menu(account, user=user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, menu


def test_every_route_with_an_id_is_found():
    routes = [route for route, _params in id_routes()]
    for expected in ("menus/{pk}/", "menus/{pk}/publish/", "history/{pk}/restore/"):
        assert expected in routes
    assert len(routes) > 20  # the admin's change, delete and history pages too


@pytest.mark.parametrize("value", TOO_BIG)
def test_ids_past_64_bits_are_not_found_in_the_apps_urls(root, value):
    client, menu = root
    for route, params in id_routes():
        if route.startswith("admin/"):
            continue
        url = url_of(route, params, value, {})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (method, url, response.status_code)
    # The same routes still find the draft with an id that fits.
    assert client.get(reverse("menu_edit", args=[menu.pk])).status_code == 200
    assert client.get(f"/menus/{MAX_ID}/").status_code == 404


@pytest.mark.parametrize("value", TOO_BIG[:2])
def test_ids_past_64_bits_in_the_admin_behave_like_any_missing_id(root, value):
    """The admin answers an id that names nothing with its own redirect ("doesn't exist") or a 404."""
    client, _menu = root
    fill = {"app_label": "menueditor", "url": "no-such-page/"}
    for route, params in id_routes():
        if not route.startswith("admin/"):
            continue
        for method in ("get", "post"):
            huge = getattr(client, method)(url_of(route, params, value, fill))
            missing = getattr(client, method)(url_of(route, params, "999999", fill))
            assert huge.status_code == missing.status_code, (method, route)
            assert huge.status_code < 500


def test_the_converter_reverses_and_refuses_as_the_database_would():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    assert converter.to_url(42) == "42"
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))
    assert reverse("menu_publish", args=[MAX_ID]) == f"/menus/{MAX_ID}/publish/"
