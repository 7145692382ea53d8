//! The listener: accepts HTTP/1.1 connections and answers every kept public page straight
//! from the page cache, with no HTTP library, router or middleware in between. At a
//! connection's first request it cannot answer that way it hands the connection, with the
//! bytes read so far, to hyper, which serves it to its end through [`CacheFirst`] and the
//! application.
//!
//! Answered here: a complete `GET` or `HEAD` head, HTTP/1.1, without a body, `Expect`,
//! `Upgrade` or `Connection: close`, whose target is a kept page. Everything else, a
//! malformed head included, goes to hyper, which answers it as it would any request.
//!
//! A connection that brings no whole request head for `idle` (a client gone quiet between
//! requests, or one sending its head too slowly) is closed, here and in hyper alike; so is
//! one that takes none of its answers for `idle`, on either side of the hand-off. Request
//! bodies and handlers have their own deadlines in the application (`pacing.rs`). One client
//! address holds at most `per_address` connections at once (trusted proxies excepted): the
//! next is closed as soon as it is accepted.
//!
//! Invariant: a page answered here has the status, headers and body hyper would give it
//! through [`Page::respond`]; pipelined requests are answered in order.

use crate::auth::client::Network;
use crate::cache::pages::{CacheFirst, Coding, PageCache};
use axum::body::{Body, Bytes};
use axum::serve::Listener;
use axum::Router;
use bytes::{Buf, BytesMut};
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;
use tower::ServiceExt;

/// The longest request head read here; a longer one goes to hyper, which has its own limit.
const MAX_HEAD: usize = 16 * 1024;
/// Headers a request head may carry to be answered here.
const MAX_HEADERS: usize = 48;
/// Answers are written once they reach this many bytes, so a client that pipelines many
/// requests and does not read holds no more than this of a connection's memory.
const MAX_OUT: usize = 64 * 1024;

/// How long a connection may stay quiet, and how many one address may hold.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    pub idle: Duration,
    pub per_address: usize,
    /// Proxies many clients come through: not limited per address.
    pub trusted: Vec<Network>,
}

/// Open connections per client address.
#[derive(Default)]
struct Census {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection counted in the census; uncounted when dropped.
struct Counted {
    census: Arc<Census>,
    addr: IpAddr,
}

impl Census {
    /// Counts a connection from `addr`, unless it already holds `max`.
    fn admit(self: &Arc<Self>, addr: IpAddr, max: usize) -> Option<Counted> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(addr).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Counted {
            census: self.clone(),
            addr,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self.census.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.addr) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.addr);
            }
        }
    }
}

/// Serves `app` behind `cache` on `listener` until `shutdown` resolves, then lets every
/// connection finish the request it is on. A connection without a whole request head for
/// `limits.idle` is closed.
pub async fn serve(
    mut listener: TcpListener,
    cache: Arc<PageCache>,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let idle = limits.idle;
    let census = Arc::new(Census::default());
    let app = CacheFirst::new(cache, app);
    // Dropping `stop_rx` tells every connection to stop; `done_tx` closes once the last
    // connection has dropped its `done_rx`.
    let (stop_tx, stop_rx) = watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        drop(stop_rx);
    });
    let (done_tx, done_rx) = watch::channel(());
    loop {
        let (tcp, peer) = tokio::select! {
            // axum's accept waits out errors such as running out of file descriptors.
            accepted = Listener::accept(&mut listener) => accepted,
            _ = stop_tx.closed() => break,
        };
        let counted = if limits.trusted.iter().any(|n| n.contains(peer.ip())) {
            None
        } else {
            match census.admit(peer.ip(), limits.per_address) {
                Some(counted) => Some(counted),
                None => {
                    tracing::debug!(%peer, "too many connections from one address");
                    continue;
                }
            }
        };
        // Small responses go out at once rather than waiting on Nagle's algorithm for an
        // acknowledgement that a client may delay.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
        let connection = Connection {
            tcp,
            app: app.for_peer(peer),
            stop: stop_tx.clone(),
            idle,
        };
        let done = done_rx.clone();
        tokio::spawn(async move {
            if let Err(e) = connection.run().await {
                tracing::debug!(error = %e, %peer, "connection ended");
            }
            drop(done);
            drop(counted);
        });
    }
    drop(done_rx);
    drop(listener);
    done_tx.closed().await;
}

struct Connection {
    tcp: TcpStream,
    app: CacheFirst<Router>,
    stop: watch::Sender<()>,
    idle: Duration,
}

/// What to do with the bytes at the front of a connection's read buffer.
enum Next {
    /// Answered: the request head was this long.
    Answered(usize),
    /// Not a whole request head yet.
    ReadMore,
    /// Not answerable here: hyper takes the connection from this request on.
    HandOff,
}

