"""Run the ngrok API emulator from Python.

``start()`` launches the ``ngrok-api-mock`` command installed with this
package on a free loopback port and returns a :class:`Mock` handle::

    import ngrok
    import ngrok_api_mock

    with ngrok_api_mock.start() as mock:
        client = ngrok.Client(mock.api_key, base_url=mock.url)
        client.ip_policies.create(description="office")
        mock.fault("GET", "/ip_policies/*", status=503, times=2)
        print(mock.journal()[-1]["path"])

Every wait is bounded: an emulator that exits, prints nothing, or stops
answering its admin endpoints raises a :class:`MockError` (with what the
process printed on stderr) instead of hanging the test run.

The pytest plugin in :mod:`ngrok_api_mock.pytest_plugin` (loaded
automatically once the package is installed) provides the fixture
``ngrok_api_mock``.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, IO, Iterable, List, Mapping, Optional, Sequence, Union

__all__ = [
    "AdminError",
    "Mock",
    "MockCrashedError",
    "MockError",
    "MockStartError",
    "MockTimeoutError",
    "binary",
    "start",
]

ADMIN_PREFIX = "/__mock"
_EXE = "ngrok-api-mock.exe" if os.name == "nt" else "ngrok-api-mock"


class MockError(Exception):
    """Anything that went wrong with the emulator process or its admin API."""


class MockStartError(MockError):
    """The emulator did not start: it exited, or printed no URL in time."""


class MockCrashedError(MockError):
    """The emulator process exited while it was in use."""


class MockTimeoutError(MockError):
    """The emulator did not answer an admin request in time."""


class AdminError(MockError):
    """The emulator refused an admin request; ``status`` and ``body`` say why."""

    def __init__(self, message: str, status: int, body: str):
        super().__init__(message)
        self.status = status
        self.body = body


def binary() -> str:
    """The path of the ``ngrok-api-mock`` command: ``$NGROK_API_MOCK_BIN``
    when set, else the one installed beside this Python, else the first on
    ``PATH``."""
    override = os.environ.get("NGROK_API_MOCK_BIN")
    if override:
        if not os.path.isfile(override):
            raise MockStartError(f"NGROK_API_MOCK_BIN names {override!r}, which is not a file")
        return override
    candidates = []
    for scheme in (None, f"{os.name}_user"):
        try:
            scripts = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        if scripts:
            candidates.append(os.path.join(scripts, _EXE))
    candidates.append(os.path.join(os.path.dirname(sys.executable), _EXE))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    found = shutil.which(_EXE)
    if found:
        return found
    raise MockStartError(
        "the ngrok-api-mock command is not installed beside this Python nor on PATH: "
        "install the package (`pip install ./ngrok-api-mock`) or set NGROK_API_MOCK_BIN"
    )


def _tail(stream: Optional[IO[bytes]], limit: int = 4000) -> str:
    """The last `limit` bytes the process wrote to its stderr file."""
    if stream is None:
        return ""
    try:
        stream.flush()
        size = stream.seek(0, os.SEEK_END)
        stream.seek(max(0, size - limit))
        return stream.read().decode("utf-8", "replace").strip()
    except (OSError, ValueError):
        return ""


class Mock:
    """A running emulator. Use it as a context manager, or call
    :meth:`stop`. ``url`` is the base URL to give a client, ``api_key`` the
    key the emulator accepts (and its admin endpoints need)."""

    def __init__(self, process: subprocess.Popen, url: str, api_key: str, admin_token: Optional[str],
                 stderr: IO[bytes], timeout: float, temp_files: Sequence[str] = ()):
        self.process = process
        self.url = url
        self.api_key = api_key
        self._admin_token = admin_token or api_key
        self._stderr = stderr
        self._timeout = timeout
        self._temp_files = list(temp_files)

    def __repr__(self) -> str:
        state = "running" if self.running else f"exited with {self.process.returncode}"
        return f"<ngrok_api_mock.Mock {self.url} pid={self.process.pid} {state}>"

    def __enter__(self) -> "Mock":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the process is still alive."""
        return self.process.poll() is None

    def stderr(self) -> str:
        """What the emulator printed on stderr so far (its last 4000 bytes)."""
        return _tail(self._stderr)

    def _crashed(self, doing: str) -> MockCrashedError:
        code = self.process.returncode
        how = f"exited with status {code}" if code is not None and code >= 0 else f"was killed by signal {-code}"
        err = self.stderr()
        return MockCrashedError(f"the emulator at {self.url} {how} (while {doing})" + (f"; it printed:\n{err}" if err else ""))

    def _admin(self, method: str, sub: str, body: Any = None) -> Any:
        doing = f"{method} {ADMIN_PREFIX}{sub}"
        if self.process.poll() is not None:
            raise self._crashed(doing)
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + ADMIN_PREFIX + sub, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self._admin_token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self._timeout) as resp:
                text = resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                msg = json.loads(text).get("msg") or text
            except ValueError:
                msg = text
            raise AdminError(f"{doing} answered {e.code}: {msg}", e.code, text) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            # Give a dying process a moment so the error says it died.
            try:
                self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
            if self.process.poll() is not None:
                raise self._crashed(doing) from None
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise MockTimeoutError(
                    f"the emulator at {self.url} did not answer {doing} within {self._timeout} s; "
                    "it is running but hung (pass timeout= to start() to wait longer)"
                ) from None
            raise MockError(f"cannot reach the emulator at {self.url} for {doing}: {reason}") from None
        return json.loads(text) if text.strip() else None

    def health(self) -> Dict[str, Any]:
        """``{"ok": true, "url": ...}``."""
        return self._admin("GET", "/health")

    def reset(self) -> None:
        """Back to the state at start: the seed only, no journal, no faults."""
        self._admin("POST", "/reset")

    def seed(self, accessor: Union[str, Mapping[str, Any]], objects: Any = None) -> Any:
        """Adds objects users cannot create through the API (tunnels,
        tunnel sessions, ...), in the API's response shape.

        ``seed("tunnels", {...})`` returns the object as the API shows it;
        ``seed("tunnels", [{...}, ...])`` returns a list;
        ``seed({"tunnel_sessions": [...], "tunnels": [...]})`` returns a dict
        of lists by accessor."""
        if isinstance(accessor, Mapping):
            if objects is not None:
                raise TypeError("seed(mapping) takes no second argument")
            return self._admin("POST", "/seed", dict(accessor))["seeded"]
        if objects is None:
            raise TypeError("seed(accessor, objects) needs the objects: a dict or a list of dicts")
        many = isinstance(objects, (list, tuple))
        seeded = self._admin("POST", "/seed", {accessor: list(objects) if many else [objects]})["seeded"][accessor]
        return seeded if many else seeded[0]

    def fault(self, method: str = "*", path: str = "/**", *, status: Optional[int] = None, times: Optional[int] = 1,
              body: Any = None, html: Optional[str] = None, headers: Optional[Iterable[Sequence[str]]] = None,
              delay_ms: Optional[int] = None, drop_connection: bool = False) -> List[Dict[str, Any]]:
        """Scripts a fault for the next ``times`` requests (``None``: every
        one) with ``method`` (or ``*``) on a path matching the glob ``path``
        (``*`` within a segment, ``**`` across). Without other options it
        answers 500 with ngrok's error body. Returns the pending faults."""
        f: Dict[str, Any] = {"method": method, "path": path, "times": times, "drop_connection": drop_connection}
        if status is not None:
            f["status"] = status
        if body is not None:
            f["body"] = body
        if html is not None:
            f["html"] = html
        if headers is not None:
            f["headers"] = [list(h) for h in headers]
        if delay_ms is not None:
            f["delay_ms"] = delay_ms
        return self._admin("POST", "/faults", f)["faults"]

    def faults(self) -> List[Dict[str, Any]]:
        """The pending faults."""
        return self._admin("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        """Removes every pending fault."""
        self._admin("DELETE", "/faults")

    def journal(self) -> List[Dict[str, Any]]:
        """The API requests received, oldest first: ``method``, ``path``,
        ``query``, ``headers`` (name and value pairs, ``Authorization``
        redacted), ``body`` and
        ``status``."""
        return self._admin("GET", "/journal")["entries"]

    def clear_journal(self) -> None:
        """Empties the journal."""
        self._admin("DELETE", "/journal")

    def set_rate_limit(self, requests: Optional[int], window_ms: int = 60000,
                       retry_after_secs: Optional[int] = None) -> None:
        """Answers 429 past ``requests`` per ``window_ms``; ``None`` lifts it."""
        if requests is None:
            self._admin("DELETE", "/rate_limit")
        else:
            self._admin("PUT", "/rate_limit",
                        {"requests": requests, "window_ms": window_ms, "retry_after_secs": retry_after_secs})

    def set_latency(self, ms: int) -> None:
        """Delays every API answer by ``ms`` milliseconds."""
        self._admin("PUT", "/latency", {"ms": ms})

    def advance_clock(self, seconds: int) -> Dict[str, Any]:
        """Moves the emulator's clock ``seconds`` forward (a managed
        certificate is issued once it passes the provisioning delay) and
        returns ``{"now", "offset_seconds", "cert_provisioning_delay_seconds"}``."""
        return self._admin("POST", "/clock", {"advance_seconds": seconds})

    def stats(self) -> Dict[str, Any]:
        """What the store holds: ``{"objects": n, "index_entries": m}``."""
        return self._admin("GET", "/stats")

    def stop(self, timeout: float = 10.0) -> Optional[int]:
        """Stops the emulator (it saves its state first when started with
        ``state=``) and returns its exit status. Killed if it does not stop
        within ``timeout`` seconds. Stopping twice is harmless."""
        p = self.process
        if p.poll() is None:
            try:
                if p.stdin:
                    p.stdin.close()  # the emulator stops when its stdin closes
            except OSError:
                pass
            try:
                p.wait(timeout=timeout / 2)
            except subprocess.TimeoutExpired:
                try:
                    p.send_signal(signal.SIGTERM if os.name != "nt" else signal.CTRL_BREAK_EVENT)
                    p.wait(timeout=timeout / 2)
                except (subprocess.TimeoutExpired, OSError, ValueError):
                    p.kill()
                    p.wait()
        if p.stdout:
            p.stdout.close()
        try:
            self._stderr.close()
        except OSError:
            pass
        for f in self._temp_files:
            try:
                os.unlink(f)
            except OSError:
                pass
        self._temp_files = []
        return p.returncode


def _read_first_line(stream: IO[bytes], out: "queue.Queue[bytes]") -> None:
    try:
        out.put(stream.readline())
    except (OSError, ValueError):
        out.put(b"")


def start(*, api_key: Optional[str] = None, admin_token: Optional[str] = None, host: Optional[str] = None,
          port: int = 0, seed: Union[None, str, "os.PathLike[str]", Mapping[str, Any]] = None,
          no_default_seed: bool = False, rate_limit: Optional[str] = None, retry_after: Optional[int] = None,
          latency_ms: Optional[int] = None, journal: Optional[int] = None, filter_timeout_ms: Optional[int] = None,
          state: Union[None, str, "os.PathLike[str]"] = None, sync: Optional[str] = None,
          legacy_writes: bool = False, cert_provisioning_delay: Optional[str] = None,
          args: Sequence[str] = (), binary_path: Optional[str] = None, startup_timeout: float = 20.0,
          timeout: float = 10.0, env: Optional[Mapping[str, str]] = None) -> Mock:
    """Starts an emulator and returns its :class:`Mock` handle once it
    answers.

    Options mirror the command's flags: ``api_key`` (default: a random key;
    the emulator accepts only it, and it is ``mock.api_key``),
    ``admin_token``, ``host``, ``port`` (default 0: a free port), ``seed``
    (a dict in the seed format, or a JSON file), ``no_default_seed``,
    ``rate_limit`` (``"120/60s"``), ``retry_after``, ``latency_ms``,
    ``journal``, ``filter_timeout_ms``, ``state`` (a file to keep the state
    in across restarts), ``sync`` (``"always"`` or ``"shutdown"``) and
    ``legacy_writes`` (allow writes to sunset services such as edges),
    ``cert_provisioning_delay`` (``"30s"``; how long a managed certificate
    takes, on the clock :meth:`Mock.advance_clock` moves);
    ``args`` adds raw flags. ``startup_timeout`` bounds the wait for the
    emulator to come up, ``timeout`` every admin request.
    """
    exe = binary_path or binary()
    key = api_key if api_key is not None else "mock-" + secrets.token_hex(12)
    cmd: List[str] = [exe, "--port", str(port), "--api-key", key, "--exit-on-stdin-close"]
    temp_files: List[str] = []
    if admin_token is not None:
        cmd += ["--admin-token", admin_token]
    if host is not None:
        cmd += ["--host", host]
    if isinstance(seed, Mapping):
        fd, path = tempfile.mkstemp(prefix="ngrok-api-mock-seed-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(dict(seed), f)
        temp_files.append(path)
        cmd += ["--seed", path]
    elif seed is not None:
        cmd += ["--seed", os.fspath(seed)]
    if no_default_seed:
        cmd.append("--no-default-seed")
    if rate_limit is not None:
        cmd += ["--rate-limit", rate_limit]
    if retry_after is not None:
        cmd += ["--retry-after", str(retry_after)]
    if latency_ms is not None:
        cmd += ["--latency-ms", str(latency_ms)]
    if journal is not None:
        cmd += ["--journal", str(journal)]
    if filter_timeout_ms is not None:
        cmd += ["--filter-timeout-ms", str(filter_timeout_ms)]
    if state is not None:
        cmd += ["--state", os.fspath(state)]
    if sync is not None:
        cmd += ["--sync", sync]
    if legacy_writes:
        cmd.append("--legacy-writes")
    if cert_provisioning_delay is not None:
        cmd += ["--cert-provisioning-delay", cert_provisioning_delay]
    cmd += list(args)

    stderr = tempfile.TemporaryFile(prefix="ngrok-api-mock-stderr-")
    try:
        process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                   env=None if env is None else {**os.environ, **env})
    except OSError as e:
        stderr.close()
        raise MockStartError(f"cannot run {exe}: {e}") from None

    def fail(why: str) -> MockStartError:
        if process.poll() is None:
            process.kill()
        process.wait()
        err = _tail(stderr)
        stderr.close()
        for f in temp_files:
            try:
                os.unlink(f)
            except OSError:
                pass
        return MockStartError(f"the emulator ({exe}) {why}" + (f"; it printed:\n{err}" if err else ""))

    assert process.stdout is not None
    lines: "queue.Queue[bytes]" = queue.Queue()
    threading.Thread(target=_read_first_line, args=(process.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + startup_timeout
    line = None
    while line is None:
        try:
            line = lines.get(timeout=0.05)
        except queue.Empty:
            if time.monotonic() > deadline:
                raise fail(f"printed no URL within {startup_timeout} s") from None
    url = line.decode("utf-8", "replace").strip()
    if not url.startswith("http"):
        time.sleep(0.1)
        code = process.poll()
        raise fail(f"exited with status {code} before it was ready" if code is not None
                   else f"printed {url!r} instead of its URL")
    mock = Mock(process, url, key, admin_token, stderr, timeout, temp_files)
    while True:
        try:
            mock.health()
            return mock
        except MockCrashedError as e:
            raise fail(f"exited right after start ({e})") from None
        except MockError:
            if time.monotonic() > deadline:
                raise fail(f"did not answer at {url} within {startup_timeout} s") from None
            time.sleep(0.05)
