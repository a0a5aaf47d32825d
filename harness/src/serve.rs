//! `webauthn-conformance serve`: any in-process RP behind the FIDO2 conformance HTTP API (spec
//! digest §2), on 127.0.0.1 only.
//!
//! Browser sessions are a `wac_session` cookie, issued on the first API call without one. Two
//! endpoints beyond the API let the harness run each check on a fresh RP, exactly as in process:
//! - `POST /harness/reset` with an [`RpConfig`] (JSON, camelCase): a fresh RP in a namespace of
//!   its own, whose token the answer gives as `run`;
//! - `POST /harness/clock` with `{"advanceMs": N}`: moves the RP's clock.
//!
//! **Runs are isolated.** A request carrying [`RUN_HEADER`] reaches that namespace's RP and
//! sessions only, so several runs (and the `--jobs` of one run) share a server without seeing
//! each other's ceremonies. A request without it reaches the RP of the latest reset, which is
//! how a browser or a client that knows nothing of tokens uses the server. At most
//! [`MAX_RUNS`] namespaces are kept; the oldest go first, and a request naming one that is gone
//! is answered 410 (the harness reports it as an error of the check, never a verdict).
//!
//! **The listener defends itself** ([`Limits`]): headers over their size limit get 431, a body
//! over its limit 413, a body that is not UTF-8 400; a client that is slow to send its headers
//! or body is cut off after the read timeout, one that does not read its answer after the write
//! timeout. Connections are served concurrently, so one slow client never holds up another.
//! Requests whose `Host` is not a loopback name or whose `Origin` is not the server's own get
//! 403 before the RP sees them.
//!
//! The server stops after `max_requests` requests or when its [`ServerHandle`] is shut down or
//! dropped.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::server::conn::http1;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::{Value as Json, json};
use tokio::sync::Notify;
use tokio_io_timeout::TimeoutStream;

use crate::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use crate::rp::{RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "wac_session";

pub use crate::rp::control::{RUN_HEADER, UNSUPPORTED};

/// How many run namespaces are kept at once; a reset beyond it drops the oldest.
pub const MAX_RUNS: usize = 1024;

/// What one connection may cost the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest wait for a request's headers, and then for its whole body.
    pub read_timeout: Duration,
    /// Longest wait for a client to take one write of its answer.
    pub write_timeout: Duration,
    /// Largest request head (request line and headers), in bytes; more is answered 431.
    /// hyper reads heads through a buffer of this size, which it keeps at 8192 bytes or more.
    pub header_bytes: usize,
    /// Largest request body, in bytes; more is answered 413.
    pub body_bytes: usize,
}

impl Default for Limits {
    /// Far above what the harness sends (a request head of under 300 bytes, a body of at most
    /// a few tens of kilobytes) and what a check waits (`run --timeout` defaults to 10 s).
    fn default() -> Self {
        Limits {
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            header_bytes: 16 * 1024,
            body_bytes: 1 << 20,
        }
    }
}

/// How to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The port on 127.0.0.1; 0 picks a free one (see [`ServerHandle::addr`]).
    pub port: u16,
    /// The RP's setup until a `/harness/reset` replaces it.
    pub config: RpConfig,
    /// Stop after this many requests.
    pub max_requests: u64,
    /// What one connection may cost.
    pub limits: Limits,
}

/// Why the server could not start or stopped badly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {why}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The OS error.
        why: String,
    },
    /// The RP could not be created.
    #[error("cannot create the RP: {0}")]
    Rp(String),
    /// The server thread ended abnormally.
    #[error("the server thread panicked")]
    Panicked,
}

/// A running server.
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Arc<Notify>,
    thread: Option<JoinHandle<u64>>,
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until the server stops by itself (after `max_requests`); the number served.
    pub fn wait(mut self) -> Result<u64, ServeError> {
        self.join()
    }

    /// Stops the server; the number of requests it served.
    pub fn shutdown(mut self) -> Result<u64, ServeError> {
        self.stop.notify_one();
        self.join()
    }

    fn join(&mut self) -> Result<u64, ServeError> {
        match self.thread.take() {
            Some(thread) => thread.join().map_err(|_| ServeError::Panicked),
            None => Ok(0),
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop.notify_one();
        let _ = self.join();
    }
}

