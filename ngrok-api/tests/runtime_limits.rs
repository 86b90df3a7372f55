//! Response size limits: a success body over the limit fails the call with
//! `ErrorKind::ResponseTooLarge` while it streams in, whether the server
//! declares its length, streams it in chunks, or never stops; an error body
//! is read only up to its own small limit. Memory is measured by counting
//! every allocation of this test program, so the assertions are on bytes
//! held, not on time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use ngrok_api::{Client, ErrorKind, RetryPolicy};

/// Counts the bytes this program holds, and the most it held.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            HELD.fetch_sub(layout.size(), Ordering::SeqCst);
            let now = HELD.fetch_add(new_size, Ordering::SeqCst) + new_size;
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Memory is process-wide: one measurement at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const MIB: usize = 1024 * 1024;
const LIMIT: usize = MIB;

/// How the server sends its body.
#[derive(Clone, Copy)]
enum Body {
    /// `Content-Length: n`, then n bytes.
    Declared(u64),
    /// Chunked, n bytes in all.
    Chunked(u64),
    /// Chunked, until the client goes away.
    Endless,
}

/// A one-connection server on its own thread that answers every request
/// with `status` and `body` (spaces inside a JSON object's first bytes),
/// counting the body bytes it managed to write; reports when it stops.
struct Streamer {
    url: String,
    written: Arc<AtomicU64>,
    stopped: mpsc::Receiver<()>,
}

fn stream_server(status: u16, body: Body) -> Streamer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let written = Arc::new(AtomicU64::new(0));
    let (done, stopped) = mpsc::channel();
    let count = written.clone();
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let _ = serve_one(&mut conn, status, body, &count);
        }
        let _ = done.send(());
    });
    Streamer { url, written, stopped }
}

fn serve_one(conn: &mut std::net::TcpStream, status: u16, body: Body, written: &AtomicU64) -> std::io::Result<()> {
    static CHUNK: [u8; 64 * 1024] = [b' '; 64 * 1024];
    let mut head = [0u8; 4096];
    let mut got = 0;
    while !head[..got].windows(4).any(|w| w == b"\r\n\r\n") && got < head.len() {
        let n = conn.read(&mut head[got..])?;
        if n == 0 {
            return Ok(());
        }
        got += n;
    }
    let (framing, total) = match body {
        Body::Declared(n) => (format!("content-length: {n}"), Some(n)),
        Body::Chunked(n) => ("transfer-encoding: chunked".to_string(), Some(n)),
        Body::Endless => ("transfer-encoding: chunked".to_string(), None),
    };
    write!(conn, "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{framing}\r\n\r\n")?;
    let chunked = !matches!(body, Body::Declared(_));
    let mut sent: u64 = 0;
    conn.write_all(if chunked { b"1\r\n{\r\n" } else { b"{" })?;
    loop {
        let left = total.map_or(u64::MAX, |t| t.saturating_sub(sent + 1));
        if left == 0 {
            break;
        }
        let n = usize::try_from(left).unwrap_or(usize::MAX).min(CHUNK.len());
        if chunked {
            write!(conn, "{n:x}\r\n")?;
        }
        conn.write_all(&CHUNK[..n])?;
        if chunked {
            conn.write_all(b"\r\n")?;
        }
        sent += n as u64;
        written.fetch_add(n as u64, Ordering::SeqCst);
    }
    if chunked {
        conn.write_all(b"0\r\n\r\n")?;
    }
    conn.flush()
}

fn client(url: &str, limit: usize) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .max_response_size(limit)
        .build()
        .expect("client")
}

/// Runs `f` and returns its output with the most bytes held above the
/// level at its start.
async fn peak_growth<T>(f: impl std::future::IntoFuture<Output = T>) -> (T, usize) {
    let base = HELD.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f.await;
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

/// The body must not have been held: well under the 64 MiB sent, and
/// within a small multiple of the 1 MiB limit (socket buffers, one chunk).
fn assert_too_large(err: &ngrok_api::Error, grew: usize, what: &str) {
    eprintln!("{what}: the call held at most {grew} bytes more than before it");
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge { limit: LIMIT }, "{what}: {err}");
    assert!(err.to_string().contains(&LIMIT.to_string()), "{what}: the limit is not named: {err}");
    assert!(err.to_string().contains("max_response_size"), "{what}: {err}");
    assert!(grew < 3 * LIMIT, "{what}: held {grew} bytes with a limit of {LIMIT}");
}

#[tokio::test]
async fn a_declared_oversized_body_fails_before_it_is_read() {
    let _one = SERIAL.lock().await;
    let server = stream_server(200, Body::Declared(64 * MIB as u64));
    let c = client(&server.url, LIMIT);
    let (result, grew) = peak_growth(c.ip_policies().get("ipp_1")).await;
    assert_too_large(&result.expect_err("too large"), grew, "declared");
}

#[tokio::test]
async fn a_chunked_oversized_body_fails_while_it_streams() {
    let _one = SERIAL.lock().await;
    let server = stream_server(200, Body::Chunked(64 * MIB as u64));
    let c = client(&server.url, LIMIT);
    let (result, grew) = peak_growth(c.ip_policies().get("ipp_1")).await;
    assert_too_large(&result.expect_err("too large"), grew, "chunked");
}

#[tokio::test]
async fn an_endless_body_fails_with_the_limit_and_the_server_stops_sending() {
    let _one = SERIAL.lock().await;
    let server = stream_server(200, Body::Endless);
    let c = client(&server.url, LIMIT);
    let (result, grew) = peak_growth(c.ip_policies().get("ipp_1")).await;
    assert_too_large(&result.expect_err("endless"), grew, "endless");
    drop(c);
    // Waits on this runtime (the connection's task must run to close it).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while server.stopped.try_recv().is_err() {
        assert!(std::time::Instant::now() < deadline, "the client never closed the connection");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 32 * MIB as u64, "the server wrote {written} bytes before the client hung up");
}

