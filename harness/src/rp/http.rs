//! An RP behind the FIDO2 server conformance HTTP API (docs/fido-api.md), as the FIDO tool drives
//! it (§1.3): `POST {base}/attestation/options`, `/attestation/result`, `/assertion/options`,
//! `/assertion/result`, JSON bodies, cookies kept per browser session.
//!
//! The answer is read as the tool reads it, from the JSON body, in one exhaustive match
//! (`classify`):
//! - `"status":"ok"` is an acceptance;
//! - `"status":"failed"` (or any other status) is a rejection, with `errorMessage`;
//! - a body that is not JSON, or an HTTP 5xx without a `"failed"` ServerResponse, is a rejection
//!   by erroring ([`Reply::Erroring`]), which reports flag as a warning;
//! - a timeout, a refused or reset connection, an oversized body is an [`RpError`]: the check is
//!   an error, never a pass.
//!
//! A server started by `webauthn-conformance serve` also answers `POST {base}/harness/reset`
//! (a fresh RP for each check, set up from an [`RpConfig`]) and `/harness/clock`;
//! [`HttpFactory::connect`] detects it, and with it the run over HTTP is the in-process run.
//! Against any other server the one RP keeps its state across checks, checks that need the RP
//! reconfigured (cross-origin framing) or its clock moved are skipped.
//!
//! When the reset answer carries a `run` token (`serve` does), every request of that check
//! carries it back in [`super::control::RUN_HEADER`]: each check then has an RP of its own on the
//! server, so checks run at the same time (`--jobs`) and several runs share one server without
//! touching each other's ceremonies. Without tokens, checks run one at a time.
//!
//! The server's clock is its own: android-safetynet statements are stamped with the time the
//! server's `/harness/reset` answer gives as `nowMs` (`serve` runs the in-process RP's pinned
//! clock), else with this machine's wall clock.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value as Json, json};

use crate::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use crate::codec::wire::WireShape;

use super::{Profile, Rejection, RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId};

/// The value of `extensions` the FIDO tool sends with option requests (docs/fido-profile.md).
pub const TOOL_EXTENSIONS_VALUE: &str = "example.extension value from webauthn-conformance";

/// How to reach and talk to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// `http://host:port[/prefix]`, without a trailing `/`.
    pub base: String,
    /// The RP ID the server is set up with.
    pub rp_id: String,
    /// The origin the server accepts.
    pub origin: String,
    /// Longest wait for one answer.
    pub request_timeout: Duration,
    /// Longest time one check may spend on the server, over all its requests.
    pub check_budget: Duration,
    /// Largest answer body read, in bytes.
    pub max_body: u64,
    /// Which names the credential carries its raw ID and extension outputs under.
    pub shape: WireShape,
    /// Send `extensions: {"example.extension": ...}` with option requests that carry none, as
    /// the FIDO tool does.
    pub tool_extensions: bool,
    /// The RP's name in reports (e.g. the library and version behind the server) instead of
    /// its URL. Named RPs are replayed as `--rp "$RP_URL" --rp-name NAME`: their URL changes
    /// from run to run (a free port), and reports must not.
    pub name: Option<String>,
}

impl HttpConfig {
    /// Defaults for `base`: RP ID `example.org`, origin `https://example.org` (as the reference
    /// RP), 10 s per request, 60 s per check, 1 MiB bodies, both envelope shapes.
    pub fn new(base: &str) -> Self {
        HttpConfig {
            base: base.trim_end_matches('/').to_owned(),
            rp_id: "example.org".into(),
            origin: "https://example.org".into(),
            request_timeout: Duration::from_secs(10),
            check_budget: Duration::from_secs(60),
            max_body: 1 << 20,
            shape: WireShape::Both,
            tool_extensions: true,
            name: None,
        }
    }
}

/// Why a server cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The URL is not `http://...`.
    #[error("bad RP URL {url:?}: {why}")]
    BadUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// Nothing answered at the URL.
    #[error("cannot reach the RP at {base}: {why}")]
    Unreachable {
        /// The base URL.
        base: String,
        /// The transport error.
        why: String,
    },
}

