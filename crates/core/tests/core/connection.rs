//! "Test connection" against the real relay and the simulator on loopback:
//! every part passes with the right values, and each kind of mistake is
//! reported on the part it concerns, in words that say what to do.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use hourglass_core::problem::ErrorCode;

use std::time::Duration;

use hourglass_core::connection::{
    CheckPart, ConnectionReport, ConnectionSettings, Credentials, FormCredentials,
    SavedCredentials, TestTargets, test, test_form,
};
use hourglass_core::secrets::Secret;
use hourglass_sim::SimHandle;

const SECRET: &str = "app-secret";

struct Lab {
    _dir: tempfile::TempDir,
    _relay: hourglass_relay::RunningRelay,
    relay_url: String,
    agent_token: String,
    sim: SimHandle,
}

async fn lab() -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let (relay, agent_token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    let relay_url = format!("http://{}", relay.addr());
    Lab {
        _dir: dir,
        _relay: relay,
        relay_url,
        agent_token,
        sim,
    }
}

impl Lab {
    fn settings(&self) -> ConnectionSettings {
        ConnectionSettings {
            relay_url: self.relay_url.clone(),
            phone_number_id: self.sim.config().phone_number_id.clone(),
            waba_id: self.sim.config().waba_id.clone(),
        }
    }

    fn credentials(&self) -> Credentials {
        Credentials {
            relay_token: Secret::new(self.agent_token.clone()),
            access_token: Secret::new(self.sim.config().access_token.clone()),
        }
    }

    fn targets(&self) -> TestTargets {
        TestTargets {
            graph_base_url: self.sim.graph_base_url().to_owned(),
            timeout: Duration::from_secs(5),
            ..TestTargets::default()
        }
    }

    async fn test(&self, settings: &ConnectionSettings, creds: &Credentials) -> ConnectionReport {
        test(settings, creds, &self.targets()).await
    }
}

fn part(report: &ConnectionReport, part: CheckPart) -> &hourglass_core::connection::Check {
    report.checks.iter().find(|c| c.part == part).unwrap()
}

#[tokio::test]
async fn the_right_values_pass_every_check() {
    let lab = lab().await;
    let report = lab.test(&lab.settings(), &lab.credentials()).await;
    assert!(report.ok(), "{report:#?}");
    assert_eq!(report.checks.len(), 3);
    assert_eq!(report.verified_name.as_deref(), Some("Hourglass Demo Shop"));
    let phone = part(&report, CheckPart::PhoneNumber);
    assert!(
        phone
            .message
            .contains(report.display_phone_number.as_deref().unwrap()),
        "{phone:?}"
    );
    assert!(
        part(&report, CheckPart::Relay)
            .message
            .contains("accepts your agent token")
    );
}

#[tokio::test]
async fn an_expired_access_token_is_reported_as_190_on_both_graph_parts() {
    let lab = lab().await;
    let mut creds = lab.credentials();
    creds.access_token = Secret::new("EAAG-expired-token");
    let report = lab.test(&lab.settings(), &creds).await;
    assert!(!report.ok());
    assert!(part(&report, CheckPart::Relay).ok, "the relay part is fine");
    for p in [CheckPart::PhoneNumber, CheckPart::Templates] {
        let c = part(&report, p);
        assert!(!c.ok);
        assert_eq!(c.code, Some(ErrorCode::GraphTokenInvalid), "{c:?}");
        assert!(c.message.contains("expired or was revoked (190)"), "{c:?}");
        assert!(
            !c.message.contains("EAAG-expired-token"),
            "the token never shows"
        );
    }
}

#[tokio::test]
async fn a_wrong_agent_token_is_reported_on_the_relay_part_only() {
    let lab = lab().await;
    let mut creds = lab.credentials();
    creds.relay_token = Secret::new("not-an-agent");
    let report = lab.test(&lab.settings(), &creds).await;
    let relay = part(&report, CheckPart::Relay);
    assert_eq!(relay.code, Some(ErrorCode::RelayTokenRejected), "{relay:?}");
    assert!(relay.message.contains("hourglass-relay agent add"));
    assert!(part(&report, CheckPart::PhoneNumber).ok);
    assert!(part(&report, CheckPart::Templates).ok);
}

#[tokio::test]
async fn wrong_ids_are_told_apart_from_a_wrong_token() {
    let lab = lab().await;
    let mut settings = lab.settings();
    settings.phone_number_id = "+1 555 078 3881".into();
    settings.waba_id = "999999999999".into();
    let report = lab.test(&settings, &lab.credentials()).await;
    let phone = part(&report, CheckPart::PhoneNumber);
    assert_eq!(phone.code, Some(ErrorCode::PhoneNumberIdInvalid));
    assert!(
        phone.message.contains("not the phone number itself"),
        "{phone:?}"
    );
    let templates = part(&report, CheckPart::Templates);
    assert_eq!(
        templates.code,
        Some(ErrorCode::GraphUnknownObject),
        "{templates:?}"
    );
    assert!(templates.message.contains("WhatsApp Business Account ID"));
}

