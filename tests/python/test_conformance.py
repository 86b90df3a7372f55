"""Conformance of the emulator with ngrok's official Python client.

Every service that the `ngrok-api` package (0.19.0) knows is driven through
that package against the emulator: create (or seed, for resources users
cannot create), get, list across pages with the package's own paging
iterator, update and delete, plus the error classes the package raises.
When the emulator and the package disagree, the emulator is wrong.

The per-service cases live in tables (`CASES`, `MODULES`); a guard test
checks that the tables name exactly the services the package exposes, so a
service cannot silently drop out.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import ngrok
import ngrok.datatypes as dt
import pytest

# Throwaway test material: a self-signed P-256 certificate with its key, and
# an Ed25519 SSH public key. They protect nothing.
CERT_PEM = """-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUPc1yknrE/qc7PsCqe3FoqQplCS4wCgYIKoZIzj0EAwIw
IjEgMB4GA1UEAwwXY29uZm9ybWFuY2UuZXhhbXBsZS5jb20wIBcNMjYxMTI3MjEy
NjQzWhgPMjEyNjExMDMyMTI2NDNaMCIxIDAeBgNVBAMMF2NvbmZvcm1hbmNlLmV4
YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1m4WqYWeVYJdLM3l
bXPEHt35dKnLeIF9D+vLO03e6rieCBZ43a8SdJDC+UU/N6o4jOs4cirnJBzxaiQn
B5tNc6NTMFEwHQYDVR0OBBYEFMDopV+rEi/KeCFdtXF+/yChq00yMB8GA1UdIwQY
MBaAFMDopV+rEi/KeCFdtXF+/yChq00yMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI
zj0EAwIDSAAwRQIgNdXHqepez0sPjYChwx4Sgw6w3/0g9wb/QbZiaMQ2qdICIQDF
fh+KzIkOlag7MLLS0wPLJGzSo+XarIoQwJtXKOkSiQ==
-----END CERTIFICATE-----
"""
KEY_PEM = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFtsx2/Q2q/AZLtH0
hb/F/8cXbHlH30qe8WiSTzabPCqhRANCAATWbhaphZ5Vgl0szeVtc8Qe3fl0qct4
gX0P68s7Td7quJ4IFnjdrxJ0kML5RT83qjiM6zhyKuckHPFqJCcHm01z
-----END PRIVATE KEY-----
"""
SSH_PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICrG0ye4VNje73RypVX+c9ChNKFkyMWirP+Sd29M2e6w conformance"
)
# The package defaults the validity window of SSH certificates to
# `datetime.min`, which it cannot serialise; the wire form is an RFC 3339
# string, so the suite passes strings.
VALIDITY = {"valid_after": "2026-01-01T00:00:00Z", "valid_until": "2036-01-01T00:00:00Z"}
TRAFFIC_POLICY = '{"on_http_request":[{"actions":[{"type":"deny"}]}]}'

BASE62 = re.compile(r"^[0-9A-Za-z]{27}$")


def resolve(client: ngrok.Client, accessor: str):
    """The package's service object for a dotted accessor (`backends.weighted`)."""
    obj = client
    for part in accessor.split("."):
        obj = getattr(obj, part)
    return obj


def package_services() -> set:
    """Every service accessor the installed package exposes."""
    out = set()
    probe = ngrok.Client("k", base_url="http://127.0.0.1:9")
    for name, member in vars(ngrok.Client).items():
        if not isinstance(member, property):
            continue
        value = getattr(probe, name)
        if hasattr(value, "_fields"):  # a namespace of services
            out.update(f"{name}.{f}" for f in value._fields)
        else:
            out.add(name)
    return out


def wire(cls, props: dict):
    """A request object of the package's type `cls` carrying `props`.

    Some of the package's types replace nested dicts by objects in their
    constructor, which `requests` then cannot serialise; the wire form is
    kept as given so the request body is what the API documents.
    """
    obj = cls(None, copy.deepcopy(props))
    obj._props = props
    return obj


def message_of(err: ngrok.Error) -> str:
    """The human-readable message of an error raised by the package (0.19.0
    keeps it as the last constructor argument, not as an attribute)."""
    return getattr(err, "message", None) or err.args[-1]


def assert_api_error(err: ngrok.Error, status: int):
    assert err.http_status_code == status
    # ngrok sends no code where it documents none (a missing object).
    assert err.error_code is None or (isinstance(err.error_code, str) and err.error_code.startswith("ERR_NGROK_")), err.error_code
    msg = message_of(err)
    assert isinstance(msg, str) and msg.strip(), msg
    assert isinstance(err.details, dict), err.details
    assert isinstance(err.operation_id, str) and err.operation_id, err.details


