//! A tiny blocking HTTP/1.1 client over one keep-alive connection: enough
//! to send GETs to a server on loopback and read whole answers, with as
//! little work on the client side as possible so the server's share of the
//! time is what the ratios show.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// One connection to a server.
pub struct Conn {
    reader: BufReader<TcpStream>,
    host: String,
    request: Vec<u8>,
}

fn bad(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

impl Conn {
    /// Connects to `base` (`http://HOST:PORT`).
    pub fn open(base: &str) -> io::Result<Conn> {
        let host = base.strip_prefix("http://").ok_or_else(|| bad(format!("not an http:// URL: {base}")))?;
        let stream = TcpStream::connect(host)?;
        stream.set_nodelay(true)?;
        Ok(Conn { reader: BufReader::with_capacity(64 << 10, stream), host: host.to_string(), request: Vec::new() })
    }

    /// Sends `GET path` and returns the status and the body.
    pub fn get(&mut self, path: &str, body: &mut Vec<u8>) -> io::Result<u16> {
        self.request.clear();
        write!(
            self.request,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer bench\r\nNgrok-Version: 2\r\n\r\n",
            self.host
        )?;
        self.reader.get_mut().write_all(&self.request)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(format!("no status line: {line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(bad("the connection closed in the headers"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((name, value)) = l.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding") && value.trim().eq_ignore_ascii_case("chunked") {
                    chunked = true;
                }
            }
        }
        body.clear();
        match (length, chunked) {
            (Some(n), false) => {
                body.resize(n, 0);
                self.reader.read_exact(body)?;
            }
            (_, true) => self.read_chunks(body)?,
            (None, false) => return Err(bad("an answer with neither a length nor chunks")),
        }
        Ok(status)
    }

    fn read_chunks(&mut self, body: &mut Vec<u8>) -> io::Result<()> {
        let mut line = String::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| bad(format!("bad chunk size {line:?}")))?;
            if size == 0 {
                line.clear();
                self.reader.read_line(&mut line)?;
                return Ok(());
            }
            let at = body.len();
            body.resize(at + size, 0);
            self.reader.read_exact(&mut body[at..])?;
            line.clear();
            self.reader.read_line(&mut line)?;
        }
    }
}

/// The `before_id` of a page's `next_page_uri`, if it has one.
pub fn next_before_id(page: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(page).ok()?;
    let at = text.rfind("\"next_page_uri\":\"")?;
    let rest = &text[at..];
    let from = rest.find("before_id=")? + "before_id=".len();
    let id: String = rest[from..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!id.is_empty()).then_some(id)
}
