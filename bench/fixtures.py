"""What the benchmarks work on: a full 3×5 WeChat menu, staff with roles, accounts and history."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import Permission, User

from accounts.models import Account
from menueditor.models import Menu, Publication

APP_ID = "wx0123456789abcdef"  # the simulator's default WeChat app
APP_SECRET = "demo-app-secret"
PASSWORD = "bench-password-123"

# Names a marketing team would use: Chinese, some at the edge of what the bar shows.
TOP_NAMES = ["新品上市", "会员中心", "关于我们"]
SUB_NAMES = [
    ["春季新品", "限时折扣", "爆款推荐", "门店查询", "在线客服"],
    ["会员积分", "我的订单", "优惠券包", "签到有礼", "会员权益"],
    ["品牌故事", "联系我们", "加入我们", "常见问题", "意见反馈"],
]


def full_menu() -> dict[str, Any]:
    """Three parents with five sub-buttons each, of the common types (click, view, mini program)."""
    buttons = []
    for i, top in enumerate(TOP_NAMES):
        subs = []
        for j, name in enumerate(SUB_NAMES[i]):
            if j % 3 == 0:
                subs.append({"type": "view", "name": name, "url": f"https://shop.example.com/p/{i}/{j}"})
            elif j % 3 == 1:
                subs.append({"type": "click", "name": name, "key": f"MENU_{i}_{j}"})
            else:
                subs.append(
                    {
                        "type": "miniprogram",
                        "name": name,
                        "url": "https://shop.example.com/mp",
                        "appid": "wx286b93c14bbf93aa",
                        "pagepath": f"pages/home/index?tab={i}{j}",
                    }
                )
        buttons.append({"name": top, "sub_button": subs})
    return {"button": buttons}


def make_editor(username: str, *, superuser: bool = False) -> User:
    """A staff member who may edit and publish, with a password for real sign-ins."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="menueditor", codename__in=("change_menu", "publish_menu")
        )
    )
    return user


def make_account(slug: str, *, api_base: str = "", members=(), platform: str = "wechat") -> Account:
    fields: dict[str, Any] = {
        "name": f"Account {slug}",
        "slug": slug,
        "platform": platform,
        "api_base": api_base,
    }
    if platform == "wechat":
        fields |= {"app_id": APP_ID, "app_secret": APP_SECRET}
    else:
        fields |= {"access_token": "demo-weibo-token"}
    account = Account.objects.create(**fields)
    account.members.add(*members)
    return account


def make_draft(account: Account, user: User, title: str = "Spring menu") -> Menu:
    return Menu.objects.create(account=account, title=title, tree=full_menu(), updated_by=user)


def make_history(account: Account, menu: Menu, user: User, count: int) -> None:
    """`count` past publishes of the full menu, as publish_menu records them."""
    payload = json.dumps(full_menu(), ensure_ascii=False, separators=(",", ":"))
    Publication.objects.bulk_create(
        Publication(
            account=account,
            menu=menu,
            action=Publication.Action.PUBLISH,
            payload=payload,
            user=user,
            outcome=Publication.Outcome.SUCCESS if i % 5 else Publication.Outcome.FAILURE,
            code="ok" if i % 5 else "45009",
            message="ok" if i % 5 else "reach max api daily quota limit",
            hint="Published." if i % 5 else "The daily quota is used up; it resets tomorrow.",
        )
        for i in range(count)
    )
