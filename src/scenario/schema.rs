//! The scenario file format: what a planner writes. Every struct denies unknown fields so
//! that a misspelt optional field is an error instead of a silently used default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole scenario: the world to simulate, how trade flows through it, who hides what in
/// it, and how each customs office chooses what to inspect.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Base seed of every random stream; `stce run --seed` overrides it.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// First simulated day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Length of the measurement window in days (day 0 is `start_date`).
    pub days: u32,
    /// Days simulated before the window so that it starts with the pipeline full
    /// (shipments already at sea, networks already shipping; offices work its last
    /// three days, and networks learn only from the window's seizures). None: the
    /// longest expected voyage of the scenario's trade and networks, in whole days.
    #[serde(default)]
    pub warmup_days: Option<u32>,
    /// Most days simulated after the window, without new declarations, for the window's
    /// shipments to be delivered or seized. None: twice the longest expected voyage plus
    /// a week. The run stops earlier once every window shipment has a fate.
    #[serde(default)]
    pub drain_days: Option<u32>,
    /// Keep the population (licit traders, front companies) the same in every
    /// replication, drawn from `seed`: results are then conditional on that one draw.
    /// By default each replication draws its own from its seed.
    #[serde(default)]
    pub fixed_population: bool,
    /// Over-dispersion of daily volumes: 0 gives Poisson counts around the weekday
    /// mean; k > 0 multiplies each day's mean by a Gamma factor of mean 1 and variance
    /// k (a negative binomial: variance = mean + k·mean²).
    #[serde(default)]
    pub arrival_dispersion: f64,
    /// Hours per simulation tick; must divide 24. Offices assess each tick's arrivals.
    #[serde(default = "default_tick_hours")]
    pub tick_hours: u32,
    /// Expected shipments (each with one declaration) declared in the measurement
    /// window, licit and illicit together; the warm-up runs at the same daily volume.
    /// `stce run --declarations` overrides it.
    pub declarations: u64,
    /// Relative volume Monday..Sunday (normalised to mean 1).
    /// Written as a list `[1.1, …]` or a tuple `(1.1, …)` of seven numbers.
    #[serde(
        default = "default_weekday_profile",
        deserialize_with = "seven::deserialize"
    )]
    pub weekday_profile: [f64; 7],
    pub administrations: Vec<Administration>,
    pub nodes: Vec<Node>,
    pub services: Vec<Service>,
    /// Named targeting strategies that offices refer to by name.
    pub strategies: Vec<StrategyDef>,
    #[serde(default)]
    pub trade: TradeModel,
    pub commodities: Vec<Commodity>,
    #[serde(default)]
    pub traders: TraderModel,
    #[serde(default)]
    pub illicit: Vec<Network>,
    #[serde(default)]
    pub inspection: InspectionModel,
    /// A Cosmo-style enforcement operation; without one the run is business as usual.
    #[serde(default)]
    pub operation: Option<Operation>,
    /// A tabletop exercise played on this world (`stce exercise`); ignored by `run`.
    #[serde(default)]
    pub exercise: Option<Exercise>,
}

fn default_seed() -> u64 {
    1
}
fn default_tick_hours() -> u32 {
    24
}
fn default_weekday_profile() -> [f64; 7] {
    [1.1, 1.15, 1.15, 1.15, 1.1, 0.75, 0.6]
}

/// Seven numbers from either a RON list or a RON tuple: the README and most users write
/// a list, serde's own array reading takes only a tuple.
mod seven {
    use std::fmt;

    use serde::de::{self, Deserializer, SeqAccess, Visitor};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 7], D::Error> {
        struct Seven;
        impl<'de> Visitor<'de> for Seven {
            type Value = [f64; 7];
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "seven numbers, Monday to Sunday, e.g. [1.1, 1.15, 1.15, 1.15, 1.1, 0.75, 0.6]",
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[f64; 7], A::Error> {
                let mut out = [0.0; 7];
                for (i, slot) in out.iter_mut().enumerate() {
                    *slot = seq
                        .next_element()?
                        .ok_or_else(|| de::Error::invalid_length(i, &self))?;
                }
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(8, &self));
                }
                Ok(out)
            }
        }
        d.deserialize_any(Seven)
    }
}

