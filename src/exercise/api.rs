//! The exercise's JSON API contract: every request and response body the server speaks,
//! as serde types. The web console (issue 11) and the tests build against this module;
//! it changes only with a commit message saying what changed.
//!
//! # Tokens and access
//! `stce exercise` prints one facilitator URL and one URL per team. Each carries its own
//! token: 32 lowercase hex characters from the operating system's random source, kept in
//! the state file, so a restart prints the same URLs. A token identifies its holder: there
//! is never a team name in a path or body that could let one team act for another.
//! * A token that is malformed (not 32 hex characters) or matches nobody: **401**
//!   `bad_token`, and nothing else in the body.
//! * A team token on a facilitator route, or a blue team's token on a red-team route (and
//!   the reverse): **403** `forbidden`, nothing else.
//!
//! # Routes
//! All bodies are JSON (`content-type: application/json`). `{team}` is a team token,
//! `{fac}` the facilitator token.
//!
//! | method | path | who | body | response | errors |
//! |---|---|---|---|---|---|
//! | GET  | `/api/team/{team}` | team | – | [`TeamView`] | 401, 403 |
//! | POST | `/api/team/{team}/decisions` | blue team | [`Decisions`] | [`Ack`] | 400 `bad_json`, 409 `turn_closed` / `paused` / `finished`, 422 `over_capacity` / `unknown_declaration` / `unknown_team` / `bad_alert`, 401, 403 |
//! | POST | `/api/team/{team}/orders` | red team | [`RedOrders`] | [`Ack`] | 400 `bad_json`, 409 `turn_closed` / `paused` / `finished`, 422 `bad_order`, 401, 403 |
//! | GET  | `/api/team/{team}/results` | team | – | [`TeamResults`] (every closed turn) | 401, 403 |
//! | GET  | `/api/team/{team}/debrief` | team | – | [`Debrief`] | 409 `debrief_closed` until the facilitator opens it, 401, 403 |
//! | GET  | `/api/facilitator/{fac}` | facilitator | – | [`FacilitatorView`] | 401, 403 |
//! | GET  | `/api/facilitator/{fac}/submissions` | facilitator | – | [`Submissions`] (every submission, in order) | 401, 403 |
//! | POST | `/api/facilitator/{fac}/advance` | facilitator | [`Advance`] | [`AdvanceResult`] | 400 `bad_json`, 409 `turn_closed` (stale turn number) / `paused` / `finished`, 401, 403 |
//! | POST | `/api/facilitator/{fac}/pause` | facilitator | [`Pause`] | [`Status`] | 400, 409 `finished`, 401, 403 |
//! | POST | `/api/facilitator/{fac}/inject` | facilitator | [`FireInject`] | [`Ack`] | 400, 409 `finished`, 422 `unknown_inject` / `already_fired` / `bad_inject`, 401, 403 |
//! | GET  | `/api/facilitator/{fac}/truth` | facilitator | – | [`Truth`] (the open turn, with what is really inside) | 401, 403 |
//! | POST | `/api/facilitator/{fac}/debrief` | facilitator | – | [`Status`] (opens the debrief for every team) | 401, 403 |
//! | GET  | `/api/facilitator/{fac}/debrief` | facilitator | – | [`Debrief`] (any time; on the turns closed so far) | 401, 403 |
//!
//! Unknown paths: 404 `not_found`. Every error body is an [`ApiError`]. A request that
//! fails changes nothing: it is validated in full before anything is written.
//!
//! Page URLs printed at start (served by the console, issue 11): `/team/{team}`,
//! `/facilitator/{fac}`, `/debrief/{token}`.
//!
//! # Turns
//! A turn is one simulation tick of `turn_hours`. While turn `n` is open each blue team
//! sees the declarations arriving at its offices in that tick, and may submit (and
//! resubmit: the last submission counts) until the facilitator advances. Advancing closes
//! turn `n`: teams that did not submit are **defaulted** (a blue office then runs its
//! scenario strategy, a red network keeps its previous orders or, with none, its scenario
//! behaviour), the tick is simulated, and turn `n + 1` opens. Inspection results of turn
//! `n` are in [`TeamView::last_results`] while turn `n + 1` is open. Every submission and
//! every advance is committed to the state file before it is acknowledged.
//!
//! # Truth
//! Nothing a team route returns before the debrief opens carries ground truth: no real
//! contents, network or real end user of any shipment, no illicit flag of an uninspected
//! shipment, no network plans. Declarations and traders carry opaque ids ([`DeclarationView::id`],
//! [`TraderRef::id`]) that do not reveal the order shipments were generated in.
//! Inspection results carry what the inspection found, and nothing about what it missed.

use serde::{Deserialize, Serialize};

