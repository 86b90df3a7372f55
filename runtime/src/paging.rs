//! The one paginator every list shares: a lazy stream of pages that
//! follows `next_page_uri` exactly as the API gives it, fetching at most one
//! page ahead of the caller, and a stream of items on top of it.
//!
//! Both streams also have inherent `try_next` and `try_collect`, so a
//! program can walk a list with no stream crate of its own.

mod guard;
mod items;

pub use self::items::Items;

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use self::guard::{LoopGuard, Stop};
use super::client::RawFuture;
use super::decode::{RawResponse, Template, decode};
use super::{Call, CallSettings, Client, Error};

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

/// A fetched page, decoded (or the fetch's error).
fn decoded<P: Page>(fetched: Result<RawResponse, Error>) -> Result<P, Error> {
    decode(&fetched?)
}

/// The next page's fetch: in flight inside the stream (driven by its own
/// `poll`), in flight as a task of its own (for a caller slow enough that
/// the fetch should progress while it works), or already finished when it
/// was started. Dropping the stream cancels either kind.
enum Fetch<P> {
    Running(RawFuture),
    Spawned(Task<P>),
    Finished(Result<P, Error>),
}

/// A spawned fetch, aborted when dropped.
struct Task<P>(tokio::task::JoinHandle<Result<P, Error>>);

impl<P> Drop for Task<P> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A caller that spends at least this long on a page before asking for
/// the next gets the following fetch as a task of its own: the task costs a
/// few microseconds, worth it only when there is time to hide. A caller
/// quicker than this gets the next page fetched when it asks: fetching
/// ahead could hide no more than its time on the page, and costs it some.
const SLOW_CALLER: std::time::Duration = std::time::Duration::from_micros(200);

/// How long the caller took on the last page it was handed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pace {
    /// Not seen yet (the first page).
    Unknown,
    /// Under [`SLOW_CALLER`].
    Quick,
    /// [`SLOW_CALLER`] or more.
    Slow,
}

enum Next {
    First(Call),
    Url(String),
    Done,
}

/// How many pages a walk fetches at most, unless [`Pages::max_pages`] says
/// otherwise: ten million items at the API's largest page size.
const DEFAULT_MAX_PAGES: u64 = 100_000;

/// Every page of a list, as a [`Stream`](futures_core::Stream). Made by a
/// list request's `pages()`; stops after the last page, or after the first
/// error.
///
/// The next page is requested as soon as a page is handed out, so the
/// server works while the caller does; never more than one page ahead.
/// After the first page, that depends on how long the caller took on the
/// last one: a caller that spends 200 µs or more on a page gets the next
/// fetch as a task of its own, which reads and decodes the response while
/// the caller works; a quicker caller gets the next page requested when it
/// asks for it, as fetching ahead could hide no more than the few
/// microseconds it spends on a page. Turn fetching ahead off altogether
/// with [`prefetch(false)`](Pages::prefetch).
///
/// A walk stops with an [`ErrorKind::Paging`](super::ErrorKind::Paging)
/// error if the API's `next_page_uri` leads back to a page already walked
/// (a loop), or once it has fetched [`max_pages`](Pages::max_pages) pages.
///
/// ```no_run
/// # async fn demo(client: ngrok_api::Client) -> Result<(), ngrok_api::Error> {
/// let mut pages = client.ip_policies().list().pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("{} policies on this page", page.ip_policies.len());
/// }
/// # Ok(()) }
/// ```
pub struct Pages<P: Page> {
    client: Client,
    operation: &'static str,
    /// The list's path as the API describes it, for observers and traces.
    template: Template,
    /// What the list call set over the client's settings, for every page.
    settings: CallSettings,
    next: Next,
    fetch: Option<Fetch<P>>,
    guard: LoopGuard,
    pending_error: Option<Error>,
    prefetch: bool,
    /// When the last page was handed out, to see how long the caller takes.
    handed_out: Option<std::time::Instant>,
    pace: Pace,
    _page: PhantomData<fn() -> P>,
}

impl<P: Page> std::fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("operation", &self.operation).field("in_flight", &self.fetch.is_some()).finish_non_exhaustive()
    }
}

impl<P: Page> Pages<P> {
    /// Pages starting with `call` (a list call).
    #[doc(hidden)]
    pub fn new(client: Client, call: Call) -> Self {
        Pages {
            client,
            operation: call.operation,
            template: Template::from(call.template.clone()),
            settings: call.settings.clone(),
            next: Next::First(call),
            fetch: None,
            guard: LoopGuard::new(DEFAULT_MAX_PAGES),
            pending_error: None,
            prefetch: true,
            handed_out: None,
            pace: Pace::Unknown,
            _page: PhantomData,
        }
    }

    /// Pages of the list `call` describes, from a `next_page_uri` an
    /// earlier page returned; the call's own path and query are not used.
    pub(crate) fn resume(client: Client, call: Call, next_page_uri: String) -> Self {
        // The starting URI counts as walked: a page that points back to it
        // is a loop.
        let mut guard = LoopGuard::new(DEFAULT_MAX_PAGES);
        guard.remember(&next_page_uri);
        Pages {
            client,
            operation: call.operation,
            template: Template::from(call.template),
            settings: call.settings,
            next: Next::Url(next_page_uri),
            fetch: None,
            guard,
            pending_error: None,
            prefetch: true,
            handed_out: None,
            pace: Pace::Unknown,
            _page: PhantomData,
        }
    }