/// A customs administration and its STCE maturity.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Administration {
    /// ISO 3166-1 alpha-3 code.
    pub country: String,
    /// Share of officers trained in commodity identification (0..1).
    #[serde(default = "default_trained_share")]
    pub trained_officer_share: f64,
    /// Equipment its offices have unless an office says otherwise.
    #[serde(default)]
    pub equipment: Vec<Equipment>,
    /// Share of declarations for which complete advance (pre-arrival/pre-departure)
    /// information reaches the office (0..1).
    #[serde(default = "default_advance_information")]
    pub advance_information: f64,
    /// Hours the licensing authority takes to confirm a licence during a detention.
    #[serde(default = "default_licensing_hours")]
    pub licensing_response_hours: f64,
    /// Without a legal framework for strategic goods an office can find a violation but
    /// cannot seize: the shipment is released after detention.
    #[serde(default = "default_true")]
    pub legal_framework: bool,
    /// GDP in millions of USD, for countries the reference data lacks or to override it.
    #[serde(default)]
    pub gdp_musd: Option<f64>,
}

fn default_trained_share() -> f64 {
    0.3
}
fn default_advance_information() -> f64 {
    0.8
}
fn default_licensing_hours() -> f64 {
    48.0
}
fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Equipment {
    /// Non-intrusive inspection (X-ray) scanner: faster than a physical examination.
    NiiScanner,
    /// Radiation portal monitor: recognises nuclear and radiological material.
    RadiationPortal,
    /// Handheld chemical identifier: recognises precursor chemicals.
    ChemicalIdentifier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum NodeKind {
    #[default]
    Seaport,
    Airport,
}

/// A port or airport, with its customs office if it has one.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// UN/LOCODE for a seaport (5 letters), IATA code for an airport (3 letters).
    pub code: String,
    #[serde(default)]
    pub kind: NodeKind,
    /// Shipments may change carrier here (and meet a transit checkpoint).
    #[serde(default)]
    pub transshipment_hub: bool,
    /// Share of its country's trade that starts or ends here, relative to the country's
    /// other nodes.
    #[serde(default = "default_weight")]
    pub trade_weight: f64,
    #[serde(default)]
    pub office: Option<Office>,
}

fn default_weight() -> f64 {
    1.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Role {
    Export,
    Transit,
    Import,
}

/// A customs office (checkpoint) at a node.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// Officer-hours per day available for inspections.
    pub capacity_hours: f64,
    /// Name of a strategy from the scenario's `strategies`.
    pub strategy: String,
    /// Which flows it assesses.
    #[serde(default = "default_roles")]
    pub roles: Vec<Role>,
    /// Overrides the administration's equipment.
    #[serde(default)]
    pub equipment: Option<Vec<Equipment>>,
}

fn default_roles() -> Vec<Role> {
    vec![Role::Export, Role::Transit, Role::Import]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Mode {
    Sea,
    Air,
}

/// A carrier service: a shipping loop or an air route. A shipment boards at any call and
/// rides the rotation (wrapping from the last call back to the first) to any other call.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    pub mode: Mode,
    /// Node codes in rotation order; at least two, each a node of the scenario.
    pub calls: Vec<String>,
    /// Days between departures; a shipment waits on average half of it.
    #[serde(default = "default_frequency")]
    pub frequency_days: f64,
    /// Cruising speed; default 33 km/h (18 knots) at sea, 800 km/h in the air.
    #[serde(default)]
    pub speed_kmh: Option<f64>,
    /// Hours spent at each intermediate call.
    #[serde(default = "default_call_hours")]
    pub call_hours: f64,
}

fn default_frequency() -> f64 {
    7.0
}
fn default_call_hours() -> f64 {
    12.0
}

