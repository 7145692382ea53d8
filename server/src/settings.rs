//! Typed settings: defaults, then a TOML file (`EMALL_CONFIG`, else `./emall.toml` if it
//! exists), then environment variables, last one wins.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Listen address (`EMALL_ADDR`).
    pub addr: String,
    /// `postgres://…` or `sqlite://…` (`DATABASE_URL`); empty means SQLite in `data_dir`.
    pub database_url: String,
    /// Where the embedded database and the search index live (`EMALL_DATA_DIR`).
    pub data_dir: PathBuf,
    /// The built site: CSS, wasm and JS under `pkg/` (`EMALL_SITE_ROOT`, `LEPTOS_SITE_ROOT`).
    pub site_root: PathBuf,
    pub max_db_connections: u32,
    pub session_ttl_hours: i64,
    /// Mark cookies `Secure` (set behind HTTPS) (`EMALL_SECURE_COOKIES`).
    pub secure_cookies: bool,
    /// The city shown when a URL names none.
    pub default_city: String,
    /// Failed sign-ins per username within `login_window_secs` before throttling.
    pub login_max_failures: u32,
    pub login_window_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            addr: "127.0.0.1:3000".into(),
            database_url: String::new(),
            data_dir: PathBuf::from("data"),
            site_root: PathBuf::from("target/site"),
            max_db_connections: 16,
            session_ttl_hours: 12,
            secure_cookies: false,
            default_city: "310100".into(),
            login_max_failures: 5,
            login_window_secs: 900,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid settings file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("invalid value for {var}: {value:?}")]
    Env { var: &'static str, value: String },
}

impl Settings {
    /// Loads settings from the environment of this process.
    pub fn load() -> Result<Settings, SettingsError> {
        Self::load_from(|k| std::env::var(k).ok())
    }

    pub fn load_from(env: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        let file = env("EMALL_CONFIG").map(PathBuf::from).or_else(|| {
            let default = Path::new("emall.toml");
            default.exists().then(|| default.to_path_buf())
        });
        let mut settings = match file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(&path).map_err(|source| SettingsError::Read {
                        path: path.clone(),
                        source,
                    })?;
                toml::from_str(&text).map_err(|source| SettingsError::Parse {
                    path,
                    source: Box::new(source),
                })?
            }
            None => Settings::default(),
        };
        if let Some(v) = env("EMALL_ADDR").or_else(|| env("LEPTOS_SITE_ADDR")) {
            settings.addr = v;
        }
        if let Some(v) = env("DATABASE_URL") {
            settings.database_url = v;
        }
        if let Some(v) = env("EMALL_DATA_DIR") {
            settings.data_dir = v.into();
        }
        if let Some(v) = env("EMALL_SITE_ROOT").or_else(|| env("LEPTOS_SITE_ROOT")) {
            settings.site_root = v.into();
        }
        if let Some(v) = env("EMALL_SECURE_COOKIES") {
            settings.secure_cookies = match v.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" | "" => false,
                _ => {
                    return Err(SettingsError::Env {
                        var: "EMALL_SECURE_COOKIES",
                        value: v,
                    })
                }
            };
        }
        if let Some(v) = env("EMALL_SESSION_TTL_HOURS") {
            settings.session_ttl_hours = v.parse().map_err(|_| SettingsError::Env {
                var: "EMALL_SESSION_TTL_HOURS",
                value: v,
            })?;
        }
        Ok(settings)
    }

    /// The database to use: `DATABASE_URL`, else SQLite at `<data_dir>/emall.db`.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("emall.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn environment_overrides_defaults() {
        let env: HashMap<&str, &str> = [
            ("EMALL_ADDR", "0.0.0.0:8080"),
            ("EMALL_DATA_DIR", "/var/lib/emall"),
            ("EMALL_SECURE_COOKIES", "true"),
        ]
        .into();
        let s = Settings::load_from(|k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(s.addr, "0.0.0.0:8080");
        assert!(s.secure_cookies);
        assert_eq!(
            s.database_url(),
            "sqlite:///var/lib/emall/emall.db?mode=rwc"
        );
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let err = Settings::load_from(|k| (k == "EMALL_SECURE_COOKIES").then(|| "maybe".into()))
            .unwrap_err();
        assert!(err.to_string().contains("EMALL_SECURE_COOKIES"), "{err}");
    }
}