class World:
    """Builds, on demand, the objects that other objects refer to."""

    def __init__(self, client: ngrok.Client, admin, tag: str):
        self.client = client
        self.admin = admin
        self.tag = tag
        self._cache: dict = {}

    def _once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def ip_policy(self):
        return self._once("ipp", lambda: self.client.ip_policies.create(description="shared policy"))

    def ssh_ca(self):
        # Seeded rather than created, so that the certificate cases do not
        # hinge on the certificate authority's own create case. Seeded
        # without a public key, so that the emulator makes the key pair it
        # signs certificates with.
        return self._once(
            "sshca",
            lambda: Seeded(self.admin.seed(
                "ssh_certificate_authorities",
                [{"description": "signer", "key_type": "ed25519"}],
            )[0]),
        )

    def vault(self):
        return self._once("vault", lambda: self.client.vaults.create(name=f"vault-{self.tag}"))

    def https_edge(self):
        return self._once("edghts", lambda: self.client.edges.https.create(description="route parent"))

    def certificate_authority(self):
        return self._once(
            "ca", lambda: self.client.certificate_authorities.create(ca_pem=CERT_PEM, description="mtls")
        )

    def static_backend(self):
        return self._once(
            "bkdsc", lambda: self.client.backends.static_address.create(address="127.0.0.1:8080")
        )

    def tunnel_session(self):
        return self._once(
            "ts",
            lambda: self.admin.seed(
                "tunnel_sessions",
                [{"agent_version": "3.22.1", "os": "linux", "region": "us", "ip": "203.0.113.7",
                  "transport": "ngrok/v2", "metadata": ""}],
            )[0],
        )

    def app_user(self):
        return self._once(
            "usr",
            lambda: self.admin.seed("application_users", [{"username": f"user-{self.tag}", "email": "u@example.com"}])[0],
        )


class Seeded:
    """A seeded object seen through the package's type, by id."""

    def __init__(self, props: dict):
        self.id = props["id"]
        self.props = props


@dataclass
class Case:
    accessor: str
    prefix: str
    # create(world, i) -> the package's object (or a Seeded one)
    create: Callable[[World, int], Any]
    # attributes the i-th object must show on create and on get
    expect: Callable[[World, int], dict] = lambda w, i: {}
    # the list's items attribute, None when the package has no list
    items: Optional[str] = None
    # keyword arguments for update and the attributes they must change; None: no update
    update: Optional[Callable[[World], dict]] = None
    deletable: bool = True
    # positional arguments naming the object for get/update/delete
    keys: Callable[[World, Any], tuple] = lambda w, o: (o.id,)
    seeded: bool = False

    def __str__(self):
        return self.accessor


def describe(i):
    return {"description": f"conformance object {i}", "metadata": f'{{"n":{i}}}'}


UPDATE_DESCRIBED = lambda w: {"description": "updated by the conformance suite", "metadata": '{"updated":true}'}


def seed_one(accessor, props):
    def make(w: World, i: int):
        return Seeded(w.admin.seed(accessor, [props(w, i)])[0])
    return make


RESTRICTION_TYPES = ["dashboard", "api", "agent", "endpoints"]

