"""Who may reach what: every URL of the app and the admin, for every kind of person, GET and POST.

The URLs come from the URL resolver (tests/security/urlmap.py), so a URL added later is in the
matrix without anyone listing it. Objects of an account one may not reach answer 404 in the app;
no request answers 500; an editor cannot make anything reach the platform's write calls.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from menueditor.forms import tree_to_post_data
from menueditor.models import Menu
from menueditor.tree import parse_menu
from tests.security.conftest import BOTH_PLATFORMS_MENU, client_for
from tests.security.urlmap import Target, targets

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "unassigned", "editor", "publisher", "superuser")

# What each app URL needs, per method: "signed_in" (any staff), "reach" (assigned to the account),
# "edit" (assigned + menueditor.change_menu) or "publish" (assigned + menueditor.publish_menu),
# and the statuses that mean it worked. A method not listed answers 405.
APP = {
    "home": {"GET": ("signed_in", {200})},
    "draft_start": {"POST": ("edit", {302})},
    "menu_pull": {"POST": ("edit", {302})},
    "live_delete": {"GET": ("publish", {200}), "POST": ("publish", {302})},
    "account_history": {"GET": ("reach", {200})},
    "account_page": {"GET": ("reach", {200})},
    # An empty title is refused beside the field (400); a draft the history points at is archived.
    "draft_rename": {"POST": ("edit", {400})},
    "draft_duplicate": {"POST": ("edit", {302})},
    "draft_archive": {"POST": ("edit", {302})},
    "draft_unarchive": {"POST": ("edit", {302})},
    # A draft a scheduled publish will send is refused with a message (302 back to the account).
    "draft_delete": {"GET": ("edit", {200, 302}), "POST": ("edit", {302})},
    "account_settle": {"POST": ("publish", {302})},
    "publication_restore": {"POST": ("edit", {302})},
    "publication_republish": {"GET": ("publish", {200}), "POST": ("publish", {302})},
    "menu_edit": {"GET": ("reach", {200})},
    "menu_preview": {"POST": ("reach", {200})},
    "menu_structure": {"POST": ("reach", {200})},
    "menu_save": {"POST": ("edit", {302})},
    "menu_import": {"POST": ("reach", {200})},
    "menu_export": {"GET": ("reach", {200})},
    "menu_publish_review": {"POST": ("publish", {200})},
    "menu_publish": {"POST": ("publish", {200})},
    "menu_schedule": {"GET": ("publish", {200}), "POST": ("publish", {200})},
    "schedule_move": {"GET": ("publish", {200}), "POST": ("publish", {200})},
    "schedule_cancel": {"POST": ("publish", {302})},
    # Submitting is for those who publish by review: editors on an account that needs approval.
    "menu_submit": {"GET": ("submit", {200}), "POST": ("submit", {200})},
    "review_page": {"GET": ("reach", {200})},
    # An empty approval publishes now; once decided, another approval is refused (409).
    "review_approve": {"POST": ("publish", {302, 409})},
    "review_publish": {"POST": ("publish", {302})},
    # An empty form is answered beside its fields (400).
    "review_reschedule": {"POST": ("publish", {400, 409})},
    "review_send_back": {"POST": ("publish", {400, 409})},
    "review_withdraw": {"POST": ("edit", {302})},
}
CAN = {
    "anonymous": set(),
    "unassigned": set(),
    "editor": {"reach", "edit", "submit"},
    "publisher": {"reach", "edit", "publish"},
    "superuser": {"reach", "edit", "publish"},
}
# Admin pages a superuser must see (GET 200); the others only must not fail.
ADMIN_PAGES = ("_changelist", "_add", "_change", "_history", "_delete", ":index", ":app_list",
               ":password_change", ":password_change_done", ":jsi18n", "_password_change")  # fmt: skip
# The publication record is read-only for everyone, superusers included: history is not edited.
# Failed sign-ins (django-axes) are recorded by sign-in attempts only; nobody adds one by hand.
# The task queue (django-tasks-db) is shown, never edited: tasks come from the app only.
# Reviews are decided on the review pages (reviews.py), never by editing a row in the admin.
READ_ONLY_ADMIN = (
    "admin:menueditor_publication_add",
    "admin:menueditor_publication_delete",
    "admin:menueditor_review_add",
    "admin:menueditor_review_delete",
    "admin:axes_accessattempt_add",
    "admin:django_tasks_database_dbtaskresult_add",
    "admin:django_tasks_database_dbtaskresult_delete",
)
# Calls that change a live menu; an editor without the publish permission must never cause one.
PLATFORM_WRITES = {
    "/cgi-bin/menu/create",
    "/cgi-bin/menu/delete",
    "/cgi-bin/menu/addconditional",
    "/cgi-bin/menu/delconditional",
    "/2/messages/menu/create.json",
    "/2/messages/menu/delete.json",
}


def reaches(role: str, owner: str) -> bool:
    return role == "superuser" or (owner == "A" and role in ("editor", "publisher"))


def expected_app(role: str, target: Target, method: str) -> set[int] | None:
    """The statuses allowed, or None for 'anything below 500' (a URL this table does not know)."""
    name = target.route.name
    if name == "login":
        return {200} if role == "anonymous" else {302}
    if name == "logout":
        return {405} if method == "GET" else {302}
    if name == "set_language":
        return {204, 302}
    if role == "anonymous":
        return {302}
    spec = APP.get(name)
    if spec is None:
        return {404, 405} if target.owner and not reaches(role, target.owner) else None
    if method not in spec:
        return {405}
    need, ok = spec[method]
    if need == "signed_in":
        return ok
    if target.owner and not reaches(role, target.owner):
        return {404}
    return ok if need in CAN[role] else {403}


def expected_admin(role: str, target: Target, method: str) -> set[int] | None:
    name = target.route.name
    if name == "admin:login":
        return {302} if role != "anonymous" and method == "GET" else {200}
    if name == "admin:logout":
        if role == "anonymous":
            return {302}
        return {405} if method == "GET" else {200, 302}
    if role == "anonymous":
        return {302}
    if name in READ_ONLY_ADMIN:
        return {403} if role == "superuser" else {302, 403, 404}
    if role == "superuser" and method == "GET" and name.endswith(ADMIN_PAGES):
        return {200}
    if target.owner and not reaches(role, target.owner):
        # Another account's object: not shown (admin redirects home with "doesn't exist", or refuses).
        return {302, 403, 404}
    return None


def post_data(target: Target, world) -> dict[str, str]:
    """What a browser would post to this URL: the editor's whole form for the editor's endpoints."""
    return form_post(target.route.name, target.owner, world)


def form_post(name: str, owner: str, world) -> dict[str, str]:
    if not name.startswith("menu_") or name == "menu_pull":
        return {}
    menu = Menu.objects.get(pk=world.map.menus[owner].pk)
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    return data | {
        "reviewed_revision": str(menu.revision),
        "confirm_drift": "1",
        "import_text": json.dumps(BOTH_PLATFORMS_MENU, ensure_ascii=False),
    }


def names_out_of_reach(role: str, world) -> list[str]:
    """Names that must appear on no page this person sees."""
    if role == "superuser":
        return []
    hidden = [world.b.name, world.menu_b.title]
    if role in ("unassigned", "anonymous"):
        hidden += [world.a.name, world.menu_a.title]
    return hidden


def request(world, role: str, target: Target, method: str):
    client = client_for(world.users[role])
    if method == "GET":
        return client.get(target.url)
    return client.post(target.url, post_data(target, world))


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_it_should(world, role):
    wrong = []
    hidden = names_out_of_reach(role, world)
    for target in targets(world.map):
        for method in ("GET", "POST"):
            expect = (expected_admin if target.route.is_admin else expected_app)(role, target, method)
            response = request(world, role, target, method)
            status = response.status_code
            if status >= 500 or (expect is not None and status not in expect):
                wrong.append(f"{method} {target}: {status}, expected {sorted(expect or ['<500'])}")
                continue
            if role == "anonymous" and status == 302 and expect == {302}:
                login = reverse("admin:login") if target.route.is_admin else reverse("login")
                if not response["Location"].startswith(login) and target.route.name not in ("admin:logout",):
                    wrong.append(f"{method} {target}: sent to {response['Location']}, not to {login}")
            if status == 200 and response.get("Content-Type", "").startswith("text/html"):
                page = response.content.decode()
                leaked = [name for name in hidden if name in page]
                if leaked:
                    wrong.append(f"{method} {target}: shows {leaked}")
    assert not wrong, f"{len(wrong)} wrong answers for {role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ["editor", "unassigned"])
def test_who_may_not_publish_never_reaches_the_platforms_write_calls(world, role):
    for target in targets(world.map):
        for method in ("GET", "POST"):
            request(world, role, target, method)
    writes = [r.path for r in world.sim.requests if r.path in PLATFORM_WRITES]
    assert writes == []
    if role == "unassigned":
        assert world.sim.requests == []  # not even a read of a menu they may not see
    assert world.sim.wechat_menu is None and world.sim.weibo_menu is None


def test_a_publisher_does_reach_the_platform(world):
    """The matrix above is not vacuous: the same requests by a publisher do publish to A, never to B."""
    for target in targets(world.map):
        for method in ("GET", "POST"):
            request(world, "publisher", target, method)
    assert world.sim.requests_to("/cgi-bin/menu/create")
    assert not world.sim.requests_to("/2/messages/menu/create.json")  # B is Weibo and not theirs


def test_the_matrix_covers_every_url_of_the_resolver(world):
    urls = targets(world.map)
    names = {t.route.name for t in urls}
    assert set(APP) <= names, f"the app's URL names changed: {set(APP) - names} are gone"
    assert {"admin:index", "admin:accounts_account_change", "login", "logout"} <= names
    # Each URL that names an account's object is tried once with A's and once with B's.
    for name in APP:
        owners = {t.owner for t in urls if t.route.name == name}
        assert owners in ({""}, {"A", "B"}), (name, owners)


# -- the admin scoped by account, for staff who hold admin permissions -----------------------------


def test_admin_staff_see_and_change_only_their_accounts(world, factories):
    from django.contrib.auth.models import Permission

    world.editor_b.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=["view_account"])
    )
    client = client_for(world.editor_b)
    listing = client.get(reverse("admin:accounts_account_changelist"))
    assert listing.status_code == 200
    assert world.b.name in listing.content.decode()
    assert world.a.name not in listing.content.decode()
    for view in ("change", "history", "delete"):
        response = client.get(reverse(f"admin:accounts_account_{view}", args=[world.a.pk]))
        assert response.status_code in (302, 403, 404), view
        assert world.a.name not in response.content.decode()


# -- sign-in: repeated failures lock out, through both doors ---------------------------------------


def _fail(client, door: str, username: str, password: str = "wrong-password") -> None:
    url = reverse("admin:login") if door == "admin" else reverse("login")
    client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("door", ["app", "admin"])
def test_failures_at_one_door_lock_both(client, factories, door):
    user = factories.user(username="marketer", password="right-password-123")
    for _ in range(5):
        _fail(client, door, "marketer")
    for other in ("app", "admin"):
        url = reverse("admin:login") if other == "admin" else reverse("login")
        response = client.post(url, {"username": "marketer", "password": "right-password-123"})
        # The form again with the lockout message (429 Too Many Requests), not a redirect into the app.
        assert response.status_code == 429, other
        assert "Too many failed sign-ins" in response.content.decode()
        assert "_auth_user_id" not in client.session
    assert user.is_active  # a lockout pauses sign-in; it does not disable the person


def test_unknown_usernames_are_locked_out_the_same_way(client, db):
    """The lockout message is the same for a name that does not exist: no way to list the staff."""
    for _ in range(5):
        _fail(client, "app", "nobody-here")
    page = client.post(reverse("login"), {"username": "nobody-here", "password": "x"}).content.decode()
    assert "Too many failed sign-ins" in page


def test_a_lockout_is_not_escaped_by_switching_doors_and_passwords(client, factories):
    factories.user(username="marketer", password="right-password-123")
    for i in range(5):
        _fail(client, "app" if i % 2 else "admin", "marketer", f"guess-{i}")
    response = client.post(reverse("login"), {"username": "marketer", "password": "right-password-123"})
    assert "Too many failed sign-ins" in response.content.decode()


# -- admin actions: the same rules as the pages ------------------------------------------------------

ADMIN_ACTIONS = {
    "accounts_account": ("test_connection", "delete_selected"),
    "menueditor_menu": ("publish_selected", "delete_selected"),
    "menueditor_publication": ("restore_selected", "delete_selected"),
}


def _grant_admin(user) -> None:
    """Give the person every model permission of the admin, so only assignment and publish remain."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["accounts", "menueditor"]).exclude(
            codename="publish_menu"
        )
    )


