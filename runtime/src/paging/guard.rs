//! What stops a walk that would never end: a server whose `next_page_uri`
//! leads back to a page already walked (a loop), or a list longer than the
//! caller allows. Memory stays constant however long the walk.

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};

/// Why a walk was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// The URI leads back to a page already walked.
    Loop,
    /// The walk already fetched this many pages, its limit.
    TooManyPages(u64),
}

/// Remembers the hashes of the most recent page URIs (a repeat among them
/// is found at once) and one anchor URI moved to the current page after
/// 1, 2, 4, 8, ... pages (Brent's method), which finds a loop of any
/// length within about twice its length. Counts pages against a cap.
pub(super) struct LoopGuard {
    hasher: RandomState,
    recent: VecDeque<u64>,
    anchor: Option<u64>,
    since_anchor: u64,
    anchor_span: u64,
    pages: u64,
    max_pages: u64,
}

impl LoopGuard {
    /// How many recent pages a repeat is looked for among (512 bytes of
    /// hashes): a loop this short is found on its first repeat; a longer
    /// one by the anchor.
    pub(super) const WINDOW: usize = 64;

    /// A guard for a walk whose first page is being fetched.
    pub(super) fn new(max_pages: u64) -> Self {
        LoopGuard {
            hasher: RandomState::new(),
            recent: VecDeque::with_capacity(Self::WINDOW),
            anchor: None,
            since_anchor: 0,
            anchor_span: 1,
            pages: 1,
            max_pages,
        }
    }

    pub(super) fn set_max_pages(&mut self, max_pages: u64) {
        self.max_pages = max_pages;
    }

    /// Records the URI of a page about to be fetched, or says why not to.
    pub(super) fn admit(&mut self, uri: &str) -> Result<(), Stop> {
        let hash = self.hasher.hash_one(uri);
        if self.anchor == Some(hash) || self.recent.contains(&hash) {
            return Err(Stop::Loop);
        }
        if self.pages >= self.max_pages {
            return Err(Stop::TooManyPages(self.pages));
        }
        self.pages += 1;
        self.remember_hash(hash);
        Ok(())
    }

    /// Records a URI the walk has fetched without counting it as a page
    /// (the one a resumed walk starts from).
    pub(super) fn remember(&mut self, uri: &str) {
        let hash = self.hasher.hash_one(uri);
        self.remember_hash(hash);
    }

    fn remember_hash(&mut self, hash: u64) {
        if self.recent.len() == Self::WINDOW {
            self.recent.pop_front();
        }
        self.recent.push_back(hash);
        self.since_anchor += 1;
        if self.since_anchor >= self.anchor_span {
            self.anchor = Some(hash);
            self.since_anchor = 0;
            self.anchor_span = self.anchor_span.saturating_mul(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks a `len`-page loop (after `lead` pages that are not part of
    /// it) until the guard stops it; returns the stop and the page count.
    fn walk(lead: usize, len: usize, max_pages: u64) -> (Stop, usize) {
        let mut guard = LoopGuard::new(max_pages);
        for step in 1.. {
            let page = if step < lead { step } else { lead + (step - lead) % len };
            if let Err(stop) = guard.admit(&format!("/p?{page}")) {
                return (stop, step);
            }
        }
        unreachable!("the loop above only ends by returning")
    }

    #[test]
    fn short_loops_are_caught_on_the_first_repeat() {
        assert_eq!(walk(0, 1, u64::MAX), (Stop::Loop, 2));
        assert_eq!(walk(3, 2, u64::MAX), (Stop::Loop, 5));
        assert_eq!(walk(10, LoopGuard::WINDOW, u64::MAX), (Stop::Loop, 10 + LoopGuard::WINDOW));
    }

    #[test]
    fn loops_longer_than_the_window_are_caught_within_a_few_laps() {
        for len in [LoopGuard::WINDOW + 1, 300, 1000, 5000] {
            let (stop, steps) = walk(7, len, u64::MAX);
            assert_eq!(stop, Stop::Loop, "loop of {len}");
            assert!(steps <= 7 + 4 * len, "a loop of {len} pages was walked for {steps} pages");
        }
    }

    #[test]
    fn the_cap_counts_the_first_page() {
        let mut guard = LoopGuard::new(3);
        assert_eq!(guard.admit("/p?2"), Ok(()));
        assert_eq!(guard.admit("/p?3"), Ok(()));
        assert_eq!(guard.admit("/p?4"), Err(Stop::TooManyPages(3)));
    }

    #[test]
    fn memory_does_not_grow_with_the_walk() {
        let mut guard = LoopGuard::new(u64::MAX);
        for page in 0..10_000 {
            assert_eq!(guard.admit(&format!("/p?{page}")), Ok(()));
        }
        assert_eq!(guard.recent.len(), LoopGuard::WINDOW);
    }
}