pub use crate::scenario::Event;

/// Every error: a stable machine code and a sentence for a person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiError {
    /// `bad_token`, `forbidden`, `bad_json`, `not_found`, `turn_closed`, `paused`,
    /// `finished`, `over_capacity`, `unknown_declaration`, `unknown_team`, `bad_alert`,
    /// `bad_order`, `unknown_inject`, `already_fired`, `bad_inject`, `debrief_closed`,
    /// `internal`.
    pub error: String,
    pub message: String,
}

/// Where the exercise is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// A turn is open for submissions.
    Open,
    /// The facilitator paused: submissions and advances are refused until resumed.
    Paused,
    /// Every turn is closed.
    Finished,
}

/// The exercise's clock, in every view.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Status {
    pub exercise: String,
    /// The open turn, 1-based (equals `turns` + 1 once finished).
    pub turn: u32,
    pub turns: u32,
    pub phase: Phase,
    /// Simulated date and hour of the open turn, e.g. "2020-02-08 00:00".
    pub sim_time: String,
    pub turn_hours: u32,
    /// Whether the facilitator has opened the debrief to the teams.
    pub debrief_open: bool,
}

/// Blue (customs administrations) or red (an illicit network).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Blue,
    Red,
}

/// What decision support a blue team sees on its declarations.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    None,
    /// Indicator names from the named strategy's watch lists.
    Indicators {
        strategy: String,
    },
    /// Indicators and the named strategy's risk score.
    Score {
        strategy: String,
    },
}

/// GET `/api/team/{team}`: everything a team sees now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TeamView {
    pub status: Status,
    pub team: String,
    pub side: Side,
    /// The other teams, by name (addressees of alerts).
    pub other_teams: Vec<String>,
    /// Whether this team has submitted for the open turn.
    pub submitted: bool,
    /// Blue: its submission for the open turn, if any.
    pub decisions: Option<Decisions>,
    /// Blue: its offices with their capacity this turn.
    pub offices: Vec<OfficeView>,
    pub support: Support,
    /// Blue: the declarations at its offices this turn, ordered by id.
    pub declarations: Vec<DeclarationView>,
    /// Alerts received (from other teams or the facilitator), newest first.
    pub alerts: Vec<AlertView>,
    /// Results of the last closed turn.
    pub last_results: Option<TurnResults>,
    /// Red: its network's options, orders and known losses.
    pub red: Option<RedView>,
}

/// A blue team's office this turn.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OfficeView {
    /// UN/LOCODE or IATA code, e.g. "SGSIN".
    pub code: String,
    pub name: String,
    pub country: String,
    /// Officer-hours available this turn.
    pub capacity_hours: f64,
    /// `nii_scan` or `physical`: what one inspection is this turn.
    pub method: String,
    pub hours_per_inspection: f64,
    /// Inspections the capacity buys this turn: the most that may be selected here.
    pub max_inspections: u32,
    /// Whether a facilitator or scheduled inject changes it now (closure, failure, ...).
    pub conditions: Vec<String>,
}

/// A trader as the declaration names it: an opaque id stable for the whole exercise.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TraderRef {
    /// e.g. "T-3f9a21c4".
    pub id: String,
    pub country: String,
}

/// One declaration as the office sees it: declared fields only.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeclarationView {
    /// Opaque id, e.g. "D-8c1e0b7a55d2" (what decisions and alerts name).
    pub id: String,
    /// Office code where it is presented.
    pub office: String,
    /// `export`, `transit` or `import` at this office.
    pub role: String,
    pub hs: String,
    pub description: String,
    pub exporter: TraderRef,
    pub consignee: TraderRef,
    /// Declared route: port codes from origin to destination.
    pub route: Vec<String>,
    pub origin_country: String,
    pub destination_country: String,
    pub value_usd: f64,
    pub kg: f64,
    /// The description is vague.
    pub vague: bool,
    /// A licence is quoted.
    pub licence: bool,
    /// Advance cargo information reached the office.
    pub advance_info: bool,
    /// With `Indicators` or `Score` support: indicator names (e.g. "HsWatch").
    pub indicators: Option<Vec<String>>,
    /// With `Score` support: the strategy's risk score.
    pub score: Option<f64>,
}

/// POST `/api/team/{team}/decisions`: a blue team's choices for the open turn.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// The turn these are for: must be the open turn (else 409 `turn_closed`).
    pub turn: u32,
    /// Declaration ids to inspect; per office at most its `max_inspections`
    /// (else 422 `over_capacity`, nothing recorded). Duplicates count once.
    pub inspect: Vec<String>,
    /// Alerts to other teams, delivered when the turn closes.
    #[serde(default)]
    pub alerts: Vec<AlertDraft>,
}

