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
    /// The kind of a key (`rsa`, `ecdsa`, `ed25519`), filled in when the
    /// object is made: the kind field `asked` holds (a request's
    /// `private_key_type`), else the kind of the OpenSSH key in field
    /// `from`, else `rsa`.
    KeyKind {
        /// The field holding the kind the request asks for, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asked: Option<String>,
        /// The field holding an OpenSSH key (`public_key`).
        from: String,
    },
    /// A new SSH key pair, when the request gives no key: the public half
    /// in authorized-keys form; the private half is kept to sign with.
    /// Options that do not fit the kind are refused (`ERR_NGROK_1940`,
    /// `1941`, `1942`).
    SshKeyPair {
        /// The field holding the kind of key (`key_type`).
        kind: String,
        /// The field holding the size in bits of an RSA key (`key_size`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<String>,
        /// The field holding the curve of an ECDSA key (`elliptic_curve`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curve: Option<String>,
    },
    /// An SSH certificate in authorized-keys form, signed with the private
    /// key of the SSH certificate authority whose ID field `ca` holds, over
    /// the fields this rule names. Its key ID is the object's ID.
    SshCertificate {
        /// A user or a host certificate.
        of: SshCertKind,
        /// The field holding the certificate authority's ID.
        ca: String,
        /// The field holding the OpenSSH public key certified.
        key: String,
        /// The field holding the principals (none: valid for every one).
        principals: String,
        /// The field holding the start of the validity window.
        valid_after: String,
        /// The field holding its end.
        valid_until: String,
        /// For a user certificate: the field holding its critical options.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        critical_options: Option<String>,
        /// For a user certificate: the field holding its extensions.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extensions: Option<String>,
    },
    /// The state of the certificate the server manages for the object
    /// while field `policy` holds a policy: a provisioning job started when
    /// the policy is set, done once the provisioning delay has passed on
    /// the server's clock, after which a certificate for the name in field
    /// `domain` is issued and, with `certificate`, shown as a reference in
    /// that field.
    ManagedCertificate {
        /// The field holding the certificate management policy.
        policy: String,
        /// The field holding the name the certificate is for.
        domain: String,
        /// The field showing the issued certificate, if the object shows
        /// one; the service it is made in is the one the create request's
        /// field shown there refers to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate: Option<String>,
        /// The field of the policy holding the kind of key to make (`rsa`
        /// or `ecdsa`); `ecdsa` when it names none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key_type: Option<String>,
    },
    /// The object's own URI in the API: the base URL and the service's
    /// item path with the object's path parameters filled in, set when the
    /// object is made. A seeded object of a type that may leave it out
    /// (`omit_empty`: agent-made endpoints have none) gets none.
    SelfUri,
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

impl Computed {
    /// The fields of the object (or of the request that made it) the rule
    /// reads, by the names the spec gives them.
    pub fn reads(&self) -> Vec<&str> {
        match self {
            Computed::Pem { from, .. } | Computed::Url { from, .. } | Computed::Lookup { from, .. } | Computed::Later { from, .. } => vec![from],
            Computed::Assigned { from, .. } => from.iter().map(String::as_str).collect(),
            Computed::Owner { .. } | Computed::Stamp { .. } | Computed::SelfUri => Vec::new(),
            Computed::KeyKind { asked, from } => asked.iter().map(String::as_str).chain([from.as_str()]).collect(),
            Computed::SshKeyPair { kind, size, curve } => [Some(kind), size.as_ref(), curve.as_ref()].into_iter().flatten().map(String::as_str).collect(),
            Computed::SshCertificate { of: _, ca, key, principals, valid_after, valid_until, critical_options, extensions } => {
                let named = [ca, key, principals, valid_after, valid_until].into_iter().map(String::as_str);
                named.chain(critical_options.iter().chain(extensions.iter()).map(String::as_str)).collect()
            }
            Computed::ManagedCertificate { policy, domain, certificate, key_type: _ } => {
                [policy.as_str(), domain.as_str()].into_iter().chain(certificate.iter().map(String::as_str)).collect()
            }
            Computed::Default { cases, .. } => cases.iter().map(|c| c.from.as_str()).collect(),
        }
    }
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

/// The kind of an SSH certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SshCertKind {
    /// A user certificate: it also carries critical options and extensions.
    User,
    /// A host certificate.
    Host,
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
