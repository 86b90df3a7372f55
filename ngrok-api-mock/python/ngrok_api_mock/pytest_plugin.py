"""pytest fixtures for the ngrok API emulator (registered through the
``pytest11`` entry point, so installing the package is enough).

``ngrok_api_mock``
    A running emulator (a :class:`ngrok_api_mock.Mock`), reset to its start
    state before each test. One process serves the whole test session.

``ngrok_api_mock_options``
    A session-scoped dict of :func:`ngrok_api_mock.start` options; override
    it in a ``conftest.py`` to change them::

        @pytest.fixture(scope="session")
        def ngrok_api_mock_options():
            return {"api_key": "test-key", "no_default_seed": True}

``ngrok_api_mock_session``
    The session's emulator, without the reset before each test.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest

from . import Mock, start


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("ngrok-api-mock", "the ngrok API emulator")
    group.addoption(
        "--ngrok-api-mock-bin",
        default=None,
        help="the ngrok-api-mock command to run (default: the one installed with the package)",
    )


@pytest.fixture(scope="session")
def ngrok_api_mock_options() -> Dict[str, Any]:
    """Options for ``ngrok_api_mock.start()``; override to change them."""
    return {}


@pytest.fixture(scope="session")
def ngrok_api_mock_session(ngrok_api_mock_options: Dict[str, Any], pytestconfig: Any) -> Iterator[Mock]:
    """One emulator for the whole session."""
    options = dict(ngrok_api_mock_options)
    chosen = pytestconfig.getoption("ngrok_api_mock_bin")
    if chosen and "binary_path" not in options:
        options["binary_path"] = chosen
    mock = start(**options)
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture
def ngrok_api_mock(ngrok_api_mock_session: Mock) -> Mock:
    """The session's emulator, reset to its start state for this test."""
    ngrok_api_mock_session.reset()
    return ngrok_api_mock_session
