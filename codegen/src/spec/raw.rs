//! The spec files as written: YAML parsed into plain structs, nothing
//! resolved yet. `spec/README.md` documents every key.

use ngrok_api_model::{Computed, ErrorCodeDef, ModuleSlot, Normalize, Parent, Rules, Validate};
use serde::Deserialize;

use super::SpecError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedFile {
    types: Vec<RawType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceFile {
    pub service: String,
    #[serde(default)]
    pub rust_name: Option<String>,
    pub description: String,
    #[serde(default)]
    pub id_prefix: Option<String>,
    #[serde(default)]
    pub docs_url: Option<String>,
    #[serde(default)]
    pub parent: Option<Parent>,
    #[serde(default)]
    pub module: Option<ModuleSlot>,
    #[serde(default)]
    pub legacy: Option<String>,
    #[serde(default)]
    pub rules: Rules,
    pub operations: Vec<RawOperation>,
    #[serde(default)]
    pub types: Vec<RawType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOperation {
    pub name: String,
    pub method: String,
    pub path: String,
    pub description: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub body_field: Option<String>,
    #[serde(default)]
    pub returns: Option<String>,
    pub status: u16,
    #[serde(default)]
    pub paging: Option<String>,
    #[serde(default)]
    pub items: Option<String>,
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub clears: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawType {
    pub name: String,
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    pub description: String,
    #[serde(default)]
    pub fields: Vec<RawField>,
    #[serde(default)]
    pub values: Vec<RawValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub description: String,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub max_bytes: Option<u32>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub allowed: Vec<i64>,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub legacy: bool,
    #[serde(default)]
    pub immutable: bool,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub omit_empty: bool,
    #[serde(default)]
    pub null_when_empty: bool,
    #[serde(default)]
    pub refers_to: Option<String>,
    #[serde(default)]
    pub missing_code: Option<u32>,
    #[serde(default)]
    pub shown_as: Option<String>,
    #[serde(default)]
    pub computed: Option<Computed>,
    #[serde(default)]
    pub normalize: Vec<Normalize>,
    #[serde(default)]
    pub validate: Option<Validate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawValue {
    pub value: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub rust_name: Option<String>,
    pub description: String,
}

/// A type as written, with the file it is in and its owning service.
pub(crate) struct PlacedType {
    pub file: String,
    pub owner: Option<String>,
    pub raw: RawType,
}

/// `error_codes.yaml`: ngrok's error codes the SDK names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorCodesFile {
    codes: Vec<ErrorCodeDef>,
}

/// The name of the error codes file in `spec/`.
pub(crate) const ERROR_CODES_FILE: &str = "error_codes.yaml";

/// Every file parsed: the types of all files, the service files and the
/// error codes.
#[derive(Default)]
pub(crate) struct RawSpec {
    pub types: Vec<PlacedType>,
    pub services: Vec<(String, ServiceFile)>,
    pub error_codes: Vec<ErrorCodeDef>,
}

/// Parses (file name, text) pairs: the first is the shared file, one may be
/// `error_codes.yaml`, the rest are services named
/// `services/<accessor path>.yaml`.
pub(crate) fn parse(files: &[(String, String)], errors: &mut Vec<SpecError>) -> RawSpec {
    let mut out = RawSpec::default();
    for (i, (file, text)) in files.iter().enumerate() {
        if file == ERROR_CODES_FILE {
            match serde_yaml_ng::from_str::<ErrorCodesFile>(text) {
                Ok(f) => out.error_codes = f.codes,
                Err(e) => errors.push(SpecError::file(file, format!("not a valid error codes file: {e}"))),
            }
            continue;
        }
        if i == 0 {
            match serde_yaml_ng::from_str::<SharedFile>(text) {
                Ok(shared) => out.types.extend(
                    shared.types.into_iter().map(|raw| PlacedType { file: file.clone(), owner: None, raw }),
                ),
                Err(e) => errors.push(SpecError::file(file, format!("not a valid shared-types file: {e}"))),
            }
            continue;
        }
        match serde_yaml_ng::from_str::<ServiceFile>(text) {
            Ok(mut sf) => {
                check_placement(file, &sf.service, errors);
                let owner = Some(sf.service.clone());
                out.types.extend(
                    std::mem::take(&mut sf.types)
                        .into_iter()
                        .map(|raw| PlacedType { file: file.clone(), owner: owner.clone(), raw }),
                );
                out.services.push((file.clone(), sf));
            }
            Err(e) => errors.push(SpecError::file(file, format!("not a valid service file: {e}"))),
        }
    }
    out
}

/// A service's name must match its file's place under `services/`.
fn check_placement(file: &str, service: &str, errors: &mut Vec<SpecError>) {
    let expected = file.strip_prefix("services/").and_then(|f| f.strip_suffix(".yaml")).map(|f| f.replace('/', "."));
    if expected.as_deref() != Some(service) {
        errors.push(SpecError::new(
            file,
            format!("service {service}"),
            format!(
                "the service name must match the file's place in services/ (expected `{}`)",
                expected.unwrap_or_default()
            ),
        ));
    }
}
