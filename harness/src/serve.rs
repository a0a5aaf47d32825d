//! `webauthn-conformance serve`: any in-process RP behind the FIDO2 conformance HTTP API (spec
//! digest §2), on 127.0.0.1 only.
//!
//! Browser sessions are a `wac_session` cookie, issued on the first API call without one. Two
//! endpoints beyond the API let the harness run each check on a fresh RP, exactly as in process:
//! - `POST /harness/reset` with an [`RpConfig`] (JSON, camelCase): a fresh RP, sessions dropped;
//! - `POST /harness/clock` with `{"advanceMs": N}`: moves the RP's clock.
//!
//! Requests are handled one at a time, so one run at a time should use a server. The server
//! stops after `max_requests` requests or when its [`ServerHandle`] is shut down or dropped.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{Value as Json, json};

use crate::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use crate::rp::{RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "wac_session";

/// Largest request body read, in bytes.
const MAX_REQUEST_BODY: u64 = 1 << 20;

/// How to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The port on 127.0.0.1; 0 picks a free one (see [`ServerHandle::addr`]).
    pub port: u16,
    /// The RP's setup until a `/harness/reset` replaces it.
    pub config: RpConfig,
    /// Stop after this many requests.
    pub max_requests: u64,
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
    server: Arc<tiny_http::Server>,
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
        self.server.unblock();
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
        self.server.unblock();
        let _ = self.join();
    }
}

/// Starts serving RPs made by `factory` on 127.0.0.1.
pub fn start(
    factory: Box<dyn RpFactory + Send>,
    options: ServeOptions,
) -> Result<ServerHandle, ServeError> {
    let bind_error = |why: String| ServeError::Bind {
        port: options.port,
        why,
    };
    let listener = listener(options.port).map_err(|e| bind_error(e.to_string()))?;
    let server =
        tiny_http::Server::from_listener(listener, None).map_err(|e| bind_error(e.to_string()))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError::Bind {
            port: options.port,
            why: "not an IP listener".into(),
        })?;
    // Fail at start, not at the first request, when the RP cannot be made.
    factory
        .create(&options.config)
        .map_err(|e| ServeError::Rp(e.to_string()))?;
    let server = Arc::new(server);
    let serving = Arc::clone(&server);
    let thread = std::thread::Builder::new()
        .name("webauthn-conformance-serve".into())
        .spawn(move || serve_loop(&serving, factory, options, addr.port()))
        .map_err(|e| ServeError::Rp(format!("cannot start the server thread: {e}")))?;
    Ok(ServerHandle {
        addr,
        server,
        thread: Some(thread),
    })
}

/// A listener on 127.0.0.1:`port` whose connections have TCP_NODELAY: tiny_http writes an
/// answer's head and a body of more than about 870 bytes as two segments, and with Nagle's
/// algorithm the second waits for the client's delayed ACK of the first, 40 ms on Linux (seen as
/// 40 ms stalls on about one check in twenty over HTTP; `cargo xtask bench`, section 5).
fn listener(port: u16) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    // As std's `TcpListener::bind` does on Unix: a restarted server can take its port again.
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&address.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

struct State {
    factory: Box<dyn RpFactory + Send>,
    rp: Option<Box<dyn RelyingParty>>,
    sessions: BTreeMap<String, SessionId>,
    next_session: u32,
}

fn serve_loop(
    server: &tiny_http::Server,
    factory: Box<dyn RpFactory + Send>,
    options: ServeOptions,
    port: u16,
) -> u64 {
    let rp = factory.create(&options.config).ok();
    let mut state = State {
        factory,
        rp,
        sessions: BTreeMap::new(),
        next_session: 1,
    };
    let mut served = 0;
    while served < options.max_requests {
        // `unblock` (shutdown) makes `recv` fail; so does a broken listener.
        let Ok(mut request) = server.recv() else {
            break;
        };
        served += 1;
        let answer = match foreign(&request, port) {
            Some(why) => Answer::failed(403, &why),
            None => state.handle(&mut request),
        };
        // A client that went away is its own problem; keep serving.
        let _ = request.respond(answer.into_response());
    }
    served
}

/// One answer: status, JSON or text body, an optional new session cookie.
struct Answer {
    status: u16,
    body: String,
    json: bool,
    cookie: Option<String>,
}

impl Answer {
    fn json(status: u16, body: &Json) -> Self {
        Answer {
            status,
            body: body.to_string(),
            json: true,
            cookie: None,
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
        }
    }

