//! A broken description fails with a message naming the file and the item.

fn shared() -> (String, String) {
    (
        "shared.yaml".into(),
        "types:\n- name: Ref\n  description: A reference.\n  fields:\n  - name: id\n    type: string\n    description: ID.\n".into(),
    )
}

fn service(text: &str) -> Vec<(String, String)> {
    vec![shared(), ("services/things.yaml".into(), text.into())]
}

const GOOD: &str = "service: things
description: Things.
operations:
- name: get
  method: GET
  path: /things/{id}
  description: Fetches a thing.
  returns: Thing
  status: 200
types:
- name: Thing
  description: A thing.
  fields:
  - name: id
    type: string
    description: ID.
";

fn errors(text: &str) -> Vec<String> {
    match codegen::spec::load_texts(&service(text)) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn the_good_fixture_loads() {
    assert_eq!(errors(GOOD), Vec::<String>::new());
}

#[test]
fn unknown_type_is_named_with_file_and_item() {
    let errs = errors(&GOOD.replace("returns: Thing", "returns: Thingy"));
    assert_eq!(errs, vec!["services/things.yaml: operation get: unknown type `Thingy`"]);
    let errs = errors(&GOOD.replace("    type: string\n    description: ID.\n", "    type: Widget\n    description: ID.\n"));
    assert_eq!(errs, vec!["services/things.yaml: type Thing, field id: unknown type `Widget`"]);
}

#[test]
fn bad_field_type_syntax_is_explained() {
    let errs = errors(&GOOD.replace("    type: string\n    description: ID.\n", "    type: list<\n    description: ID.\n"));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("services/things.yaml: type Thing, field id: `list<` is not a type"), "{errs:?}");
}

#[test]
fn path_parameter_without_a_name_is_refused() {
    let errs = errors(&GOOD.replace("/things/{id}", "/things/{}"));
    assert_eq!(errs, vec!["services/things.yaml: operation get: path `/things/{}` has a bad parameter name `{}`"]);
    let errs = errors(&GOOD.replace("/things/{id}", "/things/{id"));
    assert_eq!(errs.len(), 1, "{errs:?}");
}

#[test]
fn duplicate_names_are_refused() {
    let dup_op = GOOD.replace("types:\n", "- name: get\n  method: GET\n  path: /things\n  description: Again.\n  status: 200\ntypes:\n");
    assert_eq!(errors(&dup_op), vec!["services/things.yaml: operation get: duplicate operation name"]);
    let dup_type = format!("{GOOD}- name: Ref\n  description: Again.\n  fields: []\n");
    assert_eq!(errors(&dup_type), vec!["services/things.yaml: type Ref: duplicate type name (also defined in shared.yaml)"]);
}

#[test]
fn unknown_keys_and_misplaced_files_are_refused() {
    let errs = errors(&GOOD.replace("  status: 200\n", "  status: 200\n  colour: red\n"));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("services/things.yaml: not a valid service file: operations[0]: unknown field `colour`"), "{errs:?}");
    let errs = errors(&GOOD.replace("service: things", "service: stuff"));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("service stuff: the service name must match"), "{errs:?}");
}

#[test]
fn a_service_says_what_it_manages_through_its_get() {
    let no_get = GOOD.replace("- name: get\n  method: GET\n", "- name: fetch\n  method: POST\n");
    let errs = errors(&no_get);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("services/things.yaml: service things: has no `get` operation"), "{errs:?}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = GOOD.replace("returns: Thing", "returns: Nope").replace("method: GET", "method: FETCH");
    assert_eq!(errors(&text).len(), 2, "{:?}", errors(&text));
}

#[test]
fn the_real_spec_loads_with_every_service() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let api = codegen::spec::load(&root).expect("spec/ loads");
    // Counted from the YAML itself, so adding a service or an operation
    // needs no edit here: every file's service and operations are loaded.
    let (services, operations) = count_yaml(&root.join("services"));
    assert!(services > 0 && operations > services);
    assert_eq!(api.services.len(), services);
    assert_eq!(api.services.iter().map(|s| s.operations.len()).sum::<usize>(), operations);
}

/// Services and operations declared in the YAML files under `dir`.
fn count_yaml(dir: &std::path::Path) -> (usize, usize) {
    let (mut services, mut operations) = (0, 0);
    for entry in std::fs::read_dir(dir).expect("spec/services reads") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            let (s, o) = count_yaml(&path);
            services += s;
            operations += o;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("spec file reads");
            let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("spec file is YAML");
            if doc.get("service").is_some() {
                services += 1;
                operations += doc.get("operations").and_then(|o| o.as_sequence()).map_or(0, |o| o.len());
            }
        }
    }
    (services, operations)
}

#[test]
fn names_that_make_no_rust_identifier_are_refused() {
    let errs = errors(&GOOD.replace("  - name: id\n    type: string\n    description: ID.\n", "  - name: bad-name\n    type: string\n    description: ID.\n"));
    assert_eq!(errs, vec!["services/things.yaml: type Thing, field bad-name: field names are snake_case words that make a Rust identifier"]);
    let errs = errors(&GOOD.replace("- name: Thing\n", "- name: Thing\n  rust_name: 9Lives\n"));
    assert_eq!(errs, vec!["services/things.yaml: type Thing: its Rust name `9Lives` is not a Rust identifier; set `rust_name`"]);
}

