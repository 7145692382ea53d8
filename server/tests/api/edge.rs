//! Edge caching: public pages are the same bytes for every visitor with validators and
//! surrogate keys, are kept and answered from memory, and are purged within a second of a
//! price change on every node and at the CDN; personal pages are never stored.

use crate::catalogue::demo_supplier_offer;
use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::on_both_backends;
use emall_store::db::Backend;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, ETAG, IF_NONE_MATCH, VARY};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

on_both_backends!(
    public_pages_are_the_same_bytes_for_everyone_and_revalidate,
    a_price_change_purges_exactly_the_pages_showing_it,
    a_checkout_changes_the_product_page_only_when_the_stock_level_moves,
    personal_pages_and_signed_in_answers_are_never_stored,
);

const PUBLIC: &str =
    "public, max-age=0, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400";

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// A request as a browser sends it: brotli or gzip accepted.
async fn fetch(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    encoding: &str,
) -> reqwest::Response {
    client
        .get(app.url(path))
        .header(ACCEPT_ENCODING, encoding)
        .send()
        .await
        .expect("GET")
}

/// A conditional request for the brotli form held under `etag`.
async fn revalidate(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    etag: &str,
) -> reqwest::Response {
    client
        .get(app.url(path))
        .header(ACCEPT_ENCODING, "br")
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("GET")
}

/// A page's HTML, decoded from brotli.
async fn html(app: &TestApp, path: &str) -> (String, String) {
    let r = fetch(app, &app.client, path, "br").await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(header(&r, "content-encoding"), "br", "{path}");
    let cache = header(&r, "x-cache");
    let bytes = r.bytes().await.unwrap();
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("brotli");
    (String::from_utf8(out).unwrap(), cache)
}