CASES = [
    Case(
        "abuse_reports", "abrp_",
        lambda w, i: w.client.abuse_reports.create(urls=[f"https://bad{i}.example.com/"], metadata=f"m{i}"),
        expect=lambda w, i: {"urls": [f"https://bad{i}.example.com/"], "metadata": f"m{i}"},
        deletable=False,
    ),
    Case(
        "agent_ingresses", "agin_",
        lambda w, i: w.client.agent_ingresses.create(domain=f"ingress{i}-{w.tag}.example.com", **describe(i)),
        expect=lambda w, i: {"domain": f"ingress{i}-{w.tag}.example.com", **describe(i)},
        items="ingresses", update=UPDATE_DESCRIBED,
    ),
    Case(
        "api_keys", "ak_",
        lambda w, i: w.client.api_keys.create(**describe(i)),
        expect=lambda w, i: describe(i), items="keys", update=UPDATE_DESCRIBED,
    ),
    Case(
        "application_sessions", "appses_",
        seed_one("application_sessions", lambda w, i: {
            "public_url": f"https://app{i}.ngrok.app", "application_user": {"id": w.app_user()["id"]}}),
        expect=lambda w, i: {"public_url": f"https://app{i}.ngrok.app"},
        items="application_sessions", seeded=True,
    ),
    Case(
        "application_users", "usr_",
        seed_one("application_users", lambda w, i: {"username": f"user{i}", "email": f"user{i}@example.com"}),
        expect=lambda w, i: {"username": f"user{i}", "email": f"user{i}@example.com"},
        items="application_users", seeded=True,
    ),
    Case(
        "tunnel_sessions", "ts_",
        seed_one("tunnel_sessions", lambda w, i: {
            "agent_version": "3.22.1", "os": "linux", "region": "eu", "ip": f"203.0.113.{i + 1}",
            "transport": "ngrok/v2", "metadata": f"session {i}"}),
        expect=lambda w, i: {"ip": f"203.0.113.{i + 1}", "metadata": f"session {i}", "os": "linux"},
        items="tunnel_sessions", deletable=False, seeded=True,
    ),
    Case(
        "tunnels", "tn_",
        seed_one("tunnels", lambda w, i: {
            "public_url": f"https://t{i}-{w.tag}.ngrok.app", "proto": "https", "region": "us",
            "metadata": f"tunnel {i}", "tunnel_session": {"id": w.tunnel_session()["id"]},
            "forwards_to": f"http://localhost:{9000 + i}"}),
        expect=lambda w, i: {"public_url": f"https://t{i}-{w.tag}.ngrok.app", "proto": "https",
                             "metadata": f"tunnel {i}", "forwards_to": f"http://localhost:{9000 + i}"},
        items="tunnels", deletable=False, seeded=True,
    ),
    Case(
        "backends.failover", "bkdfo_",
        lambda w, i: w.client.backends.failover.create(backends=[w.static_backend().id], **describe(i)),
        expect=lambda w, i: {"backends": [w.static_backend().id], **describe(i)},
        items="backends", update=UPDATE_DESCRIBED,
    ),
    Case(
        "backends.http_response", "bkdhr_",
        lambda w, i: w.client.backends.http_response.create(
            body=f"hello {i}", headers={"x-n": str(i)}, status_code=200 + i, **describe(i)),
        expect=lambda w, i: {"body": f"hello {i}", "headers": {"x-n": str(i)}, "status_code": 200 + i, **describe(i)},
        items="backends",
        update=lambda w: {"description": "updated by the conformance suite", "status_code": 418},
    ),
    Case(
        "backends.static_address", "bkdsc_",
        lambda w, i: w.client.backends.static_address.create(address=f"10.0.0.{i + 1}:443", **describe(i)),
        expect=lambda w, i: {"address": f"10.0.0.{i + 1}:443", **describe(i)},
        items="backends",
        update=lambda w: {"description": "updated by the conformance suite", "address": "10.9.9.9:8443"},
    ),
    Case(
        "backends.tunnel_group", "bkdtg_",
        lambda w, i: w.client.backends.tunnel_group.create(labels={"pool": f"p{i}"}, **describe(i)),
        expect=lambda w, i: {"labels": {"pool": f"p{i}"}, **describe(i)},
        items="backends",
        update=lambda w: {"description": "updated by the conformance suite", "labels": {"pool": "moved"}},
    ),
    Case(
        "backends.weighted", "bkdwd_",
        lambda w, i: w.client.backends.weighted.create(backends={w.static_backend().id: i + 1}, **describe(i)),
        expect=lambda w, i: {"backends": {w.static_backend().id: i + 1}, **describe(i)},
        items="backends", update=UPDATE_DESCRIBED,
    ),
    Case(
        "bot_users", "bot_",
        lambda w, i: w.client.bot_users.create(name=f"bot-{i}-{w.tag}", active=True),
        expect=lambda w, i: {"name": f"bot-{i}-{w.tag}", "active": True},
        items="bot_users", update=lambda w: {"name": f"renamed-{w.tag}", "active": False},
    ),
    Case(
        "service_users", "service_",
        lambda w, i: w.client.service_users.create(name=f"svc-{i}-{w.tag}", active=True),
        expect=lambda w, i: {"name": f"svc-{i}-{w.tag}", "active": True},
        items="service_users", update=lambda w: {"name": f"renamed-{w.tag}", "active": False},
    ),
    Case(
        "certificate_authorities", "ca_",
        lambda w, i: w.client.certificate_authorities.create(ca_pem=CERT_PEM, **describe(i)),
        expect=lambda w, i: {"ca_pem": CERT_PEM, **describe(i)},
        items="certificate_authorities", update=UPDATE_DESCRIBED,
    ),
    Case(
        "credentials", "cr_",
        lambda w, i: w.client.credentials.create(acl=[f"bind:n{i}.example.com"], **describe(i)),
        expect=lambda w, i: {"acl": [f"bind:n{i}.example.com"], **describe(i)},
        items="credentials", update=UPDATE_DESCRIBED,
    ),
    Case(
        "edges.https", "edghts_",
        lambda w, i: w.client.edges.https.create(hostports=[f"h{i}-{w.tag}.example.com:443"], **describe(i)),
        expect=lambda w, i: {"hostports": [f"h{i}-{w.tag}.example.com:443"], **describe(i)},
        items="https_edges", update=UPDATE_DESCRIBED,
    ),
    Case(
        "edges.https_routes", "edghtsrt_",
        lambda w, i: w.client.edges.https_routes.create(
            edge_id=w.https_edge().id, match_type="path_prefix", match=f"/r{i}", **describe(i)),
        expect=lambda w, i: {"match_type": "path_prefix", "match": f"/r{i}", "edge_id": w.https_edge().id,
                             **describe(i)},
        update=lambda w: {"match": "/moved", "description": "updated by the conformance suite"},
        keys=lambda w, o: (w.https_edge().id, o.id),
    ),
    Case(
        "edges.tcp", "edgtcp_",
        lambda w, i: w.client.edges.tcp.create(hostports=[f"1.tcp.ngrok.io:{20000 + i}"], **describe(i)),
        expect=lambda w, i: {"hostports": [f"1.tcp.ngrok.io:{20000 + i}"], **describe(i)},
        items="tcp_edges", update=UPDATE_DESCRIBED,
    ),
    Case(
        "edges.tls", "edgtls_",
        lambda w, i: w.client.edges.tls.create(hostports=[f"t{i}-{w.tag}.example.com:443"], **describe(i)),
        expect=lambda w, i: {"hostports": [f"t{i}-{w.tag}.example.com:443"], **describe(i)},
        items="tls_edges", update=UPDATE_DESCRIBED,
    ),
    Case(
        "endpoints", "ep_",
        lambda w, i: w.client.endpoints.create(
            url=f"https://ep{i}-{w.tag}.internal", type="cloud", traffic_policy=TRAFFIC_POLICY, **describe(i)),
        expect=lambda w, i: {"url": f"https://ep{i}-{w.tag}.internal", "type": "cloud",
                             "traffic_policy": TRAFFIC_POLICY, **describe(i)},
        items="endpoints", update=UPDATE_DESCRIBED,
    ),
    Case(
        "event_destinations", "ed_",
        # The documented spelling is accepted; the answer has the server's.
        lambda w, i: w.client.event_destinations.create(format="JSON", **describe(i)),
        expect=lambda w, i: {"format": "json", **describe(i)},
        items="event_destinations", update=UPDATE_DESCRIBED,
    ),
    Case(
        "event_subscriptions", "esb_",
        lambda w, i: w.client.event_subscriptions.create(**describe(i)),
        expect=lambda w, i: describe(i),
        items="event_subscriptions", update=UPDATE_DESCRIBED,
    ),
    Case(
        "ip_policies", "ipp_",
        lambda w, i: w.client.ip_policies.create(**describe(i)),
        expect=lambda w, i: describe(i), items="ip_policies", update=UPDATE_DESCRIBED,
    ),
    Case(
        "ip_policy_rules", "ipr_",
        lambda w, i: w.client.ip_policy_rules.create(
            cidr=f"10.{i}.0.0/16", ip_policy_id=w.ip_policy().id, action="allow", **describe(i)),
        expect=lambda w, i: {"cidr": f"10.{i}.0.0/16", "action": "allow", **describe(i)},
        items="ip_policy_rules",
        update=lambda w: {"cidr": "192.0.2.0/24", "description": "updated by the conformance suite"},
    ),
    Case(
        "ip_restrictions", "ipx_",
        # One restriction per type: each object of the case gets its own.
        lambda w, i: w.client.ip_restrictions.create(
            type=RESTRICTION_TYPES[i], ip_policy_ids=[w.ip_policy().id], enforced=bool(i % 2), **describe(i)),
        expect=lambda w, i: {"type": RESTRICTION_TYPES[i], "enforced": bool(i % 2), **describe(i)},
        items="ip_restrictions",
        update=lambda w: {"enforced": True, "description": "updated by the conformance suite"},
    ),
    Case(
        "reserved_addrs", "ra_",
        lambda w, i: w.client.reserved_addrs.create(**describe(i)),
        expect=lambda w, i: describe(i), items="reserved_addrs", update=UPDATE_DESCRIBED,
    ),
    Case(
        "reserved_domains", "rd_",
        lambda w, i: w.client.reserved_domains.create(domain=f"rd{i}-{w.tag}.example.com", **describe(i)),
        expect=lambda w, i: {"domain": f"rd{i}-{w.tag}.example.com", **describe(i)},
        items="reserved_domains", update=UPDATE_DESCRIBED,
    ),
    Case(
        "secrets", "secret_",
        lambda w, i: w.client.secrets.create(name=f"secret{i}", value=f"s3cr3t-{i}", vault_id=w.vault().id,
                                            **describe(i)),
        expect=lambda w, i: {"name": f"secret{i}", **describe(i)},
        items="secrets", update=UPDATE_DESCRIBED,
    ),
    Case(
        "ssh_certificate_authorities", "sshca_",
        lambda w, i: w.client.ssh_certificate_authorities.create(private_key_type="ed25519", **describe(i)),
        expect=lambda w, i: {"key_type": "ed25519", **describe(i)},
        items="ssh_certificate_authorities", update=UPDATE_DESCRIBED,
    ),
    Case(
        "ssh_credentials", "sshcr_",
        lambda w, i: w.client.ssh_credentials.create(public_key=SSH_PUBLIC_KEY, acl=[f"bind:s{i}.example.com"],
                                                    **describe(i)),
        expect=lambda w, i: {"public_key": SSH_PUBLIC_KEY, "acl": [f"bind:s{i}.example.com"], **describe(i)},
        items="ssh_credentials", update=UPDATE_DESCRIBED,
    ),
    Case(
        "ssh_host_certificates", "shcrt_",
        lambda w, i: w.client.ssh_host_certificates.create(
            ssh_certificate_authority_id=w.ssh_ca().id, public_key=SSH_PUBLIC_KEY,
            principals=[f"host{i}.example.com"], **VALIDITY, **describe(i)),
        expect=lambda w, i: {"public_key": SSH_PUBLIC_KEY, "principals": [f"host{i}.example.com"],
                             "ssh_certificate_authority_id": w.ssh_ca().id, **describe(i)},
        items="ssh_host_certificates", update=UPDATE_DESCRIBED,
    ),
    Case(
        "ssh_user_certificates", "sucrt_",
        lambda w, i: w.client.ssh_user_certificates.create(
            ssh_certificate_authority_id=w.ssh_ca().id, public_key=SSH_PUBLIC_KEY,
            principals=[f"user{i}"], **VALIDITY, **describe(i)),
        expect=lambda w, i: {"public_key": SSH_PUBLIC_KEY, "principals": [f"user{i}"],
                             "ssh_certificate_authority_id": w.ssh_ca().id, **describe(i)},
        items="ssh_user_certificates", update=UPDATE_DESCRIBED,
    ),
    Case(
        "tls_certificates", "cert_",
        lambda w, i: w.client.tls_certificates.create(certificate_pem=CERT_PEM, private_key_pem=KEY_PEM,
                                                     **describe(i)),
        expect=lambda w, i: {"certificate_pem": CERT_PEM, **describe(i)},
        items="tls_certificates", update=UPDATE_DESCRIBED,
    ),
    Case(
        "vaults", "vault_",
        lambda w, i: w.client.vaults.create(name=f"vault{i}-{w.tag}", **describe(i)),
        expect=lambda w, i: {"name": f"vault{i}-{w.tag}", **describe(i)},
        items="vaults", update=UPDATE_DESCRIBED,
    ),
]

