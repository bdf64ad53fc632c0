//! Serving with limits: a client that stalls is dropped, and the number of
//! connections is capped, so slow or idle clients cannot hold the service.
//!
//! `axum::serve` exposes none of hyper's timeouts, so connections are
//! served here with hyper's HTTP/1 builder directly:
//!
//! - **header timeout**: hyper's header-read timer runs from the moment a
//!   connection waits for a request's head, so it bounds a partial header
//!   and an idle keep-alive connection alike ([`Limits::header_timeout`]);
//! - **request timeout**: reading the body and answering must finish in
//!   [`Limits::request_timeout`], else the answer is a 408 and the
//!   connection closes (a stalled body is dropped);
//! - **write timeout**: a connection that leaves an answer unread for
//!   [`Limits::write_timeout`] (its socket buffer full) is dropped: a
//!   stalled reader, or a stream client that does not keep up;
//! - **body limit**: [`Limits::max_body_bytes`], else a 413;
//! - **connection cap**: at most [`Limits::max_connections`] at once; more
//!   wait in the listen backlog until one ends;
//! - headers are capped at 64 KiB by hyper's read buffer.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::ApiError;

/// Limits on what one client may hold.
///
/// # Examples
///
/// ```
/// let limits = xzqh_server::Limits::default();
/// assert_eq!(limits.max_connections, 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest wait for a request's head, from the moment the connection
    /// waits for it (so also the idle timeout of a kept-alive connection).
    pub header_timeout: Duration,
    /// Longest time to read a request's body and answer it.
    pub request_timeout: Duration,
    /// Longest a write may wait for the client to read.
    pub write_timeout: Duration,
    /// Most connections served at once.
    pub max_connections: usize,
    /// Largest request body in bytes.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_body_bytes: 256 << 10,
        }
    }
}

/// Largest request head hyper reads (its read buffer).
const MAX_HEAD_BYTES: usize = 64 << 10;

/// Serves `app` on `listener` within `limits` until `shutdown` completes;
/// then stops accepting, lets each connection finish the request in
/// flight (within the longer of the header and request timeouts) and
/// returns.
///
/// # Errors
///
/// None today: accept errors (too many open files) are waited out.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let app = app
        .layer(middleware::from_fn_with_state(
            limits.request_timeout,
            request_timeout,
        ))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes));
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop, stopped) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut tasks = JoinSet::new();
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors or a connection reset before
                    // it was accepted: wait a little rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let mut stopped = stopped.clone();
        let header_timeout = limits.header_timeout;
        let drain = limits.header_timeout.max(limits.request_timeout);
        let stream = Timed {
            io: stream,
            limit: limits.write_timeout,
            deadline: None,
        };
        tasks.spawn(async move {
            let _permit = permit;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(MAX_HEAD_BYTES);
            let conn = http.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopped.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(drain, conn).await;
                }
            }
        });
        while tasks.try_join_next().is_some() {}
    }
    let _ = stop.send(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// Answers 408 when reading the request and answering it take longer than
/// the limit; the unread rest of the body closes the connection.
async fn request_timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the request was not complete within {} ms",
                limit.as_millis()
            ),
        )
        .into_response(),
    }
}

/// A connection whose writes fail once one has waited longer than `limit`
/// for the client to read.
struct Timed {
    io: TcpStream,
    limit: Duration,
    /// Armed while a write waits.
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Timed {
    fn waiting<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let limit = self.limit;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not read the answer in time",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn done<T>(&mut self, r: Poll<io::Result<T>>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match r {
            Poll::Ready(r) => {
                self.deadline = None;
                Poll::Ready(r)
            }
            Poll::Pending => self.waiting(cx),
        }
    }
}

impl AsyncRead for Timed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Timed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write(cx, buf);
        this.done(r, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.done(r, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_flush(cx);
        this.done(r, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
