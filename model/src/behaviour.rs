//! What the server does with a field: computes it, normalizes it, refuses
//! bad values of it.

use serde::{Deserialize, Serialize};

/// How the server works out a field's value itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Computed {
    /// Read from a PEM text held in another field of the same object.
    Pem {
        /// The field holding the PEM (`certificate_pem`, `ca_pem`).
        from: String,
        /// What is read from it.
        part: PemPart,
    },
    /// Read from a URL held in another field of the same object.
    Url {
        /// The field holding the URL (`url`).
        from: String,
        /// What is read from it.
        part: UrlPart,
    },
    /// Invented by the server in its own format.
    Assigned {
        /// What kind of value.
        part: Assigned,
        /// The field of the same object the value depends on, when it
        /// depends on one (the `domain` a CNAME target is made for, the
        /// `urls` whose hostnames an abuse report lists).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
    },
    /// The principal that made the object.
    Owner {
        /// How the principal is shown.
        part: OwnerPart,
    },
    /// A reference (`{id, uri}`) to the object of another service whose
    /// field `field` equals a part of the URL held in field `from` (the
    /// reserved domain of the host an endpoint serves); no value when no
    /// such object exists.
    Lookup {
        /// The field holding the URL (`url`).
        from: String,
        /// What is read from it (`host`).
        part: UrlPart,
        /// The accessor of the service whose objects are searched
        /// (`reserved_domains`).
        service: String,
        /// The field of those objects that must equal it (`domain`).
        field: String,
        /// A searched value whose first label is `*` also matches any one
        /// label in its place (`*.example.com` finds `app.example.com`);
        /// an exact match comes first. Text compares without regard to
        /// case.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        wildcard: bool,
    },
    /// A moment a fixed time after the moment held by another field of the
    /// same object (a certificate's end of validity a day after its start),
    /// filled in when the request leaves the field unset.
    Later {
        /// The timestamp field it counts from (`valid_after`, `created_at`).
        from: String,
        /// How long after, in seconds.
        seconds: u64,
    },
    /// The moment of a write, stamped by the server: when the object was
    /// made (`created_at`), or when it was last made or changed
    /// (`updated_at`). A seeded object keeps a moment it is given.
    Stamp {
        /// Which writes stamp it.
        on: StampOn,
    },
    /// A value the server fills in when the request leaves the field unset.
    Default {
        /// The value, as JSON.
        value: serde_json::Value,
        /// Other values, for objects whose URL has a host with a given
        /// suffix; the first case that holds wins over `value`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cases: Vec<DefaultCase>,
    },
}

/// A default that depends on the host of a URL (the `internal` binding of
/// an endpoint on an `.internal` host).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultCase {
    /// The field holding the URL (`url`).
    pub from: String,
    /// The case holds when the URL's host ends with this (`.internal`),
    /// compared without regard to case.
    pub host_suffix: String,
    /// The value, as JSON.
    pub value: serde_json::Value,
}

/// What is read from a PEM certificate (or private key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PemPart {
    /// The subject's common name.
    SubjectCommonName,
    /// The subject's organization.
    SubjectOrganization,
    /// The subject's organizational unit.
    SubjectOrganizationalUnit,
    /// The subject's locality.
    SubjectLocality,
    /// The subject's province or state.
    SubjectProvince,
    /// The subject's country.
    SubjectCountry,
    /// The issuer's common name.
    IssuerCommonName,
    /// The serial number, lower-case hex.
    SerialNumber,
    /// Start of the validity window (RFC 3339).
    NotBefore,
    /// End of the validity window (RFC 3339).
    NotAfter,
    /// The subject alternative names: an object with `dns_names` and `ips`.
    SubjectAlternativeNames,
    /// The key usages, as ngrok names them (`digital_signature`, ...).
    KeyUsages,
    /// The extended key usages, as ngrok names them (`server_auth`, ...).
    ExtendedKeyUsages,
    /// The kind of key in a private key PEM (`rsa`, `ecdsa`, `ed25519`).
    PrivateKeyType,
}

