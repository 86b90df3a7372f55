"""Fixtures for the conformance suite.

The suite talks to a running emulator whose base URL is given in
`NGROK_MOCK_URL` (run.sh starts one and sets it). Every test starts from the
emulator's start-up state: the fixture below resets it through the admin
endpoints before each test.
"""

import os
import uuid

import ngrok
import pytest
import requests

ADMIN = "/__mock"


class Admin:
    """The emulator's own control endpoints (not part of ngrok's API). With
    an API key set, they need it as a bearer token."""

    def __init__(self, base_url: str, api_key: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"

    def _url(self, sub: str) -> str:
        return f"{self.base_url}{ADMIN}{sub}"

    def reset(self) -> None:
        r = self.session.post(self._url("/reset"), timeout=10)
        assert r.status_code == 204, r.text

    def seed(self, accessor: str, objects: list) -> list:
        """Seeds objects of a service users cannot create; returns them as
        the API shows them."""
        r = self.session.post(self._url("/seed"), json={accessor: objects}, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["seeded"][accessor]

    def journal(self) -> list:
        r = self.session.get(self._url("/journal"), timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["entries"]

    def clear_journal(self) -> None:
        r = self.session.delete(self._url("/journal"), timeout=10)
        assert r.status_code == 204, r.text


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("NGROK_MOCK_URL", "").rstrip("/")
    if not url:
        pytest.exit("NGROK_MOCK_URL is not set: start the emulator with tests/python/run.sh", returncode=2)
    return url


@pytest.fixture(scope="session")
def api_key() -> str:
    return os.environ.get("NGROK_MOCK_API_KEY", "conformance-key")


@pytest.fixture(scope="session")
def admin(base_url, api_key) -> Admin:
    return Admin(base_url, api_key)


@pytest.fixture(autouse=True)
def fresh_emulator(admin):
    admin.reset()
    yield


@pytest.fixture
def client(base_url, api_key) -> ngrok.Client:
    return ngrok.Client(api_key, base_url=base_url)


@pytest.fixture
def tag() -> str:
    """A short unique word for names that must not collide."""
    return uuid.uuid4().hex[:8]