/// Makes [`HttpRp`]s for one server.
#[derive(Debug, Clone)]
pub struct HttpFactory {
    config: Arc<HttpConfig>,
    agent: ureq::Agent,
    control: bool,
    /// Whether `serve` gives each reset a namespace of its own (a `run` token).
    runs: bool,
}

impl HttpFactory {
    /// Checks the URL and that something answers there (any HTTP answer will do), and whether
    /// it is a `webauthn-conformance serve` server (it answers `/harness/reset`).
    pub fn connect(config: HttpConfig) -> Result<Self, HttpError> {
        let bad = |why: &str| HttpError::BadUrl {
            url: config.base.clone(),
            why: why.to_owned(),
        };
        let rest = config
            .base
            .strip_prefix("http://")
            .ok_or_else(|| bad("only http:// is supported (no TLS: use a loopback address)"))?;
        if rest.is_empty() || rest.starts_with('/') {
            return Err(bad("no host"));
        }
        let agent = agent(config.request_timeout);
        let mut factory = HttpFactory {
            config: Arc::new(config),
            agent,
            control: false,
            runs: false,
        };
        let base = factory.config.base_config(Profile::Strict, 0);
        let mut probe = factory.rp(None);
        match probe.control("reset", &json!(base)) {
            Ok(answer) => {
                factory.control = true;
                factory.runs = answer.get("run").is_some_and(Json::is_string);
            }
            Err(RpError::Transport(why)) => {
                return Err(HttpError::Unreachable {
                    base: factory.config.base.clone(),
                    why,
                });
            }
            // It answered, but not as `serve` does: a plain conformance-API server.
            Err(_) => {}
        }
        Ok(factory)
    }

    /// Whether the server is a `webauthn-conformance serve` server (fresh RP per check).
    pub fn has_control(&self) -> bool {
        self.control
    }

    fn rp(&self, config: Option<&RpConfig>) -> HttpRp {
        HttpRp {
            config: Arc::clone(&self.config),
            agent: self.agent.clone(),
            jars: BTreeMap::new(),
            deadline: Instant::now() + self.config.check_budget,
            control: self.control,
            fresh: config.is_some(),
            clock_ms: None,
            run: None,
        }
    }
}

/// The HTTP client the adapter talks through: statuses are answers (not errors), no redirects,
/// `timeout` per request, and [`IpLiteralResolver`] in front of ureq's resolver.
pub fn agent(timeout: Duration) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .build();
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        IpLiteralResolver,
    )
}

/// Answers an IP-literal host (`127.0.0.1`, `[::1]`) itself and leaves names to ureq's
/// resolver. ureq resolves before every request, even on a kept-alive connection, and under a
/// timeout its resolver does that on a new thread: one thread per request, which was most of the
/// HTTP path's cost over the loopback address `serve` prints (`cargo xtask bench`, section 5).
#[derive(Debug)]
pub struct IpLiteralResolver;

impl ureq::unversioned::resolver::Resolver for IpLiteralResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.authority().and_then(|authority| {
            let host = authority.host();
            let host = host
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .unwrap_or(host);
            let ip: std::net::IpAddr = host.parse().ok()?;
            let port = authority.port_u16().unwrap_or(80);
            Some(std::net::SocketAddr::new(ip, port))
        });
        match literal {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            None => ureq::unversioned::resolver::DefaultResolver::default()
                .resolve(uri, config, timeout),
        }
    }
}

impl HttpConfig {
    fn base_config(&self, profile: Profile, seed: u64) -> RpConfig {
        let mut config = RpConfig::example(profile, seed);
        config.rp_id = self.rp_id.clone();
        config.origins = vec![self.origin.clone()];
        config
    }
}

impl RpFactory for HttpFactory {
    fn name(&self) -> String {
        self.config
            .name
            .clone()
            .unwrap_or_else(|| self.config.base.clone())
    }

    fn base_config(&self, profile: Profile, seed: u64) -> RpConfig {
        self.config.base_config(profile, seed)
    }