# Event sources are keyed by (subscription, type), have no ID and an
# unpaged list: they have tests of their own below.
SPECIAL = {"event_sources"}

CASE_IDS = [c.accessor for c in CASES]
LISTED = [c for c in CASES if c.items]
UPDATABLE = [c for c in CASES if c.update]
DELETABLE = [c for c in CASES if c.deletable]


@pytest.fixture
def world(client, admin, tag) -> World:
    return World(client, admin, tag)


def show(obj, name):
    """An attribute of a package object, Refs flattened to their id."""
    if isinstance(obj, Seeded):
        value = obj.props.get(name)
        is_ref = isinstance(value, dict) and set(value) == {"id", "uri"}
        return value["id"] if is_ref else value
    value = getattr(obj, name)
    if isinstance(value, dt.Ref):
        return value.id
    return value


def check_expected(case: Case, world: World, obj, i: int):
    for name, want in case.expect(world, i).items():
        if name.endswith("_id") and not isinstance(obj, Seeded) and not hasattr(type(obj), name):
            # `<thing>_id` on create comes back as the Ref `<thing>`
            got = show(obj, name[: -len("_id")])
        else:
            got = show(obj, name)
        assert got == want, f"{case.accessor}.{name}: {got!r} != {want!r}"


def get(case: Case, world: World, obj):
    return resolve(world.client, case.accessor).get(*case.keys(world, obj))


