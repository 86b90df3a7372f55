//! The decode workloads: the same response bodies decoded into ours and
//! into other types, alternately, with no network involved.

use std::time::Instant;

use crate::{header, ratio_row, server};

const DECODE_ROUNDS: usize = 41;
const DECODE_BATCH: usize = 200;

/// Times `DECODE_BATCH` decodes of `body` into `A` and into `B`, in
/// alternating rounds; prints the ratio row.
fn decode_pair<A: serde::de::DeserializeOwned, B: serde::de::DeserializeOwned>(label: &str, body: &[u8]) {
    let mut t: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 0..DECODE_ROUNDS {
        for k in 0..2 {
            let side = (round + k) % 2;
            let start = Instant::now();
            for _ in 0..DECODE_BATCH {
                if side == 0 {
                    std::hint::black_box(serde_json::from_slice::<A>(std::hint::black_box(body)).expect("decodes"));
                } else {
                    std::hint::black_box(serde_json::from_slice::<B>(std::hint::black_box(body)).expect("decodes"));
                }
            }
            t[side].push(start.elapsed().as_secs_f64());
        }
    }
    ratio_row(label, &t[0], &t[1]);
}

pub fn workloads() {
    header(&format!("decode ({DECODE_ROUNDS} rounds of {DECODE_BATCH} decodes of the same body each)"));
    let page = server::sample_page();
    decode_pair::<ngrok_api::types::IpPolicyList, official::types::IPPolicyList>("decode 100-item page: ours / official", &page);
    decode_pair::<ngrok_api::types::IpPolicyList, serde_json::Value>("decode 100-item page: ours / untyped Value", &page);
    let stamps = serde_json::to_vec(&stamps()).expect("encodes");
    decode_pair::<Vec<ngrok_api::Timestamp>, Vec<String>>("100 timestamps: Timestamp / String", &stamps);
    let actions: Vec<&str> = (0..100).map(|i| if i % 3 == 0 { "deny" } else { "allow" }).collect();
    let actions = serde_json::to_vec(&actions).expect("encodes");
    decode_pair::<Vec<ngrok_api::types::IpPolicyRuleAction>, Vec<String>>("100 open enum values: enum / String", &actions);
}

/// Decodes the 100-item page (`page`) or 100 timestamps (`stamps`) `n`
/// times, into ours or official's types (official keeps timestamps as
/// `String`s), for an instruction counter.
pub fn count(who: &str, what: &str, n: usize) {
    fn run<T: serde::de::DeserializeOwned>(body: &[u8], n: usize) {
        for _ in 0..n {
            std::hint::black_box(serde_json::from_slice::<T>(std::hint::black_box(body)).expect("decodes"));
        }
    }
    let body = if what == "page" { server::sample_page() } else { serde_json::to_vec(&stamps()).expect("encodes") };
    match (who, what) {
        ("ours", "page") => run::<ngrok_api::types::IpPolicyList>(&body, n),
        ("official", "page") => run::<official::types::IPPolicyList>(&body, n),
        ("ours", _) => run::<Vec<ngrok_api::Timestamp>>(&body, n),
        _ => run::<Vec<String>>(&body, n),
    }
    println!("{who}: {n} decodes of {what}");
}

fn stamps() -> Vec<String> {
    (0..100).map(|i| format!("2025-09-{:02}T10:{:02}:35Z", i % 28 + 1, i % 60)).collect()
}
