"""No log line carries a token or a secret, whichever logger writes it.

The records here go through the handlers settings.LOGGING installed (their output captured by
pointing their streams at a buffer), not through pytest's caplog, which has no filters of its own.
"""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager

import pytest
from django.conf import settings

from accounts.models import Account
from menueditor import logredact

TOKEN = "80_Tok3nFromTheSimulator-abcdefghijklmnop"
SECRET = "SecretForLogTests-0a1b2c3d4e5f6a7b8c9d"
WEIBO_TOKEN = "2.00LogTestWeiboTokenabcdefgh"


def _configured(name: str) -> logging.Handler:
    """The handler settings.LOGGING calls `name`, as logging.config made it."""
    for handler in _every_handler():
        if handler.get_name() == name:
            return handler
    raise LookupError(name)


def _every_handler() -> list[logging.Handler]:
    loggers = [logging.getLogger()] + [
        logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    seen, handlers = set(), []
    for logger in loggers:
        for handler in logger.handlers:
            if id(handler) not in seen:
                seen.add(id(handler))
                handlers.append(handler)
    return handlers


@contextmanager
def captured(*names: str):
    """What the named handlers of settings.LOGGING write, into one buffer."""
    buffer = io.StringIO()
    handlers = [_configured(name) for name in names]
    previous = [handler.setStream(buffer) for handler in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)


def _masks(handler: logging.Handler) -> bool:
    return any(isinstance(f, logredact.RedactingFilter) for f in handler.filters)


def test_every_handler_in_the_settings_masks():
    for name, config in settings.LOGGING["handlers"].items():
        assert "redact" in config.get("filters", []), name
    assert settings.LOGGING["filters"]["redact"]["()"] == "menueditor.logredact.RedactingFilter"


def test_no_logger_writes_through_a_handler_that_does_not_mask():
    """Django's own defaults (console when DEBUG, mail_admins) are gone; what remains masks."""
    unmasked = [
        f"{handler!r}"
        for handler in _every_handler()
        if not _masks(handler)
        and not isinstance(handler, logging.NullHandler)
        and not type(handler).__module__.startswith("_pytest")  # pytest's own capture
    ]
    assert unmasked == []


@pytest.mark.parametrize(
    "name", ["django.request", "menueditor.publishing", "accounts.tokens", "urllib3.connectionpool", "x.y"]
)
def test_a_token_in_the_arguments_is_masked_whatever_the_logger(name):
    url = f"https://api.weixin.qq.com/cgi-bin/menu/create?access_token={TOKEN}&lang=zh_CN"
    with captured("console") as out:
        logging.getLogger(name).warning("POST %s -> HTTP %s", url, 200)
    text = out.getvalue()
    assert TOKEN not in text
    assert (
        "POST https://api.weixin.qq.com/cgi-bin/menu/create?access_token=***&lang=zh_CN -> HTTP 200" in text
    )


def test_a_token_in_a_traceback_is_masked():
    with captured("console") as out:
        try:
            raise ConnectionError(f"Max retries exceeded with url: /2/menu?access_token={WEIBO_TOKEN}")
        except ConnectionError:
            logging.getLogger("django.request").exception("Internal Server Error: %s", "/menus/1/publish/")
    text = out.getvalue()
    assert "Internal Server Error: /menus/1/publish/" in text
    assert "Traceback (most recent call last)" in text and "ConnectionError" in text
    assert WEIBO_TOKEN not in text
    assert "access_token=***" in text


@pytest.mark.parametrize(
    "line",
    [
        '{"access_token":"%s","expires_in":7200}',
        '{"access_token": "%s", "expires_in": 7200}',
        "{'access_token': '%s'}",
        "access_token: %s rid: 65f1a2b3",
        "grant_type=client_credential&appid=wx1111111111111111&secret=%s",
        '{"grant_type":"client_credential","appid":"wx1111111111111111","secret":"%s"}',
        "appsecret=%s",
        "'app_secret': '%s'",
        "component_appsecret: %s",
        "authorizer_access_token=%s",
        '"body": "{\\"access_token\\":\\"%s\\"}"',
        "next=https%%3A%%2F%%2Fexample.com%%2F%%3Faccess_token%%3D%s",
        "Authorization: Bearer %s",
    ],
)
def test_each_way_a_credential_is_written_is_masked(line):
    with captured("console") as out:
        logging.getLogger("menueditor.platforms").warning("answer: %s", line % TOKEN)
    assert TOKEN not in out.getvalue()
    assert "***" in out.getvalue()


def test_an_errmsg_is_kept_readable():
    errmsg = "invalid credential, access_token is invalid or not latest, more at https://x.cn/s rid: 65f1a2b3"
    with captured("console") as out:
        logging.getLogger("menueditor.publishing").warning("WeChat said %s: %s", 40001, errmsg)
    assert f"WeChat said 40001: {errmsg}" in out.getvalue()


@pytest.mark.django_db
def test_an_accounts_secret_echoed_bare_in_an_errmsg_is_masked(factories):
    """A platform that quotes the secret or token back, with no name before it."""
    account = factories.account(app_id="wx1111111111111111", app_secret=SECRET)
    weibo = factories.account(slug="weibo", platform="weibo", access_token=WEIBO_TOKEN)
    logredact.forget_all()  # as in a fresh worker process: it learns the secrets by reading them
    Account.objects.get(pk=account.pk).app_secret
    list(Account.objects.filter(pk=weibo.pk))
    with captured("console") as out:
        log = logging.getLogger("menueditor.platforms.wechat")
        log.error('errcode 40125: {"errmsg":"invalid appsecret %s, view more at https://x.cn"}', SECRET)
        log.error("weibo said: token %s expired", WEIBO_TOKEN)
    text = out.getvalue()
    assert SECRET not in text and WEIBO_TOKEN not in text
    assert "invalid appsecret ***, view more" in text
    assert "weibo said: token *** expired" in text


def test_arguments_that_do_not_fit_the_message_are_masked_too():
    """logging would otherwise print the raw arguments in its own error report."""
    errors = io.StringIO()
    with captured("console") as out:
        import sys

        stderr, sys.stderr = sys.stderr, errors
        try:
            logging.getLogger("x").warning("count %d", f"access_token={TOKEN}")
        finally:
            sys.stderr = stderr
    assert TOKEN not in out.getvalue() + errors.getvalue()
    assert "access_token=***" in out.getvalue()


def test_gunicorns_error_log_and_runserver_lines_are_masked():
    with captured("gunicorn.error", "django.server") as out:
        logging.getLogger("gunicorn.error").error("Error handling request /x?access_token=%s", TOKEN)
        logging.getLogger("django.server").info('"GET /x?secret=%s HTTP/1.1" 200 12', TOKEN)
    text = out.getvalue()
    assert TOKEN not in text
    assert "[ERROR] Error handling request /x?access_token=***" in text
    assert '"GET /x?secret=*** HTTP/1.1" 200 12' in text


def test_one_record_is_masked_for_every_handler_it_reaches():
    """The console masks in place, so a handler after it (here pytest's) sees the masked record."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    keep = Keep()
    logging.getLogger().addHandler(keep)
    try:
        with captured("console"):
            try:
                raise ValueError(f"access_token={TOKEN}")
            except ValueError:
                logging.getLogger("x").exception("secret=%s", TOKEN)
    finally:
        logging.getLogger().removeHandler(keep)
    assert records and all(TOKEN not in text for text in records)
