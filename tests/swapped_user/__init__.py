"""Another user model (its own table, signing in by e-mail), for tests that must hold whatever
AUTH_USER_MODEL is: tests/test_drafts.py runs its checks again with these settings."""
