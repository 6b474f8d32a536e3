//! `hourglass-sim`: the Cloud API simulator as a command.
//!
//! - `serve` runs the fake Graph API and the control API until Ctrl-C.
//! - `load` posts signed webhooks to a relay at a fixed rate for a fixed time
//!   and prints what happened.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use hourglass_sim::load::{self, LoadConfig};
use hourglass_sim::{Sim, SimConfig};

#[derive(Debug, Parser)]
#[command(
    name = "hourglass-sim",
    version,
    about = "A simulator of Meta's WhatsApp Cloud API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the fake Graph API and the control API (/_sim).
    Serve {
        #[arg(long, default_value = "127.0.0.1:9090")]
        listen: SocketAddr,
        /// The relay that receives webhooks, e.g. http://127.0.0.1:8080.
        #[arg(long, env = "HOURGLASS_SIM_RELAY")]
        relay: Option<String>,
        /// Signs every webhook (X-Hub-Signature-256).
        #[arg(long, env = "HOURGLASS_APP_SECRET")]
        app_secret: String,
        /// The Bearer token the fake Graph API accepts.
        #[arg(
            long,
            env = "HOURGLASS_SIM_ACCESS_TOKEN",
            default_value = "hourglass-demo-access-token"
        )]
        access_token: String,
        #[arg(long, default_value = "106540352242922")]
        phone_number_id: String,
        #[arg(long, default_value = "102290129340398")]
        waba_id: String,
        #[arg(long, default_value = "15550783881")]
        display_phone_number: String,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Run this scenario at start (e.g. demo).
        #[arg(long)]
        scenario: Option<String>,
        /// Millisecond delays and no randomness in delivery, as tests use.
        #[arg(long)]
        fast: bool,
    },
    /// Post signed single-message webhooks at a fixed rate, then report.
    Load {
        #[arg(long)]
        relay: String,
        #[arg(long, env = "HOURGLASS_APP_SECRET")]
        app_secret: String,
        /// Webhooks per second.
        #[arg(long, default_value_t = 100)]
        rate: u32,
        /// How long, e.g. 30s, 2m.
        #[arg(long, default_value = "10s", value_parser = load::parse_duration)]
        duration: Duration,
        /// Most requests waiting for an answer at once.
        #[arg(long, default_value_t = 256)]
        max_in_flight: usize,
        #[arg(long, default_value_t = 500)]
        customers: usize,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve {
            listen,
            relay,
            app_secret,
            access_token,
            phone_number_id,
            waba_id,
            display_phone_number,
            seed,
            scenario,
            fast,
        } => {
            let base = if fast {
                SimConfig::fast()
            } else {
                SimConfig::default()
            };
            let config = SimConfig {
                listen,
                relay_url: relay,
                app_secret,
                access_token,
                phone_number_id,
                waba_id,
                display_phone_number,
                seed,
                ..base
            };
            let sim = match Sim::start(config).await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("hourglass-sim: {e} [{}]", e.code());
                    return ExitCode::FAILURE;
                }
            };
            println!(
                "Graph API:   {}/{}/{}/messages",
                sim.graph_base_url(),
                hourglass_whatsapp::GRAPH_API_VERSION,
                sim.config().phone_number_id
            );
            println!("Control API: {}/_sim", sim.base_url());
            if let Some(name) = scenario {
                match sim.run_scenario(&name).await {
                    Ok(r) => println!(
                        "scenario {}: {} messages from {} customers",
                        r.scenario,
                        r.messages,
                        r.customers.len()
                    ),
                    Err(e) => eprintln!("hourglass-sim: {e}"),
                }
            }
            let _ = tokio::signal::ctrl_c().await;
            sim.shutdown().await;
            ExitCode::SUCCESS
        }
        Command::Load {
            relay,
            app_secret,
            rate,
            duration,
            max_in_flight,
            customers,
            json,
        } => {
            let cfg = LoadConfig {
                rate,
                duration,
                max_in_flight,
                customers,
                ..LoadConfig::new(relay, app_secret)
            };
            match load::run(cfg).await {
                Ok(report) => {
                    if json {
                        match serde_json::to_string(&report) {
                            Ok(s) => println!("{s}"),
                            Err(e) => eprintln!("hourglass-sim: {e}"),
                        }
                    } else {
                        println!("{report}");
                    }
                    if report.accepted == report.sent && report.sent > 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(2)
                    }
                }
                Err(e) => {
                    eprintln!("hourglass-sim: {e} [{}]", e.code());
                    ExitCode::FAILURE
                }
            }
        }
    }
}
