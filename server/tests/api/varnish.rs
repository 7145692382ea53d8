//! A real edge in front: Varnish, configured by the repository's production example
//! (`deploy/varnish/emall.vcl`, with varnish-modules' xkey), before two nodes on one
//! PostgreSQL. A page is kept at the edge by its surrogate keys, and a write on either node
//! purges exactly the pages naming what it changed, within a second.

use crate::edge::{offer_and_product, shows, undercut, within_a_second};
use crate::helpers::spawn_app_with;
use emall_server::settings::{PurgeFormat, Settings};
use emall_store::db::Backend;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// A `varnishd` in the foreground, killed when dropped.
struct Varnish {
    child: tokio::process::Child,
    port: u16,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

fn varnishd() -> PathBuf {
    ["/usr/sbin/varnishd", "/usr/local/sbin/varnishd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect(
            "varnishd is missing: install Debian's varnish and varnish-modules (scripts/test does)",
        )
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Varnish {
    /// Varnish on `port` before the nodes on `nodes`, with the production VCL.
    async fn start(port: u16, nodes: &[u16]) -> Varnish {
        let dir = tempfile::tempdir().unwrap();
        // varnishd's workers run as its own user: the work directory must be theirs to read.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut backends = String::new();
        for (i, node) in nodes.iter().enumerate() {
            backends.push_str(&format!(
                "backend node_{i} {{ .host = \"127.0.0.1\"; .port = \"{node}\"; }}\n"
            ));
        }
        backends.push_str("sub vcl_init {\n");
        for i in 0..nodes.len() {
            backends.push_str(&format!("    nodes.add_backend(node_{i});\n"));
        }
        backends.push_str("}\n");
        std::fs::write(dir.path().join("backends.vcl"), backends).unwrap();
        let vcl = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/varnish");
        let vcl = vcl.canonicalize().expect("deploy/varnish");
        let child = tokio::process::Command::new(varnishd())
            .arg("-F")
            .arg("-n")
            .arg(dir.path().join("work"))
            .arg("-a")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-f")
            .arg(vcl.join("emall.vcl"))
            .arg("-p")
            .arg(format!(
                "vcl_path={}:{}",
                dir.path().display(),
                vcl.display()
            ))
            .arg("-s")
            .arg("malloc,64m")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("varnishd starts");
        let varnish = Varnish {
            child,
            port,
            client: reqwest::Client::new(),
            _dir: dir,
        };
        for _ in 0..200 {
            if let Ok(r) = varnish.client.get(varnish.url("/readyz")).send().await {
                if r.status() == StatusCode::OK {
                    return varnish;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("Varnish did not answer within ten seconds");
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A page through the edge: its HTML and whether the edge kept it (`HIT`, `MISS`).
    async fn page(&self, path: &str) -> (String, String) {
        let r = self.client.get(self.url(path)).send().await.expect("GET");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let edge = r
            .headers()
            .get("x-edge")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (r.text().await.unwrap(), edge)
    }
}

impl Drop for Varnish {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_either_node_purges_the_page_kept_at_varnish_within_a_second() {
    let edge_port = free_port();
    let purges = format!("http://127.0.0.1:{edge_port}/");
    let configure = |s: &mut Settings| {
        s.cache.purge_webhook = purges.clone();
        s.cache.purge_format = PurgeFormat::Xkey;
    };
    let a = spawn_app_with(Backend::Postgres, configure).await;
    let b = a.another_node_with(configure).await;
    let varnish = Varnish::start(edge_port, &[a.port(), b.port()]).await;

    let (offer, product, _) = offer_and_product(&a).await;
    let page = format!("/product/{product}?city=310100");
    let elsewhere = a
        .id(&format!(
            "SELECT MIN(o.product_id) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
             WHERE oc.city = '310100' AND o.product_id <> {product}"
        ))
        .await;
    let unrelated = format!("/product/{elsewhere}?city=310100");
    for path in [&page, &unrelated] {
        assert_eq!(varnish.page(path).await.1, "MISS", "{path} is fetched once");
        assert_eq!(
            varnish.page(path).await.1,
            "HIT",
            "{path} is kept at the edge"
        );
    }

    // Written on each node in turn: whichever node rendered the kept page, the purge comes.
    for (node, name) in [(&b, "B"), (&a, "A")] {
        let price = undercut(node, offer, product).await;
        assert!(
            within_a_second(async || shows(&varnish.page(&page).await.0, price)).await,
            "the edge shows node {name}'s new price within a second"
        );
        assert_eq!(
            varnish.page(&unrelated).await.1,
            "HIT",
            "a page that does not show the product stays kept"
        );
        // Each node tells the edge once its own pages are dropped, so a second purge may
        // still come after the first refill: kept again once the last has.
        assert!(
            within_a_second(async || varnish.page(&page).await.1 == "HIT").await,
            "the new page is kept again"
        );
    }
}