# --- the package's service tree is covered --------------------------------------------------


def test_every_service_of_the_package_has_a_case():
    covered = set(CASE_IDS) | {f"edge_modules.{m.name}" for m in MODULES} | SPECIAL
    assert covered == package_services()


# --- create and get -----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_create_then_get(case: Case, world: World):
    obj = case.create(world, 0)
    assert obj.id.startswith(case.prefix), obj.id
    assert BASE62.match(obj.id[len(case.prefix):]), obj.id
    check_expected(case, world, obj, 0)
    got = get(case, world, obj)
    assert got.id == obj.id
    check_expected(case, world, got, 0)
    if hasattr(type(got), "uri"):
        assert got.uri.startswith(world.client.http_client.base_url + "/"), got.uri
        assert got.uri.endswith("/" + obj.id), got.uri
    if hasattr(type(got), "created_at") and not case.seeded:
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", got.created_at), got.created_at


# --- list across pages --------------------------------------------------------------------


@pytest.mark.parametrize("case", LISTED, ids=[c.accessor for c in LISTED])
def test_list_pages_through_everything(case: Case, world: World):
    made = [case.create(world, i).id for i in range(3)]
    service = resolve(world.client, case.accessor)
    everything = [o.id for o in service.list()]
    first = service.list(limit="2")
    page = getattr(first, case.items)
    assert [o.id for o in page] == [made[2], made[1]], "newest first, two to a page"
    assert first.next_page_uri, "a first page of two out of three or more has a next page"
    assert "limit=2" in first.next_page_uri
    walked = [o.id for o in first]
    assert len(walked) == len(set(walked)), f"an item came back twice: {walked}"
    assert set(made) <= set(walked)
    assert walked == everything
    if case.accessor == "secrets":
        by_vault = [o.id for o in world.client.vaults.get_secrets_by_vault(world.vault().id, limit="2")]
        assert by_vault == [made[2], made[1], made[0]]


def test_https_routes_show_on_their_edge(world: World):
    """The package has no list for routes: an edge carries its routes."""
    made = [CASES[CASE_IDS.index("edges.https_routes")].create(world, i).id for i in range(3)]
    edge = world.client.edges.https.get(world.https_edge().id)
    assert sorted(r.id for r in edge.routes) == sorted(made)


def test_list_keeps_the_filter_on_every_page(client):
    keep = [client.ip_policies.create(metadata='{"keep":true}', description=f"k{i}").id for i in range(3)]
    for i in range(3):
        client.ip_policies.create(metadata='{"keep":false}', description=f"d{i}")
    listed = client.ip_policies.list(limit="1", filter='obj.metadata.contains("true")')
    assert len(listed.ip_policies) == 1
    assert [p.id for p in listed] == list(reversed(keep))


def test_endpoints_list_selects_by_id(world: World):
    made = [CASES[CASE_IDS.index("endpoints")].create(world, i).id for i in range(3)]
    got = world.client.endpoints.list(id=[made[0], made[2]])
    assert sorted(e.id for e in got) == sorted([made[0], made[2]])


