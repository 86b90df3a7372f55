//! The state a running emulator shares between its handler, its admin
//! endpoints and the [`MockServer`](crate::MockServer) handle: the store,
//! the options it started with, faults, the rate limiter and the journal.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use crate::engine::Engine;
use crate::fault::{Fault, JournalEntry, Limiter, RateLimit};
use crate::http::lock;
use crate::store::Store;
use crate::table::{Table, table};
use crate::util::Rng;

/// State shared by the server and the [`MockServer`](crate::MockServer) handle.
pub(crate) struct Shared {
    pub table: &'static Table,
    pub base: String,
    pub rng: Rng,
    pub store: RwLock<Store>,
    pub api_key: Option<String>,
    /// The token admin requests need: the admin token, else the API key,
    /// else none.
    pub admin_token: Option<String>,
    /// How long a list's filter may run.
    pub filter_deadline: Duration,
    pub latency_ms: AtomicU64,
    pub journal: Mutex<VecDeque<JournalEntry>>,
    pub journal_capacity: usize,
    pub faults: Mutex<Vec<Fault>>,
    fault_count: AtomicUsize,
    pub limiter: Mutex<Option<Limiter>>,
    /// The seed applied at start and on reset, as JSON text (a tree of
    /// many objects would take several times the room).
    pub seed: Box<str>,
    /// Whether writes to sunset services (edges, their modules, backends)
    /// are allowed, as for the few accounts that still have them; off, they
    /// are refused with `ERR_NGROK_7196` as for most accounts.
    pub legacy_writes: std::sync::atomic::AtomicBool,
    /// The state file, when the state is kept on disk.
    pub persist: Option<crate::state::Persist>,
    /// The emulator's time, and the delays that run on it.
    pub clock: crate::clock::Clock,
}

/// The options a server starts with.
pub(crate) struct Options {
    pub api_key: Option<String>,
    pub admin_token: Option<String>,
    pub latency: Duration,
    pub rate_limit: Option<RateLimit>,
    pub journal_capacity: usize,
    pub filter_deadline: Duration,
    pub legacy_writes: bool,
    /// How long a managed certificate takes to be issued.
    pub cert_delay: Duration,
    /// The state file, and the state read from it when it exists.
    pub state: Option<(crate::state::Persist, Option<crate::state::Loaded>)>,
}

impl Shared {
    pub fn new(base: String, opts: Options, seed: Box<str>) -> Result<Shared, String> {
        let table = table();
        let admin_token = opts.admin_token.or_else(|| opts.api_key.clone());
        let (persist, restore) = opts.state.map_or((None, None), |(p, loaded)| (Some(p), loaded));
        let shared = Shared {
            table,
            base,
            rng: Rng::new(),
            store: RwLock::new(Store::new(table)),
            api_key: opts.api_key,
            admin_token,
            filter_deadline: opts.filter_deadline,
            latency_ms: AtomicU64::new(u64::try_from(opts.latency.as_millis()).unwrap_or(u64::MAX)),
            journal: Mutex::new(VecDeque::new()),
            journal_capacity: opts.journal_capacity,
            faults: Mutex::new(Vec::new()),
            fault_count: AtomicUsize::new(0),
            limiter: Mutex::new(opts.rate_limit.map(Limiter::new)),
            seed,
            legacy_writes: std::sync::atomic::AtomicBool::new(opts.legacy_writes),
            persist,
            clock: crate::clock::Clock::new(opts.cert_delay),
        };
        // A new state file starts with the seed: a bad folder shows now.
        match (restore, &shared.persist) {
            (Some(loaded), Some(p)) => {
                shared.clock.set_offset(loaded.clock_offset());
                loaded.restore(table, &mut shared.write_store(), p.path())?;
            }
            _ => shared.seed_text(&shared.seed).and_then(|_| shared.save_state())?,
        }
        Ok(shared)
    }

    pub fn engine(&self) -> Engine<'_> {
        let (now, cert_delay) = (self.clock.now(), self.clock.cert_delay);
        Engine { table: self.table, base: &self.base, rng: &self.rng, now, cert_delay }
    }

    pub fn read_store(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write_store(&self) -> std::sync::RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the state at start: the seed, no journal, no faults, a fresh
    /// rate-limit window.
    pub fn reset(&self) -> Result<(), String> {
        *self.write_store() = Store::new(self.table);
        lock(&self.journal).clear();
        self.clear_faults();
        let mut limiter = lock(&self.limiter);
        if let Some(l) = limiter.as_mut() {
            *l = Limiter::new(l.limit);
        }
        drop(limiter);
        self.seed_text(&self.seed)?;
        self.changed()
    }

    pub fn add_fault(&self, f: Fault) {
        let mut faults = lock(&self.faults);
        faults.push(f);
        self.fault_count.store(faults.len(), Ordering::Release);
    }

    pub fn clear_faults(&self) {
        let mut faults = lock(&self.faults);
        faults.clear();
        self.fault_count.store(0, Ordering::Release);
    }

    /// Takes one use of the first fault matching the request.
    pub(crate) fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        if self.fault_count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut faults = lock(&self.faults);
        let i = faults.iter().position(|f| f.matches(method, path))?;
        let f = faults[i].clone();
        if let Some(t) = faults[i].times.as_mut() {
            *t = t.saturating_sub(1);
            if *t == 0 {
                faults.remove(i);
            }
        }
        self.fault_count.store(faults.len(), Ordering::Release);
        Some(f)
    }

    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        *lock(&self.limiter) = limit.map(Limiter::new);
    }

    pub(crate) fn record(&self, entry: JournalEntry) {
        if self.journal_capacity == 0 {
            return;
        }
        let mut j = lock(&self.journal);
        if j.len() >= self.journal_capacity {
            j.pop_front();
        }
        j.push_back(entry);
    }
}
