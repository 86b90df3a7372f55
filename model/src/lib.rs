//! The resolved description of the ngrok API v2.
//!
//! The generator of the `ngrok-api` SDK builds an [`Api`] from the YAML files
//! under `spec/` (checking them as it goes) and writes it out as JSON; the
//! `ngrok-api-mock` emulator reads that JSON back into the same types. Both
//! therefore agree on every service, operation, type and field, and on what
//! the live server does with each field:
//!
//! - whether it may be `null` ([`Field::nullable`]), is left out when empty
//!   ([`Field::omit_empty`]), is `null` when empty
//!   ([`Field::null_when_empty`]), or is always sent (none of these);
//! - whether the server works it out itself ([`Field::computed`]);
//! - how the server rewrites what it is given ([`Field::normalize`]);
//! - what the server refuses ([`Field::validate`], [`Field::max_bytes`],
//!   [`Field::min`], [`Field::max`], [`Field::allowed`]);
//! - which other objects it names ([`Field::refers_to`], [`Field::shown_as`],
//!   and fields of type [`FieldType::Reference`]);
//! - where a service keeps its objects ([`Service::parent`],
//!   [`Service::module`]).
//!
//! [`PolicyFormat`] describes the traffic policy document the same way, for
//! the SDK's typed policies and the emulator's checks of them.
//!
//! `spec/README.md` in the repository documents every YAML key that feeds
//! these types.

#![deny(missing_docs)]
// Every match on an enum names its variants: a variant added to the model
// does not compile until each place that interprets it says what it does.
#![deny(clippy::wildcard_enum_match_arm)]

mod api;
mod behaviour;
mod field;
mod rules;
mod policy;

pub use api::{Api, ErrorCodeDef, ListItems, ModuleSlot, Operation, OperationKind, Paging, Parent, Resource, Service};
pub use behaviour::{Assigned, Computed, DefaultCase, Normalize, OwnerPart, PemPart, SshCertKind, StampOn, UrlPart, Validate};
pub use field::{EnumValue, Field, FieldType, Shape, TypeDef};
pub use rules::{InUse, Mixed, MustFind, Rules, Unique, When, applies};
pub use policy::{
    FieldValue, CredentialsFormat, PolicyAction, PolicyLimit, PolicyExpressions, PolicyField, PolicyFormat, PolicyPhase, PolicyType, ProblemKind, parse_duration,
};
