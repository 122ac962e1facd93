"""Placeholder replaced by the simulator work: the `simulator` fixture lives here."""