    fn cli_args(&self) -> String {
        let mut args = match &self.config.name {
            None => format!(
                "--rp {} --rp-id {} --origin {}",
                self.config.base, self.config.rp_id, self.config.origin
            ),
            Some(name) => format!(
                "--rp \"$RP_URL\" --rp-name '{}' --rp-id {} --origin {}",
                name.replace('\'', "'\\''"),
                self.config.rp_id,
                self.config.origin
            ),
        };
        // Every setting that changes the bytes sent or a verdict, where not the default, so a
        // replay is the same run.
        let default = HttpConfig::new(&self.config.base);
        if self.config.shape != default.shape {
            args.push_str(match self.config.shape {
                WireShape::Level3 => " --shape level3",
                WireShape::FidoApi => " --shape fido-api",
                WireShape::Both => " --shape both",
            });
        }
        if self.config.request_timeout != default.request_timeout {
            args.push_str(&format!(
                " --timeout {}",
                self.config.request_timeout.as_secs()
            ));
        }
        args
    }

    fn parallel(&self) -> bool {
        // With run tokens each check has its own RP on the server; otherwise there is one,
        // reset by each check (or kept across checks by a plain server).
        self.runs
    }

    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError> {
        let mut rp = self.rp(Some(config));
        if self.control {
            let answer = rp.control("reset", &json!(config))?;
            rp.clock_ms = answer.get("nowMs").and_then(Json::as_u64);
            if self.runs {
                let run = answer.get("run").and_then(Json::as_str);
                let run = run.ok_or_else(|| {
                    RpError::Protocol(format!("/harness/reset answered no run token: {answer}"))
                })?;
                rp.run = Some(run.to_owned());
            }
        } else if *config != self.config.base_config(config.profile, config.seed) {
            return Err(RpError::Unsupported(
                "the check needs the RP set up differently (e.g. cross-origin framing), and \
                 this server cannot be reconfigured"
                    .into(),
            ));
        }
        Ok(Box::new(rp))
    }
}

/// One RP behind HTTP, as seen by one check: a cookie jar per browser session.
#[derive(Debug)]
pub struct HttpRp {
    config: Arc<HttpConfig>,
    agent: ureq::Agent,
    jars: BTreeMap<SessionId, CookieJar>,
    deadline: Instant,
    control: bool,
    /// Whether the server-side RP was reset for this check (only then is the clock ours).
    fresh: bool,
    /// The server's clock as its reset answer gave it (`nowMs`), if it did.
    clock_ms: Option<u64>,
    /// The check's namespace on the server (the reset answer's `run`), sent with each request.
    run: Option<String>,
}

/// What one answer means, before the endpoint decides what to make of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answered {
    /// `status: "ok"`: the whole body.
    Ok(Json),
    /// A JSON object without `status` (the options probes judge it).
    NoStatus(Json),
    /// `status` other than "ok": the errorMessage (or what the status was).
    Failed(String),
    /// Not JSON, or an HTTP 5xx that is not a `"failed"` ServerResponse.
    Erroring(String),
}

/// Reads one answer as the FIDO tool does (docs/fido-profile.md): from the JSON body only, except
/// that a 5xx which is not a `"failed"` ServerResponse is an error of the server.
pub(crate) fn classify(status: u16, body: &[u8]) -> Answered {
    let json: Option<Json> = serde_json::from_slice(body).ok();
    let server_error = (500..=599).contains(&status);
    let status_field = json
        .as_ref()
        .and_then(|j| j.get("status"))
        .map(|s| s.as_str().map(str::to_owned).ok_or_else(|| s.to_string()));
    match (server_error, json, status_field) {
        (_, None, _) => Answered::Erroring(format!(
            "HTTP {status} with a body that is not JSON: {}",
            snippet(body)
        )),
        (false, Some(json), Some(Ok(s))) if s == "ok" => Answered::Ok(json),
        (_, Some(json), Some(Ok(s))) if s == "failed" => Answered::Failed(
            json.get("errorMessage")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
        ),
        (false, Some(_), Some(Ok(other) | Err(other))) => {
            Answered::Failed(format!("status {other:?} (only \"ok\" is an acceptance)"))
        }
        (false, Some(json), None) => Answered::NoStatus(json),
        (true, Some(_), _) => Answered::Erroring(format!(
            "HTTP {status} without a \"failed\" ServerResponse: {}",
            snippet(body)
        )),
    }
}

/// The start of a body, for details: at most 200 characters, control characters escaped.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(200)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().nth(200).is_some() {
        out.push('…');
    }
    out
}

