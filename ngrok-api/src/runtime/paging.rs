//! The one paginator every list shares: a lazy stream of pages that
//! follows `next_page_uri` exactly as the API gives it, fetching at most one
//! page ahead of the caller, and a stream of items on top of it.

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::client::decode;
use super::{Call, Client, Error};

/// A page of a list, as generated for each `...List` type.
pub trait Page: DeserializeOwned + Send + 'static {
    /// The type of the items on the page.
    type Item: Send + 'static;
    /// The URL of the next page, or `None` on the last one.
    fn next_page_uri(&self) -> Option<&str>;
    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;
    /// How many items the page holds.
    fn item_count(&self) -> usize;
}

/// The paging arguments of a list call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageQuery {
    /// Items per page (1..=100).
    pub limit: Option<u32>,
    /// Only items older than this ID.
    pub before_id: Option<String>,
    /// A CEL filter, for lists that take one.
    pub filter: Option<String>,
}

impl PageQuery {
    /// Appends the set arguments to a query, in the order the API documents.
    #[doc(hidden)]
    pub fn push_to(&self, query: &mut Vec<(&'static str, String)>) {
        if let Some(b) = &self.before_id {
            query.push(("before_id", b.clone()));
        }
        if let Some(l) = self.limit {
            query.push(("limit", l.to_string()));
        }
        if let Some(f) = &self.filter {
            query.push(("filter", f.clone()));
        }
    }
}

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<P, Error>> + Send + 'static>>;

/// A fetch in progress: spawned on the runtime so it makes progress while
/// the caller works on the previous page, aborted if the stream is dropped.
enum Fetch<P> {
    Spawned(tokio::task::JoinHandle<Result<P, Error>>),
    Inline(PageFuture<P>),
}

impl<P> Drop for Fetch<P> {
    fn drop(&mut self) {
        if let Fetch::Spawned(handle) = self {
            handle.abort();
        }
    }
}

enum Next {
    First(Call),
    Url(String),
    Done,
}

/// Every page of a list, as a [`Stream`]. Made by a list request's
/// `pages()`; stops after the last page, or after the first error.
///
/// The next page is requested as soon as a page is handed out, so the
/// network works while the caller does; never more than one page ahead.
pub struct Pages<P: Page> {
    client: Client,
    operation: &'static str,
    next: Next,
    fetch: Option<Fetch<P>>,
    seen: RecentUris,
    pending_error: Option<Error>,
    prefetch: bool,
    _page: PhantomData<fn() -> P>,
}

impl<P: Page> std::fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("operation", &self.operation).field("in_flight", &self.fetch.is_some()).finish_non_exhaustive()
    }
}

impl<P: Page> Pages<P> {
    /// Pages starting with `call` (a list call).
    pub fn new(client: Client, call: Call) -> Self {
        Pages {
            client,
            operation: call.operation,
            next: Next::First(call),
            fetch: None,
            seen: RecentUris::default(),
            pending_error: None,
            prefetch: true,
            _page: PhantomData,
        }
    }

    pub(crate) fn resume(client: Client, operation: &'static str, next_page_uri: String) -> Self {
        // The starting URI counts as seen: a page that points back to it
        // is a loop.
        let mut seen = RecentUris::default();
        seen.insert(&next_page_uri);
        Pages {
            client,
            operation,
            next: Next::Url(next_page_uri),
            fetch: None,
            seen,
            pending_error: None,
            prefetch: true,
            _page: PhantomData,
        }
    }

    /// Turn fetching ahead on or off (on by default). Off, each page is
    /// requested only when the caller asks for it.
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetch = on;
        self
    }

    /// The items of every page, in order.
    pub fn items(self) -> Items<P> {
        Items { pages: self, current: VecDeque::new(), done: false }
    }

    fn start(&mut self, spawn: bool) {
        let next = std::mem::replace(&mut self.next, Next::Done);
        let client = self.client.clone();
        let operation = self.operation;
        let fut: PageFuture<P> = match next {
            Next::Done => return,
            Next::First(call) => Box::pin(async move {
                let method = call.method.clone();
                let path = call.path.as_ref().map(String::clone).unwrap_or_default();
                let raw = client.execute(call).await?;
                decode::<P>(&raw).map_err(|e| e.with_call(operation, method.as_str(), &path))
            }),
            Next::Url(url) => Box::pin(async move {
                let raw = client.execute_url(operation, &url).await?;
                decode::<P>(&raw).map_err(|e| e.with_call(operation, "GET", &url))
            }),
        };
        let fetch = match tokio::runtime::Handle::try_current() {
            Ok(handle) if spawn => Fetch::Spawned(handle.spawn(fut)),
            _ => Fetch::Inline(fut),
        };
        self.fetch = Some(fetch);
    }
}

impl<P: Page> Stream for Pages<P> {
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(e) = this.pending_error.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if this.fetch.is_none() {
            if matches!(this.next, Next::Done) {
                return Poll::Ready(None);
            }
            this.start(false);
        }
        let result = match this.fetch.as_mut() {
            Some(Fetch::Spawned(handle)) => match Pin::new(handle).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(r)) => r,
                Poll::Ready(Err(join)) => Err(Error::paging(format!("the page fetch stopped: {join}"))),
            },
            Some(Fetch::Inline(fut)) => match fut.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r,
            },
            None => return Poll::Ready(None),
        };
        this.fetch = None;
        match result {
            Ok(page) => {
                if let Some(uri) = page.next_page_uri() {
                    if this.seen.insert(uri) {
                        this.next = Next::Url(uri.to_string());
                        if this.prefetch {
                            this.start(true);
                        }
                    } else {
                        this.pending_error = Some(Error::paging(format!(
                            "{}: the API returned next_page_uri `{uri}` twice; stopping to avoid a loop",
                            this.operation
                        )));
                    }
                }
                Poll::Ready(Some(Ok(page)))
            }
            Err(e) => {
                this.next = Next::Done;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

/// Every item of every page of a list, as a [`Stream`]. Made by a list
/// request's `items()`.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// # async fn demo(client: ngrok_api::Client) -> Result<(), ngrok_api::Error> {
/// let mut tunnels = client.tunnels().list().items();
/// while let Some(tunnel) = tunnels.try_next().await? {
///     println!("{}", tunnel.public_url);
/// }
/// # Ok(()) }
/// ```
pub struct Items<P: Page> {
    pages: Pages<P>,
    current: VecDeque<P::Item>,
    done: bool,
}

impl<P: Page> std::fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.current.len()).finish()
    }
}

impl<P: Page> Unpin for Items<P> {}

impl<P: Page> Stream for Items<P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => this.current = page.into_items().into(),
            }
        }
    }
}

impl<P: Page> Unpin for Pages<P> {}

/// The page URIs a walk has followed most recently, as hashes: enough to
/// catch a server that sends a walk around in a circle, in memory that
/// does not grow with the length of the list.
#[derive(Default)]
struct RecentUris {
    hasher: RandomState,
    hashes: VecDeque<u64>,
}

impl RecentUris {
    /// How many recent pages a repeat is looked for among.
    const WINDOW: usize = 256;

    /// Records `uri`; false if it was among the recent ones.
    fn insert(&mut self, uri: &str) -> bool {
        let hash = self.hasher.hash_one(uri);
        if self.hashes.contains(&hash) {
            return false;
        }
        if self.hashes.len() == Self::WINDOW {
            self.hashes.pop_front();
        }
        self.hashes.push_back(hash);
        true
    }
}