#[tokio::test]
async fn an_unreachable_relay_and_an_insecure_one_are_explained() {
    let lab = lab().await;
    // A port nobody listens on: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut settings = lab.settings();
    settings.relay_url = format!("http://127.0.0.1:{port}");
    let report = lab.test(&settings, &lab.credentials()).await;
    let relay = part(&report, CheckPart::Relay);
    assert_eq!(relay.code, Some(ErrorCode::RelayUnreachable), "{relay:?}");
    assert!(relay.message.contains("Could not reach the relay"));

    settings.relay_url = "http://relay.example.com".into();
    let report = lab.test(&settings, &lab.credentials()).await;
    let relay = part(&report, CheckPart::Relay);
    assert_eq!(relay.code, Some(ErrorCode::RelayInsecure), "{relay:?}");
}

#[tokio::test]
async fn a_tls_failure_is_named_as_such() {
    let lab = lab().await;
    // The relay speaks plain HTTP; asking it for TLS fails the handshake.
    let mut settings = lab.settings();
    settings.relay_url = lab.relay_url.replace("http://", "https://");
    let report = lab.test(&settings, &lab.credentials()).await;
    let relay = part(&report, CheckPart::Relay);
    assert_eq!(relay.code, Some(ErrorCode::RelayTls), "{relay:?}");
    assert!(relay.message.contains("secure connection"));
}

#[tokio::test]
async fn a_server_that_is_not_a_relay_is_recognised() {
    let lab = lab().await;
    // The simulator answers HTTP but is no relay.
    let mut settings = lab.settings();
    settings.relay_url = lab.sim.base_url().to_owned();
    let report = lab.test(&settings, &lab.credentials()).await;
    let relay = part(&report, CheckPart::Relay);
    assert_eq!(relay.code, Some(ErrorCode::RelayNotHourglass), "{relay:?}");
}

/// Forwards every connection to `target` and keeps a copy of the bytes the
/// client sent, so a test sees every header that reached the relay.
async fn recording_proxy(
    target: std::net::SocketAddr,
) -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let record = std::sync::Arc::clone(&seen);
    tokio::spawn(async move {
        for _ in 0..32 {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let Ok(upstream) = tokio::net::TcpStream::connect(target).await else {
                return;
            };
            let record = std::sync::Arc::clone(&record);
            tokio::spawn(async move {
                let (mut from_client, mut to_client) = client.into_split();
                let (mut from_relay, mut to_relay) = upstream.into_split();
                let back = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut from_relay, &mut to_client).await;
                });
                let mut buf = [0u8; 4096];
                while let Ok(n) = from_client.read(&mut buf).await {
                    if n == 0 || to_relay.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                    record.lock().unwrap().extend_from_slice(&buf[..n]);
                }
                let _ = back.await;
            });
        }
    });
    (addr, seen)
}

#[tokio::test]
async fn a_saved_relay_token_never_goes_to_another_relay_address() {
    let lab = lab().await;
    // A second team's relay, reached through a proxy that records every
    // byte sent to it.
    let other_dir = tempfile::tempdir().unwrap();
    let (other, other_token) = lab::start_relay(other_dir.path(), "other-secret").await;
    let (proxy, seen) = recording_proxy(other.addr()).await;
    let saved = || SavedCredentials {
        relay_url: Some(lab.relay_url.clone()),
        relay_token: Some(Secret::new(lab.agent_token.clone())),
        access_token: Some(Secret::new(lab.sim.config().access_token.clone())),
    };

    // The saved address, spelled differently: the saved token is used.
    let mut settings = lab.settings();
    settings.relay_url = format!("{}/", lab.relay_url.replace("http://", "HTTP://"));
    let (report, _) = test_form(
        &settings,
        FormCredentials::default(),
        saved(),
        &lab.targets(),
    )
    .await;
    assert!(report.ok(), "{report:#?}");

    // Another address with the token field left empty: refused before any
    // call, and the Graph parts still checked.
    settings.relay_url = format!("http://{proxy}");
    let (report, creds) = test_form(
        &settings,
        FormCredentials::default(),
        saved(),
        &lab.targets(),
    )
    .await;
    let relay = part(&report, CheckPart::Relay);
    assert_eq!(
        relay.code,
        Some(ErrorCode::RelayTokenForNewAddress),
        "{relay:?}"
    );
    assert!(
        relay
            .message
            .contains("Enter your agent token for this relay")
    );
    assert!(part(&report, CheckPart::PhoneNumber).ok);
    assert!(creds.relay_token.is_empty());
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing at all was sent to the other relay"
    );

    // With its own token typed, the other relay is tested and accepts it;
    // the first relay's token never reached it.
    let (report, _) = test_form(
        &settings,
        FormCredentials {
            relay_token: Some(Secret::new(other_token.clone())),
            access_token: None,
        },
        saved(),
        &lab.targets(),
    )
    .await;
    assert!(report.ok(), "{report:#?}");
    let bytes = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    let authorizations: Vec<&str> = bytes
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("authorization:"))
        .collect();
    assert_eq!(authorizations.len(), 1, "{bytes}");
    assert!(authorizations[0].ends_with(&format!("Bearer {other_token}")));
    assert!(
        !bytes.contains(&lab.agent_token),
        "the saved token stayed home"
    );
    other.shutdown().await.unwrap();
}
