//! Behaviour of code rendered from the generator's fixture spec.

use crate::fixture::types::{Color, Widget, WidgetList};
use crate::runtime::Page;

#[test]
fn open_enums_keep_unknown_values() {
    assert_eq!(Color::from("red"), Color::Red);
    assert_eq!(Color::from("DARK_BLUE"), Color::DarkBlue);
    assert_eq!(Color::from("ngrok/v2").as_str(), "ngrok/v2");
    let purple: Color = serde_json::from_str("\"purple\"").unwrap();
    assert_eq!(purple, Color::Unknown("purple".into()));
    assert_eq!(serde_json::to_string(&purple).unwrap(), "\"purple\"");
    assert_eq!("red".parse::<Color>().unwrap().to_string(), "red");
}

#[test]
fn null_and_missing_decode_the_same_and_unknown_fields_are_ignored() {
    let with_nulls: Widget =
        serde_json::from_str(r#"{"id":"wdg_1","name":null,"tags":null,"owner":null,"created_at":null,"brand_new":1}"#).unwrap();
    let missing: Widget = serde_json::from_str(r#"{"id":"wdg_1"}"#).unwrap();
    assert_eq!(with_nulls, missing);
    assert_eq!(missing.name, "");
    assert!(missing.tags.is_empty());
}

#[test]
fn secrets_are_redacted_in_debug() {
    let w: Widget = serde_json::from_str(r#"{"id":"wdg_1","secret_code":"hunter2"}"#).unwrap();
    let shown = format!("{w:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("<redacted>"));
    assert_eq!(w.secret_code, "hunter2");
}

#[test]
fn pages_expose_items_and_next_uri() {
    let page: WidgetList =
        serde_json::from_str(r#"{"widgets":[{"id":"a"},{"id":"b"}],"next_page_uri":"https://x/widgets?before_id=b"}"#).unwrap();
    assert_eq!(page.next_page_uri(), Some("https://x/widgets?before_id=b"));
    assert_eq!(page.item_count(), 2);
    let last: WidgetList = serde_json::from_str(r#"{"widgets":[],"next_page_uri":null}"#).unwrap();
    assert_eq!(last.next_page_uri(), None);
}

#[test]
fn required_arguments_fill_the_body() {
    let client = crate::Client::new("k");
    let req = client.widgets().create("w", Color::Red).tags(["a", "b"]);
    let body = serde_json::to_value(req.request_body()).unwrap();
    assert_eq!(body, serde_json::json!({"name": "w", "color": "red", "tags": ["a", "b"]}));
}