impl Connection {
    async fn run(mut self) -> io::Result<()> {
        let mut read = BytesMut::with_capacity(4096);
        let mut out = Vec::with_capacity(8192);
        let stop = self.stop.clone();
        let mut stopping = pin!(stop.closed());
        // When the last whole head arrived (or the connection was accepted). The timer is
        // moved on only when it fires, not at every request.
        let mut last_head = Instant::now();
        let mut idle = pin!(tokio::time::sleep_until(last_head + self.idle));
        loop {
            // Every whole request already read is answered before one write, or one write
            // per `MAX_OUT` bytes of answers.
            let next = loop {
                match answer(&self.app, &read, &mut out).await {
                    Next::Answered(len) => {
                        read.advance(len);
                        last_head = Instant::now();
                        if out.len() >= MAX_OUT {
                            break Next::Answered(len);
                        }
                    }
                    Next::ReadMore if read.len() >= MAX_HEAD => break Next::HandOff,
                    next => break next,
                }
            };
            if !out.is_empty() {
                self.write_out(&out).await?;
                out.clear();
            }
            match next {
                Next::Answered(_) => continue,
                Next::HandOff => return self.hand_off(read.freeze()).await,
                Next::ReadMore => {}
            }
            // Room for a whole head (and any pipelined behind it) in one read.
            if read.capacity() - read.len() < 1024 {
                read.reserve(4096);
            }
            let n = tokio::select! {
                n = self.tcp.read_buf(&mut read) => n?,
                // Between requests: nothing is lost by closing now.
                _ = &mut stopping, if read.is_empty() => return Ok(()),
                _ = &mut idle => {
                    let deadline = last_head + self.idle;
                    if deadline <= Instant::now() {
                        return Ok(());
                    }
                    idle.as_mut().reset(deadline);
                    continue;
                }
            };
            if n == 0 {
                return Ok(());
            }
        }
    }

    /// Writes `out` whole. While the client is not reading this waits, so it gets no more
    /// answered, and it is let go if it takes nothing for `idle`. The timer is made only
    /// when the socket cannot take everything at once.
    async fn write_out(&mut self, out: &[u8]) -> io::Result<()> {
        let written = match self.tcp.try_write(out) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => 0,
            Err(e) => return Err(e),
        };
        if written < out.len() {
            tokio::time::timeout(self.idle, self.tcp.write_all(&out[written..]))
                .await
                .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
        }
        Ok(())
    }

    /// Serves the rest of the connection with hyper, starting with the bytes in `read`.
    async fn hand_off(self, read: Bytes) -> io::Result<()> {
        let io = hyper_util::rt::TokioIo::new(Rewind {
            read,
            tcp: self.tcp,
            idle: self.idle,
            stalled: None,
        });
        let service = hyper_util::service::TowerToHyperService::new(
            self.app
                .map_request(|r: http::Request<hyper::body::Incoming>| r.map(Body::new)),
        );
        let mut conn = pin!(hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(self.idle)
            .serve_connection(io, service)
            .with_upgrades());
        let mut stopping = pin!(self.stop.closed());
        loop {
            tokio::select! {
                served = conn.as_mut() => return served.map_err(io::Error::other),
                _ = &mut stopping => conn.as_mut().graceful_shutdown(),
            }
        }
    }
}

/// How the listener reads the request head at the front of `buf`: `Ok(Some(len))` a head of
/// `len` bytes it could answer, `Ok(None)` not a whole head yet, `Err` one for hyper. For
/// the fuzz test, which feeds it arbitrary bytes.
pub fn read_head(buf: &[u8]) -> Result<Option<usize>, ()> {
    Asked::parse(buf).map(|asked| asked.map(|a| a.len))
}

/// Answers the request at the front of `read` into `out` if it is a kept page.
async fn answer(app: &CacheFirst<Router>, read: &[u8], out: &mut Vec<u8>) -> Next {
    let asked = match Asked::parse(read) {
        Ok(Some(asked)) => asked,
        Ok(None) => return Next::ReadMore,
        Err(()) => return Next::HandOff,
    };
    let Some(page) = app.cache().hit(asked.target).await else {
        return Next::HandOff;
    };
    DATE.with_borrow_mut(|date| {
        page.write_http1(
            out,
            asked.coding,
            asked.if_none_match,
            asked.head_only,
            date.now(),
        )
    });
    Next::Answered(asked.len)
}