# --- update -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", UPDATABLE, ids=[c.accessor for c in UPDATABLE])
def test_update_changes_only_what_it_names(case: Case, world: World, admin):
    obj = case.create(world, 0)
    changes = case.update(world)
    service = resolve(world.client, case.accessor)
    admin.clear_journal()
    updated = service.update(*case.keys(world, obj), **changes)
    sent = json.loads(admin.journal()[0]["body"] or "{}")
    assert updated.id == obj.id
    for name, want in changes.items():
        assert getattr(updated, name) == want, name
    again = get(case, world, obj)
    for name, want in changes.items():
        assert getattr(again, name) == want, name
    # fields the request did not carry keep their value (the package also
    # sends its defaults for some fields it was not given)
    untouched = {k: v for k, v in case.expect(world, 0).items() if k not in sent}
    for name, want in untouched.items():
        if name.endswith("_id") and not hasattr(type(again), name):
            assert show(again, name[: -len("_id")]) == want, name
        else:
            assert show(again, name) == want, name


# --- delete -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", DELETABLE, ids=[c.accessor for c in DELETABLE])
def test_delete_then_get_is_not_found(case: Case, world: World):
    keep = case.create(world, 0)
    gone = case.create(world, 1)
    service = resolve(world.client, case.accessor)
    assert service.delete(*case.keys(world, gone)) is None
    with pytest.raises(ngrok.NotFoundError) as e:
        get(case, world, gone)
    assert_api_error(e.value, 404)
    assert get(case, world, keep).id == keep.id
    if case.items:
        assert gone.id not in [o.id for o in service.list()]
    with pytest.raises(ngrok.NotFoundError):
        service.delete(*case.keys(world, gone))


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_get_of_a_missing_id_is_not_found(case: Case, world: World):
    missing = case.prefix + "0" * 27

    class Missing:
        id = missing

    with pytest.raises(ngrok.NotFoundError) as e:
        get(case, world, Missing)
    assert_api_error(e.value, 404)


def test_bad_request_carries_the_whole_error(client):
    policy = client.ip_policies.create()
    with pytest.raises(ngrok.Error) as e:
        client.ip_policy_rules.create(cidr="10.0.0.0/8", ip_policy_id=policy.id, action="maybe")
    assert not isinstance(e.value, ngrok.NotFoundError)
    assert_api_error(e.value, 400)
    assert "action" in message_of(e.value)
    assert client.ip_policy_rules.list().ip_policy_rules == []


def test_too_long_description_is_a_bad_request(client):
    with pytest.raises(ngrok.Error) as e:
        client.ip_policies.create(description="x" * 256)
    assert_api_error(e.value, 400)


def test_out_of_range_limit_is_a_bad_request(client):
    with pytest.raises(ngrok.Error) as e:
        client.ip_policies.list(limit="101")
    assert_api_error(e.value, 400)


def test_invalid_filter_is_a_bad_request(client):
    with pytest.raises(ngrok.Error) as e:
        client.ip_policies.list(filter="obj.metadata ==")
    assert_api_error(e.value, 400)


def test_reference_to_a_missing_object_is_refused(client):
    with pytest.raises(ngrok.Error) as e:
        client.ip_policy_rules.create(cidr="10.0.0.0/8", ip_policy_id="ipp_" + "0" * 27, action="deny")
    assert e.value.http_status_code in (400, 404)
    assert_api_error(e.value, e.value.http_status_code)


def test_wrong_api_key_is_unauthorized(base_url):
    other = ngrok.Client("not-the-key", base_url=base_url)
    with pytest.raises(ngrok.Error) as e:
        other.ip_policies.list()
    assert_api_error(e.value, 401)


def test_requests_carry_the_headers_the_api_needs(client, admin):
    admin.clear_journal()
    client.ip_policies.list()
    entry = admin.journal()[-1]
    headers = {k.lower(): v for k, v in entry["headers"].items()} if isinstance(entry["headers"], dict) \
        else {k.lower(): v for k, v in entry["headers"]}
    assert headers["ngrok-version"] == "2"
    assert headers["user-agent"].startswith("ngrok-api-python/")
    assert entry["status"] == 200


# --- actions ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["restart", "stop", "update"])
def test_tunnel_session_actions(action, world: World, admin):
    session = world.tunnel_session()
    admin.clear_journal()
    try:
        result = getattr(world.client.tunnel_sessions, action)(session["id"])
        assert result is None
    except RuntimeError as e:
        # ngrok-api 0.19.0 posts these through the code path that expects a
        # body, and raises on the 204 the API documents for them.
        assert "204" in str(e), e
    entry = admin.journal()[-1]
    assert (entry["method"], entry["path"]) == ("POST", f"/tunnel_sessions/{session['id']}/{action}")
    assert entry["status"] == 204
    with pytest.raises(ngrok.NotFoundError):
        getattr(world.client.tunnel_sessions, action)("ts_" + "0" * 27)


def test_reserved_domain_sub_deletes(client, tag):
    domain = client.reserved_domains.create(domain=f"sub-{tag}.example.com")
    cert = client.tls_certificates.create(certificate_pem=CERT_PEM, private_key_pem=KEY_PEM)
    with_cert = client.reserved_domains.update(domain.id, certificate_id=cert.id)
    assert with_cert.certificate.id == cert.id
    assert client.reserved_domains.delete_certificate(domain.id) is None
    assert client.reserved_domains.get(domain.id).certificate is None
    assert client.reserved_domains.delete_certificate_management_policy(domain.id) is None
    assert client.reserved_domains.get(domain.id).certificate_management_policy is None
    with pytest.raises(ngrok.NotFoundError):
        client.reserved_domains.delete_certificate("rd_" + "0" * 27)


