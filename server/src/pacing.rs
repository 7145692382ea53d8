//! Deadlines for a request once it reaches the application: its body must keep arriving at a
//! minimum rate, and its handler must answer within a bound. With the listener's deadlines
//! (a whole head within `idle`, answers taken within `idle`) every phase of a connection has
//! one, so a slow or silent client holds a connection for a bounded time only.

use crate::error::ApiError;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// What the application expects of a request.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Time a body gets before the rate counts (a client's first round trips, TLS at the edge).
    pub grace: Duration,
    /// Bytes a second a body must average after the grace.
    pub min_rate: u64,
    /// Time a handler gets to answer.
    pub handler: Duration,
}

/// The body failed to arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body arrived too slowly")]
pub struct TooSlow;

/// A request body that fails once it falls behind `grace + received / min_rate`.
pub struct PacedBody {
    inner: Body,
    start: Instant,
    received: u64,
    pace: Pace,
    deadline: Pin<Box<Sleep>>,
}

impl PacedBody {
    fn new(inner: Body, pace: Pace) -> PacedBody {
        let start = Instant::now();
        PacedBody {
            inner,
            start,
            received: 0,
            pace,
            deadline: Box::pin(tokio::time::sleep_until(start + pace.grace)),
        }
    }

    /// When the body is due given what has arrived.
    fn due(&self) -> Instant {
        let allowed = Duration::from_secs_f64(self.received as f64 / self.pace.min_rate as f64);
        self.start + self.pace.grace + allowed
    }
}

impl http_body::Body for PacedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.received += data.len() as u64;
                    let due = self.due();
                    self.deadline.as_mut().reset(due);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(axum::Error::new(TooSlow)))),
                Poll::Pending => Poll::Pending,
            },
            done => done,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Middleware: paces the body and bounds the handler.
pub async fn pace(State(pace): State<Arc<Pace>>, request: Request, next: Next) -> Response {
    let request = request.map(|body| Body::new(PacedBody::new(body, *pace)));
    match tokio::time::timeout(pace.handler, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("a handler ran out of time");
            ApiError::TimedOut.into_response()
        }
    }
}

/// Whether `error` (from reading a body) is the body arriving too slowly.
pub fn is_too_slow(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if e.is::<TooSlow>() {
            return true;
        }
        source = e.source();
    }
    false
}