/// A request head this listener can answer.
#[derive(Debug, PartialEq)]
struct Asked<'a> {
    /// Bytes of the head.
    len: usize,
    head_only: bool,
    target: &'a str,
    coding: Coding,
    if_none_match: Option<&'a str>,
}

impl<'a> Asked<'a> {
    /// `Ok(None)`: the head is not complete yet; `Err`: not answerable here.
    fn parse(buf: &'a [u8]) -> Result<Option<Asked<'a>>, ()> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        let len = match request.parse(buf) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(_) => return Err(()),
        };
        let head_only = match request.method {
            Some("GET") => false,
            Some("HEAD") => true,
            _ => return Err(()),
        };
        let target = request.path.filter(|t| t.starts_with('/')).ok_or(())?;
        if request.version != Some(1) {
            return Err(());
        }
        let mut accept_encoding = None;
        let mut if_none_match = None;
        for header in request.headers.iter() {
            let name = header.name;
            let value = std::str::from_utf8(header.value).map_err(|_| ())?;
            let is = |n: &str| name.eq_ignore_ascii_case(n);
            if is("content-length") || is("transfer-encoding") || is("expect") || is("upgrade") {
                return Err(());
            }
            if is("connection")
                && value
                    .split(',')
                    .any(|t| t.trim().eq_ignore_ascii_case("close"))
            {
                return Err(());
            }
            // The first of repeated headers counts, as with `HeaderMap::get`.
            if is("accept-encoding") {
                accept_encoding.get_or_insert(value);
            } else if is("if-none-match") {
                if_none_match.get_or_insert(value);
            }
        }
        Ok(Some(Asked {
            len,
            head_only,
            target,
            coding: Coding::accepted(accept_encoding),
            if_none_match,
        }))
    }
}

/// The `date` header's value, formatted once a second per thread.
struct Date {
    second: u64,
    text: String,
}

impl Date {
    fn now(&mut self) -> &[u8] {
        let now = SystemTime::now();
        let second = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if second != self.second || self.text.is_empty() {
            self.second = second;
            self.text = httpdate::fmt_http_date(now);
        }
        self.text.as_bytes()
    }
}

thread_local! {
    static DATE: RefCell<Date> = const { RefCell::new(Date { second: 0, text: String::new() }) };
}

/// The connection as hyper reads it: the bytes this listener already read, then the socket.
/// A write the client takes nothing of for `idle` fails, so hyper lets the connection go.
struct Rewind {
    read: Bytes,
    tcp: TcpStream,
    idle: Duration,
    /// Set while a write waits for the client to read.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Rewind {
    /// `written` as it came from the socket, with the stall timer kept: cleared on progress,
    /// started when the socket cannot take more, failing once it has run out.
    fn paced<T>(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match written {
            Poll::Pending => {
                let idle = self.idle;
                let timer = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::from(io::ErrorKind::TimedOut))),
                    Poll::Pending => Poll::Pending,
                }
            }
            done => {
                self.stalled = None;
                done
            }
        }
    }
}

impl AsyncRead for Rewind {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.read.is_empty() {
            let n = self.read.len().min(buf.remaining());
            buf.put_slice(&self.read[..n]);
            self.read.advance(n);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Rewind {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.tcp).poll_write(cx, buf);
        self.paced(cx, written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs);
        self.paced(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(head: &str) -> Result<Option<Asked<'_>>, ()> {
        Asked::parse(head.as_bytes())
    }

    #[test]
    fn a_plain_get_is_answerable() {
        let head = "GET /product/1?city=310100 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\nIf-None-Match: \"a\"\r\nConnection: keep-alive\r\n\r\nGET /";
        let asked = parse(head).unwrap().unwrap();
        assert_eq!(asked.len, head.len() - "GET /".len());
        assert_eq!(asked.target, "/product/1?city=310100");
        assert_eq!(asked.coding, Coding::Brotli);
        assert_eq!(asked.if_none_match, Some("\"a\""));
        assert!(!asked.head_only);
        assert!(parse("HEAD / HTTP/1.1\r\n\r\n").unwrap().unwrap().head_only);
    }

    #[test]
    fn an_incomplete_head_waits_for_more() {
        assert_eq!(parse("GET /product/1 HTTP/1.1\r\nHost: x\r\n"), Ok(None));
        assert_eq!(parse(""), Ok(None));
    }

    #[test]
    fn anything_else_goes_to_hyper() {
        for head in [
            "POST / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
            "GET http://x/ HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n",
            "GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
            "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "G@T / HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(parse(head), Err(()), "{head}");
        }
        assert_eq!(
            Asked::parse(b"GET / HTTP/1.1\r\nAccept-Encoding: \xff\r\n\r\n"),
            Err(())
        );
    }
}
