//! `--state FILE`: the objects survive a restart; in the save-every-write
//! mode a `kill -9` at any moment loses no acknowledged write and never
//! leaves a file a restart refuses; damaged files and files from a newer
//! emulator are refused by name and left byte for byte as they were.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ngrok_api_mock::{MockServer, StateSync};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_ngrok-api-mock");

/// A scratch folder under the target directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("state-on-disk").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

struct Running {
    child: Child,
    url: String,
}

/// Starts the binary and reads its URL; `Err` holds its exit status and stderr.
fn launch(args: &[&str]) -> Result<Running, String> {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--exit-on-stdin-close"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the emulator");
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line);
    if read.is_ok() && line.starts_with("http://") {
        return Ok(Running { child, url: line.trim().to_string() });
    }
    let status = child.wait().expect("wait");
    let mut err = String::new();
    let _ = child.stderr.take().expect("stderr").read_to_string(&mut err);
    Err(format!("{status}: {err}"))
}

impl Running {
    /// Stops it the gentle way (stdin closes), as a wrapper does.
    fn stop(mut self) {
        drop(self.child.stdin.take());
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "a gentle stop exits with 0, not {status}");
    }

    fn kill9(mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("a client")
}

async fn create(c: &reqwest::Client, url: &str, description: &str) -> Result<String, String> {
    let r = c
        .post(format!("{url}/ip_policies"))
        .bearer_auth("k")
        .header("Ngrok-Version", "2")
        .json(&json!({ "description": description }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != 201 {
        return Err(format!("status {}", r.status()));
    }
    let v: Value = r.json().await.map_err(|e| e.to_string())?;
    v["id"].as_str().map(str::to_string).ok_or_else(|| "no id".to_string())
}

/// Every IP policy, following `next_page_uri`: (id, description).
async fn all_policies(c: &reqwest::Client, url: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut next = Some(format!("{url}/ip_policies?limit=100"));
    while let Some(page) = next {
        let v: Value = c
            .get(&page)
            .bearer_auth("k")
            .header("Ngrok-Version", "2")
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("a list body");
        for p in v["ip_policies"].as_array().expect("ip_policies") {
            out.push((
                p["id"].as_str().unwrap_or_default().to_string(),
                p["description"].as_str().unwrap_or_default().to_string(),
            ));
        }
        next = v["next_page_uri"].as_str().map(str::to_string);
    }
    out
}

/// A small pseudo-random sequence; the seed is printed so a failure can be
/// replayed with STATE_KILL_SEED.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % below
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_writes_loses_no_acknowledged_write() {
    let seed = std::env::var("STATE_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1)
    });
    println!("STATE_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let dir = scratch("kill");
    let file = dir.join("state.json");
    let file_arg = file.to_str().expect("a UTF-8 path");
    let c = client();
    let mut acked: Vec<(String, String)> = Vec::new();
    let mut sent = 0usize;
    const WRITERS: usize = 4;
    const ROUNDS: usize = 8;
    for round in 0..ROUNDS {
        let run = launch(&["--api-key", "k", "--state", file_arg]).unwrap_or_else(|e| {
            panic!("round {round}: the restart refused the state a kill -9 left: {e}")
        });
        // What the restart holds: every write acknowledged so far, and
        // nothing that was never sent.
        let held = all_policies(&c, &run.url).await;
        for (id, d) in &acked {
            assert!(held.iter().any(|(i, _)| i == id), "round {round}: acknowledged {id} ({d}) was lost");
        }
        assert!(held.len() <= sent, "round {round}: {} policies held, only {sent} creates sent", held.len());
        let mut seen = std::collections::BTreeSet::new();
        assert!(held.iter().all(|(_, d)| seen.insert(d.clone())), "round {round}: a policy came back twice");

        // Writers race each other until the kill.
        let done: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let (c, url, done, count) = (c.clone(), run.url.clone(), done.clone(), count.clone());
            tasks.push(tokio::spawn(async move {
                for i in 0.. {
                    let d = format!("r{round}-w{w}-{i}");
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    match create(&c, &url, &d).await {
                        Ok(id) => done.lock().unwrap_or_else(|e| e.into_inner()).push((id, d)),
                        Err(_) => break,
                    }
                }
            }));
        }
        let wait = Duration::from_millis(5 + rng.next(200));
        tokio::time::sleep(wait).await;
        let killed_at = Instant::now();
        run.kill9();
        for t in tasks {
            let _ = t.await;
        }
        sent += count.load(std::sync::atomic::Ordering::SeqCst);
        let mut done = done.lock().unwrap_or_else(|e| e.into_inner()).clone();
        println!("round {round}: killed after {wait:?} with {} writes acknowledged ({:?} to reap)", done.len(), killed_at.elapsed());
        acked.append(&mut done);
    }
    assert!(acked.len() > ROUNDS, "the loop wrote too little to test anything: {} writes", acked.len());
    let run = launch(&["--api-key", "k", "--state", file_arg]).expect("the last restart");
    let held = all_policies(&c, &run.url).await;
    for (id, d) in &acked {
        assert!(held.iter().any(|(i, _)| i == id), "acknowledged {id} ({d}) was lost");
    }
    // New objects still sort after the restored ones.
    let newest = create(&c, &run.url, "after all").await.expect("a create after the restarts");
    assert_eq!(all_policies(&c, &run.url).await.first().map(|p| p.0.clone()), Some(newest));
    run.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_and_newer_files_are_refused_and_left_untouched() {
    let dir = scratch("refused");
    let file = dir.join("state.json");
    let file_arg = file.to_str().expect("a UTF-8 path");
    let run = launch(&["--state", file_arg]).expect("start");
    create(&client(), &run.url, "keep me").await.expect("create");
    run.stop();
    let good = std::fs::read(&file).expect("the state file exists");

    let newline = good.iter().position(|&b| b == b'\n').expect("a header line");
    let header = String::from_utf8(good[..newline].to_vec()).expect("UTF-8");
    let newer = [header.replacen("\"version\":1", "\"version\":2", 1).as_bytes(), &good[newline..]].concat();
    let mut flipped = good.clone();
    let last = flipped.len() - 2;
    flipped[last] ^= 0x20;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("cut short", good[..good.len() / 2].to_vec(), "is damaged"),
        ("a changed byte", flipped, "is damaged"),
        ("from a newer emulator", newer, "was written by a newer ngrok-api-mock"),
        ("not a state file", b"{\"tunnels\": []}\n".to_vec(), "is not an ngrok-api-mock state file"),
        ("empty", Vec::new(), "is empty"),
    ];
    for (what, bytes, says) in cases {
        std::fs::write(&file, &bytes).expect("write the case");
        let err = match launch(&["--state", file_arg]) {
            Ok(run) => {
                run.kill9();
                panic!("a file {what} was accepted");
            }
            Err(e) => e,
        };
        assert!(err.contains(file_arg), "{what}: the message names the file: {err}");
        assert!(err.contains(says), "{what}: the message says `{says}`: {err}");
        assert!(err.contains("left untouched"), "{what}: {err}");
        assert_eq!(std::fs::read(&file).expect("still there"), bytes, "{what}: the file was changed");
    }

    // The folder must exist; a missing one is named.
    let err = launch(&["--state", dir.join("nope/state.json").to_str().unwrap_or_default()]).err().unwrap_or_default();
    assert!(err.contains("does not exist"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shutdown_mode_saves_on_a_gentle_stop_only() {
    let dir = scratch("shutdown");
    let file = dir.join("state.json");
    let file_arg = file.to_str().expect("a UTF-8 path");
    let c = client();

    let run = launch(&["--state", file_arg, "--sync", "shutdown", "--no-default-seed"]).expect("start");
    create(&c, &run.url, "lost").await.expect("create");
    run.kill9();
    let run = launch(&["--state", file_arg, "--sync", "shutdown"]).expect("restart after kill -9");
    assert_eq!(all_policies(&c, &run.url).await, vec![], "kill -9 in this mode loses the unsaved write");
    create(&c, &run.url, "kept").await.expect("create");
    run.stop();
    let run = launch(&["--state", file_arg]).expect("restart after a gentle stop");
    let held: Vec<String> = all_policies(&c, &run.url).await.into_iter().map(|p| p.1).collect();
    assert_eq!(held, vec!["kept".to_string()]);
    run.stop();
}

#[tokio::test]
async fn the_library_keeps_state_and_paging_across_a_restart() {
    let dir = scratch("library");
    let file = dir.join("state.json");
    let c = client();
    let mut made = Vec::new();
    {
        let mock = MockServer::builder().state_file(&file).start().await.expect("start");
        for i in 0..5 {
            made.push(create(&c, mock.url(), &format!("p{i}")).await.expect("create"));
        }
        mock.shutdown();
    }
    let mock = MockServer::builder().state_file(&file).state_sync(StateSync::OnShutdown).start().await.expect("restart");
    let held: Vec<String> = all_policies(&c, mock.url()).await.into_iter().map(|p| p.0).collect();
    let newest_first: Vec<String> = made.iter().rev().cloned().collect();
    assert_eq!(held, newest_first, "same objects, same order");
    // before_id still pages from a restored object.
    let v: Value = c
        .get(format!("{}/ip_policies?limit=2&before_id={}", mock.url(), made[3]))
        .bearer_auth("k")
        .header("Ngrok-Version", "2")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let page: Vec<&str> = v["ip_policies"].as_array().into_iter().flatten().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(page, vec![made[2].as_str(), made[1].as_str()]);
    // A reset goes back to the seed, and the file follows on save.
    mock.reset().expect("reset");
    mock.save_state().expect("save");
    drop(mock);
    let mock = MockServer::builder().state_file(&file).start().await.expect("restart after reset");
    assert!(all_policies(&c, mock.url()).await.is_empty());
}
