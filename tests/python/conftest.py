"""Fixtures for the conformance suite.

The emulator comes from the `ngrok_api_mock` pytest plugin, installed with
the emulator's Python package (`pip install ./ngrok-api-mock`; run.sh builds
and installs it): one process for the session, reset to its start state
before every test. Nothing here starts a process.
"""

import uuid

import ngrok
import pytest

API_KEY = "conformance-key"


@pytest.fixture(scope="session")
def ngrok_api_mock_options() -> dict:
    """The emulator accepts only this key (its admin endpoints need it too),
    and the suite writes every service, edges included: an account that
    still may."""
    return {"api_key": API_KEY, "legacy_writes": True}


@pytest.fixture(autouse=True)
def admin(ngrok_api_mock):
    """The emulator's handle (seed, journal, faults); asking for it, as
    every test does, resets the emulator first."""
    return ngrok_api_mock


@pytest.fixture
def base_url(ngrok_api_mock) -> str:
    return ngrok_api_mock.url


@pytest.fixture
def api_key(ngrok_api_mock) -> str:
    return ngrok_api_mock.api_key


@pytest.fixture
def client(base_url, api_key) -> ngrok.Client:
    return ngrok.Client(api_key, base_url=base_url)


@pytest.fixture
def tag() -> str:
    """A short unique word for names that must not collide."""
    return uuid.uuid4().hex[:8]