/// Maps a ureq failure to the harness's: each is an error of the check.
fn transport_error(err: ureq::Error, timeout: Duration, max_body: u64) -> RpError {
    match err {
        ureq::Error::Timeout(which) => {
            RpError::Transport(format!("no answer within {timeout:?} ({which})"))
        }
        ureq::Error::BodyExceedsLimit(_) => {
            RpError::Protocol(format!("the answer body is larger than {max_body} bytes"))
        }
        ureq::Error::Protocol(e) => RpError::Protocol(format!("malformed HTTP answer: {e}")),
        ureq::Error::Io(e) => RpError::Transport(format!("connection {:?}: {e}", e.kind())),
        ureq::Error::ConnectionFailed => RpError::Transport("connection failed".into()),
        ureq::Error::HostNotFound => RpError::Transport("host not found".into()),
        other => RpError::Transport(other.to_string()),
    }
}

impl HttpRp {
    /// One POST; the session's cookies go with it and come back into its jar.
    fn post(
        &mut self,
        session: Option<SessionId>,
        path: &str,
        body: String,
    ) -> Result<Answered, RpError> {
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(RpError::Transport(format!(
                "the check's time budget of {:?} on the server is spent",
                self.config.check_budget
            )));
        }
        let timeout = remaining.min(self.config.request_timeout);
        let url = format!("{}{path}", self.config.base);
        let mut request = self
            .agent
            .post(&url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Content-Type", "application/json");
        let cookie = session
            .and_then(|s| self.jars.get(&s))
            .map(CookieJar::header)
            .unwrap_or_default();
        if !cookie.is_empty() {
            request = request.header("Cookie", &cookie);
        }
        if let Some(run) = &self.run {
            request = request.header(super::control::RUN_HEADER, run);
        }
        let max_body = self.config.max_body;
        let response = request
            .send(body)
            .map_err(|e| transport_error(e, timeout, max_body))?;
        let status = response.status().as_u16();
        // The server no longer holds this check's RP: nothing it says is about the check.
        if status == 410 && self.run.is_some() {
            return Err(RpError::Protocol(format!(
                "the server dropped this check's run (HTTP 410 on {path})"
            )));
        }
        if let Some(session) = session {
            let jar = self.jars.entry(session).or_default();
            for value in response.headers().get_all("set-cookie") {
                if let Ok(text) = value.to_str() {
                    jar.store(text);
                }
            }
        }
        let bytes = response
            .into_body()
            .with_config()
            .limit(max_body)
            .read_to_vec()
            .map_err(|e| transport_error(e, timeout, max_body))?;
        Ok(classify(status, &bytes))
    }

    /// `POST {base}/harness/{what}` on a `serve` server: its answer.
    fn control(&mut self, what: &str, body: &Json) -> Result<Json, RpError> {
        match self.post(None, &format!("/harness/{what}"), body.to_string())? {
            Answered::Ok(answer) => Ok(answer),
            // `serve` says so when its RP cannot be set up as asked: the check is skipped.
            Answered::Failed(why) if why.starts_with(super::control::UNSUPPORTED) => Err(
                RpError::Unsupported(why[super::control::UNSUPPORTED.len()..].to_owned()),
            ),
            Answered::Failed(why) | Answered::Erroring(why) => {
                Err(RpError::Protocol(format!("/harness/{what} refused: {why}")))
            }
            Answered::NoStatus(json) => Err(RpError::Protocol(format!(
                "/harness/{what} answered {json}"
            ))),
        }
    }

    fn options(
        &mut self,
        session: SessionId,
        path: &str,
        mut request: Json,
    ) -> Result<Reply<Json>, RpError> {
        if self.config.tool_extensions
            && let Json::Object(map) = &mut request
            && !map.contains_key("extensions")
        {
            map.insert(
                "extensions".into(),
                json!({"example.extension": TOOL_EXTENSIONS_VALUE}),
            );
        }
        Ok(match self.post(Some(session), path, request.to_string())? {
            Answered::Ok(json) | Answered::NoStatus(json) => Reply::Ok(json),
            Answered::Failed(why) => Reply::Failed(Rejection::message(why)),
            Answered::Erroring(why) => Reply::Erroring(why),
        })
    }

