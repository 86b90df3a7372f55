//! State on disk: the objects the emulator holds, kept in a file across
//! restarts.
//!
//! The file is one header line (JSON: the format's name, its version, the
//! length and an FNV-1a checksum of the rest) and then the state itself as
//! JSON. It is always replaced whole: the new content goes to a temporary
//! file in the same folder, which is flushed to disk and then renamed over
//! the old one, so a reader (or a restart after `kill -9`) sees either the
//! old file or the new one, never a mix. A file that does not check out (cut
//! short, changed, from a newer emulator) is refused with a message naming
//! it, and it is left exactly as it was.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::store::Store;
use crate::table::Table;

/// The name in the header of every state file.
const FORMAT: &str = "ngrok-api-mock-state";

/// The version of the state format this emulator writes (and the newest it
/// reads).
pub(crate) const VERSION: u64 = 1;

/// When the emulator writes its state file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StateSync {
    /// After every change, before the request that made it is answered: a
    /// write the client saw acknowledged is on disk. The default.
    #[default]
    Always,
    /// Only when the emulator stops (and on
    /// [`MockServer::save_state`](crate::MockServer::save_state)): cheaper,
    /// but a crash or `kill -9` loses the changes since the last save.
    OnShutdown,
}

impl StateSync {
    /// Parses `always` or `shutdown`.
    pub fn parse(s: &str) -> Result<StateSync, String> {
        match s {
            "always" => Ok(StateSync::Always),
            "shutdown" => Ok(StateSync::OnShutdown),
            other => Err(format!("--sync takes `always` or `shutdown`, not `{other}`")),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u64,
    emulator: String,
    length: u64,
    /// The checksum of the other header fields and the state.
    fnv1a64: String,
}

impl Header {
    fn new(body: &[u8]) -> Header {
        let mut h = Header {
            format: FORMAT.into(),
            version: VERSION,
            emulator: env!("CARGO_PKG_VERSION").into(),
            length: body.len() as u64,
            fnv1a64: String::new(),
        };
        h.fnv1a64 = h.checksum(body);
        h
    }

    fn checksum(&self, body: &[u8]) -> String {
        let fields = format!("{}\n{}\n{}\n{}\n", self.format, self.version, self.emulator, self.length);
        format!("{:016x}", fnv1a64(&[fields.as_bytes(), body]))
    }
}

#[derive(Serialize)]
struct BodyOut<'a> {
    next_seq: u64,
    /// How far the emulator's clock runs ahead of real time, in seconds.
    clock_offset: u64,
    services: BTreeMap<&'a str, Vec<ObjOut<'a>>>,
}

#[derive(Serialize)]
struct ObjOut<'a> {
    key: &'a str,
    seq: u64,
    value: &'a serde_json::value::RawValue,
}

#[derive(Deserialize)]
struct BodyIn {
    next_seq: u64,
    #[serde(default)]
    clock_offset: u64,
    services: BTreeMap<String, Vec<ObjIn>>,
}

#[derive(Deserialize)]
struct ObjIn {
    key: String,
    seq: u64,
    value: Map<String, Value>,
}

/// A state file read and checked, ready to fill a store.
pub(crate) struct Loaded {
    body: BodyIn,
}

/// The state file of a running emulator.
#[derive(Debug)]
pub(crate) struct Persist {
    path: PathBuf,
    tmp: PathBuf,
    pub sync: StateSync,
    /// Serializes the file writes; holds the generation last written, so an
    /// older snapshot never replaces a newer one.
    written: Mutex<u64>,
    /// The generation of the newest snapshot taken.
    generation: std::sync::atomic::AtomicU64,
}

fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in parts.iter().flat_map(|p| p.iter()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Persist {
    /// Opens the state file at `path`: `Ok((persist, Some(state)))` when it
    /// exists and checks out, `Ok((persist, None))` when there is none yet,
    /// and an error naming the file and the problem otherwise.
    pub fn open(path: &Path, sync: StateSync) -> Result<(Persist, Option<Loaded>), String> {
        let shown = path.display();
        let name = path
            .file_name()
            .ok_or_else(|| format!("state file {shown}: the path names no file"))?
            .to_string_lossy()
            .into_owned();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(format!("state file {shown}: its folder {} does not exist", dir.display()));
        }
        let persist = Persist {
            path: path.to_path_buf(),
            tmp: dir.join(format!(".{name}.tmp")),
            sync,
            written: Mutex::new(0),
            generation: std::sync::atomic::AtomicU64::new(0),
        };
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((persist, None)),
            Err(e) => return Err(format!("cannot read state file {shown}: {e}")),
        };
        let loaded = parse(&bytes).map_err(|problem| {
            format!("state file {shown} {problem}; it was left untouched: move it away, or start with another --state file")
        })?;
        Ok((persist, Some(loaded)))
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Serializes the store and the clock's offset (call it with the store
    /// locked, so the snapshot is one consistent state) and numbers the
    /// snapshot.
    pub fn snapshot(&self, table: &Table, store: &Store, clock_offset: u64) -> (u64, Vec<u8>) {
        let mut services = BTreeMap::new();
        for (svc, c) in store.colls.iter().enumerate() {
            if c.objects.is_empty() {
                continue;
            }
            let objs: Vec<ObjOut<'_>> = c
                .order
                .iter()
                .filter_map(|(&seq, key)| {
                    c.objects.get(key).map(|o| ObjOut { key: key.as_str(), seq, value: o.raw() })
                })
                .collect();
            services.insert(table.services[svc].accessor.as_str(), objs);
        }
        let body = serde_json::to_vec(&BodyOut { next_seq: crate::util::peek_seq(), clock_offset, services }).unwrap_or_default();
        let mut out = serde_json::to_vec(&Header::new(&body)).unwrap_or_default();
        out.push(b'\n');
        out.extend_from_slice(&body);
        let generation = self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel) + 1;
        (generation, out)
    }

    /// Writes a snapshot unless a newer one is already on disk.
    pub fn write(&self, generation: u64, bytes: &[u8]) -> Result<(), String> {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if *written >= generation {
            return Ok(());
        }
        write_atomically(&self.path, &self.tmp, bytes)
            .map_err(|e| format!("cannot save the state to {}: {e}", self.path.display()))?;
        *written = generation;
        Ok(())
    }
}

