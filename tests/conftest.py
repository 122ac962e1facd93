import os

import pytest
from django.utils import translation

pytest_plugins = ["tests.plugins.simulator", "tests.plugins.factories", "tests.plugins.browser"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _default_language_in_every_test():
    """A request leaves its language active in the thread; each test starts in LANGUAGE_CODE again."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache_in_every_test():
    """Cached platform lists (follower tags) are keyed by account pk, which tests reuse: start empty."""
    from django.core.cache import cache

    cache.clear()
    yield