/// What is read from a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlPart {
    /// The URL with its default port dropped.
    Url,
    /// The public URL (the URL with its default port dropped).
    PublicUrl,
    /// `host:port`, with the scheme's default port filled in.
    Hostport,
    /// The host name.
    Host,
    /// The port, the scheme's default when the URL names none.
    Port,
    /// The protocol (`https`, `http`, `tcp`, `tls`).
    Proto,
    /// The scheme as written.
    Scheme,
}

/// A value the server invents in its own format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assigned {
    /// A TCP address like `1.tcp.ngrok.io:20000`.
    TcpAddr,
    /// A CNAME target: a random two-label name under one of ngrok's zones.
    CnameTarget,
    /// The ACME challenge CNAME target of a domain with a managed certificate.
    AcmeChallengeCnameTarget,
    /// The per-region domains of an agent ingress.
    RegionDomains,
    /// The name-server targets of an agent ingress.
    NsTargets,
    /// An SSH public key in authorized-keys form.
    SshPublicKey,
    /// An SSH user certificate in authorized-keys form, signed with the
    /// private key of the SSH certificate authority whose ID `from` holds.
    SshUserCertificate,
    /// An SSH host certificate in authorized-keys form, signed like
    /// [`SshUserCertificate`](Self::SshUserCertificate).
    SshHostCertificate,
    /// An X.509 client certificate (`{cert, not_before, not_after}`) issued
    /// by the server's own certificate authority from the certificate
    /// signing request `from` holds.
    X509ClientCertificate,
    /// One entry per hostname of an abuse report's URLs, with its status.
    AbuseHostnames,
    /// A URL of the server's own SAML service provider.
    SamlSpUrl,
    /// A PEM certificate of the server's own SAML service provider.
    SamlSpCertificate,
    /// An OAuth cookie prefix.
    CookiePrefix,
    /// A secret token, shown once on creation.
    Token,
}

/// Which writes stamp a [`Computed::Stamp`] field with their moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StampOn {
    /// Only the create (or the seed) that makes the object.
    Create,
    /// Every write: the create, and each update or replace after it.
    Write,
}

/// How the principal that made an object is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerPart {
    /// Its ID (`usr_...`).
    UserId,
    /// A reference `{ "id": "usr_...", "uri": "..." }`.
    UserRef,
}

/// A rewrite the server applies to a value it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalize {
    /// The value (or each value of a list) in lower case.
    Lowercase,
    /// The keys of a map (header names) in lower case.
    LowercaseKeys,
    /// A URL loses its scheme's default port (`:443` for https).
    StripDefaultPort,
    /// A PEM text ends in exactly one newline.
    PemSingleNewline,
}

/// A check the server applies to a value it is given; a value that fails
/// it is refused with a 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validate {
    /// An IP address or a CIDR block, IPv4 or IPv6.
    Cidr,
    /// An absolute URL.
    Url,
    /// An endpoint's URL: an absolute URL whose host, when it ends in
    /// `.internal`, has at most five labels before that suffix.
    EndpointUrl,
    /// One or more PEM blocks that parse (certificates or keys).
    Pem,
    /// `host:port` with a port in 1..=65535.
    Hostport,
    /// A domain name as ngrok reserves one: letters, digits, `-` and `.`,
    /// a leading `*.` for a wildcard, labels of 1 to 63 characters that
    /// start and end with a letter or digit, at least two labels, at most
    /// 253 characters. Each fault has its own code (`ERR_NGROK_406`,
    /// `402`, `403`, `407`, `408`, `409`, `410`, `438`, `448`, `513`, `514`).
    DomainName,
    /// A CIDR block written from its network address, with a prefix length
    /// (`ERR_NGROK_1409`, `1413`).
    CidrNetwork,
    /// An OpenSSH public key (authorized-keys form) of a kind a certificate
    /// can be issued for (`ERR_NGROK_1934` when it does not parse, `1950`
    /// for a kind that cannot be certified).
    SshPublicKey,
    /// A PEM certificate signing request (PKCS #10) whose signature holds
    /// (`ERR_NGROK_19001`).
    Csr,
    /// A traffic policy document (JSON or YAML) that follows the format of
    /// [`PolicyFormat`](crate::PolicyFormat).
    TrafficPolicy,
    /// A traffic policy document for a cloud endpoint: also always ends in
    /// a terminating action.
    CloudTrafficPolicy,
}
