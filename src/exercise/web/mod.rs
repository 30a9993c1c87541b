//! The exercise's web console: the pages a team, the facilitator and the class open in a
//! browser, served by `stce exercise` beside the JSON API.
//!
//! Pages are rendered on the server with maud from the API's own view types ([`Console`]
//! hands them over), so a page can show no more than its token's API route returns. maud
//! escapes every interpolated value (team names and alert notes are typed by players),
//! checks the markup when the binary compiles and needs no template files at run time.
//! A little vanilla JavaScript (`assets/exercise/console.js`) sorts and filters tables,
//! counts capacity as a team selects, posts decisions to the JSON API, speaks its
//! errors, and refreshes the live parts of a page every few seconds. Every asset is
//! embedded in the binary; nothing is fetched from outside.
//!
//! | path | page |
//! |---|---|
//! | `/team/{team}` | a team's page (blue or red) |
//! | `/facilitator/{fac}` (`?truth=1`: with the ground-truth overlay) | the facilitator |
//! | `/debrief/{token}` | the debrief (facilitator any time, teams once it is open) |
//! | `/debrief/{token}/export` | the debrief as one self-contained HTML file |
//! | `/console/console.css`, `/console/console.js` | the embedded assets |

pub mod debrief;
pub mod facilitator;
pub mod layout;
pub mod map;
pub mod team;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use std::sync::{Mutex, MutexGuard};

use crate::exercise::api::{Debrief, FacilitatorView, TeamView, Truth};
use crate::exercise::engine::{Refusal, refuse};
use crate::exercise::session::{Role, Session};
use layout::Delivery;

/// What the pages need from the exercise: the same views the JSON routes return, with
/// the same token checks and refusals (their message is shown to the person in words).
pub trait Console: Send + Sync + 'static {
    fn team(&self, token: &str) -> Result<TeamView, Refusal>;
    fn facilitator(&self, token: &str) -> Result<FacilitatorView, Refusal>;
    /// The open turn's truth; facilitator token only.
    fn truth(&self, token: &str) -> Result<Truth, Refusal>;
    /// The facilitator's token any time; a team's once the debrief is open.
    fn debrief(&self, token: &str) -> Result<Debrief, Refusal>;
}

/// The served session is the console's source: each call takes the lock, as the API's
/// handlers do.
impl Console for Mutex<Session> {
    fn team(&self, token: &str) -> Result<TeamView, Refusal> {
        let s = locked(self);
        match s.role(token)? {
            Role::Team(t) => Ok(s.engine.team_view(t)),
            Role::Facilitator => Err(refuse(
                403,
                "forbidden",
                "this is the facilitator's link: the team pages are opened with each team's own link",
            )),
        }
    }

    fn facilitator(&self, token: &str) -> Result<FacilitatorView, Refusal> {
        let s = facilitator_only(self, token, "this is a team's link, not the facilitator's")?;
        Ok(s.engine.facilitator_view(&s.team_paths()))
    }

    fn truth(&self, token: &str) -> Result<Truth, Refusal> {
        let s = facilitator_only(self, token, "the ground truth is for the facilitator only")?;
        Ok(s.engine.truth())
    }

    fn debrief(&self, token: &str) -> Result<Debrief, Refusal> {
        let mut s = locked(self);
        match s.role(token)? {
            Role::Team(_) if !s.engine.debrief_open => Err(refuse(
                409,
                "debrief_closed",
                "the facilitator has not opened the debrief yet; this page works once they do",
            )),
            _ => Ok(s.debrief()),
        }
    }
}

fn locked(s: &Mutex<Session>) -> MutexGuard<'_, Session> {
    // Entries are checked before anything changes, so a panicked holder left the
    // session whole and the lock stays usable (as in the API's handlers).
    s.lock().unwrap_or_else(|p| p.into_inner())
}

/// The session, if `token` is the facilitator's; else 401 (unknown) or 403 with `why`.
fn facilitator_only<'a>(
    s: &'a Mutex<Session>,
    token: &str,
    why: &str,
) -> Result<MutexGuard<'a, Session>, Refusal> {
    let s = locked(s);
    match s.role(token)? {
        Role::Facilitator => Ok(s),
        Role::Team(_) => Err(refuse(403, "forbidden", why)),
    }
}

type Shared = Arc<dyn Console>;

/// The console's routes, to merge into the server's router.
pub fn routes(console: Shared) -> Router {
    Router::new()
        .route("/team/{token}", get(team_page))
        .route("/facilitator/{token}", get(facilitator_page))
        .route("/debrief/{token}", get(debrief_page))
        .route("/debrief/{token}/export", get(debrief_export))
        .route(layout::CSS_PATH, get(css))
        .route(layout::JS_PATH, get(js))
        .with_state(console)
}

/// Pages may load their own assets and talk to their own server, nothing else.
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; \
                   img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        body,
    )
        .into_response()
}

fn render(result: Result<String, Refusal>) -> Response {
    match result {
        Ok(body) => html(StatusCode::OK, body),
        Err(r) => {
            let status =
                StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            html(status, layout::refusal(r.status, &r.message).into_string())
        }
    }
}

async fn team_page(State(c): State<Shared>, Path(token): Path<String>) -> Response {
    render(c.team(&token).map(|v| team::page(&v, &token).into_string()))
}

#[derive(serde::Deserialize)]
struct FacilitatorQuery {
    #[serde(default)]
    truth: Option<String>,
}

async fn facilitator_page(
    State(c): State<Shared>,
    Path(token): Path<String>,
    Query(q): Query<FacilitatorQuery>,
) -> Response {
    let overlay = q
        .truth
        .is_some_and(|v| v == "1" || v == "on" || v == "true");
    render(c.facilitator(&token).and_then(|v| {
        let truth = if overlay {
            Some(c.truth(&token)?)
        } else {
            None
        };
        Ok(facilitator::page(&v, truth.as_ref(), &token).into_string())
    }))
}

async fn debrief_page(State(c): State<Shared>, Path(token): Path<String>) -> Response {
    render(
        c.debrief(&token)
            .map(|d| debrief::page(&d, &token, Delivery::Live).into_string()),
    )
}

async fn debrief_export(State(c): State<Shared>, Path(token): Path<String>) -> Response {
    match c.debrief(&token) {
        Ok(d) => {
            let name = format!(
                "attachment; filename=\"debrief-{}.html\"",
                d.status
                    .exercise
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect::<String>()
            );
            let body = export(&d);
            let mut resp = html(StatusCode::OK, body);
            if let Ok(v) = HeaderValue::from_str(&name) {
                resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            resp
        }
        Err(r) => render(Err(r)),
    }
}

/// The debrief as one self-contained HTML document (also what `--debrief` tooling can
/// write to a file).
pub fn export(d: &Debrief) -> String {
    debrief::page(d, "", Delivery::Export).into_string()
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

async fn css() -> Response {
    asset("text/css; charset=utf-8", layout::CSS)
}

async fn js() -> Response {
    asset("text/javascript; charset=utf-8", layout::JS)
}
