//! A relay whose retention removed events this desktop had not read yet:
//! it answers 410 `history_pruned` with its horizon, and the desktop goes
//! on from there, keeps the gap and says so, instead of failing forever or
//! missing it silently.
//!
//! A real relay fed by the simulator, whose retention removes the oldest
//! messages before the desktop first connects.

#![allow(clippy::unwrap_used)]

use crate::support::lab;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::store::Store;
use hourglass_core::sync::{self, ConnectionState, SyncConfig, SyncUpdate};
use hourglass_protocol::{EventPage, Horizon};
use hourglass_sim::Inbound;

const SECRET: &str = "history-test-secret";

fn wamids(store: &Arc<Mutex<Store>>) -> Vec<String> {
    store
        .lock()
        .unwrap()
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT wamid FROM messages ORDER BY wamid")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pruned_history_is_skipped_kept_and_told_and_the_sync_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    let mut sent = Vec::new();
    for i in 0..6 {
        let r = sim
            .inbound_delivered(Inbound::text(
                format!("+3461234560{i}"),
                format!("hello {i}"),
            ))
            .await
            .unwrap();
        assert_eq!(r.delivered, Some(true));
        sent.push(r.id);
        // Each message committed in a millisecond of its own, so retention
        // can draw its line between two of them.
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    let page: EventPage = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("http://{}/v1/events?after=0", relay.addr()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Retention removed the first three messages.
    let kept = page
        .events
        .iter()
        .find(|e| e.dedupe_key == format!("msg:{}", sent[3]))
        .unwrap();
    let horizon = Horizon {
        seq: kept.seq,
        received_at_ms: kept.received_at_ms,
    };
    let log = relay.state().store();
    let removed = tokio::task::spawn_blocking(move || log.prune(horizon.received_at_ms, 1_000))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(removed, 3, "retention removed the first three messages");

    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    let mut config = SyncConfig::new(format!("http://{}", relay.addr()), &token);
    config.cursor_key = Some("team-relay".to_owned());
    config.backoff.initial = Duration::from_millis(20);
    config.backoff.max = Duration::from_millis(200);
    let engine = sync::spawn(
        Arc::new(Mutex::new(
            Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
        )),
        config,
    );
    let mut updates = engine.subscribe();
    let mut told = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while wamids(&store).len() < 3 {
        assert!(Instant::now() < deadline, "the kept events never arrived");
        if let Ok(Ok(SyncUpdate::HistoryPruned(gap))) =
            tokio::time::timeout(Duration::from_millis(100), updates.recv()).await
        {
            told.push(gap);
        }
    }
    let mut want = sent[3..].to_vec();
    want.sort();
    assert_eq!(
        wamids(&store),
        want,
        "everything the relay kept, nothing else"
    );
    while let Ok(update) = updates.try_recv() {
        if let SyncUpdate::HistoryPruned(gap) = update {
            told.push(gap);
        }
    }
    assert_eq!(told.len(), 1, "told once: {told:?}");
    assert_eq!(told[0].missed_after, 0);
    assert_eq!(told[0].resumed_at, horizon.seq);
    assert_eq!(told[0].before_ms, horizon.received_at_ms);
    let gaps = store.lock().unwrap().history_gaps("team-relay").unwrap();
    assert_eq!(gaps, told, "the gap is kept");

    // The session goes on: a new message arrives live.
    let mut state = engine.watch_state();
    tokio::time::timeout(
        Duration::from_secs(10),
        state.wait_for(|s| matches!(s, ConnectionState::Connected { .. })),
    )
    .await
    .unwrap()
    .unwrap();
    let live = sim
        .inbound_delivered(Inbound::text("+34612345699", "still there?"))
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !wamids(&store).contains(&live.id) {
        assert!(Instant::now() < deadline, "the live message never arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(wamids(&store).iter().all(|w| !sent[..3].contains(w)));
    assert_eq!(
        store
            .lock()
            .unwrap()
            .history_gaps("team-relay")
            .unwrap()
            .len(),
        1
    );
    engine.shutdown().await;
    sim.shutdown().await;
}
