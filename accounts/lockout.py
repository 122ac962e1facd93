"""Sign-in lockout, done by django-axes (settings AXES_*): what the project adds to it.

Five failed sign-ins for one username from one client address lock that pair out for 15 minutes;
the same user elsewhere, and colleagues at the same address, still sign in. The check sits in an
authentication backend (axes.backends.AxesStandaloneBackend), so the app's sign-in page and the
admin's are locked the same way.

This module gives axes the client address (`client_address`: REMOTE_ADDR, or the entry a trusted
proxy wrote in X-Forwarded-For), the username to count under (`username_for_lockout`) and the
answer a locked-out person sees (`lockout_response`): the sign-in page they used, with a translated
message saying how long the pause lasts.
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata
from datetime import timedelta

from axes.conf import settings
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import ngettext

# AccessAttempt.username holds up to 255 characters.
_USERNAME_MAX = 255


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address of the person signing in.

    Without trusted proxies (TRUSTED_PROXY_COUNT 0) it is the connection's peer: X-Forwarded-For
    is ignored, since any client can write it. With N proxies in front, each appends its peer's
    address to the header, so the Nth entry from the right is what the outermost proxy saw: the
    client. Entries further left were written by the client and are never used. A header too
    short to hold that entry did not come through the proxies; the peer address stands then.
    """
    peer = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < count:
        return peer
    try:
        address = ipaddress.ip_address(entries[-count])
    except ValueError:
        return peer
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def normalize_username(value: object) -> str | None:
    """The username as Django's sign-in form passes it to authenticate(), lower-cased.

    The form strips surrounding spaces (forms.CharField) and NFKC-normalizes (UsernameField), so
    "PublisherB " and "PublisherB" reach the same user: they must count in the same bucket, or
    spelling a name differently would buy fresh guesses. Case is folded too, so "ANN" and "ann"
    share their failures.
    """
    if value is None:
        return None
    name = unicodedata.normalize("NFKC", str(value).strip()).lower()
    return name[:_USERNAME_MAX] or None


def username_for_lockout(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the normalized username of an attempt (credentials, else the form)."""
    field = get_user_model().USERNAME_FIELD
    if credentials:
        return normalize_username(credentials.get(field))
    return normalize_username(request.POST.get(field))


def lockout_remaining(request: HttpRequest, credentials: dict | None = None) -> timedelta | None:
    """How long this username and address stay locked out, or None when they may try."""
    cool_off = get_cool_off(request)
    handler = AxesProxyHandler.get_implementation()
    if cool_off is None or not hasattr(handler, "get_user_attempts"):
        return None
    AxesProxyHandler.update_request(request)
    limit = get_failure_limit(request, credentials)
    ends = []
    # Each queryset is one lockout parameter's attempts within the cool-off, one row per user agent.
    # The lockout lasts until the newest rows that together reach the limit are older than the
    # cool-off.
    for attempts in handler.get_user_attempts(request, credentials):
        total = 0
        rows = attempts.order_by("-attempt_time").values_list("attempt_time", "failures_since_start")
        for attempt_time, failures in rows:
            total += failures
            if total >= limit:
                ends.append(attempt_time + cool_off)
                break
    end = max(ends, default=None)
    now = timezone.now()
    if end is None or end <= now:
        return None
    return end - now


def minutes_left(remaining: timedelta) -> int:
    return max(1, math.ceil(remaining.total_seconds() / 60))


def locked_message(remaining: timedelta) -> str:
    minutes = minutes_left(remaining)
    return ngettext(
        "Too many failed sign-ins. For your safety, signing in as this user from here is "
        "paused; try again in %(minutes)d minute.",
        "Too many failed sign-ins. For your safety, signing in as this user from here is "
        "paused; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page that was used, its error replaced by the lockout's.

    The app's sign-in page and the admin's both answer with a TemplateResponse holding the form;
    it is drawn again with the message instead of "wrong password" (the right password may well
    have been typed), with HTTP 429 and Retry-After. Anything else gets the app's sign-in page.
    """
    remaining = lockout_remaining(request, credentials) or get_cool_off(request) or timedelta(minutes=15)
    message = locked_message(remaining)
    context = getattr(original_response, "context_data", None)
    form = context.get("form") if isinstance(context, dict) else None
    template = getattr(original_response, "template_name", None)
    if not isinstance(form, forms.BaseForm) or not template:
        template = "registration/login.html"
        form = AuthenticationForm(request)
        context = {"form": form, "next": ""}
    errors = form.error_class([message], error_class="nonfield", renderer=form.renderer)
    form.errors[NON_FIELD_ERRORS] = errors
    response = TemplateResponse(request, template, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(math.ceil(remaining.total_seconds()))
    return response.render()
