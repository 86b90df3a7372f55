//! What a template sees: plain data with names, type paths and `cfg`
//! predicates worked out; the templates write every line of code and doc.

use serde::Serialize;

use super::features::Cfg;
use super::typeview::TypeView;

/// The whole API as the module-level templates see it.
#[derive(Serialize)]
pub(super) struct Model {
    pub(super) services: Vec<SvcView>,
    pub(super) groups: Vec<GroupView>,
    /// Top-level accessors on `Client`, services and groups together.
    pub(super) roots: Vec<AccessorView>,
    /// The modules of `crate::types`, one per owning service and one for
    /// the shared types.
    pub(super) type_modules: Vec<TypeModuleView>,
    pub(super) table: Vec<TableRow>,
}

#[derive(Serialize)]
pub(super) struct AccessorView {
    pub(super) method: String,
    pub(super) rust_name: String,
    pub(super) module_path: String,
    /// The service's description; empty for a group.
    pub(super) doc: Vec<String>,
    /// For the accessor of a group: how many services it holds, and the
    /// first of them.
    pub(super) group: Option<GroupSize>,
    /// `cfg` of the accessor method (the service's feature).
    pub(super) fn_cfg: Option<Cfg>,
    /// `cfg` of the module (its feature).
    pub(super) mod_cfg: Option<Cfg>,
}

/// What the doc of a group's accessor names.
#[derive(Serialize)]
pub(super) struct GroupSize {
    /// The group's name (`edge_modules`).
    pub(super) name: String,
    /// How many services the group holds.
    pub(super) count: usize,
    /// The accessor method of its first service.
    pub(super) first: String,
}

#[derive(Serialize)]
pub(super) struct GroupView {
    pub(super) module: String,
    pub(super) rust_name: String,
    pub(super) children: Vec<AccessorView>,
}

/// One module of `crate::types`: the types one service defines (or the
/// shared ones), built when any feature using one of them is on.
#[derive(Serialize)]
pub(super) struct TypeModuleView {
    /// The module's name, also its file's name: the service feature
    /// (`abuse_reports`), or `shared` for the types several services share.
    pub(super) module: String,
    /// The module holds the shared types.
    pub(super) shared: bool,
    /// `cfg` of the whole module: any feature reaching one of its types.
    pub(super) cfg: Option<Cfg>,
    /// Each type's own `cfg` is set only where it is narrower than the
    /// module's.
    pub(super) types: Vec<TypeView>,
}

#[derive(Serialize)]
pub(super) struct TableRow {
    pub(super) handle: String,
    pub(super) module_path: String,
    /// The service's accessor, dotted (`edges.https`).
    pub(super) accessor: String,
    pub(super) operations: Vec<String>,
    /// The service's description on one line, escaped for a Markdown table.
    pub(super) description: String,
    /// Sunset by ngrok (see `Service::legacy`).
    pub(super) legacy: bool,
}

#[derive(Serialize)]
pub(super) struct SvcView {
    pub(super) accessor: String,
    pub(super) rust_name: String,
    /// Path of the file without extension, relative to the generated dir.
    pub(super) file_stem: String,
    pub(super) module_path: String,
    pub(super) doc: Vec<String>,
    pub(super) ops: Vec<OpView>,
    /// Instance methods on resource types.
    pub(super) instance: Vec<InstanceView>,
    /// A short example of reaching the service, if it lists or gets.
    pub(super) example: Option<crate::examples::Example>,
    /// ngrok's documentation page for the service.
    pub(super) docs_url: String,
}

/// Methods of std traits that clippy's `should_implement_trait` reserves.
pub(super) const STD_METHOD_NAMES: &[&str] = &[
    "add", "as_mut", "as_ref", "borrow", "borrow_mut", "clone", "cmp", "default", "deref", "deref_mut", "div", "drop",
    "eq", "from_iter", "from_str", "hash", "index", "index_mut", "into_iter", "mul", "neg", "next", "not", "rem", "shl",
    "shr", "sub",
];


#[derive(Serialize)]
pub(super) struct OpView {
    pub(super) name: String,
    pub(super) fn_name: String,
    /// The request type's name (`IpPolicyRuleCreateRequest`).
    pub(super) builder: String,
    /// Its name before names were made distinct (`CreateRequest`), kept as
    /// a hidden alias so code naming it compiles.
    pub(super) old_builder: String,
    pub(super) operation_id: String,
    pub(super) method: String,
    pub(super) path: String,
    /// The path's literal text around its parameters: one piece before
    /// each parameter and one after the last (possibly empty).
    pub(super) path_pieces: Vec<String>,
    pub(super) doc: Vec<String>,
    /// What the docs say of the fields fixed at creation, if any
    /// (`setters::fixed_note`).
    pub(super) fixed: Option<String>,
    pub(super) path_params: Vec<ParamView>,
    pub(super) required: Vec<ArgView>,
    pub(super) setters: Vec<ArgView>,
    /// Body fields filled from path parameters.
    pub(super) from_path: Vec<ParamView>,
    /// The Rust type of the body sent, if any.
    pub(super) body_type: Option<String>,
    /// More parameters than clippy's `too_many_arguments` allows.
    pub(super) many_args: bool,
    pub(super) returns: String,
    /// The bare name of the type returned (`IpPolicyRule`), if one is.
    pub(super) returns_name: Option<String>,
    pub(super) paging: bool,
    pub(super) filter: bool,
    pub(super) query: Vec<ArgView>,
    pub(super) page_type: String,
    pub(super) item_type: String,
    pub(super) items_field: String,
    pub(super) has_next: bool,
    /// A compiled example of the call (`crate::examples`).
    pub(super) example: crate::examples::Example,
}

#[derive(Serialize, Clone)]
pub(super) struct ParamView {
    pub(super) name: String,
    pub(super) ident: String,
}

#[derive(Serialize, Clone)]
pub(super) struct ArgView {
    pub(super) name: String,
    pub(super) ident: String,
    /// How the parameter is taken and turned into the stored value.
    pub(super) pass: Pass,
    /// The type stored (without `Option`): what `set_x` takes.
    pub(super) stored_type: String,
    /// The identifier without its `r#`, for `set_x`.
    pub(super) bare: String,
    /// Shares its name with a std trait's method (`add`), which clippy
    /// flags on any inherent method.
    pub(super) std_name: bool,
    pub(super) doc: Vec<String>,
    /// The doc line of the `set_x` twin taking an `Option` (body fields).
    pub(super) set_doc: String,
    /// For query arguments: list values are repeated.
    pub(super) repeated: bool,
}

/// How a setter or argument takes its value: the parameter's type and
/// the conversion to the value stored.
#[derive(Serialize, Clone)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Pass {
    /// Any `impl Into<String>`.
    Text,
    /// Any iterator of `impl Into<String>`, collected.
    TextList,
    /// Any iterator of the items, collected.
    List {
        /// The Rust type of one item.
        item_type: String,
    },
    /// Any `impl Into` of the stored type.
    Into,
    /// The stored type itself.
    AsIs,
}

#[derive(Serialize)]
pub(super) struct InstanceView {
    pub(super) type_name: String,
    pub(super) fn_name: String,
    /// The operation's name in the spec, its HTTP method and path.
    pub(super) name: String,
    pub(super) method: String,
    pub(super) path: String,
    pub(super) builder: String,
    pub(super) doc: Vec<String>,
    /// The fields of `self` holding each path parameter, in order.
    pub(super) args: Vec<String>,
}