/// Starts serving RPs made by `factory` on 127.0.0.1.
pub fn start(
    factory: Box<dyn RpFactory + Send>,
    options: ServeOptions,
) -> Result<ServerHandle, ServeError> {
    let bind_error = |why: std::io::Error| ServeError::Bind {
        port: options.port,
        why: why.to_string(),
    };
    let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], options.port)))
        .map_err(bind_error)?;
    listener.set_nonblocking(true).map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    // Fail at start, not at the first request, when the RP cannot be made.
    let first = factory
        .create(&options.config)
        .map_err(|e| ServeError::Rp(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get().min(8)))
        .max_blocking_threads(64)
        .thread_name("webauthn-conformance-serve")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| ServeError::Rp(format!("cannot start the server runtime: {e}")))?;
    let stop = Arc::new(Notify::new());
    let shared = Arc::new(Shared {
        factory,
        runs: Mutex::new(Runs::new(first)),
        served: AtomicU64::new(0),
        max_requests: options.max_requests,
        stop: Arc::clone(&stop),
        port: addr.port(),
        limits: options.limits,
    });
    let thread = std::thread::Builder::new()
        .name("webauthn-conformance-serve".into())
        .spawn(move || runtime.block_on(serve_loop(listener, shared)))
        .map_err(|e| ServeError::Rp(format!("cannot start the server thread: {e}")))?;
    Ok(ServerHandle {
        addr,
        stop,
        thread: Some(thread),
    })
}

/// Accepts connections until told to stop, each served by a task of its own.
async fn serve_loop(listener: std::net::TcpListener, shared: Arc<Shared>) -> u64 {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return 0;
    };
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(shared.limits.read_timeout)
        .max_buf_size(shared.limits.header_bytes.max(8192))
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait a little, keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = shared.stop.notified() => break,
        };
        // Without Nagle: an answer's head and body go as two writes, and the second would wait
        // for the client's delayed ACK of the first, 40 ms on Linux (`cargo xtask bench`, 5).
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_read_timeout(Some(shared.limits.read_timeout));
        stream.set_write_timeout(Some(shared.limits.write_timeout));
        let serving = Arc::clone(&shared);
        let service = hyper::service::service_fn(move |request| {
            let shared = Arc::clone(&serving);
            async move { Ok::<_, Infallible>(shared.answer(request).await.into_response()) }
        });
        let connection =
            graceful.watch(http.serve_connection(TokioIo::new(Box::pin(stream)), service));
        // A client that misbehaves or goes away is its own problem.
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    // Answers in flight are finished (bounded) before the server says it stopped.
    let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
    shared.served.load(Ordering::SeqCst)
}

/// What the server shares between its connections.
struct Shared {
    factory: Box<dyn RpFactory + Send>,
    runs: Mutex<Runs>,
    served: AtomicU64,
    max_requests: u64,
    stop: Arc<Notify>,
    port: u16,
    limits: Limits,
}

/// One run's RP and its browser sessions.
struct Namespace {
    /// `None` after a reset whose RP could not be made.
    rp: Option<Box<dyn RelyingParty>>,
    sessions: BTreeMap<String, SessionId>,
    next_session: u32,
}

impl Namespace {
    fn new(rp: Option<Box<dyn RelyingParty>>) -> Self {
        Namespace {
            rp,
            sessions: BTreeMap::new(),
            next_session: 1,
        }
    }

    /// The session a cookie names, or a new one with the cookie to set.
    fn session(&mut self, cookie: Option<String>) -> (SessionId, Option<String>) {
        if let Some(id) = cookie.as_ref().and_then(|c| self.sessions.get(c)) {
            return (*id, None);
        }
        let id = SessionId(self.next_session);
        self.next_session = self.next_session.saturating_add(1);
        let value = id.0.to_string();
        self.sessions.insert(value.clone(), id);
        (id, Some(value))
    }
}

