//! Search benchmark: `Store::search` (what the app's search box calls) over
//! a real SQLite file holding 10,000 conversations and 1,000,000 messages.
//!
//! Bodies are drawn from a 2,000-word vocabulary with Zipf-like frequencies
//! (the commonest word is in over half of the messages), plus order numbers,
//! so the queries cover a very common word, a rare one, two words, a prefix
//! being typed, a number, a word found nowhere, and contacts by name and by
//! part of a number. Each query kind runs `--rounds` times (different words
//! where the kind allows) on a warm cache after one unmeasured run; the
//! figure is the whole call (messages, notes and contacts, the snippets
//! built). For reference, the same run times one `LIKE '%word%'` scan of the
//! messages, which is what a search without the index would cost.
//!
//! ```sh
//! cargo run --release -p hourglass-core --example search-bench
//! # options: --messages 1000000 --conversations 10000 --rounds 200 --keep DIR
//! ```

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use hourglass_core::inbox::{ConversationId, Direction};
use hourglass_core::search::Limits;
use hourglass_core::store::{NewContact, NewMessage, Store};

const NUMBER: &str = "106540352242922";
const BATCH: usize = 20_000;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A made-up but pronounceable word for each rank: "ba", "beko", …
fn word(rank: usize) -> String {
    const C: &[u8] = b"bcdfghjklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut n = rank + 1;
    let mut w = String::new();
    while n > 0 {
        w.push(C[n % C.len()] as char);
        n /= C.len();
        w.push(V[n % V.len()] as char);
        n /= V.len();
    }
    w
}

/// A rank with probability about 1/(rank+1) (Zipf, s = 1) over `n` words.
fn zipf(rng: &mut XorShift, n: usize) -> usize {
    let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
    ((n as f64 + 1.0).powf(u) - 1.0) as usize % n
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let messages = arg("--messages", 1_000_000) as usize;
    let conversations = arg("--conversations", 10_000) as usize;
    let rounds = arg("--rounds", 200) as usize;
    const VOCABULARY: usize = 2_000;

    // `--keep DIR`: seed into DIR and leave it there (for a look with the
    // sqlite3 shell); the default is a temporary folder.
    let args: Vec<String> = std::env::args().collect();
    let kept = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open_in_dir(&dir).unwrap();
    let seeding = Instant::now();
    let convs: Vec<ConversationId> = store
        .write(|w| {
            (0..conversations)
                .map(|i| {
                    let c = w.upsert_contact(&NewContact {
                        phone: Some(format!("+4477009{i:05}")),
                        user_id: None,
                        name: Some(format!("{} {}", word(i % 700).to_uppercase(), word(i))),
                        username: None,
                    })?;
                    w.conversation_for(c, NUMBER)
                })
                .collect()
        })
        .unwrap();
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let mut k = 0usize;
    while k < messages {
        let end = (k + BATCH).min(messages);
        store
            .write(|w| {
                for i in k..end {
                    let len = 4 + (rng.next() % 12) as usize;
                    let mut body: Vec<String> =
                        (0..len).map(|_| word(zipf(&mut rng, VOCABULARY))).collect();
                    if rng.next().is_multiple_of(4) {
                        body.push(format!("#{}", rng.next() % 100_000));
                    }
                    w.insert_message(&NewMessage {
                        wamid: format!("wamid.search.{i}").into(),
                        conversation_id: convs[(rng.next() % convs.len() as u64) as usize],
                        direction: if i % 3 == 0 {
                            Direction::Outbound
                        } else {
                            Direction::Inbound
                        },
                        kind: "text".into(),
                        body: body.join(" "),
                        payload: None,
                        sent_at: 1_700_000_000 + i as i64,
                        status: None,
                        reply_to_wamid: None,
                    })?;
                }
                Ok(())
            })
            .unwrap();
        k = end;
    }
    let seed_s = seeding.elapsed().as_secs_f64();
    let db_mib = std::fs::metadata(store.path()).unwrap().len() as f64 / 1_048_576.0;
    // Reopened, as the app would find it at start.
    let path = store.path().to_owned();
    drop(store);
    let store = Store::open(&path).unwrap();
    let count = |sql: &str, p: &str| -> i64 {
        store
            .with_connection(|c| Ok(c.query_row(sql, [p], |r| r.get(0))?))
            .unwrap()
    };
    println!(
        "search-bench: {messages} messages in {conversations} conversations seeded in {seed_s:.1} s; database {db_mib:.0} MiB; {} cores, load {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let common = word(0);
    let hits_of = |w: &str| {
        count(
            "SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH ?1",
            &format!("\"{w}\""),
        )
    };
    println!(
        "commonest word {common:?} is in {} messages",
        hits_of(&common)
    );

    type Query = Box<dyn Fn(usize) -> String>;
    let kinds: Vec<(&str, Query)> = vec![
        ("a very common word", Box::new(|_| word(0))),
        ("a common word (rank 2-20)", Box::new(|r| word(1 + r % 19))),
        (
            "a rare word (rank 1,500-2,000)",
            Box::new(|r| word(1_500 + r % 500)),
        ),
        (
            "two words",
            Box::new(|r| format!("{} {}", word(r % 30), word(30 + r % 200))),
        ),
        (
            "a prefix while typing (3 letters)",
            Box::new(|r| word(40 + r % 300).chars().take(3).collect()),
        ),
        (
            "an order number",
            Box::new(|r| format!("#{}", (r * 7_919) % 100_000)),
        ),
        (
            "a 4-letter prefix",
            Box::new(|r| word(300 + r % 1_000).chars().take(4).collect()),
        ),
        ("a word found nowhere", Box::new(|r| format!("zzq{r}"))),
        (
            "a contact by part of a number",
            Box::new(|r| format!("77009{:03}", r % 1_000)),
        ),
        (
            "a contact by name",
            Box::new(|r| word(100 + r % 600).to_uppercase()),
        ),
    ];
    println!();
    println!("| query | p50 ms | p99 ms | max ms | hits per call (avg) |");
    println!("|---|---|---|---|---|");
    let mut all = Vec::new();
    for (name, q) in &kinds {
        store.search(&q(0), Limits::default()).unwrap(); // warm
        let mut times = Vec::with_capacity(rounds);
        let mut hits = 0usize;
        for r in 0..rounds {
            let query = q(r);
            let t = Instant::now();
            let found = store.search(&query, Limits::default()).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1_000.0);
            hits += found.messages.len() + found.notes.len() + found.contacts.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.1} |",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times[times.len() - 1],
            hits as f64 / rounds as f64
        );
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    let like = Instant::now();
    let like_hits = count(
        "SELECT COUNT(*) FROM messages WHERE body LIKE ?1",
        &format!("%{}%", word(1_700)),
    );
    let like_ms = like.elapsed().as_secs_f64() * 1_000.0;
    println!();
    println!(
        "search-bench result: messages={messages} calls={} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} like_scan_ms={like_ms:.0} like_hits={like_hits} seed_s={seed_s:.1} db_mib={db_mib:.0}",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all[all.len() - 1],
    );
}
