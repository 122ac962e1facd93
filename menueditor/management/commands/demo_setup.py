"""Set up a demo WeChat and a demo Weibo account pointing at the platform simulator (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, CachedToken
from menueditor.models import Menu

DEFAULT_SIMULATOR_URL = "http://127.0.0.1:8900"
# The simulator's default credentials (simulator/server.py).
DEMO_APPID = "wx0123456789abcdef"
DEMO_SECRET = "demo-app-secret"
DEMO_WEIBO_TOKEN = "demo-weibo-token"
SAMPLE_TITLE = "Sample menu"

WECHAT_SAMPLE = {
    "button": [
        {"type": "click", "name": "今日推荐", "key": "TODAY_PICK"},
        {
            "name": "服务",
            "sub_button": [
                {"type": "view", "name": "官网", "url": "https://www.example.com/"},
                {"type": "click", "name": "联系客服", "key": "CONTACT_SUPPORT"},
            ],
        },
        {"type": "view", "name": "新品上市", "url": "https://www.example.com/new"},
    ]
}
WEIBO_SAMPLE = {
    "button": [
        {"type": "click", "name": "获取优惠券", "key": "get_coupon"},
        {
            "name": "菜单",
            "sub_button": [
                {"type": "view", "name": "网上商店", "url": "https://www.example.com/shop"},
                {"type": "click", "name": "么么哒", "key": "memeda"},
            ],
        },
    ]
}


class Command(BaseCommand):
    help = (
        "Create or update the accounts “Demo WeChat” (demo-wechat) and “Demo Weibo” (demo-weibo) with "
        "the simulator's credentials and a sample draft each. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--simulator-url",
            default=DEFAULT_SIMULATOR_URL,
            help=f"where the simulator listens (default {DEFAULT_SIMULATOR_URL})",
        )

    @transaction.atomic
    def handle(self, *args, simulator_url: str, **options):
        base = simulator_url.rstrip("/")
        wechat = self._account(
            "demo-wechat",
            name="Demo WeChat",
            platform="wechat",
            app_id=DEMO_APPID,
            app_secret=DEMO_SECRET,
            token_mode="stable",
            access_token="",
            api_base=base,
        )
        weibo = self._account(
            "demo-weibo",
            name="Demo Weibo",
            platform="weibo",
            app_id="",
            app_secret="",
            access_token=DEMO_WEIBO_TOKEN,
            api_base=base,
        )
        for account, sample in ((wechat, WECHAT_SAMPLE), (weibo, WEIBO_SAMPLE)):
            _menu, created = Menu.objects.get_or_create(
                account=account, title=SAMPLE_TITLE, defaults={"tree": sample}
            )
            self.stdout.write(
                _("%(account)s at %(url)s; sample draft %(state)s")
                % {
                    "account": account,
                    "url": base,
                    "state": _("created") if created else _("kept as it is"),
                }
            )

    def _account(self, slug: str, **fields) -> Account:
        account = Account.objects.filter(slug=slug).first()
        if account is None:
            return Account.objects.create(slug=slug, **fields)
        changed = any(getattr(account, k) != v for k, v in fields.items())
        if changed:
            for key, value in fields.items():
                setattr(account, key, value)
            account.save()
            # A token from another simulator run is worthless.
            CachedToken.objects.filter(account=account).delete()
        return account
