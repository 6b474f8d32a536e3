//! `hourglass-relay`: serve the relay, or manage its agents.
//!
//! ```text
//! hourglass-relay serve --listen 127.0.0.1:8080 --db relay.db   # HOURGLASS_APP_SECRET, HOURGLASS_VERIFY_TOKEN from the environment
//! hourglass-relay agent add <name> --db relay.db                # prints the token alone on the last line
//! hourglass-relay agent list --db relay.db
//! hourglass-relay agent revoke <name> --db relay.db
//! hourglass-relay prune --older-than 90d --db relay.db               # or `serve --retain 90d`
//! hourglass-relay serve --auto-assign round-robin               # new conversations go to the agents online in turn
//! HOURGLASS_DB=postgres://user:password@host/dbname hourglass-relay serve   # several relays on one PostgreSQL database
//! ```
//!
//! On start, `serve` prints to stdout what Meta's dashboard needs: the
//! callback path (`/webhook`, behind the team's public HTTPS address) and the
//! verify token. It never prints the app secret or agent tokens; the log
//! goes to stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use hourglass_protocol::path;
use hourglass_relay::{Config, Database, EventStore, Limits, Relay, RelayError, Secret, agent};

#[derive(Parser)]
#[command(
    name = "hourglass-relay",
    version,
    about = "The Hourglass webhook relay"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Receive Meta's webhooks and stream them to the agents' apps.
    Serve(ServeArgs),
    /// Manage the agents allowed to read the log.
    #[command(subcommand)]
    Agent(AgentCommand),
    /// Remove events older than an age, in small batches, beside a running
    /// relay. Desktops whose history reaches further back are told from
    /// which date the relay's history starts.
    Prune {
        /// Age of the oldest events to keep, such as 90d, 12h or 2w.
        #[arg(long, value_parser = hourglass_relay::retention::parse_age)]
        older_than: Duration,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Args)]
struct DbArg {
    /// The relay's SQLite database file, or a `postgres://user:password@host/dbname`
    /// URL for a PostgreSQL database shared by several relays (prefer the
    /// environment variable for a URL with a password: flags show up in `ps`).
    #[arg(
        long,
        env = "HOURGLASS_DB",
        default_value = "relay.db",
        hide_env_values = true
    )]
    db: PathBuf,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HOURGLASS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    #[command(flatten)]
    db: DbArg,
    /// The Meta app's App Secret (prefer the environment variable: flags show up in `ps`).
    #[arg(long, env = "HOURGLASS_APP_SECRET", hide_env_values = true)]
    app_secret: Option<String>,
    /// The token Meta must present in the webhook handshake.
    #[arg(long, env = "HOURGLASS_VERIFY_TOKEN", hide_env_values = true)]
    verify_token: Option<String>,
    /// Seconds between heartbeat comments on idle streams.
    #[arg(long, default_value_t = 15)]
    heartbeat_secs: u64,
    /// Keep events for this long (such as 90d) and remove older ones in the
    /// background. Without it, events are kept until `prune` removes them.
    #[arg(long, env = "HOURGLASS_RETAIN", value_parser = hourglass_relay::retention::parse_age)]
    retain: Option<Duration>,
    /// Serve /metrics only to `Authorization: Bearer <this token>`.
    #[arg(long, env = "HOURGLASS_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Assign each new conversation to an agent online: `round-robin`
    /// takes the agents with the app open in turn.
    #[arg(long, env = "HOURGLASS_AUTO_ASSIGN")]
    auto_assign: Option<hourglass_relay::assign::AutoAssign>,
    /// Open connections at most; more are closed as soon as they are accepted.
    #[arg(long, env = "HOURGLASS_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
}