/// A named targeting strategy.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyDef {
    pub name: String,
    pub kind: StrategyKind,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub enum StrategyKind {
    /// Select each declaration independently with probability `rate`, within capacity.
    Random { rate: f64 },
    /// Select declarations that match at least one profile (most matches first).
    Rules {
        #[serde(default)]
        watch: Watchlists,
        profiles: Vec<Profile>,
    },
    /// Score every declaration (sum of indicator weights) and inspect the highest scores
    /// within capacity, down to `threshold`.
    RiskScore {
        #[serde(default)]
        watch: Watchlists,
        weights: BTreeMap<Indicator, f64>,
        #[serde(default)]
        threshold: f64,
    },
    /// An online logistic model of P(violation | indicators) that learns only from the
    /// outcomes of its own office's inspections. A share `exploration` of capacity is
    /// drawn at random, the rest goes to the highest predicted risk.
    Learner {
        #[serde(default)]
        watch: Watchlists,
        exploration: f64,
        #[serde(default = "default_learning_rate")]
        learning_rate: f64,
        /// Starting weight of every indicator: positive means "indicators raise risk"
        /// until outcomes say otherwise (optimism that keeps it looking at them).
        #[serde(default = "default_one")]
        initial_weight: f64,
        /// Starting share of violations among inspections (sets the starting bias).
        #[serde(default = "default_prior_rate")]
        prior_rate: f64,
    },
    /// Intelligence first: declarations naming a watched entity (a known front company)
    /// are inspected before anything else, then the rest of capacity goes by risk score.
    IntelligenceLed {
        #[serde(default)]
        watch: Watchlists,
        weights: BTreeMap<Indicator, f64>,
        #[serde(default)]
        threshold: f64,
    },
    /// Shares of capacity for other strategies of the scenario, e.g.
    /// `[("risk-score", 0.9), ("random", 0.1)]`.
    Mixture { parts: Vec<(String, f64)> },
}

fn default_learning_rate() -> f64 {
    0.1
}

fn default_prior_rate() -> f64 {
    0.01
}

/// What a rule or score may look at: only the declaration and the office's records.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Watchlists {
    /// HS codes or prefixes (2, 4 or 6 digits).
    #[serde(default)]
    pub hs: Vec<String>,
    /// ISO3 codes of destination or transit countries of concern.
    #[serde(default)]
    pub countries: Vec<String>,
    /// A trader younger than this many days counts as new.
    #[serde(default = "default_new_trader_days")]
    pub new_trader_days: u32,
    /// |ln(declared value per kg / the subheading's norm)| above this is an anomaly.
    #[serde(default = "default_value_anomaly")]
    pub value_anomaly: f64,
    /// Illicit networks intelligence has identified: a share `entity_coverage` of their
    /// front companies is on the entity watch list.
    #[serde(default)]
    pub networks: Vec<String>,
    #[serde(default = "default_entity_coverage")]
    pub entity_coverage: f64,
    /// `stce trace` only: importer or declarant ids of the declaration file on the entity
    /// watch list (a simulated world names networks instead).
    #[serde(default)]
    pub traders: Vec<String>,
}

fn default_entity_coverage() -> f64 {
    0.5
}

fn default_new_trader_days() -> u32 {
    180
}
fn default_value_anomaly() -> f64 {
    1.0
}

/// A risk indicator computed from a declaration. Never from the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Indicator {
    /// Declared HS code is on the watch list.
    HsWatch,
    /// Destination or a transit country is of concern.
    CountryOfConcern,
    /// The route changes carrier at a transshipment hub.
    ViaHub,
    /// The exporter is younger than `new_trader_days`.
    NewTrader,
    /// The exporter has prior violations.
    PriorViolations,
    /// The exporter is not an Authorised Economic Operator.
    NotAeo,
    /// Declared value per kg is far from the subheading's norm.
    ValueAnomaly,
    /// The goods description is vague.
    VagueDescription,
    /// The declared subheading is controlled and no licence is quoted.
    MissingLicence,
    /// Advance information did not reach the office.
    MissingAdvanceInfo,
    /// The exporter or consignee is on the entity watch list.
    WatchedEntity,
}

impl Indicator {
    pub const ALL: [Indicator; 11] = [
        Indicator::HsWatch,
        Indicator::CountryOfConcern,
        Indicator::ViaHub,
        Indicator::NewTrader,
        Indicator::PriorViolations,
        Indicator::NotAeo,
        Indicator::ValueAnomaly,
        Indicator::VagueDescription,
        Indicator::MissingLicence,
        Indicator::MissingAdvanceInfo,
        Indicator::WatchedEntity,
    ];

    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A profile fires when all of its indicators are present.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub all: Vec<Indicator>,
}

