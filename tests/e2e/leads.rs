//! New leads in the real window: attribution under "Leads" and the native
//! notification, captured by a recording notification daemon on the test's
//! own D-Bus session (python3-dbusmock).

use crate::harness::{App, text};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A recording `org.freedesktop.Notifications` service on this session bus.
pub(crate) struct NotificationDaemon {
    child: Child,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl NotificationDaemon {
    pub(crate) fn start() -> NotificationDaemon {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "run under dbus-run-session (scripts/test.sh does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("notify.log");
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "dbusmock", "--template", "notification_daemon", "-l"])
            .arg(&log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3-dbusmock (run scripts/setup.sh)");
        let started = Instant::now();
        while !log.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "dbusmock did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        NotificationDaemon {
            child,
            log,
            _dir: dir,
        }
    }

    pub(crate) fn notify_lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("Notify"))
            .map(str::to_owned)
            .collect()
    }

    /// The first Notify line containing every one of `parts`, waiting up to
    /// `limit` for it.
    pub(crate) async fn wait_for(&self, parts: &[&str], limit: Duration) -> String {
        let started = Instant::now();
        loop {
            if let Some(line) = self
                .notify_lines()
                .into_iter()
                .find(|l| parts.iter().all(|p| l.contains(p)))
            {
                return line;
            }
            assert!(
                started.elapsed() < limit,
                "no notification with {parts:?}; the daemon saw: {:#?}",
                self.notify_lines()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for NotificationDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn an_ad_lead_shows_under_leads_with_its_headline_and_raises_a_notification() {
    let daemon = NotificationDaemon::start();
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    // The demo's first thirty customers arrive at once and are folded into
    // one summary; wait for it so Lena is not folded into it too.
    let started = Instant::now();
    while !daemon
        .notify_lines()
        .iter()
        .any(|l| l.contains("x-hourglass-kind\": \"summary"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no summary for the demo's first burst of leads: {:#?}",
            daemon.notify_lines()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Only leads count: the demo's colleague also hands a chat over to this
    // agent, whose messages then notify as "my chats". The burst is every
    // lead notification up to and including the summary: the demo goes on
    // bringing a lead every few seconds after it, and those rightly notify
    // one by one.
    let lines = daemon.notify_lines();
    let summary_at = lines
        .iter()
        .position(|l| l.contains("x-hourglass-kind\": \"summary"))
        .expect("the summary seen above");
    let burst: Vec<&String> = lines[..=summary_at]
        .iter()
        .filter(|l| {
            l.contains("x-hourglass-kind\": \"summary") || l.contains("x-hourglass-kind\": \"lead")
        })
        .collect();
    assert_eq!(burst.len(), 1, "one summary, not one per lead: {burst:#?}");
    assert!(
        lines[summary_at].contains("new leads"),
        "the summary counts the leads: {}",
        lines[summary_at]
    );

    let headline = "Winter boots: free delivery";
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({
            "from": "+4915112345678",
            "name": "Lena Lead",
            "text": "Hi, I saw your ad about the boots",
            "referral": { "headline": headline, "source_url": "https://shop.example.com/ads/boots" },
        }))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success());

    app.click_testid("filter-leads").await;
    app.eventually("Lena under Leads", || async {
        let names = app.texts_of("conversation-name").await;
        names.iter().any(|n| n == "Lena Lead").then_some(())
    })
    .await;
    // Every row under Leads is a lead and says where it came from.
    let names = app.texts_of("conversation-name").await;
    let sources = app.texts_of("lead-source").await;
    assert_eq!(names.len(), sources.len(), "{names:?} / {sources:?}");
    assert!(app.click_conversation("Lena Lead").await);
    let card = app.wait_testid("lead-card").await;
    app.eventually("the ad headline in the header", || async {
        text(&card).await.contains(headline).then_some(())
    })
    .await;
    let free = text(&app.wait_testid("free-entry-point").await).await;
    assert!(free.contains("72 free hours"), "{free}");
    app.screenshot("lead-ad").await;

    // The notification: exactly one Notify names Lena with the ad as source.
    let started = Instant::now();
    let lena = loop {
        let lines: Vec<String> = daemon
            .notify_lines()
            .into_iter()
            .filter(|l| l.contains("Lena Lead"))
            .collect();
        if !lines.is_empty() {
            break lines;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no notification for the lead; daemon saw: {:#?}",
            daemon.notify_lines()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(lena.len(), 1, "{lena:#?}");
    assert!(lena[0].contains("Hourglass"), "{}", lena[0]);
    assert!(
        lena[0].contains(headline) || lena[0].contains("boots"),
        "{}",
        lena[0]
    );
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn do_not_disturb_silences_new_leads_and_is_remembered() {
    let daemon = NotificationDaemon::start();
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    // Let the demo's first burst of leads pass before changing settings.
    crate::demo::wait_demo_inbox(&app).await;
    let dnd = app
        .eventually("the notification settings", || async {
            if let Some(el) = app.all_testid("setting-dnd").await.into_iter().next() {
                return Some(el);
            }
            let open = app.all_testid("open-notification-settings").await;
            app.click(open.first()?).await;
            None
        })
        .await;
    assert!(!dnd.is_selected().await.unwrap());
    app.click(&dnd).await;
    app.eventually("do not disturb on", || async {
        dnd.is_selected().await.ok()?.then_some(())
    })
    .await;
    app.screenshot("notification-settings").await;
    // Whatever was already on its way is let through; from now on nothing.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let before = daemon.notify_lines().len();
    reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({ "from": "+4917012345678", "name": "Quiet Quinn", "text": "Hi there" }))
        .send()
        .await
        .unwrap();
    app.click_testid("filter-all").await;
    app.eventually("Quinn in the list", || async {
        app.texts_of("conversation-name")
            .await
            .iter()
            .any(|n| n == "Quiet Quinn")
            .then_some(())
    })
    .await;
    // Longer than the notification policy holds a batch (5 s at most).
    tokio::time::sleep(Duration::from_secs(7)).await;
    let after = daemon.notify_lines();
    assert_eq!(
        after.len(),
        before,
        "no notification under do-not-disturb: {after:#?}"
    );
    assert!(after.iter().all(|l| !l.contains("Quiet Quinn")));
    app.close().await;
}
