//! The HTTP server around the router: an accept loop that holds at most
//! `max_connections` open (further clients wait in the listen queue until
//! one closes), hyper's header-read timeout on every connection (it runs
//! from the moment a connection waits for a request, so it also closes
//! idle keep-alive connections), the client's address on every request,
//! and a graceful stop. `axum::serve` has no timeouts, and a handler's
//! `TimeoutLayer` starts only once the headers are in, so a client
//! trickling a request line would otherwise hold a connection for ever.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a stop waits for requests in flight before closing them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// The "all connections taken" warning repeats at most this often.
const FULL_WARNING_EVERY: Duration = Duration::from_secs(60);

/// Connection limits (from `arshif serve`'s options).
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Time a client has to send a request's headers, counted from when its
    /// connection opens or its previous answer was sent.
    pub header_timeout: Duration,
    /// Most connections open at once.
    pub max_connections: usize,
}

/// Serves `router` on `listener` until `stop` resolves, then lets the
/// requests in flight finish (at most [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: ServerSettings,
    stop: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(settings.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout)
        .keep_alive(true);
    let mut stop = pin!(stop);
    let mut warned_full: Option<Instant> = None;
    loop {
        if slots.available_permits() == 0
            && warned_full.is_none_or(|at| at.elapsed() > FULL_WARNING_EVERY)
        {
            tracing::warn!(
                "{} connections are open, the most allowed (--max-connections): new ones wait until one closes",
                settings.max_connections
            );
            warned_full = Some(Instant::now());
        }
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let unanswered = Arc::new(AtomicUsize::new(0));
        let io = TokioIo::new(Watched {
            stream,
            unanswered: unanswered.clone(),
        });
        let service =
            router
                .clone()
                .map_request(move |mut request: axum::http::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                });
        let connection =
            graceful.watch(builder.serve_connection(io, TowerToHyperService::new(service)));
        let header_timeout = settings.header_timeout;
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                connection_ended(
                    peer,
                    &err,
                    unanswered.load(Ordering::Relaxed),
                    header_timeout,
                );
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still running after {} s were cut off at the stop", SHUTDOWN_GRACE.as_secs());
        }
    }
}

/// Logs how a connection ended badly: a client that sent part of a request
/// and then stalled is logged once, at info; an idle one or a client that
/// went away is routine.
fn connection_ended(peer: SocketAddr, err: &hyper::Error, unanswered: usize, timeout: Duration) {
    if err.is_timeout() && unanswered > 0 {
        tracing::info!(
            "closed the connection of {peer}: it sent {unanswered} bytes but no complete request headers within {} s",
            timeout.as_secs_f64()
        );
    } else if err.is_timeout() {
        tracing::debug!("closed an idle connection of {peer}");
    } else {
        tracing::debug!("connection of {peer} ended: {err}");
    }
}

/// A failed `accept`: a client that gave up before it was accepted is
/// routine; running out of file descriptors is not, and trying again at
/// once would spin.
async fn accept_failed(err: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!("cannot accept connections: {err}; trying again in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// A client's stream that counts the bytes it sent since the server last
/// wrote to it: more than zero when a timeout closes it means it stalled
/// inside a request rather than idling between requests.
struct Watched {
    stream: TcpStream,
    unanswered: Arc<AtomicUsize>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let read = buf.filled().len() - before;
            this.unanswered.fetch_add(read, Ordering::Relaxed);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.answered(&polled);
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.answered(&polled);
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

impl Watched {
    fn answered(&self, polled: &Poll<std::io::Result<usize>>) {
        if let Poll::Ready(Ok(written)) = polled
            && *written > 0
        {
            self.unanswered.store(0, Ordering::Relaxed);
        }
    }
}
