//! The HTTP server: the JSON API of [`super::api`] on axum. Handlers lock the session,
//! so requests are applied one at a time in the order they arrive; the simulation stays
//! synchronous inside the lock. Bodies are read as bytes and parsed here so that
//! malformed JSON gets the API's error shape.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::api::*;
use super::engine::{Entry, Refusal, refuse};
use super::session::{Role, Session};

pub type Shared = Arc<Mutex<Session>>;

fn json<T: Serialize>(status: u16, v: &T) -> Response {
    let body = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [("content-type", "application/json")],
        body,
    )
        .into_response()
}

fn error(r: Refusal) -> Response {
    json(
        r.status,
        &ApiError {
            error: r.code.into(),
            message: r.message,
        },
    )
}

fn reply<T: Serialize>(r: Result<T, Refusal>) -> Response {
    match r {
        Ok(v) => json(200, &v),
        Err(e) => error(e),
    }
}

fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| {
        refuse(
            400,
            "bad_json",
            format!("the request body is not valid: {e}"),
        )
    })
}

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, Session> {
    // A handler that panicked left the session as it was before the entry (entries are
    // checked before anything changes), so the lock is still usable.
    s.lock().unwrap_or_else(|p| p.into_inner())
}

fn team(s: &Session, token: &str) -> Result<usize, Refusal> {
    match s.role(token)? {
        Role::Team(t) => Ok(t),
        Role::Facilitator => Err(refuse(403, "forbidden", "this is a team route")),
    }
}

fn facilitator(s: &Session, token: &str) -> Result<(), Refusal> {
    match s.role(token)? {
        Role::Facilitator => Ok(()),
        Role::Team(_) => Err(refuse(403, "forbidden", "this is the facilitator's route")),
    }
}

async fn team_view(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let s = lock(&s);
    reply(team(&s, &tok).map(|t| s.engine.team_view(t)))
}

async fn team_results(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let s = lock(&s);
    reply(team(&s, &tok).map(|t| s.engine.team_results(t)))
}

async fn team_debrief(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let mut s = lock(&s);
    reply(team(&s, &tok).and_then(|_| {
        if s.engine.debrief_open {
            Ok(s.debrief())
        } else {
            Err(refuse(
                409,
                "debrief_closed",
                "the facilitator has not opened the debrief yet",
            ))
        }
    }))
}

fn ack(seq: u64, turn: u32, message: String, inspections: Vec<(String, u32)>) -> Ack {
    Ack {
        seq,
        turn,
        inspections,
        message,
    }
}

async fn decisions(State(s): State<Shared>, Path(tok): Path<String>, body: Bytes) -> Response {
    let mut s = lock(&s);
    let r = (|| {
        let t = team(&s, &tok)?;
        if s.engine.plan.teams[t].is_red() {
            return Err(refuse(
                403,
                "forbidden",
                "a red team sends orders, not decisions",
            ));
        }
        let d: Decisions = parse(&body)?;
        let turn = d.turn;
        let name = s.engine.plan.teams[t].name.clone();
        let seq = s.record(Entry::Decisions {
            team: name,
            decisions: d,
        })?;
        let mut per: Vec<(String, u32)> = Vec::new();
        if let Some(d) = &s.engine.decisions[t] {
            let view = s.engine.team_view(t);
            for id in &d.inspect {
                if let Some(x) = view.declarations.iter().find(|x| &x.id == id) {
                    match per.iter_mut().find(|p| p.0 == x.office) {
                        Some(p) => p.1 += 1,
                        None => per.push((x.office.clone(), 1)),
                    }
                }
            }
        }
        per.sort();
        Ok(ack(
            seq,
            turn,
            format!("decisions for turn {turn} recorded"),
            per,
        ))
    })();
    reply(r)
}

async fn orders(State(s): State<Shared>, Path(tok): Path<String>, body: Bytes) -> Response {
    let mut s = lock(&s);
    let r = (|| {
        let t = team(&s, &tok)?;
        if !s.engine.plan.teams[t].is_red() {
            return Err(refuse(403, "forbidden", "only a red team sends orders"));
        }
        let o: RedOrders = parse(&body)?;
        let turn = o.turn;
        let name = s.engine.plan.teams[t].name.clone();
        let seq = s.record(Entry::Orders {
            team: name,
            orders: o,
        })?;
        Ok(ack(
            seq,
            turn,
            format!(
                "orders recorded: in force for shipments from turn {}",
                turn + 1
            ),
            Vec::new(),
        ))
    })();
    reply(r)
}

async fn fac_view(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let s = lock(&s);
    reply(facilitator(&s, &tok).map(|_| s.engine.facilitator_view(&s.team_paths())))
}

async fn fac_submissions(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let s = lock(&s);
    reply(facilitator(&s, &tok).map(|_| s.engine.submissions()))
}