/// How licit trade is spread over country pairs.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub enum TradeModel {
    /// Flows i→j ∝ GDP_i^a · GDP_j^b / distance_ij^c (great circle between the countries'
    /// representative points).
    Gravity {
        #[serde(default = "default_one")]
        gdp_origin_exponent: f64,
        #[serde(default = "default_one")]
        gdp_destination_exponent: f64,
        #[serde(default = "default_one")]
        distance_exponent: f64,
    },
    /// Explicit relative flows.
    Matrix(Vec<Flow>),
}

impl Default for TradeModel {
    fn default() -> Self {
        TradeModel::Gravity {
            gdp_origin_exponent: 1.0,
            gdp_destination_exponent: 1.0,
            distance_exponent: 1.0,
        }
    }
}

fn default_one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize, Serialize)]
pub enum Category {
    /// Not a strategic good.
    #[default]
    None,
    DualUse,
    Military,
    /// A CWC scheduled chemical or a listed precursor (give its CAS number).
    Chemical,
    Nuclear,
    Missile,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::None,
        Category::DualUse,
        Category::Military,
        Category::Chemical,
        Category::Nuclear,
        Category::Missile,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Category::None => "none",
            Category::DualUse => "dual_use",
            Category::Military => "military",
            Category::Chemical => "chemical",
            Category::Nuclear => "nuclear",
            Category::Missile => "missile",
        }
    }
}

/// A kind of goods. Several commodities may share one HS subheading: that ambiguity is
/// why HS-only targeting produces false positives.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Commodity {
    pub name: String,
    /// HS 2022 six-digit subheading.
    pub hs: String,
    /// Relative share of licit declarations (0 for goods only traffickers move).
    pub share: f64,
    #[serde(default)]
    pub category: Category,
    /// CAS registry number of a chemical, checked against CWC schedules and EU 1C350.
    #[serde(default)]
    pub cas: Option<String>,
    /// Mean value per kg in USD.
    #[serde(default = "default_value_per_kg")]
    pub value_per_kg: f64,
    /// Mean weight of one consignment in kg.
    #[serde(default = "default_kg")]
    pub kg: f64,
}

fn default_value_per_kg() -> f64 {
    20.0
}
fn default_kg() -> f64 {
    4000.0
}

/// The population of licit traders each country has.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TraderModel {
    #[serde(default = "default_traders_per_country")]
    pub per_country: u32,
    /// Share registered within the last 180 days.
    #[serde(default = "default_new_share")]
    pub new_share: f64,
    #[serde(default = "default_aeo_share")]
    pub aeo_share: f64,
    /// Share with prior (minor) violations on record.
    #[serde(default = "default_violation_share")]
    pub prior_violation_share: f64,
    /// Chance that a licit declaration has a vague description.
    #[serde(default = "default_vague_share")]
    pub vague_description_share: f64,
    /// Spread (log-sd) of honest declared value around the true value.
    #[serde(default = "default_value_noise")]
    pub value_noise: f64,
}

impl Default for TraderModel {
    fn default() -> Self {
        TraderModel {
            per_country: default_traders_per_country(),
            new_share: default_new_share(),
            aeo_share: default_aeo_share(),
            prior_violation_share: default_violation_share(),
            vague_description_share: default_vague_share(),
            value_noise: default_value_noise(),
        }
    }
}

fn default_traders_per_country() -> u32 {
    500
}
fn default_new_share() -> f64 {
    0.08
}
fn default_aeo_share() -> f64 {
    0.15
}
fn default_violation_share() -> f64 {
    0.05
}
fn default_vague_share() -> f64 {
    0.05
}
fn default_value_noise() -> f64 {
    0.25
}

/// How an illicit shipment hides from a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Concealment {
    /// Declared truthfully, but without the licence it needs.
    Undisguised,
    /// Declared under an innocuous HS code from the network's `cover_hs`.
    MisdeclaredHs,
    /// Declared under a cover code with a vague description.
    GenericDescription,
    /// True HS code, value declared far below the real one.
    Undervaluation,
    /// Split into small consignments (lower weight and value each).
    SplitConsignment,
    /// True HS code with a forged licence and a false end-user certificate.
    FalseEndUser,
}

