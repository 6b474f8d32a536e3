//! A real PostgreSQL server for the relay's tests.
//!
//! [`server`] gives the test binary one server: the one at
//! `HOURGLASS_TEST_PG_URL` (an admin URL, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`) if set, else a private
//! cluster this process starts in a temporary folder, listening on
//! 127.0.0.1 only, on a free port, with the newest
//! `/usr/lib/postgresql/<version>/bin` (or `HOURGLASS_TEST_PG_BIN`). Each test takes a fresh database on it
//! ([`Server::fresh_database`]). [`Cluster::start`] gives a test a cluster of
//! its own, for tests that stop and restart the server.
//!
//! A cluster is stopped by its own data directory (`pg_ctl stop -D`), never
//! by name: when dropped, and in any case by a small watchdog that waits for
//! this test process to exit (however it exits) and then stops the cluster
//! and removes its folder.
//!
//! Without PostgreSQL the tests fail, saying how to get it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const HOW_TO_GET_ONE: &str = "The PostgreSQL tests need a PostgreSQL server: install one with \
     `apt-get install -y postgresql` (scripts/setup.sh does), which puts initdb and pg_ctl under \
     /usr/lib/postgresql/<version>/bin, or point HOURGLASS_TEST_PG_URL at a running server \
     (an admin URL such as postgres://postgres@127.0.0.1:5432/postgres).";

/// A server the tests may create databases on.
#[derive(Debug)]
pub struct Server {
    /// An URL with rights to create databases.
    pub admin_url: String,
    _cluster: Option<Cluster>,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The test binary's server, started on first use.
pub fn server() -> &'static Server {
    SERVER.get_or_init(|| match std::env::var("HOURGLASS_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => Server {
            admin_url: url.trim().to_owned(),
            _cluster: None,
        },
        _ => {
            let cluster = Cluster::start();
            Server {
                admin_url: cluster.admin_url(),
                _cluster: Some(cluster),
            }
        }
    })
}

impl Server {
    /// A new, empty database; returns its URL.
    pub async fn fresh_database(&self) -> String {
        let name = format!(
            "hourglass_test_{}_{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::Relaxed),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        create_database(&self.admin_url, &name).await;
        with_dbname(&self.admin_url, &name)
    }
}

pub async fn create_database(admin_url: &str, name: &str) {
    let (client, connection) = tokio_postgres::connect(admin_url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("cannot reach the test PostgreSQL server: {e}. {HOW_TO_GET_ONE}")
        });
    let driver = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap_or_else(|e| panic!("cannot create a test database: {e:?}"));
    drop(client);
    let _ = driver.await;
}

/// `url` naming database `name` instead.
pub fn with_dbname(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgres:// URL");
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let authority = before_query.split('/').next().unwrap_or(before_query);
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A private cluster in a temporary folder.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

fn bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("HOURGLASS_TEST_PG_BIN") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("initdb").exists(),
            "HOURGLASS_TEST_PG_BIN={} holds no initdb. {HOW_TO_GET_ONE}",
            dir.display()
        );
        return dir;
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => panic!("no PostgreSQL server binaries under /usr/lib/postgresql. {HOW_TO_GET_ONE}"),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    l.local_addr().expect("its address").port()
}

impl Cluster {
    /// Creates and starts a cluster; fails the test if it cannot.
    pub fn start() -> Cluster {
        let bin = bin_dir();
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!(
            "hourglass-pg-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir(&dir).expect("create the cluster's folder");
        let mut cluster = Cluster {
            dir,
            bin,
            port: 0,
            as_postgres,
        };
        cluster.watch();
        if as_postgres {
            // initdb refuses to run as root; the package's system user owns the folder.
            let ok = Command::new("chown")
                .args(["postgres:", cluster.dir.to_str().expect("a UTF-8 temp dir")])
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "cannot give {} to the postgres user. {HOW_TO_GET_ONE}",
                cluster.dir.display()
            );
        }
        cluster.run(
            "initdb",
            &[
                "-D",
                cluster.data().to_str().expect("UTF-8"),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        let mut last_error = String::new();
        for _ in 0..5 {
            cluster.port = free_port();
            match cluster.try_start() {
                Ok(()) => return cluster,
                Err(e) => last_error = e,
            }
        }
        panic!("the test PostgreSQL cluster did not start: {last_error}");
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        // The postgres user may not be able to enter the test's folder.
        c.current_dir(&self.dir);
        c
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self
            .command(tool)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}. {HOW_TO_GET_ONE}"));
        assert!(
            out.status.success(),
            "{tool} failed: {}{}\n{HOW_TO_GET_ONE}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn try_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
            self.port,
            self.dir.display()
        );
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("log"))
            .args(["-w", "-t", "60", "-o", &options, "start"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{}{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
            ))
        }
    }

    /// Starts the cluster again after [`Cluster::stop`], on the same port.
    pub fn restart(&self) {
        if let Err(e) = self.try_start() {
            panic!("the test PostgreSQL cluster did not start again: {e}");
        }
    }

    /// Stops the server (fast shutdown: open sessions are cut off).
    pub fn stop(&self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().expect("UTF-8"),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        );
    }

    /// Starts the watchdog that stops this cluster, by its data directory,
    /// once this test process has exited.
    fn watch(&self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let as_user = if self.as_postgres {
            "runuser -u postgres -- "
        } else {
            ""
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {as_user}{pg_ctl} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            pg_ctl = sh_quote(&pg_ctl),
            data = sh_quote(&self.data()),
            dir = sh_quote(&self.dir),
        );
        // `setsid -f` detaches it from this process's session and returns at
        // once, so neither Ctrl-C nor this process's end reaches it.
        let started = Command::new("setsid")
            .args(["-f", "sh", "-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            started,
            "cannot start the cluster's watchdog (setsid, from util-linux)"
        );
    }
}

fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .stdin(Stdio::null())
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