/// An offer of `demo-supplier` in Shanghai, its product and the product's model (to search).
pub(crate) async fn offer_and_product(app: &TestApp) -> (i64, i64, String) {
    let offer = demo_supplier_offer(app, "").await;
    let product = app
        .id(&format!("SELECT product_id FROM offers WHERE id = {offer}"))
        .await;
    let (model,): (String,) =
        sqlx::query_as(&format!("SELECT model FROM products WHERE id = {product}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    (
        offer,
        product,
        model.bytes().map(|b| format!("%{b:02X}")).collect(),
    )
}

async fn public_pages_are_the_same_bytes_for_everyone_and_revalidate(app: TestApp) {
    let (offer, product, _) = offer_and_product(&app).await;
    let supplier = app
        .id(&format!(
            "SELECT supplier_id FROM offers WHERE id = {offer}"
        ))
        .await;
    let path = format!("/product/{product}?city=310100");

    let first = fetch(&app, &app.client, &path, "gzip, deflate, br").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, "cache-control"), PUBLIC);
    assert_eq!(header(&first, "content-encoding"), "br");
    assert_eq!(header(&first, "vary"), "Accept-Encoding");
    assert_eq!(header(&first, "x-cache"), "MISS");
    assert_eq!(header(&first, "x-content-type-options"), "nosniff");
    let keys = header(&first, "surrogate-key");
    for key in [
        format!("product-{product}"),
        format!("offer-{offer}"),
        format!("supplier-{supplier}"),
    ] {
        assert!(keys.split(' ').any(|k| k == key), "{key} in {keys}");
    }
    assert!(
        keys.contains("category-A"),
        "the product's categories: {keys}"
    );
    assert_eq!(header(&first, "cache-tag"), keys.replace(' ', ","));
    let etag = header(&first, "etag");
    assert!(
        etag.starts_with('"') && etag.ends_with("-br\""),
        "a strong tag: {etag}"
    );
    let first_body = first.bytes().await.unwrap();

    // A signed-in buyer gets the very same bytes, from memory.
    let (buyer, _) = app.as_user("demo-buyer").await;
    let second = fetch(&app, &buyer, &path, "br").await;
    assert_eq!(header(&second, "x-cache"), "HIT");
    assert_eq!(header(&second, "etag"), etag);
    assert_eq!(second.bytes().await.unwrap(), first_body);

    // Revalidation: the tag of the held representation gets a bodiless 304.
    let again = revalidate(&app, &buyer, &path, &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    assert_eq!(header(&again, "cache-control"), PUBLIC);
    assert!(again.bytes().await.unwrap().is_empty());

    // Every encoding is the same document; the plain one carries no nonce.
    let gz = fetch(&app, &app.client, &path, "gzip").await;
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    assert_ne!(header(&gz, "etag"), etag, "each encoding has its own tag");
    let mut from_gzip = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&gz.bytes().await.unwrap()[..]),
        &mut from_gzip,
    )
    .unwrap();
    let plain = app.client.get(app.url(&path)).send().await.unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let plain = plain.text().await.unwrap();
    let mut from_br = Vec::new();
    brotli::BrotliDecompress(&mut &first_body[..], &mut from_br).unwrap();
    assert_eq!(from_gzip, plain);
    assert_eq!(from_br, plain.as_bytes());
    assert!(plain.starts_with("<!DOCTYPE html>") && !plain.contains("nonce"));

    // The English page is its own entry.
    let en = fetch(&app, &app.client, &format!("/en{path}"), "br").await;
    assert_eq!(header(&en, "x-cache"), "MISS");

    // Every public page is cacheable and names what it shows.
    for (page, key) in [
        ("/?city=310100".to_string(), "listings-310100".to_string()),
        (
            "/search?q=%E7%BA%B8&city=310100".into(),
            "listings-310100".into(),
        ),
        (
            format!("/supplier/{supplier}?city=310100"),
            format!("supplier-{supplier}"),
        ),
        (
            format!("/supplier/{supplier}/performance"),
            format!("supplier-{supplier}"),
        ),
        ("/pools?city=310100".into(), "pools".into()),
        ("/disclosure".into(), "disclosure".into()),
    ] {
        let r = fetch(&app, &app.client, &page, "br").await;
        assert_eq!(r.status(), StatusCode::OK, "{page}");
        assert_eq!(header(&r, "cache-control"), PUBLIC, "{page}");
        let keys = header(&r, "surrogate-key");
        assert!(keys.split(' ').any(|k| k == key), "{page}: {key} in {keys}");
        assert_eq!(
            header(&fetch(&app, &app.client, &page, "br").await, "x-cache"),
            "HIT",
            "{page}"
        );
    }

    // Single flight: a burst on a cold page renders it once.
    let cold = format!("/en/product/{product}?city=310100&burst=1");
    let burst =
        futures::future::join_all((0..16).map(|_| fetch(&app, &app.client, &cold, "br"))).await;
    let misses = burst
        .iter()
        .filter(|r| header(r, "x-cache") == "MISS")
        .count();
    assert_eq!(misses, 1, "one render for the burst");
    let tags: std::collections::BTreeSet<String> =
        burst.iter().map(|r| header(r, "etag")).collect();
    assert_eq!(tags.len(), 1, "one document for the burst");

    // A page that does not exist is not kept, and says so in HTML.
    let missing = fetch(&app, &app.client, "/product/99999999?city=310100", "br").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().get("x-cache").is_none());

    // Fingerprinted assets: immutable, sent precompressed.
    let pkg = app.data_dir().join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("emall.0123abcd.css"), "body{color:#123}").unwrap();
    std::fs::write(pkg.join("emall.0123abcd.css.br"), b"compressed").unwrap();
    let asset = fetch(&app, &app.client, "/pkg/emall.0123abcd.css", "br").await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        header(&asset, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&asset, "content-encoding"), "br");
    assert_eq!(asset.bytes().await.unwrap(), &b"compressed"[..]);

    let metrics = app.get("/metrics").await.text().await.unwrap();
    let hits: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("emall_page_cache_requests_total{outcome=\"hit\"} "))
        .expect("hits are counted")
        .parse()
        .unwrap();
    assert!(hits >= 20, "{hits} hits");
}

/// One response read off a raw connection: status, headers (`date` left out) and body.
type Raw = (u16, Vec<(String, String)>, Vec<u8>);

/// A plain TCP connection to the app, for requests written byte by byte.
async fn raw_connection(app: &TestApp) -> tokio::net::TcpStream {
    let port = app.address.rsplit(':').next().unwrap();
    tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap()
}