    /// Turn fetching ahead on or off (on by default). Off, each page is
    /// requested only when the caller asks for it.
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetch = on;
        self
    }

    /// The most pages this walk fetches (default 100,000);
    /// a list with more pages ends with an
    /// [`ErrorKind::Paging`](super::ErrorKind::Paging) error after that
    /// many, which says the limit was reached. Counts from the first page
    /// this stream fetches; 0 counts as 1.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.guard.set_max_pages(pages.max(1));
        self
    }

    /// The next page, `Ok(None)` after the last one.
    ///
    /// The same as `TryStreamExt::try_next`, without needing that crate.
    pub fn try_next(&mut self) -> impl Future<Output = Result<Option<P>, Error>> + Send + '_ {
        std::future::poll_fn(move |cx| Pin::new(&mut *self).poll_next(cx).map(Option::transpose))
    }

    /// Every remaining page, collected (into a `Vec`, for instance); stops
    /// at the first error and returns it.
    pub async fn try_collect<C: Default + Extend<P>>(mut self) -> Result<C, Error> {
        let mut all = C::default();
        while let Some(page) = self.try_next().await? {
            all.extend(Some(page));
        }
        Ok(all)
    }

    fn start(&mut self) -> Fetch<P> {
        let next = std::mem::replace(&mut self.next, Next::Done);
        let client = self.client.clone();
        let operation = self.operation;
        let prepared = match next {
            Next::Done => return Fetch::Finished(Err(Error::paging("the walk has already ended"))),
            Next::First(call) => client.prepare(call.encode()),
            Next::Url(url) => client.prepare_url(operation, self.template.clone(), self.settings.clone(), &url),
        };
        match prepared {
            Ok(p) => Fetch::Running(client.send(p)),
            Err(e) => Fetch::Finished(Err(e)),
        }
    }

    /// Decides what follows `page`: the next fetch (started at once when
    /// prefetching), the end, or an error to give after this page.
    fn follow(&mut self, page: &P, cx: &mut Context<'_>) {
        let Some(uri) = page.next_page_uri() else { return };
        match self.guard.admit(uri) {
            Ok(()) => {
                self.next = Next::Url(uri.to_string());
                // A quick caller asks for the next page soon enough.
                if self.prefetch && self.pace != Pace::Quick {
                    self.fetch = Some(match (self.start(), tokio::runtime::Handle::try_current()) {
                        (Fetch::Running(fut), Ok(rt)) if self.pace == Pace::Slow => {
                            Fetch::Spawned(Task(rt.spawn(async move { decoded(fut.await) })))
                        }
                        // One poll sends the request; its response is read
                        // on the caller's next poll.
                        (Fetch::Running(mut fut), _) => match fut.as_mut().poll(cx) {
                            Poll::Pending => Fetch::Running(fut),
                            Poll::Ready(r) => Fetch::Finished(decoded(r)),
                        },
                        (other, _) => other,
                    });
                }
            }
            Err(Stop::Loop) => {
                self.pending_error = Some(Error::paging(format!(
                    "{}: the API sent next_page_uri `{uri}` twice, so its pages go round in a loop; stopped the walk",
                    self.operation
                )));
            }
            Err(Stop::TooManyPages(n)) => {
                self.pending_error = Some(Error::paging(format!(
                    "{}: stopped the walk after {n} pages, its limit; the list has more (raise the limit with Pages::max_pages)",
                    self.operation
                )));
            }
        }
    }
}

impl Client {
    /// Pages of a list, starting from a `next_page_uri` an earlier page
    /// returned: resumes a walk where it stopped. Generated lists call it
    /// from their `resume_from`.
    #[doc(hidden)]
    pub fn resume_pages<P: Page>(&self, call: Call, next_page_uri: impl Into<String>) -> Pages<P> {
        Pages::resume(self.clone(), call, next_page_uri.into())
    }
}

impl<P: Page> Stream for Pages<P> {
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(e) = this.pending_error.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if let Some(at) = this.handed_out.take() {
            this.pace = if at.elapsed() >= SLOW_CALLER { Pace::Slow } else { Pace::Quick };
        }
        let result = match this.fetch.take() {
            Some(Fetch::Finished(r)) => r,
            Some(Fetch::Spawned(mut task)) => match Pin::new(&mut task.0).poll(cx) {
                Poll::Pending => {
                    this.fetch = Some(Fetch::Spawned(task));
                    return Poll::Pending;
                }
                Poll::Ready(Ok(r)) => r,
                Poll::Ready(Err(join)) => Err(Error::paging(format!("the page fetch stopped: {join}"))),
            },
            Some(Fetch::Running(mut fut)) => match fut.as_mut().poll(cx) {
                Poll::Pending => {
                    this.fetch = Some(Fetch::Running(fut));
                    return Poll::Pending;
                }
                Poll::Ready(r) => decoded(r),
            },
            None if matches!(this.next, Next::Done) => return Poll::Ready(None),
            None => {
                this.fetch = Some(this.start());
                return Pin::new(this).poll_next(cx);
            }
        };
        match result {
            Ok(page) => {
                this.follow(&page, cx);
                if this.prefetch {
                    this.handed_out = Some(std::time::Instant::now());
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

impl<P: Page> Unpin for Pages<P> {}
