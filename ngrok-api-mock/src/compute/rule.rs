//! The rule a field is worked out by: the model's `Computed`, borrowed,
//! with the model's own part types, so each part is matched by the
//! compiler.

use serde_json::Value;

use ngrok_api_model::{Assigned, Computed, DefaultCase, OwnerPart, PemPart, SshCertKind, StampOn, UrlPart};

use crate::ssh::CertFields;

/// How one field is worked out: the model's rule, borrowed, with the
/// model's own part types, so each part is matched by the compiler.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rule<'a> {
    /// A fact of the leaf certificate in the PEM held by field `from`.
    Pem { from: &'a str, part: PemPart },
    /// A fact of the URL (or list of URLs) held by field `from`.
    Url { from: &'a str, part: UrlPart },
    /// A value the server invents; `from` names the field it depends on,
    /// when it depends on one.
    Assigned { part: Assigned, from: Option<&'a str> },
    /// The principal making the request.
    Owner { part: OwnerPart },
    /// A reference to the object of service `service` whose field `field`
    /// equals part `part` of the URL held by field `from` (or, with
    /// `wildcard`, matches it with a `*` first label).
    Lookup { from: &'a str, part: UrlPart, service: &'a str, field: &'a str, wildcard: bool },
    /// A moment `seconds` after the moment held by field `from`, when the
    /// request leaves the field unset.
    Later { from: &'a str, seconds: u64 },
    /// The moment of the write, on the writes `on` names.
    Stamp { on: StampOn },
    /// The kind of key field `asked` holds, else that of the OpenSSH key
    /// field `from` holds, else `rsa`.
    KeyKind { asked: Option<&'a str>, from: &'a str },
    /// A new SSH key pair of the kind field `kind` holds, with the options
    /// fields `size` and `curve` hold.
    SshKeyPair { kind: &'a str, size: Option<&'a str>, curve: Option<&'a str> },
    /// An SSH certificate signed by the certificate authority whose ID
    /// field `ca` holds, over the fields `fields` names.
    SshCertificate { ca: &'a str, fields: CertFields<'a> },
    /// A managed certificate's state: kept by `provision` as the clock
    /// moves, not worked out here.
    ManagedCertificate,
    /// The object's own URI: set where the object is made (it needs the
    /// object's path parameters), not worked out here.
    SelfUri,
    /// A value the server fills in when the request leaves it unset, or
    /// that of the first case whose URL host has its suffix.
    Default { value: &'a Value, cases: &'a [DefaultCase] },
}

impl<'a> Rule<'a> {
    /// The rule the model states.
    pub fn of(c: &'a Computed) -> Rule<'a> {
        match c {
            Computed::Pem { from, part } => Rule::Pem { from, part: *part },
            Computed::Url { from, part } => Rule::Url { from, part: *part },
            Computed::Assigned { part, from } => Rule::Assigned { part: *part, from: from.as_deref() },
            Computed::Owner { part } => Rule::Owner { part: *part },
            Computed::Lookup { from, part, service, field, wildcard } => {
                Rule::Lookup { from, part: *part, service, field, wildcard: *wildcard }
            }
            Computed::Later { from, seconds } => Rule::Later { from, seconds: *seconds },
            Computed::Stamp { on } => Rule::Stamp { on: *on },
            Computed::KeyKind { asked, from } => Rule::KeyKind { asked: asked.as_deref(), from },
            Computed::SshKeyPair { kind, size, curve } => Rule::SshKeyPair { kind, size: size.as_deref(), curve: curve.as_deref() },
            Computed::SshCertificate { of, ca, key, principals, valid_after, valid_until, critical_options, extensions } => {
                let fields = CertFields {
                    user: *of == SshCertKind::User,
                    key,
                    principals,
                    valid_after,
                    valid_until,
                    critical_options: critical_options.as_deref(),
                    extensions: extensions.as_deref(),
                };
                Rule::SshCertificate { ca, fields }
            }
            Computed::ManagedCertificate { .. } => Rule::ManagedCertificate,
            Computed::SelfUri => Rule::SelfUri,
            Computed::Default { value, cases } => Rule::Default { value, cases },
        }
    }
}