#[test]
fn presence_states_are_exclusive_and_null_when_empty_is_for_lists_and_maps() {
    let both = GOOD.replace("    description: ID.\n", "    description: ID.\n    omit_empty: true\n    null_when_empty: true\n");
    let errs = errors(&both);
    assert!(errs.iter().any(|e| e.contains("field id: a field is one of `nullable`, `omit_empty` or `null_when_empty`")), "{errs:?}");
    let on_string = GOOD.replace("    description: ID.\n", "    description: ID.\n    null_when_empty: true\n");
    let errs = errors(&on_string);
    assert!(errs.iter().any(|e| e.contains("`null_when_empty` is for lists and maps")), "{errs:?}");
    let on_list = GOOD.replace("    type: string\n    description: ID.\n", "    type: list<string>\n    description: IDs.\n    null_when_empty: true\n");
    assert_eq!(errors(&on_list), Vec::<String>::new());
}

#[test]
fn a_list_whose_query_takes_a_filter_must_offer_it() {
    let list = GOOD.replace(
        "types:\n",
        "- name: list\n  method: GET\n  path: /things\n  description: Lists things.\n  paging: plain\n  items: things\n  returns: ThingList\n  status: 200\n  query: ThingListArgs\ntypes:\n",
    ) + "- name: ThingList\n  description: A page.\n  fields:\n  - name: things\n    type: list<Thing>\n    description: The things.\n  - name: next_page_uri\n    type: string\n    description: Next.\n    nullable: true\n- name: ThingListArgs\n  description: Query.\n  fields:\n  - name: filter\n    type: string\n    description: A CEL expression.\n";
    assert_eq!(errors(&list), vec!["services/things.yaml: operation list: its query takes a `filter`: mark the list `paging: filtered`"]);
    assert_eq!(errors(&list.replace("paging: plain", "paging: filtered")), Vec::<String>::new());
}

#[test]
fn a_type_named_like_a_crate_root_item_is_refused() {
    let errs = errors(&GOOD.replace("- name: Thing\n", "- name: Thing\n  rust_name: Error\n"));
    assert!(errs.iter().any(|e| e.contains("would shadow `ngrok_api::Error`")), "{errs:?}");
}

/// A service with a create and an update: the create takes `name` and
/// `color`, the update only `name`.
const MADE_AND_CHANGED: &str = "service: things
description: Things.
operations:
- name: create
  method: POST
  path: /things
  description: Makes a thing.
  body: ThingCreate
  returns: Thing
  status: 201
- name: get
  method: GET
  path: /things/{id}
  description: Fetches a thing.
  returns: Thing
  status: 200
- name: update
  method: PATCH
  path: /things/{id}
  description: Changes a thing.
  body: ThingUpdate
  returns: Thing
  status: 200
types:
- name: ThingCreate
  description: A new thing.
  fields:
  - name: name
    type: string
    description: Its name.
  - name: color
    type: string
    COLOR_KEYS
    description: Its color.
- name: ThingUpdate
  description: Changes.
  fields:
  - name: id
    type: string
    description: ID.
  - name: name
    type: string
    NAME_KEYS
    description: Its name.
- name: Thing
  description: A thing.
  fields:
  - name: id
    type: string
    description: ID.
";

fn made_and_changed(color: &str, name: &str) -> Vec<String> {
    let text = MADE_AND_CHANGED.replace("    COLOR_KEYS\n", color).replace("    NAME_KEYS\n", name);
    errors(&text)
}

#[test]
fn a_field_only_a_create_takes_must_be_marked_immutable_and_only_such_a_field() {
    assert_eq!(made_and_changed("    immutable: true\n", ""), Vec::<String>::new());
    assert_eq!(
        made_and_changed("", ""),
        vec!["services/things.yaml: type ThingCreate, field color: `update` does not take it: mark it `immutable: true`"]
    );
    // `name` can change: marking it on the create is refused, and the key
    // means nothing on another type.
    let text = MADE_AND_CHANGED
        .replace("    COLOR_KEYS\n", "    immutable: true\n")
        .replace("    NAME_KEYS\n", "")
        .replace("  - name: name\n    type: string\n    description: Its name.\n  - name: color", "  - name: name\n    type: string\n    immutable: true\n    description: Its name.\n  - name: color");
    assert_eq!(errors(&text), vec!["services/things.yaml: type ThingCreate, field name: is `immutable` but `update` takes it"]);
    assert_eq!(
        made_and_changed("    immutable: true\n", "    immutable: true\n"),
        vec!["services/things.yaml: type ThingUpdate, field name: is `immutable` but not a field of a create request"]
    );
}

#[test]
fn a_stamped_moment_must_be_a_timestamp() {
    let stamped = |ty: &str| {
        errors(&format!(
            "{GOOD}  - name: created_at\n    type: {ty}\n    description: When.\n    computed: {{ rule: stamp, on: create }}\n"
        ))
    };
    assert_eq!(stamped("timestamp"), Vec::<String>::new());
    assert_eq!(
        stamped("string"),
        vec!["services/things.yaml: type Thing, field created_at: `rule: stamp` stamps a moment: the field must be a `timestamp`"]
    );
}

#[test]
fn every_field_a_computed_rule_reads_must_exist() {
    let with = |computed: &str| errors(&format!("{GOOD}  - name: key_type\n    type: string\n    description: Kind.\n    computed: {computed}\n"));
    assert_eq!(with("{ rule: key_kind, from: id }"), Vec::<String>::new());
    assert_eq!(
        with("{ rule: key_kind, asked: wanted, from: id }"),
        vec!["services/things.yaml: type Thing, field key_type: computed from `wanted`, which is not a field of this type or its service's types"]
    );
    assert_eq!(with("{ rule: managed_certificate, policy: id, domain: name }").len(), 1, "`name` is no field");
}
