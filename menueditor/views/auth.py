"""Sign-in for staff only. Repeated failures lock sign-in out (django-axes, accounts/lockout.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": _("This account may not use the menu editor. Ask an administrator for access."),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


login = auth_views.LoginView.as_view(
    authentication_form=StaffAuthenticationForm, redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
