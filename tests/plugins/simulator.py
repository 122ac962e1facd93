"""The `simulator` fixture: one platform simulator per test session, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.server import Simulator, start_simulator


@pytest.fixture(scope="session")
def simulator_server() -> Iterator[Simulator]:
    """The running simulator (loopback, ephemeral port), started once per session (per xdist worker)."""
    sim = start_simulator()
    yield sim
    sim.stop()


@pytest.fixture
def simulator(simulator_server: Simulator) -> Iterator[Simulator]:
    """The simulator with no menus, tokens, faults or log; point an account's api_base at `.url`."""
    simulator_server.reset()
    yield simulator_server
    crashes = list(simulator_server.internal_errors)
    simulator_server.reset()
    if crashes:
        # The simulator answered HTTP 500 because of its own bug: the test proved nothing.
        pytest.fail("the platform simulator crashed:\n" + "\n".join(crashes), pytrace=False)