/// Reads the responses to `asked` (the methods of the requests, in order) from `bytes`.
fn responses(mut bytes: &[u8], asked: &[&str]) -> Vec<Raw> {
    let mut out = Vec::new();
    for method in asked {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        let httparse::Status::Complete(len) = response.parse(bytes).expect("a response head")
        else {
            panic!("a whole response head");
        };
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .filter(|h| !h.name.eq_ignore_ascii_case("date"))
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8(h.value.to_vec()).unwrap(),
                )
            })
            .collect();
        let status = response.code.unwrap();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let length = if *method == "HEAD" { 0 } else { length };
        out.push((status, headers, bytes[len..len + length].to_vec()));
        bytes = &bytes[len + length..];
    }
    assert!(bytes.is_empty(), "nothing after the last response");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_page_is_the_same_from_the_listener_and_from_the_application() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(Backend::Sqlite).await;
    let (_, product, _) = offer_and_product(&app).await;
    let path = format!("/product/{product}?city=310100");
    let first = fetch(&app, &app.client, &path, "br").await;
    assert_eq!(header(&first, "x-cache"), "MISS");
    let etag = header(&first, "etag");

    // Pipelined in one write: two hits the listener answers, a request it hands to the
    // application with the rest of the bytes, then the same hit again through the
    // application's stack.
    let get = |extra: &str| {
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n{extra}\r\n")
    };
    let asked = [
        get(""),
        format!("HEAD {path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n\r\n"),
        get(&format!("If-None-Match: {etag}\r\n")),
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        get(""),
        get(&format!("If-None-Match: {etag}\r\nConnection: close\r\n")),
    ];
    let mut tcp = raw_connection(&app).await;
    tcp.write_all(asked.concat().as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    tcp.read_to_end(&mut bytes).await.unwrap();
    let got = responses(&bytes, &["GET", "HEAD", "GET", "GET", "GET", "GET"]);

    // Sorted, without `connection` (the last answer says `close`, as asked).
    let sorted = |r: &Raw| {
        let mut h: Vec<_> =
            r.1.iter()
                .filter(|(n, _)| n != "connection")
                .cloned()
                .collect();
        h.sort();
        h
    };
    let (listener, head, not_modified, health, application, not_modified_again) =
        (&got[0], &got[1], &got[2], &got[3], &got[4], &got[5]);
    assert_eq!(listener.0, 200);
    assert_eq!(listener.2, first.bytes().await.unwrap());
    assert!(listener.1.contains(&("x-cache".into(), "HIT".into())));
    assert_eq!((health.0, &health.2[..]), (200, &b"ok"[..]));
    assert_eq!(application.0, 200);
    assert_eq!(application.2, listener.2, "the same body both ways");
    assert_eq!(
        sorted(application),
        sorted(listener),
        "the same headers both ways"
    );
    assert_eq!(head.0, 200);
    assert_eq!(
        sorted(head),
        sorted(listener),
        "HEAD: the same head, no body"
    );
    assert!(head.2.is_empty());
    assert_eq!((not_modified.0, not_modified_again.0), (304, 304));
    assert!(not_modified.2.is_empty());
    assert_eq!(sorted(not_modified), sorted(not_modified_again));
    assert!(!not_modified
        .1
        .iter()
        .any(|(n, _)| n == "content-type" || n == "content-encoding" || n == "content-length"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_run_of_pipelined_requests_is_answered_whole_and_in_order() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(Backend::Sqlite).await;
    let (_, product, _) = offer_and_product(&app).await;
    let path = format!("/product/{product}?city=310100");
    let page = fetch(&app, &app.client, &path, "br")
        .await
        .bytes()
        .await
        .unwrap();
    // About 1 MB of answers to requests sent in one go, more than the listener writes at
    // once; the last request closes the connection.
    let get = format!("GET {path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n\r\n");
    let n = 400;
    let mut asked = get.repeat(n - 1);
    asked.push_str(&get.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
    let mut tcp = raw_connection(&app).await;
    tcp.write_all(asked.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    tcp.read_to_end(&mut bytes).await.unwrap();
    let got = responses(&bytes, &vec!["GET"; n]);
    assert_eq!(got.len(), n);
    assert!(got.iter().all(|r| r.0 == 200 && r.2 == page));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_slow_and_stalled_connections_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(Backend::Sqlite, |s| s.idle_timeout_secs = 1).await;
    let (_, product, _) = offer_and_product(&app).await;
    let path = format!("/product/{product}?city=310100");
    fetch(&app, &app.client, &path, "br").await;
    // Reads until the server closes; how long that took and what came.
    let until_closed = async |tcp: &mut tokio::net::TcpStream| {
        let start = Instant::now();
        let mut bytes = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut bytes))
            .await
            .expect("closed within ten seconds")
            .unwrap();
        (start.elapsed(), bytes)
    };
    let hit = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");

    // A head sent too slowly, to the listener and after the hand-off to hyper.
    let mut slow = raw_connection(&app).await;
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (waited, bytes) = until_closed(&mut slow).await;
    assert!(
        bytes.is_empty() && waited >= Duration::from_millis(900),
        "{waited:?}"
    );
    let mut handed = raw_connection(&app).await;
    handed
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n")
        .await
        .unwrap();
    let (_, bytes) = until_closed(&mut handed).await;
    assert_eq!(responses(&bytes, &["GET"])[0].0, 200);

    // Quiet between requests, on either side.
    for first in [hit.as_str(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"] {
        let mut quiet = raw_connection(&app).await;
        quiet.write_all(first.as_bytes()).await.unwrap();
        let (waited, bytes) = until_closed(&mut quiet).await;
        assert_eq!(responses(&bytes, &["GET"])[0].0, 200, "{first}");
        assert!(waited >= Duration::from_millis(900), "{first}: {waited:?}");
    }

    // A client that keeps asking but takes no answers is let go: it gets far fewer than
    // it asked for, however long it then reads.
    let asked = 20_000;
    let (mut reader, mut writer) = raw_connection(&app).await.into_split();
    let many = hit.repeat(asked);
    tokio::spawn(async move { writer.write_all(many.as_bytes()).await });
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut bytes = Vec::new();
    let ended = tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut bytes))
        .await
        .expect("closed within ten seconds");
    let answered = bytes.windows(12).filter(|w| w == b"HTTP/1.1 200").count();
    assert!(answered < asked / 2, "{answered} answered, {ended:?}");

    // A connection that keeps asking stays open past the idle time (HEAD: one short answer
    // per read).
    let mut busy = raw_connection(&app).await;
    let mut buf = vec![0; 64 * 1024];
    let head = hit.replacen("GET", "HEAD", 1);
    for _ in 0..5 {
        busy.write_all(head.as_bytes()).await.unwrap();
        let n = busy.read(&mut buf).await.unwrap();
        assert!(n > 0 && buf.starts_with(b"HTTP/1.1 200"), "still served");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Polls until `check` holds, for at most a second.
pub(crate) async fn within_a_second(mut check: impl AsyncFnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

/// The supplier lowers the offer to one fen under the city's lowest price; returns the price.
pub(crate) async fn undercut(app: &TestApp, offer: i64, product: i64) -> i64 {
    let lowest = app
        .id(&format!(
            "SELECT MIN(o.price_fen) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
             WHERE o.product_id = {product} AND oc.city = '310100' AND o.status = 'on_sale'"
        ))
        .await;
    let (client, token) = app.as_user("demo-supplier").await;
    let r = client
        .patch(app.url(&format!("/api/v1/offers/{offer}")))
        .header("x-csrf-token", token)
        .json(&json!({"price_fen": lowest - 1, "reason": "促销"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    lowest - 1
}

pub(crate) fn shows(page: &str, price: i64) -> bool {
    page.contains(&emall_domain::Fen(price).to_string())
}

async fn a_price_change_purges_exactly_the_pages_showing_it(app: TestApp) {
    let (offer, product, model) = offer_and_product(&app).await;
    let product_page = format!("/product/{product}?city=310100");
    let search_page = format!("/search?q={model}&city=310100");
    let elsewhere = app
        .id(&format!(
            "SELECT MIN(o.product_id) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
             WHERE oc.city = '310100' AND o.product_id <> {product}"
        ))
        .await;
    let unrelated = format!("/product/{elsewhere}?city=310100");
    for page in [&product_page, &search_page, &unrelated] {
        html(&app, page).await;
        assert_eq!(html(&app, page).await.1, "HIT", "{page} is kept");
    }
    let etag_before = header(&fetch(&app, &app.client, &product_page, "br").await, "etag");

    let price = undercut(&app, offer, product).await;
    assert!(
        within_a_second(async || shows(&html(&app, &product_page).await.0, price)
            && shows(&html(&app, &search_page).await.0, price))
        .await,
        "the comparison page and search show the new price within a second"
    );
    // The old tag no longer validates; a page that does not show the product was kept.
    let r = revalidate(&app, &app.client, &product_page, &etag_before).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_ne!(header(&r, "etag"), etag_before);
    assert_eq!(
        html(&app, &unrelated).await.1,
        "HIT",
        "unrelated pages stay cached"
    );
    assert!(
        app.state
            .cache
            .purged
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 2
    );
}

/// Whether the offer's row on a comparison page shows `level` as its stock.
fn stock_shown(page: &str, offer: i64, level: &str) -> bool {
    let row = &page[page
        .find(&format!("data-offer=\"{offer}\""))
        .expect("the offer's row")..];
    row[..row.find("</tr>").unwrap()].contains(&format!("<td class=\"num\">{level}</td>"))
}

/// Public pages show an offer's stock by level (500+, 仅剩 3): a checkout that leaves the
/// level where it was keeps the product's page; one that moves it changes the page within a
/// second.
async fn a_checkout_changes_the_product_page_only_when_the_stock_level_moves(app: TestApp) {
    let f = crate::ordering::fixture(&app).await;
    let offer = f.offers[0].0;
    let product = app
        .id(&format!("SELECT product_id FROM offers WHERE id = {offer}"))
        .await;
    sqlx::query(&format!("UPDATE offers SET stock = 502 WHERE id = {offer}"))
        .execute(app.db.pool())
        .await
        .unwrap();
    let (city,): (String,) = sqlx::query_as(&format!(
        "SELECT city FROM purchasing_units WHERE id = {}",
        f.unit
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let page = format!("/product/{product}?city={city}");
    html(&app, &page).await;
    let (shown, cache) = html(&app, &page).await;
    assert_eq!(cache, "HIT");
    assert!(
        stock_shown(&shown, offer, "500+"),
        "502 in stock shows 500+"
    );

    let token = app.sign_in("demo-buyer").await;
    let buy = async |quantity: i64| {
        let r = app
            .client
            .post(app.url("/api/v1/checkout"))
            .header("x-csrf-token", &token)
            .json(&json!({"budget_line_id": f.budget_line,
                "items": [{"offer_id": offer, "quantity": quantity}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    };
    buy(1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (shown, cache) = html(&app, &page).await;
    assert_eq!(cache, "HIT", "501 left is still 500+: the page is kept");
    assert!(stock_shown(&shown, offer, "500+"));

    buy(2).await;
    assert!(
        within_a_second(async || stock_shown(&html(&app, &page).await.0, offer, "200+")).await,
        "499 left shows 200+ within a second"
    );
}

async fn personal_pages_and_signed_in_answers_are_never_stored(app: TestApp) {
    let (buyer, _) = app.as_user("demo-buyer").await;
    for path in ["/buyer", "/buyer/cart", "/api/v1/cart", "/api/v1/auth/me"] {
        let r = fetch(&app, &buyer, path, "br").await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&r, "cache-control"), "private, no-store", "{path}");
        assert!(header(&r, "vary").contains("Cookie"), "{path}");
        assert!(r.headers().get("x-cache").is_none(), "{path}");
        assert!(r.headers().get("surrogate-key").is_none(), "{path}");
    }
    // Anonymous API answers may be held by a browser but are revalidated each time.
    let r = app.get("/api/v1/search?q=%E7%BA%B8&city=310100").await;
    assert_eq!(header(&r, "cache-control"), "no-cache");
    assert!(r
        .headers()
        .get(VARY)
        .is_none_or(|v| !v.to_str().unwrap().contains("Cookie")));
    assert!(r.headers().get(ETAG).is_none());
}

/// What a CDN purge webhook received: each call's `Authorization` and body.
type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A CDN purge webhook that takes everything; its URL and what it received.
async fn cdn_hook() -> (String, Received) {
    let received: Received = Arc::default();
    let hook = {
        let received = received.clone();
        axum::Router::new().route(
            "/purge",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, axum::Json(body): axum::Json<Value>| {
                    let received = received.clone();
                    async move {
                        let auth = headers
                            .get("authorization")
                            .map(|v| v.to_str().unwrap().to_string())
                            .unwrap_or_default();
                        received.lock().unwrap().push((auth, body));
                        "ok"
                    }
                },
            ),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, hook).await });
    (format!("http://{hook_addr}/purge"), received)
}

/// Whether the webhook was told every one of `keys` (with `auth`, when given).
fn told(received: &Received, auth: Option<&str>, keys: &[&str]) -> bool {
    received.lock().unwrap().iter().any(|(a, body)| {
        auth.is_none_or(|auth| a == auth)
            && keys
                .iter()
                .all(|k| body["tags"].as_array().unwrap().iter().any(|t| t == k))
    })
}

/// A purge goes to the CDN webhook with the keys of what changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purges_reach_the_cdn_webhook() {
    let (url, received) = cdn_hook().await;
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.cache.purge_webhook = url;
        s.cache.purge_token = "cdn-token".into();
    })
    .await;
    let (offer, product, _) = offer_and_product(&app).await;
    undercut(&app, offer, product).await;
    let key = format!("product-{product}");
    assert!(
        within_a_second(async || told(
            &received,
            Some("Bearer cdn-token"),
            &[&key, "listings-310100"]
        ))
        .await,
        "the CDN is told within a second: {:?}",
        received.lock().unwrap()
    );
}

/// The outbox: a price change commits with the news of it. The node's drainer is killed
/// before it runs, so nothing shows the change; once a drainer runs again, the search
/// index, the kept pages and the CDN all catch up, and the outbox is empty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_whose_drainer_died_is_applied_when_one_runs_again_sqlite() {
    a_change_whose_drainer_died_is_applied_when_one_runs_again(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_whose_drainer_died_is_applied_when_one_runs_again_postgres() {
    a_change_whose_drainer_died_is_applied_when_one_runs_again(Backend::Postgres).await;
}

async fn a_change_whose_drainer_died_is_applied_when_one_runs_again(backend: Backend) {
    let (url, received) = cdn_hook().await;
    let app = spawn_app_with(backend, |s| s.cache.purge_webhook = url).await;
    let (offer, product, model) = offer_and_product(&app).await;
    let product_page = format!("/product/{product}?city=310100");
    let search_api = format!("/api/v1/search?q={model}&city=310100");
    for _ in 0..2 {
        html(&app, &product_page).await;
    }
    let lowest_in_search = async || -> i64 {
        let hits: Value = app.get(&search_api).await.json().await.unwrap();
        hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["product_id"] == product)
            .map(|h| h["lowest_price"].as_i64().unwrap())
            .unwrap()
    };
    let listed = lowest_in_search().await;

    app.state.changes.stop_draining();
    let price = undercut(&app, offer, product).await;
    let pending = emall_store::outbox::pending(&app.db).await.unwrap();
    assert!(pending >= 1, "the change waits in the outbox");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (page, cached) = html(&app, &product_page).await;
    assert_eq!(cached, "HIT", "the kept page was not purged");
    assert!(
        !shows(&page, price),
        "the kept page still shows the old price"
    );
    assert_eq!(
        lowest_in_search().await,
        listed,
        "the index missed the change"
    );
    let key = format!("product-{product}");
    assert!(!told(&received, None, &[&key]), "nor was the CDN told");

    app.state.changes.start_draining();
    assert!(
        within_a_second(async || {
            lowest_in_search().await == price
                && shows(&html(&app, &product_page).await.0, price)
                && told(&received, None, &[&key, "listings-310100"])
        })
        .await,
        "search, the page and the CDN catch up: {:?}",
        received.lock().unwrap()
    );
    assert!(
        within_a_second(async || emall_store::outbox::pending(&app.db).await.unwrap() == 0).await,
        "and the outbox is empty"
    );
}

/// Two nodes on one PostgreSQL: a price change made through one shows on the other's
/// cached pages and in its own search index within a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_node_shows_on_every_node_within_a_second() {
    let a = spawn_app(Backend::Postgres).await;
    let b = a.another_node().await;
    let (offer, product, model) = offer_and_product(&a).await;
    let product_page = format!("/product/{product}?city=310100");
    let search_page = format!("/search?q={model}&city=310100");
    for page in [&product_page, &search_page] {
        html(&b, page).await;
        assert_eq!(html(&b, page).await.1, "HIT", "node B keeps {page}");
    }
    let price = undercut(&a, offer, product).await;
    let search_api = format!("/api/v1/search?q={model}&city=310100");
    assert!(
        within_a_second(async || {
            let hits: Value = b.get(&search_api).await.json().await.unwrap();
            shows(&html(&b, &product_page).await.0, price)
                && shows(&html(&b, &search_page).await.0, price)
                && hits["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|h| h["product_id"] == product && h["lowest_price"] == price)
        })
        .await,
        "node B shows the price node A took within a second"
    );
    // And the other way round.
    let price = undercut(&b, offer, product).await;
    assert!(
        within_a_second(async || shows(&html(&a, &product_page).await.0, price)).await,
        "node A follows node B"
    );
}