@pytest.mark.parametrize("role", ["unassigned", "editor", "publisher", "superuser"])
def test_admin_actions_on_both_accounts_follow_the_rules(world, role):
    from accounts.models import Account
    from menueditor.models import Publication

    user = world.users[role]
    if role != "superuser":
        _grant_admin(user)
    objects = {
        "accounts_account": [world.a.pk, world.b.pk],
        "menueditor_menu": [world.menu_a.pk, world.menu_b.pk],
        "menueditor_publication": [world.pub_a.pk, world.pub_b.pk],
    }
    b_drafts = Menu.objects.filter(account=world.b).count()
    # Live menus as last published from here: no drift, so a permitted publish action does publish.
    world.sim.wechat_menu = BOTH_PLATFORMS_MENU
    world.sim.weibo_menu = BOTH_PLATFORMS_MENU
    for model, actions in ADMIN_ACTIONS.items():
        for action in actions:
            client = client_for(user)
            url = reverse(f"admin:{model}_changelist")
            data = {"action": action, "_selected_action": objects[model], "post": "yes"}
            response = client.post(url, data, follow=True)
            assert response.status_code < 500, (model, action, response.status_code)
    writes = [r for r in world.sim.requests if r.path in PLATFORM_WRITES]
    if role == "superuser":
        # The superuser's publish action reached both platforms.
        assert {r.path for r in writes} >= {"/cgi-bin/menu/create", "/2/messages/menu/create.json"}
        return
    # Nothing of account B was touched, read or published by someone not assigned to it.
    assert Account.objects.filter(pk=world.b.pk).exists()
    assert Menu.objects.filter(pk=world.menu_b.pk).exists()
    assert Publication.objects.filter(pk=world.pub_b.pk).exists()
    assert Menu.objects.filter(account=world.b).count() == b_drafts
    assert not Publication.objects.filter(account=world.b).exclude(pk=world.pub_b.pk).exists()
    assert not any(r.path.startswith("/2/") for r in world.sim.requests)  # B is the Weibo account
    if role != "publisher":
        assert writes == []
    if role == "unassigned":
        assert world.sim.requests == []
        assert Account.objects.filter(pk=world.a.pk).exists()


# -- no open redirects -------------------------------------------------------------------------------

OUTSIDE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OUTSIDE)
def test_sign_in_and_language_switch_never_send_people_off_site(factories, client, target):
    factories.user(username="marketer", password="right-password-123")
    form = {"username": "marketer", "password": "right-password-123", "next": target}
    response = client.post(reverse("login") + "?next=" + target, form)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": target})
    assert "evil.example" not in response.get("Location", "") and "javascript" not in response.get(
        "Location", ""
    )
