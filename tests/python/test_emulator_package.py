"""The `ngrok_api_mock` Python package itself: start and stop, the admin
calls, and clear errors (never a hang) when the emulator dies or hangs."""

import os
import signal
import stat
import sys
import time

import ngrok
import pytest

import ngrok_api_mock
from ngrok_api_mock import AdminError, MockCrashedError, MockStartError, MockTimeoutError


def test_context_manager_starts_and_stops():
    with ngrok_api_mock.start(api_key="k1") as mock:
        assert mock.url.startswith("http://127.0.0.1:")
        assert mock.api_key == "k1"
        assert mock.health()["ok"] is True
        process = mock.process
        assert mock.running
        assert "k1" not in repr(mock)
    # Closing its standard input stops it cleanly: exit status 0, no signal.
    assert process.returncode == 0
    assert not mock.running
    assert mock.stop() == 0  # twice is harmless


def test_a_random_key_is_made_and_enforced():
    with ngrok_api_mock.start() as mock:
        assert len(mock.api_key) > 16
        with pytest.raises(ngrok.Error) as e:
            ngrok.Client("wrong", base_url=mock.url).ip_policies.list()
        assert e.value.http_status_code == 401


def test_seed_fault_and_journal(ngrok_api_mock):
    client = ngrok.Client(ngrok_api_mock.api_key, base_url=ngrok_api_mock.url)
    one = ngrok_api_mock.seed("tunnel_sessions", {"region": "eu"})
    assert one["id"].startswith("ts_") and one["region"] == "eu"
    many = ngrok_api_mock.seed({"tunnel_sessions": [{"region": "us"}, {"region": "ap"}]})
    assert [s["region"] for s in many["tunnel_sessions"]] == ["us", "ap"]
    policy = client.ip_policies.create(description="p")
    pending = ngrok_api_mock.fault("GET", "/ip_policies/*", status=429, times=2)
    assert pending[0]["status"] == 429
    for _ in range(2):
        with pytest.raises(ngrok.Error) as e:
            client.ip_policies.get(policy.id)
        assert e.value.http_status_code == 429
    assert client.ip_policies.get(policy.id).id == policy.id
    statuses = [(j["method"], j["status"]) for j in ngrok_api_mock.journal()]
    assert statuses[-3:] == [("GET", 429), ("GET", 429), ("GET", 200)]
    assert all(dict(j["headers"]).get("authorization") == "[redacted]" for j in ngrok_api_mock.journal())
    assert ngrok_api_mock.faults() == []


def test_the_clock_moves_a_managed_certificate_from_its_job_to_issued():
    with ngrok_api_mock.start(cert_provisioning_delay="1h", no_default_seed=True) as mock:
        client = ngrok.Client(mock.api_key, base_url=mock.url)
        # Seeded with a policy and nothing else, the domain starts a job.
        shown = mock.seed("reserved_domains", {"domain": "app.example.com",
                                               "certificate_management_policy": {"authority": "letsencrypt"}})
        assert shown["certificate"] is None
        assert shown["certificate_management_status"]["provisioning_job"]["error_code"] is None
        assert client.reserved_domains.get(shown["id"]).certificate is None
        clock = mock.advance_clock(3600)
        assert clock["offset_seconds"] == 3600 and clock["cert_provisioning_delay_seconds"] == 3600
        issued = client.reserved_domains.get(shown["id"])
        assert issued.certificate.id.startswith("cert_")
        assert issued.certificate_management_status.provisioning_job is None
        assert client.tls_certificates.get(issued.certificate.id).subject_common_name == "app.example.com"
        with pytest.raises(AdminError):
            mock.advance_clock(-1)


def test_admin_refusal_is_an_admin_error(ngrok_api_mock):
    with pytest.raises(AdminError) as e:
        ngrok_api_mock.seed("no_such_service", [{}])
    assert e.value.status == 400
    assert "no_such_service" in str(e.value)


def test_a_killed_emulator_is_a_clear_error():
    mock = ngrok_api_mock.start()
    try:
        os.kill(mock.process.pid, signal.SIGKILL)
        mock.process.wait(timeout=5)
        with pytest.raises(MockCrashedError, match="killed by signal 9"):
            mock.reset()
    finally:
        mock.stop()


def stopped(pid: int) -> bool:
    """Whether every thread of the process is stopped (Linux)."""
    tasks = f"/proc/{pid}/task"
    for t in os.listdir(tasks):
        with open(f"{tasks}/{t}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] not in ("T", "t"):
                return False
    return True


def test_a_hung_emulator_times_out():
    mock = ngrok_api_mock.start(timeout=0.5)
    try:
        os.kill(mock.process.pid, signal.SIGSTOP)
        deadline = time.monotonic() + 5
        while not stopped(mock.process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        began = time.monotonic()
        with pytest.raises(MockTimeoutError, match="did not answer"):
            mock.journal()
        assert time.monotonic() - began < 5
    finally:
        os.kill(mock.process.pid, signal.SIGCONT)
        mock.stop()


def test_bad_options_are_a_start_error_with_the_emulators_words():
    with pytest.raises(MockStartError, match="unknown argument `--bogus`"):
        ngrok_api_mock.start(args=["--bogus"])
    with pytest.raises(MockStartError, match="not valid JSON|No such file|cannot"):
        ngrok_api_mock.start(seed="/nonexistent/seed.json")


def test_a_silent_command_is_a_start_error_not_a_hang(tmp_path):
    silent = tmp_path / "silent"
    silent.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    silent.chmod(silent.stat().st_mode | stat.S_IEXEC)
    began = time.monotonic()
    with pytest.raises(MockStartError, match="printed no URL within 0.5 s"):
        ngrok_api_mock.start(binary_path=str(silent), startup_timeout=0.5)
    assert time.monotonic() - began < 5
