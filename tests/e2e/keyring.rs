//! A real Secret Service for the app under test: a private D-Bus session bus
//! with gnome-keyring-daemon on it, its login keyring unlocked, in a
//! temporary home. The app gets [`Keyring::env`], so its tokens land in this
//! keyring and nowhere else; both daemons are killed when it is dropped.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Keyring {
    root: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
    bus: Child,
    daemon: Child,
}

fn require(tool: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(tool))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| panic!("`{tool}` is not installed: run scripts/setup.sh"))
}

impl Keyring {
    pub fn start() -> Keyring {
        let dbus_daemon = require("dbus-daemon");
        let gnome_keyring = require("gnome-keyring-daemon");
        require("dbus-send");
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let runtime = root.path().join("run");
        for dir in [&home, &runtime] {
            std::fs::create_dir_all(dir).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let address = format!("unix:path={}", root.path().join("bus").display());
        let env = vec![
            ("HOME", home.display().to_string()),
            ("XDG_RUNTIME_DIR", runtime.display().to_string()),
            (
                "XDG_DATA_HOME",
                home.join(".local/share").display().to_string(),
            ),
            (
                "XDG_CONFIG_HOME",
                home.join(".config").display().to_string(),
            ),
            ("XDG_CACHE_HOME", home.join(".cache").display().to_string()),
            ("DBUS_SESSION_BUS_ADDRESS", address.clone()),
        ];
        let bus_log = File::create(root.path().join("dbus.log")).unwrap();
        let bus = Command::new(dbus_daemon)
            .args(["--session", "--nofork", "--nopidfile"])
            .arg(format!("--address={address}"))
            .stdin(Stdio::null())
            .stdout(bus_log.try_clone().unwrap())
            .stderr(bus_log)
            .spawn()
            .unwrap();
        let keyring_log = File::create(root.path().join("keyring.log")).unwrap();
        // Wait for the bus socket before starting the keyring on it.
        let started = Instant::now();
        while !root.path().join("bus").exists() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "dbus-daemon did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut daemon = Command::new(gnome_keyring)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(keyring_log.try_clone().unwrap())
            .stderr(keyring_log)
            .spawn()
            .unwrap();
        // The login keyring's password; it ends at end of input.
        daemon
            .stdin
            .take()
            .unwrap()
            .write_all(b"e2e-keyring-password")
            .unwrap();
        let keyring = Keyring {
            root,
            env,
            bus,
            daemon,
        };
        let started = Instant::now();
        while !keyring.has_secret_service() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "gnome-keyring-daemon did not come up: {}",
                std::fs::read_to_string(keyring.root.path().join("keyring.log"))
                    .unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        keyring
    }

    fn has_secret_service(&self) -> bool {
        Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--reply-timeout=2000",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }

    /// The variables that put a process on this keyring's bus and home.
    pub fn env(&self) -> Vec<(&'static str, &str)> {
        self.env.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    /// Where gnome-keyring keeps its files (encrypted).
    pub fn home(&self) -> &Path {
        Path::new(&self.env[0].1)
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        for child in [&mut self.daemon, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