/// The run namespaces, by token (a counter, so the map's order is their age).
struct Runs {
    by_token: BTreeMap<u64, Arc<Mutex<Namespace>>>,
    /// Where requests without a token go: the latest reset's namespace.
    latest: u64,
    next: u64,
}

impl Runs {
    fn new(first: Box<dyn RelyingParty>) -> Self {
        let mut runs = Runs {
            by_token: BTreeMap::new(),
            latest: 0,
            next: 1,
        };
        runs.add(Namespace::new(Some(first)));
        runs
    }

    /// Keeps `namespace` as the latest; its token.
    fn add(&mut self, namespace: Namespace) -> u64 {
        let token = self.next;
        self.next += 1;
        self.by_token.insert(token, Arc::new(Mutex::new(namespace)));
        self.latest = token;
        while self.by_token.len() > MAX_RUNS {
            self.by_token.pop_first();
        }
        token
    }

    fn get(&self, token: Option<u64>) -> Option<Arc<Mutex<Namespace>>> {
        self.by_token.get(&token.unwrap_or(self.latest)).cloned()
    }
}

/// A lock whose holder panicked is still good: RP calls run under [`guarded`], and the state
/// they leave is the RP's to judge.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One answer: status, JSON or text body, an optional new session cookie.
struct Answer {
    status: u16,
    body: String,
    json: bool,
    cookie: Option<String>,
    /// Close the connection after it (the request was not read to its end).
    close: bool,
}

impl Answer {
    fn json(status: u16, body: &Json) -> Self {
        Answer {
            status,
            body: body.to_string(),
            json: true,
            cookie: None,
            close: false,
        }
    }

    fn ok() -> Self {
        Answer::json(200, &json!({"status": "ok", "errorMessage": ""}))
    }

    fn failed(status: u16, why: &str) -> Self {
        Answer::json(status, &json!({"status": "failed", "errorMessage": why}))
    }

    /// A plain-text 500: what an RP that errors (instead of answering "failed") sends.
    fn error(why: &str) -> Self {
        Answer {
            status: 500,
            body: format!("internal server error: {why}\n"),
            json: false,
            cookie: None,
            close: false,
        }
    }