impl Concealment {
    pub const ALL: [Concealment; 6] = [
        Concealment::Undisguised,
        Concealment::MisdeclaredHs,
        Concealment::GenericDescription,
        Concealment::Undervaluation,
        Concealment::SplitConsignment,
        Concealment::FalseEndUser,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Concealment::Undisguised => "undisguised",
            Concealment::MisdeclaredHs => "misdeclared_hs",
            Concealment::GenericDescription => "generic_description",
            Concealment::Undervaluation => "undervaluation",
            Concealment::SplitConsignment => "split_consignment",
            Concealment::FalseEndUser => "false_end_user",
        }
    }
}

/// An illicit procurement or trafficking network.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub name: String,
    /// Share of all declarations that are this network's shipments.
    pub share: f64,
    /// Names of commodities it procures.
    pub seeks: Vec<String>,
    /// ISO3 countries it buys in (exports from).
    pub origins: Vec<String>,
    /// ISO3 countries of its end users.
    pub destinations: Vec<String>,
    /// Transshipment hubs (node codes) it prefers; one is used per shipment. Empty: the
    /// ordinary route.
    #[serde(default)]
    pub via: Vec<String>,
    /// Relative weight of each concealment method.
    pub concealment: BTreeMap<Concealment, f64>,
    /// HS codes used as cover when misdeclaring (each a scenario commodity's code).
    #[serde(default)]
    pub cover_hs: Vec<String>,
    /// Share of its front companies registered within the last 180 days.
    #[serde(default = "default_front_new_share")]
    pub front_company_new_share: f64,
    #[serde(default = "default_front_companies")]
    pub front_companies: u32,
    /// From this day on the network hides differently (it learnt what gets caught).
    #[serde(default)]
    pub shift: Option<Shift>,
    #[serde(default)]
    pub adaptation: Adaptation,
}

/// How a network reacts to what it learns of seizures (from the window's first day: the
/// file describes the network as it is then) and publicity.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adaptation {
    /// Days before the network learns of a seizure.
    #[serde(default = "default_learning_delay")]
    pub learning_delay_days: u32,
    /// Seizures at a node (known to the network) after which it routes round the node.
    #[serde(default = "default_avoid_after")]
    pub avoid_after: u32,
    /// Factor applied to the weight of a concealment method each time it is caught.
    #[serde(default = "default_concealment_penalty")]
    pub concealment_penalty: f64,
    /// On publicity about the operation: chance the network pauses, and for how long.
    #[serde(default = "default_pause_share")]
    pub publicity_pause_share: f64,
    #[serde(default = "default_pause_days")]
    pub publicity_pause_days: u32,
}

impl Default for Adaptation {
    fn default() -> Self {
        Adaptation {
            learning_delay_days: default_learning_delay(),
            avoid_after: default_avoid_after(),
            concealment_penalty: default_concealment_penalty(),
            publicity_pause_share: default_pause_share(),
            publicity_pause_days: default_pause_days(),
        }
    }
}

fn default_learning_delay() -> u32 {
    7
}
fn default_avoid_after() -> u32 {
    2
}
fn default_concealment_penalty() -> f64 {
    0.7
}
fn default_pause_share() -> f64 {
    0.3
}
fn default_pause_days() -> u32 {
    14
}

/// A Cosmo-style operation: a window, participants, a surge, profiles handed out at the
/// start, a 24/7 communication platform and scripted injects.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub name: String,
    /// ISO3 of the participating administrations; empty means all.
    #[serde(default)]
    pub participants: Vec<String>,
    pub phases: Vec<Phase>,
    /// Commodity names the operation targets (reported with seizures).
    #[serde(default)]
    pub focus: Vec<String>,
    /// Capacity multiplier at participants' offices during the interdiction phase.
    #[serde(default = "default_one")]
    pub surge: f64,
    /// The targeting profile handed to participants: the strategy their offices use
    /// from the interdiction phase to the end of the operation.
    #[serde(default)]
    pub strategy: Option<String>,
    #[serde(default)]
    pub platform: Platform,
    #[serde(default)]
    pub injects: Vec<Inject>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum PhaseKind {
    TargetBuilding,
    Interdiction,
    FollowUp,
    Reporting,
}

