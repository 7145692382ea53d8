use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    health_readiness_and_metrics,
    openapi_document_describes_the_api,
    demo_city_is_big_enough
);

async fn health_readiness_and_metrics(app: TestApp) {
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.get("/").await;
    let metrics = app.get("/metrics").await;
    assert!(metrics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = metrics.text().await.unwrap();
    assert!(
        text.contains("emall_http_requests_total{method=\"GET\",route=\"/\",status=\"2xx\"}"),
        "{text}"
    );
    assert!(text.contains("emall_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    assert!(text.contains("emall_db_connections{state=\"open\"}"));
}

async fn openapi_document_describes_the_api(app: TestApp) {
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/me",
        "/api/v1/orders",
        "/api/v1/units/{id}/budget-lines",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(doc["components"]["schemas"].get("ErrorBody").is_some());
}

async fn demo_city_is_big_enough(app: TestApp) {
    let count = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.pool()).await.unwrap();
            n
        }
    };
    let shanghai_units = count("SELECT COUNT(*) FROM purchasing_units WHERE city = '310100'").await;
    let cities = count("SELECT COUNT(DISTINCT city) FROM purchasing_units").await;
    let units = count("SELECT COUNT(*) FROM purchasing_units").await;
    let suppliers = count("SELECT COUNT(*) FROM suppliers").await;
    let products = count("SELECT COUNT(*) FROM products").await;
    let categories = count("SELECT COUNT(*) FROM categories WHERE is_leaf = 1").await;
    let offers = count("SELECT COUNT(*) FROM offers").await;
    let orders = count("SELECT COUNT(*) FROM orders").await;
    let overspent =
        count("SELECT COUNT(*) FROM budget_lines WHERE frozen_fen + spent_fen > amount_fen").await;
    assert!(
        shanghai_units >= 30 && cities == 3,
        "Shanghai plus two cities"
    );
    assert!(units >= 40 && suppliers >= 30 && products >= 300 && categories >= 20);
    assert!(
        offers >= 1500 && orders >= 2000,
        "offers {offers}, orders {orders}"
    );
    assert_eq!(overspent, 0, "budgets are never overspent");
    let (first, last): (i64, i64) =
        sqlx::query_as("SELECT MIN(created_at), MAX(created_at) FROM orders")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(last - first > 300 * 24 * 3600, "orders span a year");
}

#[test]
fn operation_ids_are_unique() {
    let doc = serde_json::to_value(emall_server::api::openapi_document()).unwrap();
    let mut seen = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                assert!(
                    seen.insert(id.to_string()),
                    "operationId {id} of {method} {path} is used twice"
                );
                // Every operation lists the errors any request can meet.
                for status in ["400", "408", "413", "500", "503"] {
                    assert!(
                        op["responses"].get(status).is_some(),
                        "{method} {path} does not list {status}"
                    );
                }
            }
        }
    }
}

/// The OpenAPI document's list of operations open to visitors is the handlers' own: an
/// operation is public exactly when its handler takes no `Viewer` (or an optional one).
#[test]
fn the_public_operations_are_those_without_a_viewer() {
    let mut public = Vec::new();
    for (_, text) in rust_files(&["server/src/api"]) {
        for annotated in text.split("#[utoipa::path(").skip(1) {
            let (head, rest) = annotated.split_once(", path = \"").unwrap();
            let path = rest.split('"').next().unwrap();
            let signature = rest
                .split_once("async fn ")
                .and_then(|(_, f)| f.split_once("->"))
                .map(|(args, _)| args)
                .unwrap();
            if !signature.contains("Viewer") || signature.contains("Option<Viewer>") {
                public.push((head.trim().to_string(), path.to_string()));
            }
        }
    }
    public.sort();
    let mut listed: Vec<(String, String)> = emall_server::api::openapi::PUBLIC
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    listed.sort();
    assert_eq!(public, listed);
}

/// Every Rust file under `folders` (relative to the workspace), with its text.
fn rust_files(folders: &[&str]) -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs: Vec<_> = folders.iter().map(|f| root.join(f)).collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files
}

/// Each line of every file under the given folders of the server's `src`, with its place.
fn source_lines(folders: &[&str]) -> Vec<(String, String)> {
    let folders: Vec<String> = folders.iter().map(|f| format!("server/src/{f}")).collect();
    let folders: Vec<&str> = folders.iter().map(String::as_str).collect();
    let mut lines = Vec::new();
    for (path, text) in rust_files(&folders) {
        for (n, line) in text.lines().enumerate() {
            lines.push((
                format!("{}:{}", path.display(), n + 1),
                line.trim().to_string(),
            ));
        }
    }
    lines
}