    fn closing(mut self) -> Self {
        self.close = true;
        self
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let content_type = if self.json {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        let mut response = Response::new(Full::new(Bytes::from(self.body)));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        let cookie = self
            .cookie
            .map(|value| format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"));
        // The cookie value is a number made here, so always a valid header value.
        if let Some(Ok(value)) = cookie.map(HeaderValue::try_from) {
            headers.insert(header::SET_COOKIE, value);
        }
        if self.close {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// One API or control request, read off the connection, for the RP's side.
struct Call {
    path: String,
    run: Option<u64>,
    cookie: Option<String>,
    body: String,
}

impl Shared {
    /// Reads one request within the limits and answers it; the RP's part runs on the blocking
    /// pool, so verification never stalls the connections being read.
    async fn answer(self: Arc<Self>, request: Request<Incoming>) -> Answer {
        let served = self.served.fetch_add(1, Ordering::SeqCst) + 1;
        if served >= self.max_requests {
            self.stop.notify_one();
        }
        let call = match self.read(request).await {
            Ok(call) => call,
            Err(answer) => return answer,
        };
        let shared = Arc::clone(&self);
        tokio::task::spawn_blocking(move || shared.dispatch(call))
            .await
            .unwrap_or_else(|e| Answer::error(&format!("the request's task failed: {e}")))
    }

    async fn read(&self, request: Request<Incoming>) -> Result<Call, Answer> {
        if let Some(why) = foreign(request.headers(), self.port) {
            return Err(Answer::failed(403, &why).closing());
        }
        if request.method() != Method::POST {
            return Err(Answer::failed(405, "only POST is served").closing());
        }
        let limit = self.limits.body_bytes;
        let too_large =
            || Answer::failed(413, &format!("the body is larger than {limit} bytes")).closing();
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let run = match request.headers().get(RUN_HEADER) {
            None => None,
            Some(value) => Some(
                value
                    .to_str()
                    .ok()
                    .and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| unknown_run(value.as_bytes()))?,
            ),
        };
        let path = request.uri().path().to_owned();
        let cookie = session_cookie(request.headers());
        let body = Limited::new(request.into_body(), limit).collect();
        let too_slow = || {
            Answer::failed(
                408,
                &format!(
                    "the body did not arrive within {:?}",
                    self.limits.read_timeout
                ),
            )
            .closing()
        };
        let bytes = match tokio::time::timeout(self.limits.read_timeout, body).await {
            Err(_) => return Err(too_slow()),
            Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
                return Err(too_large());
            }
            // The connection's own read timeout ran out first.
            Ok(Err(e)) if timed_out(e.as_ref()) => return Err(too_slow()),
            Ok(Err(e)) => {
                return Err(Answer::failed(400, &format!("cannot read the body: {e}")).closing());
            }
            Ok(Ok(collected)) => collected.to_bytes(),
        };
        let body = String::from_utf8(bytes.to_vec())
            .map_err(|e| Answer::failed(400, &format!("the body is not UTF-8: {e}")))?;
        Ok(Call {
            path,
            run,
            cookie,
            body,
        })
    }

    fn dispatch(&self, call: Call) -> Answer {
        if call.path == "/harness/reset" {
            return self.reset(&call.body);
        }
        let known = matches!(
            call.path.as_str(),
            "/harness/clock"
                | "/attestation/options"
                | "/attestation/result"
                | "/assertion/options"
                | "/assertion/result"
        );
        if !known {
            return Answer::failed(404, &format!("no endpoint {}", call.path));
        }
        let Some(namespace) = lock(&self.runs).get(call.run) else {
            return unknown_run(call.run.unwrap_or_default().to_string().as_bytes());
        };
        let mut namespace = lock(&namespace);
        if call.path == "/harness/clock" {
            return clock(&mut namespace, &call.body);
        }
        let (session, issued) = namespace.session(call.cookie);
        let Some(rp) = namespace.rp.as_mut() else {
            return Answer::error("no RP: the last /harness/reset failed");
        };
        let mut answer = match api(rp.as_mut(), &call.path, session, &call.body) {
            Ok(answer) | Err(answer) => answer,
        };
        answer.cookie = issued;
        answer
    }

    /// A fresh RP in a namespace of its own, which becomes the latest.
    fn reset(&self, body: &str) -> Answer {
        let config: RpConfig = match serde_json::from_str(body) {
            Ok(config) => config,
            Err(e) => return Answer::failed(400, &format!("bad RP config: {e}")),
        };
        match guarded(|| self.factory.create(&config)) {
            Ok(rp) => {
                // The RP's clock, so the harness stamps time-stamped statements with it.
                let now_ms = rp.clock_unix_ms();
                let token = lock(&self.runs).add(Namespace::new(Some(rp)));
                Answer::json(
                    200,
                    &json!({
                        "status": "ok",
                        "errorMessage": "",
                        "nowMs": now_ms,
                        "run": token.to_string(),
                    }),
                )
            }
            Err(answer) => {
                // Clients without a token must not go on with the RP of before.
                lock(&self.runs).add(Namespace::new(None));
                answer
            }
        }
    }
}

/// Whether an error comes from a read that timed out (the connection's read timeout).
fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        cause = error.source();
    }
    false
}

/// A run token the server does not hold (never issued, or dropped as the oldest of more than
/// [`MAX_RUNS`]): 410, which the harness reads as an error of the check, not as a rejection.
fn unknown_run(token: &[u8]) -> Answer {
    Answer::failed(
        410,
        &format!(
            "no run {:?} on this server (at most {MAX_RUNS} runs are kept; the oldest go first)",
            String::from_utf8_lossy(token)
        ),
    )
}

/// Why a request does not come from this machine's harness, if it does not: a `Host` other than
/// the loopback names (a DNS-rebinding page reaching 127.0.0.1 under its own name), or an
/// `Origin` other than this server's own (a web page posting across origins, which a browser
/// lets through for `text/plain` without asking). The harness's client sends no `Origin`.
fn foreign(headers: &HeaderMap, port: u16) -> Option<String> {
    let header = |name: header::HeaderName| {
        headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    if let Some(host) = header(header::HOST) {
        let name = host
            .rsplit_once(':')
            .map_or(host.as_str(), |(name, _)| name);
        if !matches!(name, "127.0.0.1" | "localhost") {
            return Some(format!(
                "Host {host:?} is not a loopback name: serve answers 127.0.0.1 and localhost only"
            ));
        }
    }
    if let Some(origin) = header(header::ORIGIN) {
        let own = [
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
        ];
        if !own.contains(&origin) {
            return Some(format!(
                "Origin {origin:?} is not this server's: cross-origin requests are refused"
            ));
        }
    }
    None
}

/// The session cookie's value in a request, if any.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// Calls the RP, turning a panic into an error answer.
fn guarded<T>(call: impl FnOnce() -> Result<T, RpError>) -> Result<T, Answer> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(value)) => Ok(value),
        // The RP cannot be set up as asked: a 501 whose message starts `unsupported: `, which
        // the HTTP adapter turns back into `RpError::Unsupported` (the check is skipped).
        Ok(Err(RpError::Unsupported(why))) => {
            Err(Answer::failed(501, &format!("{UNSUPPORTED}{why}")))
        }
        Ok(Err(err)) => Err(Answer::error(&err.to_string())),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            Err(Answer::error(&format!("the RP panicked: {message}")))
        }
    }
}

