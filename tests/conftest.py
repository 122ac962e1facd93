import os

pytest_plugins = ["tests.plugins.simulator", "tests.plugins.factories", "tests.plugins.browser"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