/// An alert a blue team sends: to a team, about a declaration and/or traders.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct AlertDraft {
    /// Name of the receiving team (not the sender).
    pub to: String,
    /// A declaration id this team saw.
    #[serde(default)]
    pub declaration: Option<String>,
    /// Trader ids (exporter or consignee) this team saw.
    #[serde(default)]
    pub traders: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// An alert as received.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AlertView {
    /// Team name, or "facilitator" for injected intelligence.
    pub from: String,
    /// Turn it was sent in.
    pub turn: u32,
    pub declaration: Option<String>,
    pub traders: Vec<String>,
    pub note: String,
}

/// Red: the network's options and what it has learnt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RedView {
    pub network: String,
    /// Routes it may use now (index = `route` in [`RedOrders`]).
    pub routes: Vec<RouteOption>,
    /// Concealment labels it may use (as in [`RedOrders::concealment`]).
    pub concealments: Vec<String>,
    /// Its front companies (ids as in [`RedOrders::front_company`]).
    pub front_companies: Vec<TraderRef>,
    /// Orders in force (the last submitted), if any.
    pub orders: Option<RedOrders>,
    /// Shipments it sent, per closed turn.
    pub sent: Vec<u32>,
    /// Its seizures it has heard of, after the scenario's learning delay.
    pub known_losses: Vec<KnownLoss>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RouteOption {
    pub index: u32,
    pub ports: Vec<String>,
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KnownLoss {
    /// Simulated date it was seized.
    pub date: String,
    pub port: String,
    pub country: String,
    pub commodity: String,
    pub concealment: String,
    pub front_company: String,
}

/// POST `/api/team/{team}/orders`: a red team's orders for its network's next shipments:
/// in force from the shipments generated in the next turn (those of the open turn are
/// already on their way) until replaced. Resubmitting in the same turn replaces them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct RedOrders {
    pub turn: u32,
    /// Index into [`RedView::routes`]; `None`: the network's own route choice.
    #[serde(default)]
    pub route: Option<u32>,
    /// A label of [`RedView::concealments`]; `None`: its own choice.
    #[serde(default)]
    pub concealment: Option<String>,
    /// A [`RedView::front_companies`] id; `None`: its own choice.
    #[serde(default)]
    pub front_company: Option<String>,
}

/// What a successful write returns.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ack {
    /// Sequence number of the committed record in the state file's log.
    pub seq: u64,
    pub turn: u32,
    /// Decisions: inspections recorded per office code.
    pub inspections: Vec<(String, u32)>,
    pub message: String,
}

/// Results of one closed turn for one team.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TurnResults {
    pub turn: u32,
    /// The team did not submit: its offices used their scenario strategy.
    pub defaulted: bool,
    /// Blue: what each inspection found.
    pub inspections: Vec<InspectionResult>,
    pub officer_hours: f64,
    /// Hours inspected licit shipments were held (known to the office: it released them).
    pub delay_hours: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InspectionResult {
    pub declaration: String,
    pub office: String,
    /// `seized`, `violation_not_seizable` (found, no legal power to seize) or `clear`
    /// (nothing found: not proof that nothing was there).
    pub outcome: String,
    /// When found: what the inspection found inside.
    pub found: Option<String>,
}

/// GET `/api/team/{team}/results`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TeamResults {
    pub team: String,
    pub turns: Vec<TurnResults>,
}

/// A team's state in the facilitator's view.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TeamStatus {
    Pending,
    Submitted,
    Defaulted,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TeamSummary {
    pub team: String,
    pub side: Side,
    /// Offices (blue) or network (red) it plays.
    pub plays: Vec<String>,
    /// For the open turn: pending or submitted.
    pub status: TeamStatus,
    /// Turns (1-based) it was defaulted in.
    pub defaulted_turns: Vec<u32>,
    /// Page URL path of the team, e.g. "/team/<token>".
    pub url: String,
    /// Blue: running scoreboard over closed turns.
    pub inspections: u64,
    pub seizures: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InjectView {
    /// Name in the scenario's exercise block, or "ad-hoc".
    pub name: String,
    pub description: String,
    /// Scheduled turn (None: held for the facilitator).
    pub turn: Option<u32>,
    /// Turn it fired in, if it has.
    pub fired: Option<u32>,
}

/// GET `/api/facilitator/{fac}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FacilitatorView {
    pub status: Status,
    pub teams: Vec<TeamSummary>,
    pub injects: Vec<InjectView>,
    /// (turn, text) events so far: injects, alerts, seizures, network reactions.
    pub timeline: Vec<TimelineEntry>,
    /// Milliseconds the last advance took.
    pub last_advance_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TimelineEntry {
    pub turn: u32,
    pub date: String,
    /// `inject`, `alert`, `seizure`, `network`, `default`, `red_orders`.
    pub kind: String,
    pub text: String,
}

/// One logged submission.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubmissionRecord {
    pub seq: u64,
    pub turn: u32,
    pub team: String,
    pub decisions: Option<Decisions>,
    pub orders: Option<RedOrders>,
}

