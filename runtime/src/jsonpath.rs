//! Where in a JSON document a decode error happened, as a path like
//! `ip_policies[3].id`, worked out from serde_json's line and column by
//! scanning the text. Non-generic on purpose: decoding itself stays plain
//! `serde_json` (fast, and compiled once per type), and only a failure pays
//! for this scan.

enum Frame {
    Object { key: Option<String> },
    Array { index: usize },
}

/// The path of the value being read at `line`:`column` (1-based, as
/// `serde_json::Error` reports them) in `text`.
pub(crate) fn path_at(text: &[u8], line: usize, column: usize) -> String {
    let stop = offset_of(text, line, column).min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    // The last string read while an object waited for a key.
    let mut pending_key: Option<String> = None;
    let mut i = 0;
    while i < stop {
        match text[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < text.len() && text[j] != b'"' {
                    j += if text[j] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key: None }) = stack.last() {
                    let raw = &text[start..j.min(text.len())];
                    pending_key = Some(serde_json::from_slice::<String>(&text[i..(j + 1).min(text.len())]).unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned()));
                }
                i = j + 1;
                continue;
            }
            b':' => {
                if let Some(Frame::Object { key }) = stack.last_mut() {
                    *key = pending_key.take();
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key }) => *key = None,
                None => {}
            },
            b'{' => stack.push(Frame::Object { key: None }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() { ".".to_string() } else { path }
}

fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut current = 1;
    let mut start = 0;
    if line > 1 {
        for (i, b) in text.iter().enumerate() {
            if *b == b'\n' {
                current += 1;
                if current == line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    start + column
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        count: u32,
    }

    fn path_of_error(text: &str) -> String {
        let err = serde_json::from_str::<Page>(text).unwrap_err();
        path_at(text.as_bytes(), err.line(), err.column())
    }

    #[test]
    fn finds_the_failing_field() {
        let text = r#"{"items":[{"id":"a","count":1},{"id":"b","count":2},{"id":"c","count":"three"}]}"#;
        assert_eq!(path_of_error(text), "items[2].count");
        let text = "{\n  \"items\": [\n    {\"id\": 7, \"count\": 1}\n  ]\n}";
        assert_eq!(path_of_error(text), "items[0].id");
        let text = r#"{"items":[{"id":"a\"}","count":-1}]}"#;
        assert_eq!(path_of_error(text), "items[0].count");
    }

    #[test]
    fn names_the_object_missing_a_field() {
        let text = r#"{"items":[{"id":"a","count":1},{"id":"b"}]}"#;
        assert_eq!(path_of_error(text), "items[1]");
    }
}
