//! The stream of items on top of [`Pages`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Page, Pages};
use crate::Error;

/// Every item of every page of a list, as a
/// [`Stream`](futures_core::Stream). Made by a list request's `items()`.
///
/// ```no_run
/// # async fn demo(client: ngrok_api::Client) -> Result<(), ngrok_api::Error> {
/// let mut tunnels = client.tunnels().list().items();
/// while let Some(tunnel) = tunnels.try_next().await? {
///     println!("{}", tunnel.public_url);
/// }
///
/// let all: Vec<_> = client.ip_policies().list().items().try_collect().await?;
/// println!("{} IP policies", all.len());
/// # Ok(()) }
/// ```
pub struct Items<P: Page> {
    pages: Pages<P>,
    current: std::vec::IntoIter<P::Item>,
    done: bool,
}

impl<P: Page> std::fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.current.len()).finish()
    }
}

impl<P: Page> Pages<P> {
    /// The items of every page, in order.
    pub fn items(self) -> Items<P> {
        Items::new(self)
    }
}

impl<P: Page> Items<P> {
    pub(super) fn new(pages: Pages<P>) -> Self {
        Items { pages, current: Vec::new().into_iter(), done: false }
    }

    /// The next item, `Ok(None)` after the last one.
    ///
    /// The same as `TryStreamExt::try_next`, without needing that crate.
    #[inline]
    pub fn try_next(&mut self) -> impl Future<Output = Result<Option<P::Item>, Error>> + Send + '_ {
        std::future::poll_fn(move |cx| Pin::new(&mut *self).poll_next(cx).map(Option::transpose))
    }

    /// Every remaining item, collected (into a `Vec`, for instance); stops
    /// at the first error and returns it.
    pub async fn try_collect<C: Default + Extend<P::Item>>(mut self) -> Result<C, Error> {
        let mut all = C::default();
        loop {
            all.extend(std::mem::take(&mut self.current));
            if self.done {
                return Ok(all);
            }
            match self.pages.try_next().await? {
                Some(page) => self.current = page.into_items().into_iter(),
                None => self.done = true,
            }
        }
    }
}

impl<P: Page> Unpin for Items<P> {}

impl<P: Page> Stream for Items<P> {
    type Item = Result<P::Item, Error>;

    // An item of the page in hand is handed out in line, without a call;
    // only the end of a page goes to `Items::next_page`.
    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.current.next() {
            Some(item) => Poll::Ready(Some(Ok(item))),
            None => this.next_page(cx),
        }
    }
}

impl<P: Page> Items<P> {
    /// The first item of the next page (or the end, or an error), once the
    /// page in hand is used up.
    #[inline(never)]
    fn next_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P::Item, Error>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            // The page's items are all handed out: free its buffer before
            // the next page arrives, so two are never held at once.
            self.current = Vec::new().into_iter();
            match Pin::new(&mut self.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => self.current = page.into_items().into_iter(),
            }
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
        }
    }
}
