//! What `verify` reports: one difference between a recorded answer and
//! the emulator's, and its class.

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DiffClass {
    /// Another status code.
    Status,
    /// The recorded answer has a key the emulator's lacks.
    MissingKey,
    /// The emulator's answer has a key the recorded one lacks.
    ExtraKey,
    /// `null` on one side, a value on the other.
    NullVsValue,
    /// A value the server works out (the request did not give it) differs,
    /// or has another shape.
    ComputedValue,
    /// A value the request gave comes back differently.
    Value,
}

impl DiffClass {
    /// The class's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            DiffClass::Status => "status",
            DiffClass::MissingKey => "missing key",
            DiffClass::ExtraKey => "extra key",
            DiffClass::NullVsValue => "null vs value",
            DiffClass::ComputedValue => "computed value",
            DiffClass::Value => "value",
        }
    }
}

/// One difference between a recorded answer and the emulator's.
#[derive(Debug, Clone)]
pub struct Difference {
    /// Its class.
    pub class: DiffClass,
    /// The exchange, counted from 1 (setup calls of a fixture included).
    pub step: usize,
    /// `METHOD /path` of the request, as recorded.
    pub request: String,
    /// The JSON pointer in the answer (`""` for the status).
    pub pointer: String,
    /// What the server sent and what the emulator answered.
    pub detail: String,
    /// Why it is a known difference, when the known list names it.
    pub known: Option<String>,
}
