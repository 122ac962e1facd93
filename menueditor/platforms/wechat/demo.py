"""The demo WeChat account: the simulator's default AppID and AppSecret (simulator/wechat.py)."""

from __future__ import annotations

from ..base import DemoAccount

DEMO = DemoAccount(
    slug="demo-wechat",
    name="Demo WeChat",
    credentials={
        "app_id": "wx0123456789abcdef",
        "app_secret": "demo-app-secret",
        "token_mode": "stable",
        "access_token": "",
    },
    sample={
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
    },
)
