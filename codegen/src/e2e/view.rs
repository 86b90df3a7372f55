//! The plain data the end-to-end template renders: statements, calls and
//! argument values, with no Rust source in them. `e2e_macros.rs.tera`
//! turns each into code. The rustdoc examples (`crate::examples`) describe
//! their calls with the same `Call`, `Setter` and `Arg`.

use serde::Serialize;

/// The text an update sets and then expects to read back.
pub(super) const UPDATED_TEXT: &str = "e2e updated";

/// A value passed to an operation or a setter.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Arg {
    /// One part of the key of the object under test.
    Key {
        /// Position in the key.
        index: usize,
    },
    /// One part of the key of the parent made first.
    Parent {
        /// Position in the key.
        index: usize,
    },
    /// The ID of a referenced object made first.
    Made {
        /// Variable holding that object's key.
        var: String,
        /// The field takes a list: pass a one-element array.
        list: bool,
    },
    /// A field of the object an action's step made (`child`).
    Child {
        /// The field (its ID).
        field: String,
    },
    /// A test certificate or key of the emulator, by file name.
    Pem {
        /// File under the emulator's test data.
        file: String,
        /// The outline of the PEM block it holds, which an example shows
        /// in place of the file.
        outline: String,
    },
    /// A text value.
    Text {
        /// The text.
        value: String,
    },
    /// A one-element list of text.
    TextList {
        /// The one element.
        value: String,
    },
    /// A boolean.
    Bool {
        /// The value.
        value: bool,
    },
    /// An integer.
    Int {
        /// The value.
        value: i64,
    },
    /// A floating point one.
    Float,
    /// The current time.
    Now,
    /// An empty list.
    EmptyList,
    /// An empty map.
    EmptyMap,
    /// A variant of a generated enum.
    Variant {
        /// The enum's Rust name.
        ty: String,
        /// The variant's Rust name.
        variant: String,
    },
    /// The default value of a generated type.
    Default {
        /// The type's Rust name.
        ty: String,
    },
}

/// An optional setter called on a request before it is sent.
#[derive(Debug, Clone, Serialize)]
pub struct Setter {
    /// Setter name.
    pub name: String,
    /// Its argument.
    pub value: Arg,
}

/// One operation call through the SDK.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    /// Accessor methods from the client to the service, in order.
    pub accessor: Vec<String>,
    /// The operation's method name.
    pub op: String,
    /// Required arguments.
    pub args: Vec<Arg>,
    /// Setters, in order.
    pub setters: Vec<Setter>,
}

impl Call {
    /// The same call with one more setter.
    pub(super) fn with(&self, name: &str, value: Arg) -> Call {
        let mut call = self.clone();
        call.setters.push(Setter { name: name.into(), value });
        call
    }
}

/// One statement of a maker or a test.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stmt {
    /// Make an object through its maker and bind its key.
    Make {
        /// Variable for the key.
        var: String,
        /// Maker function.
        maker: String,
    },
    /// Seed an object the API cannot create into the emulator.
    Seed {
        /// Service accessor, as the emulator names it.
        service: String,
        /// The seeded object's ID.
        id: String,
    },
    /// End a maker with the seeded object's key.
    SeededKey,
    /// End a maker with the created object's key.
    CreatedKey {
        /// How many parts of the parent's key come first.
        parents: usize,
        /// Field of the created object holding its own ID.
        field: String,
    },
    /// Send a call that must succeed, binding its answer if named.
    Call {
        /// Variable for the answer, if it is used.
        bind: Option<String>,
        /// The call.
        call: Call,
        /// What a failure names.
        label: String,
    },
    /// Send a get that must fail.
    ExpectGone {
        /// The get.
        call: Call,
        /// What a success names.
        label: String,
    },
    /// The error is a 404.
    AssertNotFound {
        /// What a failure names.
        label: String,
    },
    /// A get answered the object under test.
    AssertKey {
        /// Field holding the object's ID.
        field: String,
        /// What a failure names.
        label: String,
    },
    /// A get reads back what a replace stored.
    AssertReplaced {
        /// What a failure names.
        label: String,
    },
    /// A replace stored `enabled: false`.
    AssertDisabled {
        /// The answer's `enabled` is optional.
        optional: bool,
        /// What a failure names.
        label: String,
    },
    /// A list page holds the object under test.
    AssertListed {
        /// The page's item field.
        field: String,
        /// The item's field holding the last part of the object's key
        /// (`id`, or `type` for an event source).
        key: String,
        /// What a failure names.
        label: String,
    },
    /// An update answered with the change.
    AssertUpdated {
        /// The field changed.
        field: String,
        /// The text set.
        value: String,
        /// The answer's field is an `Option`.
        optional: bool,
        /// What a failure names.
        label: String,
    },
    /// A fresh read shows the change.
    AssertReadBack {
        /// The field changed.
        field: String,
        /// The text set.
        value: String,
        /// The answer's field is an `Option`.
        optional: bool,
        /// What a failure names.
        label: String,
    },
    /// A page (`page`) lists the object `child` made for it.
    AssertListsChild {
        /// The page's item field.
        field: String,
        /// The item's field holding its ID.
        key: String,
        /// What a failure names.
        label: String,
    },
    /// A page (`page`) lists nothing.
    AssertEmpty {
        /// The page's item field.
        field: String,
        /// What a failure names.
        label: String,
    },
    /// An optional field of a read is set, or not.
    AssertPresence {
        /// The variable holding the read.
        var: String,
        /// The field.
        field: String,
        /// Whether it must be set.
        present: bool,
        /// What a failure names.
        label: String,
    },
    /// Why a step checks only that its call succeeds: written in the
    /// test's doc.
    Note {
        /// The sentence.
        text: String,
    },
}
