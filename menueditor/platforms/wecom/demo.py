"""The demo WeCom application: the simulator's default corp ID, agent ID and secret (simulator/wecom.py)."""

from __future__ import annotations

from ..base import DemoAccount

DEMO = DemoAccount(
    slug="demo-wecom",
    name="Demo WeCom",
    credentials={
        "app_id": "ww0123456789abcdef",
        "agent_id": 1000002,
        "app_secret": "demo-wecom-app-secret",
        "access_token": "",
    },
    sample={
        "button": [
            {"type": "click", "name": "今日待办", "key": "TODAY_TODO"},
            {
                "name": "工具",
                "sub_button": [
                    {"type": "view", "name": "内网门户", "url": "https://intranet.example.com/"},
                    {"type": "scancode_push", "name": "扫码签到", "key": "SCAN_CHECK_IN"},
                ],
            },
        ]
    },
    # WeCom's paths are /cgi-bin/ like WeChat's, so the simulator serves it under /wecom.
    path="/wecom",
)