/// Replaces `path` with `bytes`: a temporary file in the same folder,
/// flushed to disk, renamed over it, and the folder flushed too.
pub(crate) fn write_atomically(path: &Path, tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    fs::rename(tmp, path)?;
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Checks a state file's bytes; the problem, worded to follow the file's
/// name, otherwise.
fn parse(bytes: &[u8]) -> Result<Loaded, String> {
    let nl = bytes.iter().position(|&b| b == b'\n');
    let (head, body) = match nl {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &[][..]),
    };
    let header: Header = match serde_json::from_slice(head) {
        Ok(h) => h,
        Err(_) if bytes.is_empty() => return Err("is empty, not a state file".into()),
        Err(_) => return Err("is not an ngrok-api-mock state file (its first line is not a state header)".into()),
    };
    if header.format != FORMAT {
        return Err(format!("is not an ngrok-api-mock state file (its header names the format `{}`)", header.format));
    }
    if header.version > VERSION {
        return Err(format!(
            "was written by a newer ngrok-api-mock ({}, state format {}); this one ({}) reads state format {VERSION} at most",
            header.emulator,
            header.version,
            env!("CARGO_PKG_VERSION"),
        ));
    }
    if header.version == 0 {
        return Err("is damaged: its header gives state format 0, which does not exist".into());
    }
    if header.length != body.len() as u64 {
        return Err(format!(
            "is damaged: its header promises {} bytes of state and {} follow",
            header.length,
            body.len()
        ));
    }
    let sum = header.checksum(body);
    if header.fnv1a64 != sum {
        return Err(format!("is damaged: its content does not match its checksum ({} in the header, {sum} computed)", header.fnv1a64));
    }
    let body: BodyIn = serde_json::from_slice(body).map_err(|e| format!("is damaged: its state does not read: {e}"))?;
    Ok(Loaded { body })
}

impl Loaded {
    /// How far the saved emulator's clock ran ahead of real time: a
    /// restart keeps the clock where it was.
    pub fn clock_offset(&self) -> u64 {
        self.body.clock_offset
    }

    /// Fills an empty store with the saved objects, keeping their places in
    /// creation order, and moves the creation counter past them.
    pub fn restore(self, table: &Table, store: &mut Store, path: &Path) -> Result<(), String> {
        let mut top = self.body.next_seq;
        for (accessor, objs) in self.body.services {
            let svc = table.service_index(&accessor).ok_or_else(|| {
                format!(
                    "state file {} holds objects of `{accessor}`, a service this emulator does not have; it was left untouched",
                    path.display()
                )
            })?;
            for o in objs {
                top = top.max(o.seq.saturating_add(1));
                store.restore(svc, o.key, o.seq, &o.value);
            }
        }
        crate::util::advance_seq(top);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let body = br#"{"next_seq":5,"services":{"ip_policies":[{"key":"ipp_1","seq":3,"value":{"id":"ipp_1"}}]}}"#;
        let mut out = serde_json::to_vec(&Header::new(body)).unwrap_or_default();
        out.push(b'\n');
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn a_good_file_reads_and_every_cut_or_flip_is_refused() {
        let good = sample();
        assert!(parse(&good).is_ok());
        for cut in 0..good.len() {
            assert!(parse(&good[..cut]).is_err(), "cut at {cut} was accepted");
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x01;
            // A flip that still parses changes a value the checksum covers.
            assert!(parse(&bad).is_err(), "a flipped byte at {i} was accepted");
        }
    }

    #[test]
    fn a_newer_format_is_refused_by_name() {
        let text = String::from_utf8(sample()).unwrap_or_default().replacen("\"version\":1", "\"version\":7", 1);
        let err = parse(text.as_bytes()).err().unwrap_or_default();
        assert!(err.contains("newer") && err.contains("state format 7"), "{err}");
    }

    #[test]
    fn sync_parses() {
        assert_eq!(StateSync::parse("always"), Ok(StateSync::Always));
        assert_eq!(StateSync::parse("shutdown"), Ok(StateSync::OnShutdown));
        assert!(StateSync::parse("sometimes").is_err());
    }
}
