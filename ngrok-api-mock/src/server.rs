//! The HTTP side: one handler that journals, applies faults, checks the
//! headers every ngrok request needs, rate-limits, and dispatches through
//! the route table; plus the admin endpoints under [`ADMIN_PREFIX`].

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value};

use crate::engine::{Call, Engine, Reply};
use crate::error::{ApiError, codes};
use crate::fault::{Fault, JournalEntry, Limiter, RateLimit};
use crate::store::Store;
use crate::table::{Table, table};
use crate::util::Rng;

/// Paths under this prefix control the emulator instead of emulating the API.
pub const ADMIN_PREFIX: &str = "/__mock";

/// Largest request body accepted.
const BODY_LIMIT: usize = 8 << 20;

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
    /// The seed applied at start and on reset.
    pub seed: Value,
    /// Whether writes to sunset services (edges, their modules, backends)
    /// are allowed, as for the few accounts that still have them; off, they
    /// are refused with `ERR_NGROK_7196` as for most accounts.
    pub legacy_writes: std::sync::atomic::AtomicBool,
    /// The state file, when the state is kept on disk.
    pub persist: Option<crate::state::Persist>,
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
    /// The state file, and the state read from it when it exists.
    pub state: Option<(crate::state::Persist, Option<crate::state::Loaded>)>,
}

/// The token of an `Authorization: Bearer <token>` header. The scheme is
/// matched without regard to case, as HTTP authentication schemes are.
pub(crate) fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn new(base: String, opts: Options, seed: Value) -> Result<Shared, String> {
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
        };
        // A new state file starts with the seed: a bad folder shows now.
        match (restore, &shared.persist) {
            (Some(loaded), Some(p)) => loaded.restore(table, &mut shared.write_store(), p.path())?,
            _ => shared.seed_all(&shared.seed).and_then(|_| shared.save_state())?,
        }
        Ok(shared)
    }

    pub fn engine(&self) -> Engine<'_> {
        Engine { table: self.table, base: &self.base, rng: &self.rng }
    }

    pub fn read_store(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write_store(&self) -> std::sync::RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Seeds one object; returns it as the API would show it.
    pub fn seed_one(&self, accessor: &str, obj: Value) -> Result<Value, crate::MockError> {
        let svc = self
            .table
            .service_index(accessor)
            .ok_or_else(|| crate::MockError::UnknownService(accessor.to_string()))?;
        if !matches!(self.table.services[svc].storage, crate::table::Storage::Collection) {
            return Err(crate::MockError::NotSeedable(accessor.to_string()));
        }
        let Value::Object(mut obj) = obj else {
            return Err(crate::MockError::Seed(format!("a {accessor} object must be a JSON object")));
        };
        crate::seed::check_seed(self.table, svc, &mut obj).map_err(crate::MockError::Seed)?;
        let mut store = self.write_store();
        let key = self.engine().seed(&mut store, svc, obj).map_err(crate::MockError::Seed)?;
        let cx = crate::render::Cx { table: self.table, store: &store, base: &self.base };
        let ty = self.table.services[svc].resource_type.as_deref().unwrap_or_default();
        let shown = store
            .get(svc, &key)
            .map(|o| serde_json::to_value(cx.resource(svc, ty, &key, &o.value)).unwrap_or(Value::Null))
            .unwrap_or(Value::Null);
        Ok(shown)
    }

    /// Seeds `{"<accessor>": [objects...], ...}`; returns the seeded objects
    /// by accessor.
    pub fn seed_all(&self, seed: &Value) -> Result<Map<String, Value>, String> {
        let Value::Object(map) = seed else {
            return Err("seed data must be a JSON object keyed by service accessor".into());
        };
        let mut out = Map::new();
        for (accessor, objs) in map {
            let list = match objs {
                Value::Array(a) => a.clone(),
                Value::Object(_) => vec![objs.clone()],
                _ => return Err(format!("`{accessor}` must map to an array of objects")),
            };
            let mut shown = Vec::new();
            for o in list {
                shown.push(self.seed_one(accessor, o).map_err(|e| e.to_string())?);
            }
            out.insert(accessor.clone(), Value::Array(shown));
        }
        Ok(out)
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
        self.seed_all(&self.seed)?;
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
    fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
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

    fn record(&self, entry: JournalEntry) {
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

pub(crate) fn json_response(status: u16, body: Vec<u8>, operation_id: &str) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if status != 204 {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if let Ok(v) = HeaderValue::from_str(operation_id) {
        h.insert(HeaderName::from_static("ngrok-operation-id"), v);
    }
    resp
}

pub(crate) fn error_response(e: &ApiError, operation_id: &str) -> Response {
    json_response(e.status, e.body(operation_id), operation_id)
}

/// The one handler behind every path.
pub(crate) async fn handle(State(sh): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    if path == ADMIN_PREFIX || path.starts_with(&format!("{ADMIN_PREFIX}/")) {
        if let Some(refused) = crate::admin::refusal(&sh, &parts.headers, &path) {
            return refused;
        }
        let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
        return crate::admin::admin(&sh, parts.method.as_str(), &path, &bytes);
    }
    let operation_id = sh.rng.operation_id();
    let method = parts.method.as_str().to_string();
    let query = parts.uri.query().map(str::to_string);
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            let e = ApiError::new(413, codes::TOO_LARGE, format!("the request body is over {BODY_LIMIT} bytes"));
            return error_response(&e, &operation_id);
        }
    };
    let mut entry = (sh.journal_capacity > 0).then(|| JournalEntry {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                let value = if n == header::AUTHORIZATION {
                    "[redacted]".to_string()
                } else {
                    String::from_utf8_lossy(v.as_bytes()).into_owned()
                };
                (n.as_str().to_string(), value)
            })
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: None,
    });
    let resp = respond(&sh, &parts.headers, &method, &path, query.as_deref(), &bytes, &operation_id).await;
    if let Some(mut e) = entry.take() {
        e.status = resp.as_ref().map(|r| r.status().as_u16());
        sh.record(e);
    }
    resp.unwrap_or_else(crate::fault::dropped_connection)
}