fn options_answer(reply: Reply<Json>) -> Answer {
    match reply {
        Reply::Ok(options) => Answer::json(200, &options),
        Reply::Failed(why) => Answer::failed(400, &why.to_string()),
        Reply::Erroring(why) => Answer::error(&why),
    }
}

fn result_answer(reply: Reply<()>) -> Answer {
    match reply {
        Reply::Ok(()) => Answer::ok(),
        Reply::Failed(why) => Answer::failed(400, &why.to_string()),
        Reply::Erroring(why) => Answer::error(&why),
    }
}

fn api(
    rp: &mut dyn RelyingParty,
    path: &str,
    session: SessionId,
    body: &str,
) -> Result<Answer, Answer> {
    let bad = |e: serde_json::Error| Answer::failed(400, &format!("bad request: {e}"));
    Ok(match path {
        "/attestation/options" => {
            let request: ServerCreationOptionsRequest = serde_json::from_str(body).map_err(bad)?;
            options_answer(guarded(|| rp.registration_options(session, &request))?)
        }
        "/assertion/options" => {
            let request: ServerGetOptionsRequest = serde_json::from_str(body).map_err(bad)?;
            options_answer(guarded(|| rp.authentication_options(session, &request))?)
        }
        "/attestation/result" => result_answer(guarded(|| rp.finish_registration(session, body))?),
        _ => result_answer(guarded(|| rp.finish_authentication(session, body))?),
    })
}

fn clock(namespace: &mut Namespace, body: &str) -> Answer {
    let Some(ms) = serde_json::from_str::<Json>(body)
        .ok()
        .and_then(|j| j.get("advanceMs").and_then(Json::as_u64))
    else {
        return Answer::failed(400, "expected {\"advanceMs\": N}");
    };
    let Some(rp) = namespace.rp.as_mut() else {
        return Answer::error("no RP: the last /harness/reset failed");
    };
    match guarded(|| rp.advance_clock(Duration::from_millis(ms))) {
        Ok(()) => Answer::ok(),
        Err(answer) => answer,
    }
}
