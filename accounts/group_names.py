"""The groups the app creates, shown in the interface language.

A group's name is data (menueditor/migrations/0002_default_groups.py creates "Menu editors" and
"Menu publishers", and code finds them by it), so it is never renamed; pages show its label instead.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

EDITORS = "Menu editors"
PUBLISHERS = "Menu publishers"
LABELS = {EDITORS: _("Menu editors"), PUBLISHERS: _("Menu publishers")}


def group_label(group: Group | str) -> str:
    """The group's name as people read it: the app's groups translated, others as they were named."""
    name = group if isinstance(group, str) else group.name
    return str(LABELS.get(name, name))