/// Days `[start_day, end_day)` of the run.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub kind: PhaseKind,
    pub start_day: u32,
    pub end_day: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum Availability {
    Always,
    /// Read on weekdays only: an alert arriving at a weekend waits for Monday.
    OfficeHours,
    #[default]
    Never,
}

/// The 24/7 communication platform (STRATComm-like).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// Alert the offices further along the seized or detained shipment's route.
    #[serde(default = "default_true")]
    pub downstream: bool,
    /// Alert every participant.
    #[serde(default)]
    pub all_participants: bool,
    #[serde(default = "default_latency")]
    pub latency_hours: f64,
    /// Whether non-participating administrations read alerts.
    #[serde(default)]
    pub non_participants: Availability,
    /// Days an alert keeps raising the priority of matching declarations.
    #[serde(default = "default_alert_days")]
    pub alert_days: u32,
    /// A participant that flags a declaration with the operation's profile (a watched
    /// entity, or a watched HS code without licence or via a country of concern) but has
    /// no capacity left to inspect it alerts the offices further along its route.
    #[serde(default = "default_true")]
    pub flag_uninspected: bool,
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            downstream: true,
            all_participants: false,
            latency_hours: default_latency(),
            non_participants: Availability::Never,
            alert_days: default_alert_days(),
            flag_uninspected: true,
        }
    }
}

fn default_latency() -> f64 {
    4.0
}
fn default_alert_days() -> u32 {
    30
}

/// A scripted event of the operation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub day: u32,
    pub event: Event,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub enum Event {
    /// Intelligence identifies a share of a network's front companies: an alert on them
    /// goes to every participant.
    IntelligenceTip { network: String, coverage: f64 },
    /// The port or airport closes: arrivals wait until it reopens.
    NodeClosure { node: String, days: u32 },
    /// The office's scanner is out of order: physical examinations only.
    EquipmentFailure { node: String, days: u32 },
    /// Capacity of an office (or of all of a country's offices) multiplied for a while.
    CapacityChange {
        #[serde(default)]
        node: Option<String>,
        #[serde(default)]
        country: Option<String>,
        factor: f64,
        days: u32,
    },
    /// The operation is publicised: networks learn of it; some pause.
    Publicity,
    /// A carrier service of the `services` list starts running on this day (until then
    /// it is held back): trade and networks take its routes where they are faster.
    NewService { service: String },
}

impl Event {
    /// Events that happen to the world whether or not the operation runs (they apply
    /// in the business-as-usual baseline too); the others are the operation's doing.
    pub fn is_world_event(&self) -> bool {
        matches!(
            self,
            Event::NodeClosure { .. } | Event::EquipmentFailure { .. } | Event::NewService { .. }
        )
    }
}

/// A change of concealment during the run.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    pub day: u32,
    pub concealment: BTreeMap<Concealment, f64>,
}

fn default_front_new_share() -> f64 {
    0.6
}
fn default_front_companies() -> u32 {
    12
}

/// The inspection model: what a check costs and how likely it is to find the truth.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionModel {
    /// A physical examination (used where the office has no scanner).
    #[serde(default = "default_physical")]
    pub physical: Method,
    /// An NII scan with a document check (used where the office has a scanner).
    #[serde(default = "default_nii")]
    pub nii_scan: Method,
    /// P(the check reveals a discrepancy) per concealment method; missing entries use
    /// the documented defaults.
    #[serde(default)]
    pub find: BTreeMap<Concealment, FindProbability>,
    /// P(an untrained officer recognises a strategic good once found).
    #[serde(default = "default_recognise_untrained")]
    pub recognise_untrained: f64,
    /// P(a trained officer recognises it).
    #[serde(default = "default_recognise_trained")]
    pub recognise_trained: f64,
    /// Recognition of chemicals where the office has a chemical identifier.
    #[serde(default = "default_chemical_identifier")]
    pub chemical_identifier: f64,
    /// Recognition of nuclear material where the office has a radiation portal.
    #[serde(default = "default_radiation_portal")]
    pub radiation_portal: f64,
}

