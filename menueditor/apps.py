from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MenuEditorConfig(AppConfig):
    name = "menueditor"
    verbose_name = _("Menus")