#[derive(Subcommand)]
enum AgentCommand {
    /// Add an agent and print their token (shown only once).
    Add {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// List agents, revoked ones included.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Revoke an agent's token.
    Revoke {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Agent(cmd) => agent_command(cmd),
        Command::Prune { older_than, db } => prune(older_than, &db),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn required(
    value: Option<String>,
    var: &'static str,
    flag: &'static str,
    what: &'static str,
) -> Result<String, RelayError> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or(RelayError::MissingSetting { var, flag, what })
}

fn serve(args: ServeArgs) -> Result<(), RelayError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let app_secret = required(
        args.app_secret,
        "HOURGLASS_APP_SECRET",
        "app-secret",
        "the App Secret from your Meta app's basic settings",
    )?;
    let verify_token = required(
        args.verify_token,
        "HOURGLASS_VERIFY_TOKEN",
        "verify-token",
        "any string you also enter as the Verify token of the webhook in Meta's app dashboard",
    )?;
    // Only the verify token is printed: the admin pastes it into Meta's
    // dashboard. The app secret never leaves the relay.
    let setup_token = verify_token.clone();
    let mut config = Config::new(args.db.db, app_secret, verify_token)
        .with_heartbeat(Duration::from_secs(args.heartbeat_secs.max(1)))
        .with_limits(Limits {
            max_connections: args.max_connections,
            ..Limits::default()
        });
    config.retain = args.retain;
    config.auto_assign = args.auto_assign;
    config.metrics_token = args
        .metrics_token
        .filter(|t| !t.trim().is_empty())
        .map(Secret::new);
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| RelayError::Serve(std::io::Error::other(e.to_string())))?;
    runtime.block_on(async move {
        let relay = Relay::open(config)?;
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| RelayError::bind(&args.listen, e))?;
        // Listening for SIGTERM before saying where the relay listens: a
        // service manager may stop it as soon as it has printed that.
        let shutdown = shutdown_signal();
        if let Ok(addr) = listener.local_addr() {
            print_webhook_setup(addr, &setup_token);
        }
        relay.serve(listener, shutdown).await
    })
}

/// What to paste into Meta's App Dashboard (WhatsApp → Configuration →
/// Webhook), on stdout so it stands apart from the log on stderr.
fn print_webhook_setup(addr: std::net::SocketAddr, verify_token: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Hourglass relay listening on http://{addr}");
    let _ = writeln!(out, "Webhook callback path: {}", path::WEBHOOK);
    let _ = writeln!(
        out,
        "Callback URL for Meta's dashboard: https://<your-domain>{} (the public HTTPS address your TLS proxy forwards to this relay)",
        path::WEBHOOK
    );
    let _ = writeln!(out, "Verify token: {verify_token}");
    let _ = writeln!(
        out,
        "In Meta's App Dashboard open WhatsApp → Configuration → Webhook, enter both, then subscribe to the \"messages\" field."
    );
    let _ = out.flush();
}

/// Ctrl-C, or SIGTERM from a service manager. The handlers are installed
/// when this is called, not when the future is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let term = async {
            match term {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            () = term => {},
        }
    }
}

fn open_store(db: &DbArg) -> Result<std::sync::Arc<dyn EventStore>, RelayError> {
    Database::from(&db.db).open()
}

fn prune(older_than: Duration, db: &DbArg) -> Result<(), RelayError> {
    let store = open_store(db)?;
    let mut out = std::io::stdout().lock();
    let removed = hourglass_relay::retention::prune(store.as_ref(), older_than, |total| {
        if total % 100_000 < u64::from(hourglass_relay::retention::PRUNE_BATCH) {
            let _ = writeln!(out, "removed {total} events so far");
        }
    })?;
    drop(out);
    match store.horizon()? {
        Some(h) => println!(
            "Removed {removed} events. The log now starts at event {} ({}).",
            h.seq,
            utc_timestamp(h.received_at_ms)
        ),
        None => println!("Removed {removed} events. The log is empty."),
    }
    Ok(())
}

/// A Unix-millisecond time as an RFC 3339 UTC timestamp.
fn utc_timestamp(ms: i64) -> String {
    let at = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    humantime::format_rfc3339_seconds(at).to_string()
}

fn agent_command(cmd: AgentCommand) -> Result<(), RelayError> {
    match cmd {
        AgentCommand::Add { name, db } => {
            let store = open_store(&db)?;
            let token = agent::add(store.as_ref(), &name)?;
            println!(
                "Added agent {name}. Their token follows; it is shown only this once. \
                 Enter it in the agent's Hourglass settings:"
            );
            println!("{}", token.expose());
        }
        AgentCommand::List { db } => {
            let store = open_store(&db)?;
            let agents = agent::list(store.as_ref())?;
            if agents.is_empty() {
                println!("No agents yet. Add one with `hourglass-relay agent add <name>`.");
            }
            for a in agents {
                let state = if a.revoked_at_ms.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!("{}\t{state}", a.name);
            }
        }
        AgentCommand::Revoke { name, db } => {
            let store = open_store(&db)?;
            agent::revoke(store.as_ref(), &name)?;
            println!("Revoked agent {name}.");
        }
    }
    Ok(())
}