impl Default for InspectionModel {
    fn default() -> Self {
        InspectionModel {
            physical: default_physical(),
            nii_scan: default_nii(),
            find: BTreeMap::new(),
            recognise_untrained: default_recognise_untrained(),
            recognise_trained: default_recognise_trained(),
            chemical_identifier: default_chemical_identifier(),
            radiation_portal: default_radiation_portal(),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Officer-hours one inspection costs.
    pub officer_hours: f64,
    /// Hours it adds to the shipment's dwell time.
    pub dwell_hours: f64,
}

fn default_physical() -> Method {
    Method {
        officer_hours: 4.0,
        dwell_hours: 36.0,
    }
}
fn default_nii() -> Method {
    Method {
        officer_hours: 1.0,
        dwell_hours: 8.0,
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindProbability {
    pub physical: f64,
    pub nii_scan: f64,
}

impl InspectionModel {
    /// The documented defaults: documentary frauds are found by the document check that
    /// goes with either method; physical misdeclaration is found best by opening the box.
    pub fn default_find(c: Concealment) -> FindProbability {
        let (physical, nii_scan) = match c {
            Concealment::Undisguised => (1.0, 1.0),
            Concealment::MisdeclaredHs => (0.9, 0.7),
            Concealment::GenericDescription => (0.85, 0.6),
            Concealment::Undervaluation => (0.8, 0.75),
            Concealment::SplitConsignment => (0.8, 0.6),
            Concealment::FalseEndUser => (0.5, 0.5),
        };
        FindProbability { physical, nii_scan }
    }

    pub fn find_probability(&self, c: Concealment) -> FindProbability {
        self.find
            .get(&c)
            .copied()
            .unwrap_or_else(|| Self::default_find(c))
    }
}

fn default_recognise_untrained() -> f64 {
    0.35
}
fn default_recognise_trained() -> f64 {
    0.9
}
fn default_chemical_identifier() -> f64 {
    0.95
}
fn default_radiation_portal() -> f64 {
    0.95
}

/// A tabletop exercise: teams play administrations' offices (blue) or an illicit network
/// (red), one simulation tick per turn.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Simulated hours per turn (a divisor of 24): the exercise runs the world with this
    /// tick, whatever `tick_hours` says.
    #[serde(default = "default_turn_hours")]
    pub turn_hours: u32,
    /// Days of the measurement window simulated under the scenario's strategies before
    /// turn 1 (after the warm-up, which already puts ships at sea).
    #[serde(default)]
    pub start_day: u32,
    pub turns: u32,
    pub teams: Vec<ExerciseTeam>,
    #[serde(default)]
    pub injects: Vec<ExerciseInject>,
    /// Strategies the teams are compared with in the debrief (names from `strategies`).
    #[serde(default)]
    pub debrief: Vec<String>,
}

fn default_turn_hours() -> u32 {
    24
}

/// One team: blue (offices and/or whole administrations) or red (a network).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseTeam {
    pub name: String,
    /// Country codes: the team plays every office of these administrations.
    #[serde(default)]
    pub administrations: Vec<String>,
    /// Node codes of offices the team plays.
    #[serde(default)]
    pub offices: Vec<String>,
    /// A red team plays this network of `illicit` (and nothing else).
    #[serde(default)]
    pub network: Option<String>,
    /// What decision support the team sees on its declarations.
    #[serde(default)]
    pub support: Support,
}

/// Decision support on a blue team's declarations.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub enum Support {
    /// Declared fields only.
    #[default]
    None,
    /// The indicators of the named strategy's watch lists.
    Indicators(String),
    /// Indicators and the risk score of the named `RiskScore` or `IntelligenceLed` strategy.
    Score(String),
}

/// An exercise inject: fires at the start of turn `turn`, or waits for the facilitator.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseInject {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Turn (1-based) it fires in; `None`: held back until the facilitator fires it.
    #[serde(default)]
    pub turn: Option<u32>,
    /// Any event but `NewService`.
    pub event: Event,
}