#[tokio::test]
async fn a_body_at_the_limit_decodes_and_one_byte_more_does_not() {
    let _one = SERIAL.lock().await;
    let json = br#"{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z"}"#;
    for (len, ok) in [(LIMIT, true), (LIMIT + 1, false)] {
        let body = [json.as_slice(), &vec![b' '; len - json.len()]].concat();
        let server = support_server(body);
        let result = client(&server, LIMIT).ip_policies().get("ipp_1").await;
        assert_eq!(result.is_ok(), ok, "a {len}-byte body with a {LIMIT}-byte limit: {result:?}");
    }
}

#[tokio::test]
async fn an_oversized_error_body_is_cut_to_its_limit_and_keeps_its_status() {
    let _one = SERIAL.lock().await;
    let server = stream_server(500, Body::Chunked(64 * MIB as u64));
    let c = client(&server.url, LIMIT);
    let (result, grew) = peak_growth(c.ip_policies().get("ipp_1")).await;
    let err = result.expect_err("a 500");
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(grew < 2 * LIMIT, "an error body held {grew} bytes");
}

#[test]
fn the_defaults_are_a_few_mib_and_a_few_kib() {
    assert!((2 * MIB..=16 * MIB).contains(&ngrok_api::runtime::DEFAULT_MAX_RESPONSE_SIZE));
    assert!((1024..=16 * 1024).contains(&ngrok_api::runtime::DEFAULT_MAX_ERROR_BODY_SIZE));
}

/// A server answering one request with a 200 and exactly `body`.
fn support_server(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let mut head = [0u8; 4096];
            let _ = conn.read(&mut head);
            let _ = write!(conn, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = conn.write_all(&body);
        }
    });
    url
}

/// A server answering one request with a 200 and `body` written in pieces
/// of `piece` bytes with a pause between them, so the client reads it in
/// many chunks; with `Content-Length` or chunked framing.
fn piecewise_server(body: Vec<u8>, piece: usize, declared: bool) -> String {
    piecewise_server_with("200 OK", body, piece, declared)
}

/// [`piecewise_server`] with another status line.
fn piecewise_server_with(status: &'static str, body: Vec<u8>, piece: usize, declared: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || -> std::io::Result<()> {
        let (mut conn, _) = listener.accept()?;
        conn.set_nodelay(true)?;
        let mut head = [0u8; 4096];
        let _ = conn.read(&mut head)?;
        let framing = if declared { format!("content-length: {}", body.len()) } else { "transfer-encoding: chunked".to_string() };
        write!(conn, "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{framing}\r\n\r\n")?;
        for part in body.chunks(piece) {
            if declared {
                conn.write_all(part)?;
            } else {
                write!(conn, "{:x}\r\n", part.len())?;
                conn.write_all(part)?;
                conn.write_all(b"\r\n")?;
            }
            conn.flush()?;
            std::thread::sleep(Duration::from_millis(2));
        }
        if !declared {
            conn.write_all(b"0\r\n\r\n")?;
        }
        conn.flush()
    });
    url
}

#[tokio::test]
async fn a_body_arriving_in_many_chunks_decodes_whole() {
    let _one = SERIAL.lock().await;
    let description = "d".repeat(3000);
    let json = format!(r#"{{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z","description":"{description}","metadata":"m"}}"#);
    for declared in [true, false] {
        let server = piecewise_server(json.clone().into_bytes(), 500, declared);
        let policy = client(&server, LIMIT).ip_policies().get("ipp_1").await.expect("decodes");
        assert_eq!(policy.id, "ipp_1", "declared length: {declared}");
        assert_eq!(policy.description, description, "declared length: {declared}");
        assert_eq!(policy.metadata, "m", "declared length: {declared}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_in_many_chunks_fails() {
    let _one = SERIAL.lock().await;
    let limit = 2000;
    let json = format!(r#"{{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z","description":"{}"}}"#, "d".repeat(limit));
    for declared in [true, false] {
        let server = piecewise_server(json.clone().into_bytes(), 300, declared);
        let err = client(&server, limit).ip_policies().get("ipp_1").await.expect_err("too large");
        assert_eq!(err.kind(), ErrorKind::ResponseTooLarge { limit }, "declared length: {declared}: {err}");
    }
}

#[tokio::test]
async fn an_error_body_in_many_chunks_keeps_its_first_bytes_up_to_the_limit() {
    let _one = SERIAL.lock().await;
    let error = r#"{"error_code":"ERR_NGROK_1","status_code":400,"msg":"bad request","details":{}}"#;
    // JSON cut anywhere in the spaces (where the 300-byte limit falls);
    // not JSON whole, so the error's code shows that the body was cut.
    let body = format!("{error}{}{}", " ".repeat(1000), "x".repeat(4000));
    for declared in [true, false] {
        let server = piecewise_server_with("400 Bad Request", body.clone().into_bytes(), 40, declared);
        let c = Client::builder().api_key("k").base_url(&server).retry_policy(RetryPolicy::none()).max_error_body_size(300).build().expect("client");
        let err = c.ip_policies().get("ipp_1").await.expect_err("a 400");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "declared length: {declared}");
        assert_eq!(err.error_code(), Some("ERR_NGROK_1"), "declared length: {declared}: {err}");
        assert_eq!(err.message(), "bad request", "declared length: {declared}");
    }
}