    fn result(
        &mut self,
        session: SessionId,
        path: &str,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        let body = reshape(credential, self.config.shape);
        Ok(match self.post(Some(session), path, body)? {
            Answered::Ok(_) => Reply::Ok(()),
            Answered::NoStatus(json) => Reply::Failed(Rejection::message(format!(
                "the answer has no status (the FIDO tool counts that as failed): {}",
                snippet(json.to_string().as_bytes())
            ))),
            Answered::Failed(why) => Reply::Failed(Rejection::message(why)),
            Answered::Erroring(why) => Reply::Erroring(why),
        })
    }
}

/// Puts the credential into the configured envelope shape: `rawId`, `clientExtensionResults`
/// and `getClientExtensionResults` added or removed (a `rawId` that differs from `id` is kept).
/// Only a body that is exactly the compact
/// JSON of what it parses to is rewritten; anything else (malformed or non-canonical JSON that
/// a check sends on purpose) travels byte for byte.
pub(crate) fn reshape(credential: &str, shape: WireShape) -> String {
    let Ok(Json::Object(mut map)) = serde_json::from_str::<Json>(credential) else {
        return credential.to_owned();
    };
    if serde_json::to_string(&map).ok().as_deref() != Some(credential) {
        return credential.to_owned();
    }
    let extensions = map
        .get("clientExtensionResults")
        .or_else(|| map.get("getClientExtensionResults"))
        .cloned();
    let set = |map: &mut Map<String, Json>, key: &str, on: bool| match (&extensions, on) {
        (Some(value), true) if !map.contains_key(key) => {
            map.insert(key.to_owned(), value.clone());
        }
        (_, false) => {
            map.remove(key);
        }
        _ => {}
    };
    let (level3, fido) = match shape {
        WireShape::Level3 => (true, false),
        WireShape::FidoApi => (false, true),
        WireShape::Both => (true, true),
    };
    set(&mut map, "clientExtensionResults", level3);
    set(&mut map, "getClientExtensionResults", fido);
    // A rawId that differs from id is a check's deliberate fault (REG-ENV-06, AS-ENV-02.raw-id;
    // a client sends them equal): it travels in every shape, or the check would not send what
    // its report says it sent.
    if !level3 && map.get("rawId") == map.get("id") {
        map.remove("rawId");
    }
    serde_json::to_string(&map).unwrap_or_else(|_| credential.to_owned())
}

/// The cookies one browser session holds (name → value). The server is one origin, so domain
/// and path attributes are not needed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CookieJar(BTreeMap<String, String>);

impl CookieJar {
    /// Takes one `Set-Cookie` value; `Max-Age=0` or an empty value removes the cookie.
    pub(crate) fn store(&mut self, set_cookie: &str) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else {
            return;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return;
        }
        let expired = parts.any(|attribute| {
            attribute
                .split_once('=')
                .is_some_and(|(k, v)| k.trim().eq_ignore_ascii_case("max-age") && v.trim() == "0")
        });
        if expired || value.is_empty() {
            self.0.remove(name);
        } else {
            self.0.insert(name.to_owned(), value.to_owned());
        }
    }

    /// The `Cookie` header value (empty when the jar is).
    pub(crate) fn header(&self) -> String {
        self.0
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Json, RpError> {
    serde_json::to_value(value).map_err(|e| RpError::Protocol(format!("cannot encode: {e}")))
}

impl RelyingParty for HttpRp {
    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let request = to_json(request)?;
        self.options(session, "/attestation/options", request)
    }

    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        self.result(session, "/attestation/result", credential)
    }

    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let request = to_json(request)?;
        self.options(session, "/assertion/options", request)
    }

    fn finish_authentication(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        self.result(session, "/assertion/result", credential)
    }

    fn advance_clock(&mut self, by: Duration) -> Result<(), RpError> {
        if !(self.control && self.fresh) {
            return Err(RpError::Unsupported(
                "this server's clock cannot be moved (challenge expiry is not testable)".into(),
            ));
        }
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.control("clock", &json!({ "advanceMs": ms }))?;
        self.clock_ms = self.clock_ms.map(|now| now.saturating_add(ms));
        Ok(())
    }

    fn clock_unix_ms(&self) -> u64 {
        self.clock_ms.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        })
    }
}

#[cfg(test)]
mod tests;