fn offending(folders: &[&str], bad: impl Fn(&str) -> bool) -> String {
    source_lines(folders)
        .into_iter()
        .filter(|(_, line)| bad(line))
        .map(|(at, line)| format!("{at}: {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Handlers and pages write no SQL: they parse, authorise, call the store and answer. No
/// file under `src/api`, `src/pages` or `src/views` names sqlx or reaches for a connection,
/// and no file of the server at all runs a statement: every one is in `emall-store`.
#[test]
fn handlers_and_pages_write_no_sql() {
    let found = offending(&["api", "pages", "views"], |line| {
        line.contains("sqlx") || line.contains(".pool()")
    });
    assert!(found.is_empty(), "SQL outside the store:\n{found}");
    let statements = [
        "sqlx::query",
        "query_as",
        "query_scalar",
        "raw_sql",
        "fetch_all(",
        "fetch_one(",
        "fetch_optional(",
        ".execute(",
    ];
    let found = offending(&[""], |line| statements.iter().any(|s| line.contains(s)));
    assert!(found.is_empty(), "SQL in the server:\n{found}");
}

/// A message's placeholders are filled by name, in one place (`Locale::fill`), never by
/// replacing text; and a handler says what is wrong with a field (a `Problem`), never words
/// of its own: the answer puts it into the reader's language once.
#[test]
fn messages_are_filled_by_name_once() {
    let mut found = Vec::new();
    for (path, text) in rust_files(&["server/src", "app/src", "store/src", "model/src"]) {
        for (n, line) in text.lines().enumerate() {
            if line.contains(".replace(\"{") {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "placeholders replaced by hand:\n{}",
        found.join("\n")
    );
    let found = offending(&["api", "pages", "views", "auth"], |line| {
        line.contains("ApiError::field(") && line.contains("locale")
    });
    assert!(
        found.is_empty(),
        "a field error put in words by its handler:\n{found}"
    );
}

/// The API and the pages never call each other: what both need is in `views` (read
/// models), `auth` or the store. The views serve both and know neither.
#[test]
fn api_and_pages_stand_apart() {
    // `crate::api`, `super::super::pages`…, but not `crate::apis` or `crate::pages_x`.
    let names = |module: &'static str| {
        move |line: &str| {
            ["crate::", "super::super::"].iter().any(|root| {
                let path = format!("{root}{module}");
                line.match_indices(&path).any(|(at, _)| {
                    !line[at + path.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            })
        }
    };
    for (folder, other) in [
        ("api", "pages"),
        ("pages", "api"),
        ("views", "api"),
        ("views", "pages"),
    ] {
        let found = offending(&[folder], names(other));
        assert!(found.is_empty(), "src/{folder} calls {other}:\n{found}");
    }
}

/// Every schema of the OpenAPI document has a name of its own: two types under one name
/// would leave one of them documented as the other.
#[test]
fn schema_names_are_unique() {
    let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (path, text) in rust_files(&["server/src", "app/src", "domain/src"]) {
        for item in text.split("ToSchema").skip(1) {
            // The attributes between the derive and the item, then the item's name.
            let Some(at) = item.find("pub struct ").or_else(|| item.find("pub enum ")) else {
                continue;
            };
            let attributes = &item[..at];
            let declared = item[at..]
                .split_whitespace()
                .nth(2)
                .unwrap()
                .trim_end_matches(['{', '(', '<', ';']);
            let name = attributes
                .split_once("#[schema(as = ")
                .map(|(_, rest)| rest.split(')').next().unwrap().trim())
                .unwrap_or(declared);
            names
                .entry(name.to_string())
                .or_default()
                .push(path.display().to_string());
        }
    }
    let clashes: Vec<_> = names.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(clashes.is_empty(), "schemas sharing a name: {clashes:?}");
}

/// The crates' direct dependencies and, for the pure domain, everything it pulls in: what
/// each crate of the workspace must never depend on (ARCHITECTURE.md, one invariant per
/// crate), read from `cargo metadata`.
#[test]
fn the_crate_graph_keeps_its_invariants() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // This machine's dependencies only. Not `--offline`: in a fresh clone the browser's
    // crates (wasm only) are not downloaded yet, and the resolve reads their manifests.
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .unwrap();
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("rustc names its host");
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .args(["--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    // A package's normal (not dev, not build) dependencies, by crate name.
    let direct = |name: &str| -> Vec<String> {
        let package = packages
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no package {name}"));
        package["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect()
    };
    let never = [
        // crate: what it must never depend on directly
        (
            "emall-domain",
            &[
                "sqlx",
                "axum",
                "leptos",
                "tantivy",
                "tokio",
                "rusqlite",
                "emall-app",
                "emall-search",
                "emall-server",
            ][..],
        ),
        (
            "emall-search",
            &[
                "sqlx",
                "axum",
                "leptos",
                "tokio",
                "emall-app",
                "emall-server",
            ][..],
        ),
        (
            "emall-app",
            &[
                "sqlx",
                "axum",
                "tokio",
                "tantivy",
                "rusqlite",
                "emall-search",
                "emall-server",
            ][..],
        ),
        (
            "emall-frontend",
            &[
                "sqlx",
                "axum",
                "tokio",
                "tantivy",
                "emall-search",
                "emall-server",
            ][..],
        ),
        (
            "emall-model",
            &[
                "sqlx",
                "axum",
                "leptos",
                "tokio",
                "tantivy",
                "rusqlite",
                "emall-app",
                "emall-search",
                "emall-store",
                "emall-server",
            ][..],
        ),
        (
            "emall-store",
            &[
                "axum",
                "hyper",
                "tower",
                "http",
                "leptos",
                "emall-app",
                "emall-frontend",
                "emall-server",
            ][..],
        ),
        ("emall-server", &["emall-frontend"][..]),
        (
            "xtask",
            &[
                "emall-server",
                "emall-app",
                "emall-domain",
                "sqlx",
                "leptos",
            ][..],
        ),
    ];
    let mut broken = Vec::new();
    for (krate, forbidden) in never {
        for dep in direct(krate) {
            if forbidden.contains(&dep.as_str()) {
                broken.push(format!("{krate} depends on {dep}"));
            }
        }
    }
    // The domain and the model are pure all the way down: nothing they pull in does IO or
    // runs a runtime. The store reaches HTTP and the UI through nothing it pulls in.
    let io = [
        "tokio",
        "sqlx-core",
        "mio",
        "hyper",
        "leptos",
        "tantivy",
        "rusqlite",
    ];
    let ui = [
        "axum",
        "hyper",
        "leptos",
        "tower",
        "emall-app",
        "emall-server",
    ];
    for (krate, forbidden) in [
        ("emall-domain", &io[..]),
        ("emall-model", &io[..]),
        ("emall-store", &ui[..]),
    ] {
        for name in all_dependencies(&meta, krate) {
            if forbidden.contains(&name.as_str()) {
                broken.push(format!("{krate} pulls in {name}"));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// The names of every package `krate` pulls in through normal dependencies, transitively,
/// with the features this workspace turns on.
fn all_dependencies(meta: &serde_json::Value, krate: &str) -> std::collections::BTreeSet<String> {
    let packages = meta["packages"].as_array().unwrap();
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let name_of = |id: &str| {
        packages
            .iter()
            .find(|p| p["id"] == id)
            .map(|p| p["name"].as_str().unwrap().to_string())
            .unwrap()
    };
    let start = packages
        .iter()
        .find(|p| p["name"] == krate)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no package {krate}"));
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![start.clone()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let node = nodes.iter().find(|n| n["id"] == id.as_str()).unwrap();
        for dep in node["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                stack.push(dep["pkg"].as_str().unwrap().to_string());
            }
        }
    }
    seen.remove(&start);
    seen.iter().map(|id| name_of(id)).collect()
}

/// The islands speak the API through its own types (`emall_app::model`, which the handlers
/// read and answer with too): no body is built with `json!` and no answer is read as an
/// untyped `serde_json::Value`, so renaming a field breaks the build, not a page.
#[test]
fn islands_send_and_read_the_contracts_types() {
    let mut found = Vec::new();
    for (path, text) in rust_files(&["app/src/islands"]) {
        for (n, line) in text.lines().enumerate() {
            if line.contains("json!") || line.contains("serde_json::Value") {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "untyped API bodies:\n{}",
        found.join("\n")
    );
}

/// Code reads in small pieces: no function of the product is longer than 120 lines and no
/// file holds more than 600 before its tests. (The message catalogue is data, in
/// `model/messages`.) Every member of the workspace is read, so a new crate is too.
#[test]
fn functions_and_files_stay_short() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("members = ["))
        .expect("the workspace lists its members on one line");
    let crates: Vec<&str> = members
        .trim_end_matches(']')
        .split(',')
        .map(|m| m.trim().trim_matches('"'))
        .filter(|m| !m.is_empty())
        .collect();
    assert!(crates.len() >= 8, "members: {crates:?}");
    let folders: Vec<String> = crates.iter().map(|c| format!("{c}/src")).collect();
    let folders: Vec<&str> = folders.iter().map(String::as_str).collect();
    let mut long = Vec::new();
    for (path, text) in rust_files(&folders) {
        let lines: Vec<&str> = text.lines().collect();
        let end = lines
            .iter()
            .position(|l| l.starts_with("#[cfg(test)]"))
            .unwrap_or(lines.len());
        if end > 600 {
            long.push(format!("{}: {end} lines before its tests", path.display()));
        }
        for (i, line) in lines[..end].iter().enumerate() {
            let code = line.trim_start();
            let indent = &line[..line.len() - code.len()];
            let is_fn = [
                "fn ",
                "pub fn ",
                "async fn ",
                "pub async fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "pub(crate) async fn ",
                "const fn ",
                "pub const fn ",
            ]
            .iter()
            .any(|p| code.starts_with(p));
            if !is_fn || line.trim_end().ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            let length = lines[i..end]
                .iter()
                .position(|l| *l == close)
                .map_or(0, |n| n + 1);
            if length > 120 {
                long.push(format!("{}:{}: {length} lines", path.display(), i + 1));
            }
        }
    }
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}
