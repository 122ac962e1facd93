"""Random files into `manage.py menu_validate`: exit 0 with "valid", or exit 1 with the reasons.

The verdict must agree with the platform rules the editor and the publisher use, and no input
may end in a traceback.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import event, given
from hypothesis import strategies as st

from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError, parse_menu
from tests.robustness.strategies import file_bytes
from tests.robustness.test_editor_fuzz import FUZZ

ROOT = Path(__file__).resolve().parents[2]
PLATFORMS = st.sampled_from(["wechat", "weibo"])


def verdict(content: bytes, platform: str) -> str:
    rules = get_platform(platform)
    try:
        tree = parse_menu(content)
    except MenuParseError:
        return "not a menu"
    return "invalid" if rules.errors(tree) else "valid"


@FUZZ
@given(content=file_bytes, platform=PLATFORMS, language=st.sampled_from(["en", "zh-hans"]))
def test_menu_validate_agrees_with_the_rules_and_never_crashes(tmp_path_factory, content, platform, language):
    path = tmp_path_factory.mktemp("menus") / "menu.json"
    path.write_bytes(content)
    out = io.StringIO()
    expected = verdict(content, platform)
    event(expected)
    try:
        call_command("menu_validate", "--platform", platform, "--language", language, str(path), stdout=out)
    except CommandError as error:
        assert expected != "valid", f"refused a valid menu: {error}"
        assert str(error).strip()
        if expected == "invalid":
            # Each error printed on its own line before the summary.
            assert out.getvalue().strip(), "no problem lines were printed"
        return
    assert expected == "valid", "accepted a menu the platform would refuse"
    assert out.getvalue().strip().splitlines()[-1]  # the closing "valid" line


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage", b"[" * 100_000, b'{"button": [{"name": "\\ud800"}]}', b"", b"null", b"1e999"],
    ids=["binary", "deep", "lone-surrogate", "empty", "null", "huge-number"],
)
def test_a_real_process_exits_1_with_a_message_and_no_traceback(content, tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "menu_validate", "--platform", "wechat", "-"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        input=content,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    # The editor's Import sentence (parse_messages.explain), without the parser's English.
    assert b"standard input: This is not " in result.stderr or b"not valid" in result.stderr
    assert b"Expecting" not in result.stderr