def test_secret_values_are_never_shown(world: World):
    secret = CASES[CASE_IDS.index("secrets")].create(world, 0)
    assert "value" not in secret._props or secret._props["value"] in (None, "")
    again = world.client.secrets.get(secret.id)
    assert "value" not in again._props or again._props["value"] in (None, "")
    assert again.vault.id == world.vault().id


def test_api_key_token_is_shown_once(client):
    key = client.api_keys.create(description="once")
    assert isinstance(key.token, str) and key.token
    assert client.api_keys.get(key.id)._props.get("token") in (None, "")


# --- event sources ------------------------------------------------------------------------


def test_event_sources_lifecycle(client):
    sub = client.event_subscriptions.create(description="sources",
                                            sources=[wire(dt.EventSourceReplace, {"type": "ip_policy_created.v0"})])
    assert [s.type for s in sub.sources] == ["ip_policy_created.v0"]
    made = client.event_sources.create(sub.id, type="ip_policy_updated.v0")
    assert made.type == "ip_policy_updated.v0"
    assert made.uri.endswith(f"/event_subscriptions/{sub.id}/sources/ip_policy_updated.v0")
    got = client.event_sources.get(sub.id, "ip_policy_updated.v0")
    assert got.type == "ip_policy_updated.v0"
    listed = client.event_sources.list(sub.id)
    assert sorted(s.type for s in listed.sources) == ["ip_policy_created.v0", "ip_policy_updated.v0"]
    assert client.event_sources.update(sub.id, "ip_policy_updated.v0").type == "ip_policy_updated.v0"
    assert client.event_sources.delete(sub.id, "ip_policy_updated.v0") is None
    with pytest.raises(ngrok.NotFoundError) as e:
        client.event_sources.get(sub.id, "ip_policy_updated.v0")
    assert_api_error(e.value, 404)
    assert [s.type for s in client.event_sources.list(sub.id).sources] == ["ip_policy_created.v0"]
    with pytest.raises(ngrok.NotFoundError):
        client.event_sources.list("esb_" + "0" * 27)


# --- edge modules -------------------------------------------------------------------------


@dataclass
class Module:
    name: str
    parent: str  # "https", "route", "tcp" or "tls"
    field: str  # the parent's attribute that shows the module
    make: Callable[[World], Any]
    expect: Callable[[World], dict] = field(default=lambda w: {})

    def __str__(self):
        return self.name


def backend_module(w):
    return wire(dt.EndpointBackendMutate, {"enabled": True, "backend_id": w.static_backend().id})


def ip_module(w):
    return wire(dt.EndpointIPPolicyMutate, {"enabled": True, "ip_policy_ids": [w.ip_policy().id]})


def mtls_module(w):
    return wire(dt.EndpointMutualTLSMutate, {"enabled": True, "certificate_authority_ids": [w.certificate_authority().id]})


def policy_module(w):
    return wire(dt.EndpointTrafficPolicy, {"enabled": True, "value": TRAFFIC_POLICY})


EXPECT_BACKEND = lambda w: {"enabled": True, "backend": w.static_backend().id}
EXPECT_IP = lambda w: {"enabled": True, "ip_policies": [w.ip_policy().id]}
EXPECT_MTLS = lambda w: {"enabled": True, "certificate_authorities": [w.certificate_authority().id]}
EXPECT_POLICY = lambda w: {"enabled": True, "value": TRAFFIC_POLICY}

