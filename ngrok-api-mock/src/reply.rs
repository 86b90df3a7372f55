//! What the engine answers: a reply ready to send, or a page of a filtered
//! list whose filter still has to run (off the store lock, see
//! `list.rs`), and how a page's body is written.

use std::time::Instant;

use serde_json::Value;

use crate::error::{ApiError, codes};
use crate::filter::Filter;
use crate::render::to_bytes;
use crate::table::Table;

/// The answer to an API request: status and JSON body (empty for 204).
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// A filtered list to finish off the store lock (see [`FilterJob`]).
    pub filter: Option<Box<FilterJob>>,
}

/// What a page says besides its items.
pub(crate) struct PageHead {
    pub(crate) status: u16,
    pub(crate) field: String,
    pub(crate) uri: String,
    pub(crate) pairs: Vec<(String, String)>,
    /// Whether the page type has a `next_page_uri` (some lists are never
    /// paged and leave it out).
    pub(crate) paged: bool,
}

impl PageHead {
    /// The page's body: the items, its URI and the next page's URI (after
    /// `last`, when there are more).
    pub(crate) fn body<T>(&self, items: &[T], write: impl Fn(&T, &mut Vec<u8>), last: Option<&str>) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + items.len() * 256);
        out.push(b'{');
        out.extend_from_slice(&to_bytes(&self.field));
        out.extend_from_slice(b":[");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write(item, &mut out);
        }
        out.extend_from_slice(b"],\"uri\":");
        out.extend_from_slice(&to_bytes(&self.uri));
        if !self.paged {
            out.push(b'}');
            return out;
        }
        out.extend_from_slice(b",\"next_page_uri\":");
        match last {
            Some(last) => {
                let mut q = form_urlencoded::Serializer::new(String::new());
                let mut replaced = false;
                for (k, v) in &self.pairs {
                    if k != "before_id" {
                        q.append_pair(k, v);
                    } else if !replaced {
                        q.append_pair(k, last);
                        replaced = true;
                    }
                }
                if !replaced {
                    q.append_pair("before_id", last);
                }
                out.extend_from_slice(&to_bytes(&format!("{}?{}", self.uri, q.finish())));
            }
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
        out
    }
}

/// A filtered list still to be evaluated: the candidates, newest first, as
/// the API shows them, with the ID the next page would start before.
pub(crate) struct FilterJob {
    pub(crate) filter: Filter,
    pub(crate) items: Vec<(Value, String)>,
    pub(crate) limit: usize,
    pub(crate) head: PageHead,
}

impl FilterJob {
    /// Runs the filter over the candidates until the page is full, or
    /// answers 400 once `deadline` has passed.
    pub fn run(self, table: &Table, deadline: Instant) -> Result<Reply, ApiError> {
        let mut page: Vec<&(Value, String)> = Vec::with_capacity(self.limit.min(self.items.len()));
        let mut more = false;
        for (n, item) in self.items.iter().enumerate() {
            if Instant::now() > deadline {
                return Err(ApiError::bad_request(
                    codes::BAD_FILTER,
                    format!(
                        "the filter took too long: {n} of {} objects were checked in time; make it cheaper or narrow the list",
                        self.items.len()
                    ),
                ));
            }
            if !self.filter.matches(table, &item.0)? {
                continue;
            }
            if page.len() == self.limit {
                more = true;
                break;
            }
            page.push(item);
        }
        let last = page.last().filter(|_| more).map(|(_, id)| id.as_str());
        let views: Vec<&Value> = page.iter().map(|(v, _)| v).collect();
        let write = |v: &&Value, out: &mut Vec<u8>| {
            let _ = serde_json::to_writer(out, v);
        };
        Ok(Reply { status: self.head.status, body: self.head.body(&views, write, last), filter: None })
    }
}