/// GET `/api/facilitator/{fac}/submissions`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Submissions {
    pub submissions: Vec<SubmissionRecord>,
}

/// POST `/api/facilitator/{fac}/advance`: close `turn` (must be the open turn, so a
/// double click cannot advance twice).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    pub turn: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AdvanceResult {
    pub closed: u32,
    pub status: Status,
    /// Teams defaulted in the closed turn.
    pub defaulted: Vec<String>,
    /// Milliseconds the simulation of the turn took.
    pub sim_ms: f64,
}

/// POST `/api/facilitator/{fac}/pause`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pause {
    pub paused: bool,
}

/// POST `/api/facilitator/{fac}/inject`: fire a held inject by name, or an ad-hoc event
/// (the scenario's `Event` in JSON, e.g. `{"NodeClosure": {"node": "SGSIN", "days": 1}}`;
/// `NewService` is refused). Takes effect in the tick the open turn simulates.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FireInject {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub event: Option<Event>,
    /// Text shown in the timeline for an ad-hoc event.
    #[serde(default)]
    pub description: String,
}

/// GET `/api/facilitator/{fac}/truth`: the open turn with what is really inside.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Truth {
    pub status: Status,
    pub teams: Vec<TeamTruth>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TeamTruth {
    pub team: String,
    pub declarations: Vec<TruthRow>,
}

/// A declaration with its truth.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TruthRow {
    pub id: String,
    pub office: String,
    /// Selected in the team's current submission.
    pub selected: bool,
    pub illicit: bool,
    pub network: Option<String>,
    pub commodity: String,
    pub hs_declared: String,
    pub hs_actual: String,
    pub concealment: Option<String>,
    /// The real end user: the consignee's id and country, and for illicit the network.
    pub real_end_user: String,
    pub destination_country: String,
}

/// The debrief: on the turns closed so far.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Debrief {
    pub status: Status,
    pub teams: Vec<TeamDebrief>,
    pub overall: Score,
    pub red: Vec<RedDebrief>,
    /// Every team's (blue) play against the comparison strategies on the same world,
    /// seeds and red orders.
    pub comparisons: Vec<Comparison>,
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Score {
    /// Declarations presented at the offices.
    pub declarations: u64,
    pub illicit_presented: u64,
    pub inspections: u64,
    pub caught: u64,
    /// Illicit shipments that passed these offices without being seized.
    pub missed: u64,
    pub officer_hours: f64,
    /// Hours licit shipments were held by inspections.
    pub licit_delay_hours: f64,
    /// Licit shipments inspected.
    pub licit_inspected: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TeamDebrief {
    pub team: String,
    pub side: Side,
    pub score: Score,
    pub defaulted_turns: Vec<u32>,
    /// Illicit shipments seen, caught or missed, with their truth.
    pub illicit: Vec<IllicitRow>,
    pub alerts_sent: Vec<AlertOutcome>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IllicitRow {
    pub turn: u32,
    pub declaration: String,
    pub office: String,
    /// `caught`, `inspected_not_found`, `found_not_seizable`, `not_inspected`.
    pub outcome: String,
    pub commodity: String,
    pub category: String,
    pub hs_declared: String,
    pub hs_actual: String,
    pub concealment: String,
    pub network: String,
    pub sender: String,
    pub sender_country: String,
    pub consignee: String,
    pub destination: String,
    /// Where it ended up: `seized at <port>` (here or further on), or `reached <country>`
    /// / `in transit` when the exercise ended.
    pub ended: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AlertOutcome {
    pub turn: u32,
    pub to: String,
    pub declaration: Option<String>,
    pub traders: Vec<String>,
    /// What it led to: e.g. "inspected by MYS at MYPKG, seized", "not acted on".
    pub led_to: String,
    /// Whether the alert was about something illicit.
    pub about_illicit: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RedDebrief {
    pub team: String,
    pub network: String,
    /// Shipments sent per route (ports joined by ">").
    pub routes: Vec<(String, u64)>,
    pub sent: u64,
    pub lost: u64,
    pub losses: Vec<KnownLoss>,
    pub orders: Vec<RedOrders>,
}

/// A team against one comparison strategy, paired on the same world, seed and red orders.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Comparison {
    pub team: String,
    pub strategy: String,
    pub team_score: Score,
    pub strategy_score: Score,
}