MODULES = [
    Module("https_edge_mutual_tls", "https", "mutual_tls", mtls_module, EXPECT_MTLS),
    Module("https_edge_tls_termination", "https", "tls_termination",
           lambda w: wire(dt.EndpointTLSTerminationAtEdge, {"enabled": True, "min_version": "1.3"}),
           lambda w: {"enabled": True, "min_version": "1.3"}),
    Module("https_edge_route_backend", "route", "backend", backend_module, EXPECT_BACKEND),
    Module("https_edge_route_ip_restriction", "route", "ip_restriction", ip_module, EXPECT_IP),
    Module("https_edge_route_request_headers", "route", "request_headers",
           lambda w: wire(dt.EndpointRequestHeaders, {"enabled": True, "add": {"x-a": "1"}, "remove": ["x-b"]}),
           lambda w: {"enabled": True, "add": {"x-a": "1"}, "remove": ["x-b"]}),
    Module("https_edge_route_response_headers", "route", "response_headers",
           lambda w: wire(dt.EndpointResponseHeaders, {"enabled": True, "add": {"x-c": "2"}, "remove": ["server"]}),
           lambda w: {"enabled": True, "add": {"x-c": "2"}, "remove": ["server"]}),
    Module("https_edge_route_compression", "route", "compression",
           lambda w: wire(dt.EndpointCompression, {"enabled": True}), lambda w: {"enabled": True}),
    Module("https_edge_route_circuit_breaker", "route", "circuit_breaker",
           lambda w: wire(dt.EndpointCircuitBreaker, {"enabled": True, "error_threshold_percentage": 0.5,
                                                      "volume_threshold": 20, "num_buckets": 10}),
           lambda w: {"enabled": True, "error_threshold_percentage": 0.5, "volume_threshold": 20, "num_buckets": 10}),
    Module("https_edge_route_webhook_verification", "route", "webhook_verification",
           lambda w: wire(dt.EndpointWebhookValidation, {"enabled": True, "provider": "github", "secret": "whsec"}),
           lambda w: {"enabled": True, "provider": "github"}),
    Module("https_edge_route_oauth", "route", "oauth",
           lambda w: wire(dt.EndpointOAuth, {"enabled": True, "cookie_prefix": "ngrok.",
                                             "provider": {"google": {"email_domains": ["example.com"]}}}),
           lambda w: {"enabled": True, "cookie_prefix": "ngrok."}),
    Module("https_edge_route_saml", "route", "saml",
           lambda w: wire(dt.EndpointSAMLMutate, {"enabled": True, "cookie_prefix": "saml.", "force_authn": True}),
           lambda w: {"enabled": True, "cookie_prefix": "saml.", "force_authn": True}),
    Module("https_edge_route_oidc", "route", "oidc",
           lambda w: wire(dt.EndpointOIDC, {"enabled": True, "issuer": "https://accounts.example.com",
                                            "client_id": "cid", "client_secret": "csecret", "scopes": ["openid"]}),
           lambda w: {"enabled": True, "issuer": "https://accounts.example.com", "client_id": "cid",
                      "scopes": ["openid"]}),
    Module("https_edge_route_websocket_tcp_converter", "route", "websocket_tcp_converter",
           lambda w: wire(dt.EndpointWebsocketTCPConverter, {"enabled": True}), lambda w: {"enabled": True}),
    Module("https_edge_route_user_agent_filter", "route", "user_agent_filter",
           lambda w: wire(dt.EndpointUserAgentFilter, {"enabled": True, "allow": ["curl/.*"], "deny": ["bot"]}),
           lambda w: {"enabled": True, "allow": ["curl/.*"], "deny": ["bot"]}),
    Module("https_edge_route_traffic_policy", "route", "traffic_policy", policy_module, EXPECT_POLICY),
    Module("tcp_edge_backend", "tcp", "backend", backend_module, EXPECT_BACKEND),
    Module("tcp_edge_ip_restriction", "tcp", "ip_restriction", ip_module, EXPECT_IP),
    Module("tcp_edge_traffic_policy", "tcp", "traffic_policy", policy_module, EXPECT_POLICY),
    Module("tls_edge_backend", "tls", "backend", backend_module, EXPECT_BACKEND),
    Module("tls_edge_ip_restriction", "tls", "ip_restriction", ip_module, EXPECT_IP),
    Module("tls_edge_mutual_tls", "tls", "mutual_tls", mtls_module, EXPECT_MTLS),
    Module("tls_edge_tls_termination", "tls", "tls_termination",
           lambda w: wire(dt.EndpointTLSTermination, {"enabled": True, "terminate_at": "edge", "min_version": "1.2"}),
           lambda w: {"enabled": True, "terminate_at": "edge", "min_version": "1.2"}),
    Module("tls_edge_traffic_policy", "tls", "traffic_policy", policy_module, EXPECT_POLICY),
]


def module_parent(m: Module, w: World):
    """(keys for the module's calls, a function that re-reads the parent)."""
    c = w.client
    if m.parent == "https":
        e = w.https_edge()
        return (e.id,), lambda: c.edges.https.get(e.id)
    if m.parent == "route":
        e = w.https_edge()
        r = c.edges.https_routes.create(e.id, match_type="path_prefix", match="/")
        return (e.id, r.id), lambda: c.edges.https_routes.get(e.id, r.id)
    if m.parent == "tcp":
        e = c.edges.tcp.create(description="module parent")
        return (e.id,), lambda: c.edges.tcp.get(e.id)
    e = c.edges.tls.create(description="module parent")
    return (e.id,), lambda: c.edges.tls.get(e.id)


def flat(value):
    if isinstance(value, dt.Ref):
        return value.id
    if isinstance(value, list):
        return [flat(v) for v in value]
    return value


def check_module(m: Module, w: World, got):
    assert got is not None, f"{m.name}: no module"
    for name, want in m.expect(w).items():
        assert flat(getattr(got, name)) == want, f"{m.name}.{name}"


@pytest.mark.parametrize("m", MODULES, ids=[m.name for m in MODULES])
def test_edge_module_replace_get_delete(m: Module, world: World):
    service = getattr(world.client.edge_modules, m.name)
    keys, parent = module_parent(m, world)
    replaced = service.replace(*keys, module=m.make(world))
    check_module(m, world, replaced)
    check_module(m, world, service.get(*keys))
    check_module(m, world, getattr(parent(), m.field))
    assert service.delete(*keys) is None
    assert getattr(parent(), m.field) is None


@pytest.mark.parametrize("m", MODULES, ids=[m.name for m in MODULES])
def test_edge_module_on_a_missing_edge_is_not_found(m: Module, world: World):
    service = getattr(world.client.edge_modules, m.name)
    prefix = {"https": "edghts_", "route": "edghtsrt_", "tcp": "edgtcp_", "tls": "edgtls_"}[m.parent]
    keys = ("edghts_" + "0" * 27, prefix + "0" * 27) if m.parent == "route" else (prefix + "0" * 27,)
    with pytest.raises(ngrok.NotFoundError) as e:
        service.get(*keys)
    assert_api_error(e.value, 404)