/// The answer to an API request; `None` drops the connection.
async fn respond(
    sh: &Shared,
    headers: &axum::http::HeaderMap,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
    operation_id: &str,
) -> Option<Response> {
    let latency = sh.latency_ms.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    if let Some(f) = sh.take_fault(method, path) {
        if let Some(ms) = f.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        if f.drop_connection {
            return None;
        }
        if f.answers() {
            return Some(crate::fault::fault_response(&f, operation_id));
        }
    }
    let answer = match api(sh, headers, method, path, query, body) {
        Ok(Reply { filter: Some(job), .. }) => crate::list::run_filter(sh, *job).await,
        other => other,
    };
    Some(match answer {
        Ok(Reply { status, body, .. }) => json_response(status, body, operation_id),
        Err(e) => {
            let mut resp = error_response(&e, operation_id);
            if e.status == 429
                && let Some(secs) = lock(&sh.limiter).as_ref().and_then(|l| l.limit.retry_after_secs)
            {
                resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            resp
        }
    })
}

fn api(
    sh: &Shared,
    headers: &axum::http::HeaderMap,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Result<Reply, ApiError> {
    let Some(token) = bearer(headers) else {
        // ngrok's message repeats the header; the emulator never repeats a
        // credential.
        return Err(if headers.contains_key("authorization") {
            ApiError::filled(401, codes::MALFORMED_AUTH, &[("VAL", "<redacted>")], "send `Authorization: Bearer <API key>`")
        } else {
            ApiError::new(401, codes::MISSING_AUTH, "send `Authorization: Bearer <API key>`")
        });
    };
    if let Some(key) = &sh.api_key
        && key != token
    {
        return Err(ApiError::filled(401, codes::BAD_KEY, &[("TOKEN", "<redacted>")], ""));
    }
    match headers.get("ngrok-version").map(|v| v.as_bytes()) {
        None => {
            return Err(ApiError::filled(400, codes::MISSING_VERSION, &[("SUPPORTED", "2")], "send `Ngrok-Version: 2`"));
        }
        Some(b"2") => {}
        Some(v) => {
            let version = String::from_utf8_lossy(v);
            return Err(ApiError::filled(400, codes::BAD_VERSION, &[("VERSION", &version), ("SUPPORTED", "2")], "send `Ngrok-Version: 2`"));
        }
    }
    if let Some(l) = lock(&sh.limiter).as_mut()
        && !l.admit(Instant::now())
    {
        let (max, interval) = (l.limit.requests.to_string(), format!("{} ms", l.limit.window_ms));
        return Err(ApiError::filled(429, codes::RATE_LIMIT, &[("MAX", &max), ("INTERVAL", &interval)], ""));
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some((route, params)) = sh.table.route(method, &segments) else {
        return Err(if sh.table.path_known(&segments) {
            ApiError::new(405, codes::BAD_METHOD, format!("{method} is not allowed on {path}"))
        } else {
            ApiError::new(404, codes::NO_ROUTE, format!("no API operation is at {method} {path}"))
        });
    };
    let call = Call { route, params, path, query, body };
    let engine = sh.engine();
    if engine.is_read(sh.table.op(route)) {
        engine.run_read(&sh.read_store(), &call)
    } else if sh.table.services[route.service].legacy && !sh.legacy_writes.load(Ordering::Relaxed) {
        // Sunset services are read-only for the account.
        Err(ApiError::refusal(7196, &[]))
    } else {
        let mut store = sh.write_store();
        let reply = engine.run_write(&mut store, &call)?;
        sh.after_write(store)?;
        Ok(reply)
    }
}