    fn into_response(self) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
        let content_type = if self.json {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        let mut response =
            tiny_http::Response::from_string(self.body).with_status_code(self.status);
        let cookie = self
            .cookie
            .map(|value| format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"));
        let headers = [
            ("Content-Type", Some(content_type.to_owned())),
            ("Set-Cookie", cookie),
        ];
        for (name, value) in headers {
            // Names and values are ASCII built here; `from_bytes` only refuses non-ASCII.
            if let Some(Ok(header)) =
                value.map(|v| tiny_http::Header::from_bytes(name.as_bytes(), v.as_bytes()))
            {
                response = response.with_header(header);
            }
        }
        response
    }
}

/// The session cookie's value in a request, if any.
/// Why a request does not come from this machine's harness, if it does not: a `Host` other than
/// the loopback names (a DNS-rebinding page reaching 127.0.0.1 under its own name), or an
/// `Origin` other than this server's own (a web page posting across origins, which a browser
/// lets through for `text/plain` without asking). The harness's client sends no `Origin`.
fn foreign(request: &tiny_http::Request, port: u16) -> Option<String> {
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_owned())
    };
    if let Some(host) = header("Host") {
        let name = host
            .rsplit_once(':')
            .map_or(host.as_str(), |(name, _)| name);
        if !matches!(name, "127.0.0.1" | "localhost") {
            return Some(format!(
                "Host {host:?} is not a loopback name: serve answers 127.0.0.1 and localhost only"
            ));
        }
    }
    if let Some(origin) = header("Origin") {
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

fn session_cookie(request: &tiny_http::Request) -> Option<String> {
    request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("Cookie"))
        .flat_map(|h| h.value.as_str().split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn read_body(request: &mut tiny_http::Request) -> Result<String, Answer> {
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_REQUEST_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| Answer::failed(400, &format!("cannot read the body: {e}")))?;
    if body.len() as u64 > MAX_REQUEST_BODY {
        return Err(Answer::failed(
            413,
            &format!("the body is larger than {MAX_REQUEST_BODY} bytes"),
        ));
    }
    String::from_utf8(body).map_err(|_| Answer::failed(400, "the body is not UTF-8"))
}

/// Calls the RP, turning a panic into an error answer.
/// How `/harness/reset` and `/harness/clock` say the RP cannot be set up as asked.
pub const UNSUPPORTED: &str = "unsupported: ";

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
        Reply::Failed(why) => Answer::failed(400, &why),
        Reply::Erroring(why) => Answer::error(&why),
    }
}

fn result_answer(reply: Reply<()>) -> Answer {
    match reply {
        Reply::Ok(()) => Answer::ok(),
        Reply::Failed(why) => Answer::failed(400, &why),
        Reply::Erroring(why) => Answer::error(&why),
    }
}

impl State {
    fn handle(&mut self, request: &mut tiny_http::Request) -> Answer {
        if *request.method() != tiny_http::Method::Post {
            return Answer::failed(405, "only POST is served");
        }
        let path = request
            .url()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();
        let body = match read_body(request) {
            Ok(body) => body,
            Err(answer) => return answer,
        };
        match path.as_str() {
            "/harness/reset" => self.reset(&body),
            "/harness/clock" => self.clock(&body),
            "/attestation/options"
            | "/attestation/result"
            | "/assertion/options"
            | "/assertion/result" => {
                let (session, issued) = self.session(session_cookie(request));
                let mut answer = match self.api(&path, session, &body) {
                    Ok(answer) | Err(answer) => answer,
                };
                answer.cookie = issued;
                answer
            }
            _ => Answer::failed(404, &format!("no endpoint {path}")),
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

    fn api(&mut self, path: &str, session: SessionId, body: &str) -> Result<Answer, Answer> {
        let rp = self
            .rp
            .as_mut()
            .ok_or_else(|| Answer::error("no RP: the last /harness/reset failed"))?;
        let bad = |e: serde_json::Error| Answer::failed(400, &format!("bad request: {e}"));
        Ok(match path {
            "/attestation/options" => {
                let request: ServerCreationOptionsRequest =
                    serde_json::from_str(body).map_err(bad)?;
                options_answer(guarded(|| rp.registration_options(session, &request))?)
            }
            "/assertion/options" => {
                let request: ServerGetOptionsRequest = serde_json::from_str(body).map_err(bad)?;
                options_answer(guarded(|| rp.authentication_options(session, &request))?)
            }
            "/attestation/result" => {
                result_answer(guarded(|| rp.finish_registration(session, body))?)
            }
            _ => result_answer(guarded(|| rp.finish_authentication(session, body))?),
        })
    }

    fn reset(&mut self, body: &str) -> Answer {
        let config: RpConfig = match serde_json::from_str(body) {
            Ok(config) => config,
            Err(e) => return Answer::failed(400, &format!("bad RP config: {e}")),
        };
        self.sessions.clear();
        self.rp = None;
        match guarded(|| self.factory.create(&config)) {
            Ok(rp) => {
                // The RP's clock, so the harness stamps time-stamped statements with it.
                let now_ms = rp.clock_unix_ms();
                self.rp = Some(rp);
                Answer::json(
                    200,
                    &json!({"status": "ok", "errorMessage": "", "nowMs": now_ms}),
                )
            }
            Err(answer) => answer,
        }
    }

    fn clock(&mut self, body: &str) -> Answer {
        let Some(ms) = serde_json::from_str::<Json>(body)
            .ok()
            .and_then(|j| j.get("advanceMs").and_then(Json::as_u64))
        else {
            return Answer::failed(400, "expected {\"advanceMs\": N}");
        };
        let Some(rp) = self.rp.as_mut() else {
            return Answer::error("no RP: the last /harness/reset failed");
        };
        match guarded(|| rp.advance_clock(Duration::from_millis(ms))) {
            Ok(()) => Answer::ok(),
            Err(answer) => answer,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn the_listener_is_loopback_and_without_nagle() {
        let listener = super::listener(0).unwrap();
        assert!(listener.local_addr().unwrap().ip().is_loopback());
        // Accepted connections inherit TCP_NODELAY from the listener on Linux (what took the 40 ms
        // stalls out of the catalogue over HTTP, `cargo xtask bench` section 5).
        assert!(socket2::SockRef::from(&listener).tcp_nodelay().unwrap());
    }
}
