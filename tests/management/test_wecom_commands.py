"""menu_validate and menu_export for WeCom application menus."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.plugins.factories import make_account, make_menu

MENU = {
    "button": [
        {"type": "click", "name": "今日待办", "key": "TODO"},
        {
            "name": "工作台",
            "sub_button": [
                {
                    "type": "view_miniprogram",
                    "name": "会议室",
                    "appid": "wx286b93c14bbf93aa",
                    "pagepath": "pages/a",
                },
                {"type": "pic_weixin", "name": "上传照片", "key": "PHOTO"},
            ],
        },
    ]
}


def write(tmp_path: Path, data) -> str:
    path = tmp_path / "menu.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def validate(*args: str) -> str:
    out = io.StringIO()
    call_command("menu_validate", *args, stdout=out)
    return out.getvalue()


def test_a_wecom_menu_is_valid_for_wecom(tmp_path):
    assert validate("--platform", "wecom", write(tmp_path, MENU)).strip() == "The menu is valid for WeCom."


def test_wecoms_menu_get_answer_is_read_too(tmp_path):
    answer = {"errcode": 0, "errmsg": "ok", **MENU}
    assert validate("--platform", "wecom", write(tmp_path, answer)).strip() == "The menu is valid for WeCom."


def test_a_sub_button_name_wechat_takes_is_too_long_for_wecom(tmp_path):
    data = {"button": [{"name": "菜单", "sub_button": [{"type": "click", "name": "A" * 41, "key": "k"}]}]}
    assert validate("--platform", "wechat", write(tmp_path, data)).splitlines()[-1] == (
        "The menu is valid for WeChat, with 0 errors, 1 warning."
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="not valid for WeCom: 1 error") as failure:
        call_command("menu_validate", "--platform", "wecom", write(tmp_path, data), stdout=out)
    assert failure.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "error: button 1, sub-button 1: name: the name is 41 bytes; at most 40 bytes are allowed here "
        "(WeCom error 40025)"
    ]


def test_wechat_types_are_not_wecoms(tmp_path):
    data = {"button": [{"type": "article_id", "name": "文章", "article_id": "a"}]}
    out = io.StringIO()
    with pytest.raises(CommandError, match="not valid for WeCom"):
        call_command("menu_validate", "--platform", "wecom", write(tmp_path, data), stdout=out)
    assert "“article_id” is not a button type WeCom accepts" in out.getvalue()


@pytest.mark.django_db
def test_menu_export_prints_the_menu_create_body():
    account = make_account(
        platform="wecom", app_id="ww0123456789abcdef", agent_id=1000002, app_secret="s" * 32
    )
    menu = make_menu(account, tree=MENU)
    out = io.StringIO()
    call_command("menu_export", str(menu.pk), stdout=out)
    assert json.loads(out.getvalue()) == MENU
    assert "今日待办" in out.getvalue()
