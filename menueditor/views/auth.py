"""Sign-in for staff only, with a clear message when repeated failures have locked it."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.throttle import client_address, lockout_remaining, minutes_left


class StaffAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": _("This account may not use the menu editor. Ask an administrator for access."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        address = client_address(self.request)
        if username and lockout_remaining(username, address):
            raise self.locked_error(lockout_remaining(username, address))
        try:
            return super().clean()
        except forms.ValidationError as error:
            remaining = lockout_remaining(username, address) if username else None
            if remaining:  # this failure was the one that reached the limit
                raise self.locked_error(remaining) from error
            raise

    def locked_error(self, remaining) -> forms.ValidationError:
        minutes = minutes_left(remaining)
        return forms.ValidationError(
            ngettext(
                "Too many failed sign-ins. For your safety, signing in as this user from here is "
                "paused; try again in %(minutes)d minute.",
                "Too many failed sign-ins. For your safety, signing in as this user from here is "
                "paused; try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="locked",
        )

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


login = auth_views.LoginView.as_view(
    authentication_form=StaffAuthenticationForm, redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
