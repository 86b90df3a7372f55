//! An error's `Display`: the whole story on exactly one line. Every piece
//! of text that may come from a server (its message, code, IDs, a body
//! excerpt, a lower-level error) is written through [`OneLine`], which
//! escapes control and line-breaking characters, so a hostile message can
//! neither break a log line nor forge another.

use std::fmt::{self, Write};

use super::Inner;

/// Writes text with control, line-separator and bidirectional-override
/// characters escaped (`\n`, `\u{1b}`, ...).
pub(crate) struct OneLine<'a>(pub(crate) &'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if needs_escape(c) {
                for e in c.escape_default() {
                    f.write_char(e)?;
                }
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = self.operation {
            write!(f, "{op}")?;
            if let (Some(m), Some(p)) = (&self.method, self.path.as_deref().filter(|p| !p.is_empty())) {
                write!(f, " ({m} {})", OneLine(p))?;
            }
            f.write_str(": ")?;
        }
        match self.status {
            Some(status) => self.fmt_api(status, f)?,
            None => self.fmt_local(f)?,
        }
        if let Some(id) = self.operation_id() {
            write!(f, " (operation id {})", OneLine(id))?;
        }
        if let Some(r) = self.retry_after {
            write!(f, " (retry after {}s)", r.as_secs_f64())?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl Inner {
    /// `HTTP 404 Not Found ERR_NGROK_xxx: the message` (the status carries
    /// its reason, so the reason is not repeated when there is no message).
    fn fmt_api(&self, status: reqwest::StatusCode, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {status}")?;
        if let Some(code) = self.body.as_ref().and_then(|b| b.error_code.as_deref()) {
            write!(f, " {}", OneLine(code))?;
        }
        if let Some(msg) = self.body.as_ref().and_then(|b| b.msg.as_deref()).map(str::trim).filter(|m| !m.is_empty()) {
            write!(f, ": {}", OneLine(msg))?;
        }
        if let Some(excerpt) = &self.excerpt {
            write!(f, ": body: {excerpt:?}")?;
        }
        Ok(())
    }

    /// The local failure and every cause under it (`cannot connect to the
    /// API: error sending request: ... Connection refused`), skipping a
    /// cause that only repeats the one above it.
    fn fmt_local(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", OneLine(&self.message))?;
        let mut previous = String::new();
        let mut cause: Option<&(dyn std::error::Error + 'static)> = self.source.as_deref().map(|e| e as _);
        while let Some(err) = cause {
            let text = err.to_string();
            if !text.is_empty() && !previous.contains(&text) {
                write!(f, ": {}", OneLine(&text))?;
            }
            previous = text;
            cause = err.source();
        }
        Ok(())
    }
}
