"""Every URL of the app and the admin, read from the URL resolver, with its parameters filled in.

New URLs are covered without anyone listing them: a path parameter is filled with an object of
account A or account B, chosen by the parameter's name and the route it sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from menueditor.models import Menu, Publication, Review, ScheduledPublish


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route text, its name (namespaced) and the view's parameters."""

    route: str
    name: str  # "admin:accounts_account_change", "menu_edit", "" when unnamed
    params: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.route.startswith("admin/")


@dataclass(frozen=True)
class Target:
    """A concrete URL to request: the route it came from and whose object fills it (A, B or none)."""

    route: Route
    url: str
    owner: str  # "A", "B" or "" when the URL names no account's object

    def __str__(self) -> str:
        return f"{self.route.name or self.route.route} [{self.owner or '-'}] {self.url}"


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _segment(pattern) -> tuple[str, list[str]]:
    """A pattern as a template with {name} slots, and its parameter names."""
    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        names = [m["name"] for m in _ROUTE_PARAM.finditer(text)]
        return _ROUTE_PARAM.sub(lambda m: "{" + m["name"] + "}", text), names
    assert isinstance(pattern, RegexPattern), pattern
    text = pattern._regex
    names = [m["name"] for m in _REGEX_GROUP.finditer(text)]
    text = _REGEX_GROUP.sub(lambda m: "{" + m["name"] + "}", text)
    text = text.removeprefix("^").removesuffix(r"\Z").removesuffix("$")
    return text.replace("\\", ""), names


def _regex_choices(pattern) -> dict[str, list[str]]:
    """Literal alternatives of regex groups, e.g. app_label: ["auth", "accounts"]."""
    if not isinstance(pattern, RegexPattern):
        return {}
    choices = {}
    for match in _REGEX_GROUP.finditer(pattern._regex):
        parts = match["body"].split("|")
        if all(re.fullmatch(r"[\w-]+", p) for p in parts):
            choices[match["name"]] = parts
    return choices


def all_routes() -> list[tuple[Route, dict[str, list[str]]]]:
    found: list[tuple[Route, dict[str, list[str]]]] = []

    def walk(patterns, prefix: str, names: list[str], namespace: str, choices: dict) -> None:
        for entry in patterns:
            text, params = _segment(entry.pattern)
            here_choices = choices | _regex_choices(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + text, names + params, ns, here_choices)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else ""
                found.append((Route(prefix + text, name, tuple(names + params)), here_choices))

    walk(get_resolver().url_patterns, "", [], "", {})
    return found


class World:
    """What fills the parameters: objects of account A and of account B (set by the fixture)."""

    def __init__(self, *, a, b, menu_a, menu_b, pub_a, pub_b, anyone) -> None:
        self.accounts = {"A": a, "B": b}
        self.menus = {"A": menu_a, "B": menu_b}
        self.publications = {"A": pub_a, "B": pub_b}
        self.anyone = anyone  # a user object, for the admin's user pages


def _admin_model(route: Route) -> type[Model] | None:
    match = re.match(r"admin/(\w+)/(\w+)/", route.route)
    if not match:
        return None
    try:
        return apps.get_model(match[1], match[2])
    except LookupError:
        return None


def _object_for(route: Route, world: World, owner: str):
    """The object of account `owner` that the route's id parameter should name."""
    model = _admin_model(route)
    if "content_type_id" in route.params:  # the admin's "view on site" of an account
        return world.accounts[owner]
    if model is None:
        first = route.route.split("/", 1)[0]
        model = {
            "menus": Menu,
            "drafts": Menu,
            "history": Publication,
            "publications": Publication,
            "schedules": ScheduledPublish,
            "reviews": Review,
        }.get(first)
    if model is None:
        raise LookupError(f"no rule for the id parameter of {route}: extend tests/security/urlmap.py")
    if model is Menu:
        return world.menus[owner]
    if model is Publication:
        return world.publications[owner]
    if model is world.accounts[owner].__class__:
        return world.accounts[owner]
    if any(f.name == "account" for f in model._meta.get_fields()):
        return model.objects.filter(account=world.accounts[owner]).first()
    return None  # an object not tied to an account (users, groups)


def _fill(route: Route, params, world: World, owner: str) -> tuple[dict[str, str], bool]:
    """Values for the route's parameters from account `owner`, and whether they name its objects."""
    from django.contrib.contenttypes.models import ContentType

    values: dict[str, str] = {}
    tied = False
    for param in params:
        if param == "slug":
            values[param], tied = world.accounts[owner].slug, True
        elif param in ("pk", "object_id"):
            obj = _object_for(route, world, owner)
            if obj is not None:
                tied = True
            else:  # users and groups belong to no account; an app object may be missing (404)
                model = _admin_model(route)
                obj = (
                    (model.objects.filter(pk=world.anyone.pk).first() or model.objects.first())
                    if model
                    else None
                )
            values[param] = str(obj.pk) if obj is not None else "999999"
        elif param == "menuid":  # a live conditional menu's id on the platform: one no account has
            values[param] = "999999"
        elif param == "id":  # the admin's password page of a user
            values[param] = str(world.anyone.pk)
        elif param == "content_type_id":
            values[param] = str(ContentType.objects.get_for_model(world.accounts[owner]).pk)
        else:
            raise LookupError(f"no rule for parameter {param!r} of {route}: extend tests/security/urlmap.py")
    return values, tied


def targets(world: World) -> list[Target]:
    """Every route as concrete URLs: once per account (A and B) when it names an account's object."""
    out: list[Target] = []
    for route, choices in all_routes():
        fills: list[tuple[str, dict[str, str]]] = []
        params = route.params
        if not params:
            fills.append(("", {}))
        elif set(params) == {"url"}:  # the admin's catch-all
            fills.append(("", {"url": "no-such-page/"}))
        elif set(params) == {"app_label"}:
            fills.extend(("", {"app_label": label}) for label in choices.get("app_label", ["accounts"]))
        else:
            for owner in ("A", "B"):
                values, tied = _fill(route, params, world, owner)
                fills.append((owner if tied else "", values))
        seen = set()
        for owner, values in fills:
            url = "/" + route.route.format(**values)
            if url in seen:
                continue
            seen.add(url)
            out.append(Target(route, url, owner))
    return out
