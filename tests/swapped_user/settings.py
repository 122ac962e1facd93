"""The test settings with tests.swapped_user.Person as AUTH_USER_MODEL."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.swapped_user"]  # noqa: F405
AUTH_USER_MODEL = "swapped_user.Person"

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # Beside, not instead of, the test database of the run that started this one.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_swapped_user"}  # noqa: F405