async fn fac_truth(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let s = lock(&s);
    reply(facilitator(&s, &tok).map(|_| s.engine.truth()))
}

async fn fac_debrief(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let mut s = lock(&s);
    reply(facilitator(&s, &tok).map(|_| s.debrief()))
}

async fn fac_open_debrief(State(s): State<Shared>, Path(tok): Path<String>) -> Response {
    let mut s = lock(&s);
    reply(facilitator(&s, &tok).and_then(|_| {
        s.record(Entry::OpenDebrief)?;
        Ok(s.engine.status())
    }))
}

async fn fac_advance(State(s): State<Shared>, Path(tok): Path<String>, body: Bytes) -> Response {
    let mut s = lock(&s);
    reply((|| {
        facilitator(&s, &tok)?;
        let a: Advance = parse(&body)?;
        let before: Vec<usize> = s.engine.defaulted.iter().map(Vec::len).collect();
        s.record(Entry::Advance { turn: a.turn })?;
        let defaulted = s
            .engine
            .defaulted
            .iter()
            .zip(before)
            .enumerate()
            .filter(|(_, (d, b))| d.len() > *b)
            .map(|(t, _)| s.engine.plan.teams[t].name.clone())
            .collect();
        Ok(AdvanceResult {
            closed: a.turn,
            status: s.engine.status(),
            defaulted,
            sim_ms: s.engine.last_advance_ms.unwrap_or(0.0),
        })
    })())
}

async fn fac_pause(State(s): State<Shared>, Path(tok): Path<String>, body: Bytes) -> Response {
    let mut s = lock(&s);
    reply((|| {
        facilitator(&s, &tok)?;
        let p: Pause = parse(&body)?;
        s.record(Entry::Pause { paused: p.paused })?;
        Ok(s.engine.status())
    })())
}

async fn fac_inject(State(s): State<Shared>, Path(tok): Path<String>, body: Bytes) -> Response {
    let mut s = lock(&s);
    reply((|| {
        facilitator(&s, &tok)?;
        let f: FireInject = parse(&body)?;
        let turn = s.engine.turn;
        let seq = s.record(Entry::Inject { inject: f })?;
        Ok(Ack {
            seq,
            turn,
            inspections: Vec::new(),
            message: format!("inject fired in turn {turn}"),
        })
    })())
}

async fn not_found() -> Response {
    error(refuse(404, "not_found", "no such route"))
}

/// The API routes (the console's pages are merged beside them).
pub fn api(state: Shared) -> Router {
    Router::new()
        .route("/api/team/{token}", get(team_view))
        .route("/api/team/{token}/decisions", post(decisions))
        .route("/api/team/{token}/orders", post(orders))
        .route("/api/team/{token}/results", get(team_results))
        .route("/api/team/{token}/debrief", get(team_debrief))
        .route("/api/facilitator/{token}", get(fac_view))
        .route("/api/facilitator/{token}/submissions", get(fac_submissions))
        .route("/api/facilitator/{token}/advance", post(fac_advance))
        .route("/api/facilitator/{token}/pause", post(fac_pause))
        .route("/api/facilitator/{token}/inject", post(fac_inject))
        .route("/api/facilitator/{token}/truth", get(fac_truth))
        .route(
            "/api/facilitator/{token}/debrief",
            get(fac_debrief).post(fac_open_debrief),
        )
        .fallback(not_found)
        .with_state(state)
}

/// Serve the session on `addr` until the process ends, printing the URLs once bound
/// (a non-loopback address gets a warning first).
pub fn serve(session: Session, addr: SocketAddr) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        if !addr.ip().is_loopback() {
            eprintln!(
                "warning: serving on {addr}, reachable from other machines: anyone on the network with a URL below can play that role"
            );
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        let base = format!("http://{local}");
        {
            use std::io::Write;
            let e = &session.engine;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "exercise \"{}\": turn {} of {} ({:?})", e.plan.name, e.turn.min(e.plan.turns), e.plan.turns, e.phase());
            let _ = writeln!(out, "listening on {base}");
            let _ = writeln!(out, "facilitator: {base}/facilitator/{}", session.meta.facilitator_token);
            for (t, tok) in session.meta.team_tokens.iter().enumerate() {
                let _ = writeln!(out, "team {}: {base}/team/{tok}", e.plan.teams[t].name);
            }
            let _ = writeln!(out, "stop with Ctrl-C; start again with the same --state to resume");
            let _ = out.flush();
        }
        let shared: Shared = Arc::new(Mutex::new(session));
        axum::serve(listener, router(shared))
            .await
            .map_err(|e| e.to_string())
    })
}

/// Every route the binary serves: the API and the console's pages.
pub fn router(state: Shared) -> Router {
    api(state.clone()).merge(super::web::routes(state))
}
