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
    /// Mark cookies `Secure` (`EMALL_SECURE_COOKIES`): on unless explicitly turned off to
    /// serve plain http while developing.
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` names the client (`EMALL_TRUSTED_PROXIES`, comma
    /// separated addresses or CIDR networks): the load balancer, the CDN's egress. Empty:
    /// the peer is the client.
    pub trusted_proxies: Vec<String>,
    /// The bearer token `/metrics` asks for (`EMALL_METRICS_TOKEN`); empty: only this
    /// machine may read it.
    pub metrics_token: String,
    /// A request's handler must answer within this long (`EMALL_REQUEST_TIMEOUT_SECS`).
    pub request_timeout_secs: u64,
    /// A request body must arrive at this many bytes a second at least, after a grace of
    /// `idle_timeout_secs` (`EMALL_MIN_BODY_RATE`).
    pub min_body_bytes_per_sec: u64,
    /// Open connections one client address may hold (`EMALL_MAX_CONNECTIONS_PER_ADDRESS`);
    /// trusted proxies are not limited.
    pub max_connections_per_address: usize,
    /// The city shown when a URL names none.
    pub default_city: String,
    /// Failed sign-ins per username within `login_window_secs` before throttling.
    pub login_max_failures: u32,
    pub login_window_secs: u64,
    /// A connection that brings no whole request head for this long is closed: a client
    /// gone quiet between requests, or one sending its head too slowly
    /// (`EMALL_IDLE_TIMEOUT_SECS`, 1 to 86,400).
    pub idle_timeout_secs: u64,
    /// How often the lifecycle timers run (`EMALL_TIMER_INTERVAL_SECS`; 0 turns them off,
    /// e.g. on a node that should only serve).
    pub timer_interval_secs: u64,
    /// The small-purchase rules (`[rules]` in the file).
    pub rules: Rules,
    /// Red-flag thresholds (`[red_flags]`); the cap and the split window come from `[rules]`.
    pub red_flags: emall_domain::redflags::Thresholds,
    /// The page cache and CDN purges (`[cache]`).
    pub cache: CacheSettings,
}

/// The in-process page cache and the CDN in front of the nodes.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheSettings {
    /// Memory for rendered public pages, in MiB (`EMALL_PAGE_CACHE_MB`; 0 turns it off).
    pub max_mb: u64,
    /// Where purges go, e.g. a CDN's purge API, a relay to it, or Varnish
    /// (`EMALL_PURGE_WEBHOOK`; empty: none).
    pub purge_webhook: String,
    /// Sent as `Authorization: Bearer …` with each purge (`EMALL_PURGE_TOKEN`).
    pub purge_token: String,
    /// How a purge is said (`EMALL_PURGE_FORMAT`).
    pub purge_format: PurgeFormat,
}

/// How the change feed tells the edge which keys to purge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PurgeFormat {
    /// `POST` with the body `{"tags": [...]}` (Cloudflare's purge-by-tag body).
    #[default]
    Json,
    /// `PURGE` with the header `xkey-purge: k1 k2 …` (Varnish with varnish-modules' xkey;
    /// deploy/varnish/emall.vcl).
    Xkey,
}

impl PurgeFormat {
    fn parse(s: &str) -> Option<PurgeFormat> {
        match s {
            "json" => Some(PurgeFormat::Json),
            "xkey" => Some(PurgeFormat::Xkey),
            _ => None,
        }
    }
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            max_mb: 256,
            purge_webhook: String::new(),
            purge_token: String::new(),
            purge_format: PurgeFormat::Json,
        }
    }
}

/// 小额零星采购 rules an operator may set for their mall.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Per-order cap of the e-mall in yuan (`EMALL_ORDER_CAP_YUAN`); above it a formal
    /// procurement method applies.
    pub order_cap_yuan: i64,
    /// Orders of one unit in one category within this many days count together for the
    /// split-purchase check.
    pub split_window_days: i64,
    /// Days after acceptance within which the buyer pays (保障中小企业款项支付条例: 30, at
    /// most 60 when the contract says so). A checkout may ask for up to 60.
    pub payment_terms_days: i64,
    /// Working days the supplier has to confirm a placed order before it is cancelled.
    pub confirm_working_days: u32,
    /// Orders at or above this amount in yuan are published as transaction results
    /// (成交结果公告) and in the public open-data export.
    pub disclosure_yuan: i64,
}

impl Default for Rules {
    fn default() -> Self {
        let d = emall_domain::PurchaseRules::default();
        Rules {
            order_cap_yuan: d.order_cap.get() / 100,
            split_window_days: d.split_window_days,
            payment_terms_days: 30,
            confirm_working_days: 2,
            disclosure_yuan: 10_000,
        }
    }
}

impl Rules {
    pub fn purchase(&self) -> emall_domain::PurchaseRules {
        emall_domain::PurchaseRules {
            order_cap: emall_domain::Fen::from_yuan(self.order_cap_yuan),
            split_window_days: self.split_window_days,
        }
    }

    /// The disclosure amount.
    pub fn disclosure(&self) -> emall_domain::Fen {
        emall_domain::Fen::from_yuan(self.disclosure_yuan)
    }

    fn check(&self) -> Result<(), SettingsError> {
        let bad = |var: &'static str, value: i64| {
            Err(SettingsError::Env {
                var,
                value: value.to_string(),
            })
        };
        if !(1..=100_000_000).contains(&self.order_cap_yuan) {
            return bad("rules.order_cap_yuan", self.order_cap_yuan);
        }
        if !(0..=100_000_000).contains(&self.disclosure_yuan) {
            return bad("rules.disclosure_yuan", self.disclosure_yuan);
        }
        if !(1..=366).contains(&self.split_window_days) {
            return bad("rules.split_window_days", self.split_window_days);
        }
        if !(1..=60).contains(&self.payment_terms_days) {
            return bad("rules.payment_terms_days", self.payment_terms_days);
        }
        if !(1..=30).contains(&self.confirm_working_days) {
            return bad(
                "rules.confirm_working_days",
                i64::from(self.confirm_working_days),
            );
        }
        Ok(())
    }
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
            secure_cookies: true,
            trusted_proxies: Vec::new(),
            metrics_token: String::new(),
            request_timeout_secs: 60,
            min_body_bytes_per_sec: 1_024,
            max_connections_per_address: 256,
            default_city: "310100".into(),
            login_max_failures: 5,
            login_window_secs: 900,
            idle_timeout_secs: 60,
            timer_interval_secs: 60,
            rules: Rules::default(),
            red_flags: emall_domain::redflags::Thresholds::default(),
            cache: CacheSettings::default(),
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

    /// Loads settings with `env` as the environment: the defaults, then the file, then the
    /// variables, and checks them.
    pub fn load_from(env: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        let mut settings = Self::from_file(&env)?;
        settings.apply_env(&env)?;
        settings.check()?;
        Ok(settings)
    }

    /// The settings file's settings (`EMALL_CONFIG`, else `./emall.toml` if it exists), or
    /// the defaults when there is no file.
    fn from_file(env: &impl Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        let file = env("EMALL_CONFIG").map(PathBuf::from).or_else(|| {
            let default = Path::new("emall.toml");
            default.exists().then(|| default.to_path_buf())
        });
        Ok(match file {
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
        })
    }

    /// Sets what the environment's variables say over the file's settings; the first
    /// variable whose value cannot be one is the error.
    fn apply_env(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        if let Some(v) = env("EMALL_ADDR").or_else(|| env("LEPTOS_SITE_ADDR")) {
            self.addr = v;
        }
        if let Some(v) = env("DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = env("EMALL_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = env("EMALL_SITE_ROOT").or_else(|| env("LEPTOS_SITE_ROOT")) {
            self.site_root = v.into();
        }
        if let Some(v) = env("EMALL_SECURE_COOKIES") {
            self.secure_cookies = match v.as_str() {
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
        // A number from the environment, if set, or the error that names it.
        let number = |var: &'static str| match env(var) {
            None => Ok(None),
            Some(value) => match value.parse::<i64>() {
                Ok(n) if n >= 0 => Ok(Some(n)),
                _ => Err(SettingsError::Env { var, value }),
            },
        };
        if let Some(n) = number("EMALL_SESSION_TTL_HOURS")? {
            self.session_ttl_hours = n;
        }
        if let Some(n) = number("EMALL_TIMER_INTERVAL_SECS")? {
            self.timer_interval_secs = n.unsigned_abs();
        }
        if let Some(n) = number("EMALL_IDLE_TIMEOUT_SECS")? {
            self.idle_timeout_secs = n.unsigned_abs();
        }
        if let Some(n) = number("EMALL_REQUEST_TIMEOUT_SECS")? {
            self.request_timeout_secs = n.unsigned_abs();
        }
        if let Some(n) = number("EMALL_MIN_BODY_RATE")? {
            self.min_body_bytes_per_sec = n.unsigned_abs();
        }
        if let Some(n) = number("EMALL_MAX_CONNECTIONS_PER_ADDRESS")? {
            self.max_connections_per_address = n.unsigned_abs() as usize;
        }
        if let Some(v) = env("EMALL_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
        }
        if let Some(v) = env("EMALL_METRICS_TOKEN") {
            self.metrics_token = v;
        }
        if let Some(n) = number("EMALL_ORDER_CAP_YUAN")? {
            self.rules.order_cap_yuan = n;
        }
        if let Some(n) = number("EMALL_PAGE_CACHE_MB")? {
            self.cache.max_mb = n.unsigned_abs();
        }
        if let Some(v) = env("EMALL_PURGE_WEBHOOK") {
            self.cache.purge_webhook = v;
        }
        if let Some(v) = env("EMALL_PURGE_TOKEN") {
            self.cache.purge_token = v;
        }
        if let Some(v) = env("EMALL_PURGE_FORMAT") {
            self.cache.purge_format = PurgeFormat::parse(&v).ok_or(SettingsError::Env {
                var: "EMALL_PURGE_FORMAT",
                value: v,
            })?;
        }
        Ok(())
    }

    /// Refuses settings out of their bounds, naming the first: the purge webhook's scheme,
    /// the timeouts, the trusted proxies, the connection limit, the small-purchase rules.
    fn check(&self) -> Result<(), SettingsError> {
        let webhook = &self.cache.purge_webhook;
        if !webhook.is_empty()
            && !(webhook.starts_with("http://") || webhook.starts_with("https://"))
        {
            return Err(SettingsError::Env {
                var: "cache.purge_webhook",
                value: webhook.clone(),
            });
        }
        if !(1..=86_400).contains(&self.idle_timeout_secs) {
            return Err(SettingsError::Env {
                var: "idle_timeout_secs",
                value: self.idle_timeout_secs.to_string(),
            });
        }
        if let Some(bad) = self
            .trusted_proxies
            .iter()
            .find(|n| crate::auth::client::Network::parse(n).is_none())
        {
            return Err(SettingsError::Env {
                var: "trusted_proxies",
                value: bad.clone(),
            });
        }
        for (var, value, range) in [
            ("request_timeout_secs", self.request_timeout_secs, 1..=3_600),
            (
                "min_body_bytes_per_sec",
                self.min_body_bytes_per_sec,
                1..=100_000_000,
            ),
            (
                "max_connections_per_address",
                self.max_connections_per_address as u64,
                1..=1_000_000,
            ),
        ] {
            if !range.contains(&value) {
                return Err(SettingsError::Env {
                    var,
                    value: value.to_string(),
                });
            }
        }
        self.rules.check()?;
        Ok(())
    }

    /// The trusted proxies, parsed (checked when the settings were loaded).
    pub fn trusted_networks(&self) -> Vec<crate::auth::client::Network> {
        self.trusted_proxies
            .iter()
            .filter_map(|n| crate::auth::client::Network::parse(n))
            .collect()
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
    fn rules_come_from_the_file_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("emall.toml");
        std::fs::write(
            &file,
            "[rules]\norder_cap_yuan = 50000\npayment_terms_days = 60\n",
        )
        .unwrap();
        let path = file.display().to_string();
        let s = Settings::load_from(|k| (k == "EMALL_CONFIG").then(|| path.clone())).unwrap();
        assert_eq!(
            s.rules.purchase().order_cap,
            emall_domain::Fen::from_yuan(50_000)
        );
        assert_eq!(s.rules.payment_terms_days, 60);
        assert_eq!(s.rules.split_window_days, 30);
        std::fs::write(&file, "[rules]\npayment_terms_days = 90\n").unwrap();
        let err = Settings::load_from(|k| (k == "EMALL_CONFIG").then(|| path.clone())).unwrap_err();
        assert!(err.to_string().contains("payment_terms_days"), "{err}");
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let err = Settings::load_from(|k| (k == "EMALL_SECURE_COOKIES").then(|| "maybe".into()))
            .unwrap_err();
        assert!(err.to_string().contains("EMALL_SECURE_COOKIES"), "{err}");
        for (var, value, named) in [
            ("EMALL_IDLE_TIMEOUT_SECS", "soon", "EMALL_IDLE_TIMEOUT_SECS"),
            ("EMALL_IDLE_TIMEOUT_SECS", "0", "idle_timeout_secs"),
            ("EMALL_PAGE_CACHE_MB", "-1", "EMALL_PAGE_CACHE_MB"),
            ("EMALL_ORDER_CAP_YUAN", "0", "rules.order_cap_yuan"),
            (
                "EMALL_TRUSTED_PROXIES",
                "10.0.0.0/8, lb.internal",
                "trusted_proxies",
            ),
            ("EMALL_REQUEST_TIMEOUT_SECS", "0", "request_timeout_secs"),
        ] {
            let err = Settings::load_from(|k| (k == var).then(|| value.into())).unwrap_err();
            assert!(err.to_string().contains(named), "{var}={value}: {err}");
        }
        let s = Settings::load_from(|k| (k == "EMALL_IDLE_TIMEOUT_SECS").then(|| "5".into()));
        assert_eq!(s.unwrap().idle_timeout_secs, 5);
        let s = Settings::load_from(|k| {
            (k == "EMALL_TRUSTED_PROXIES").then(|| "10.0.0.0/8, 192.0.2.7".into())
        })
        .unwrap();
        assert_eq!(s.trusted_networks().len(), 2);
        assert!(
            Settings::default().secure_cookies,
            "Secure unless said otherwise"
        );
    }
}
