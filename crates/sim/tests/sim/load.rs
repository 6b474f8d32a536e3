//! The load generator against the recording relay stand-in.

use std::time::Duration;

use hourglass_sim::load::{self, LoadConfig};

use crate::receiver::{Receiver, SECRET};

#[tokio::test]
async fn load_posts_the_planned_number_of_signed_webhooks() {
    let relay = Receiver::start().await;
    let cfg = LoadConfig {
        rate: 200,
        duration: Duration::from_millis(250),
        customers: 20,
        ..LoadConfig::new(relay.url.clone(), SECRET)
    };
    let report = load::run(cfg).await.unwrap();
    assert_eq!(report.sent + report.skipped, 50);
    assert_eq!(report.accepted, report.sent);
    assert_eq!((report.rejected, report.errors), (0, 0));
    assert!(report.p50_ms <= report.p90_ms && report.p90_ms <= report.p99_ms);
    assert!(report.p99_ms <= report.max_ms);
    assert_eq!(relay.posts().len() as u64, report.sent);
    assert_eq!(relay.bad_signatures(), 0);
    assert_eq!(relay.items("messages").len() as u64, report.sent);
}

#[tokio::test]
async fn load_counts_refusals_and_rejects_unbounded_runs() {
    let relay = Receiver::start().await;
    relay.fail_next(5);
    let cfg = LoadConfig {
        rate: 100,
        duration: Duration::from_millis(100),
        ..LoadConfig::new(relay.url.clone(), SECRET)
    };
    let report = load::run(cfg.clone()).await.unwrap();
    assert_eq!(report.rejected, 5);
    assert_eq!(report.accepted + report.rejected, report.sent);

    let wrong_secret = LoadConfig {
        app_secret: "other".into(),
        ..cfg.clone()
    };
    let report = load::run(wrong_secret).await.unwrap();
    assert_eq!(report.accepted, 0);
    assert_eq!(relay.bad_signatures() as u64, report.sent);

    for bad in [
        LoadConfig {
            rate: 0,
            ..cfg.clone()
        },
        LoadConfig {
            rate: load::MAX_RATE + 1,
            ..cfg.clone()
        },
        LoadConfig {
            duration: Duration::ZERO,
            ..cfg.clone()
        },
        LoadConfig {
            duration: Duration::from_secs(7_200),
            ..cfg.clone()
        },
    ] {
        assert_eq!(load::run(bad).await.unwrap_err().code(), "sim_load");
    }
}
