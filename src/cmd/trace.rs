//! `stce trace DECLARATIONS.csv`: replay a declaration file through stce's strategies
//! at given inspection rates.

use std::path::PathBuf;

use stce::trace::input::{Layout, parse_columns, read};
use stce::trace::{Plan, replay, report, strategy_defs};

use super::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Declarations (CSV, optionally gzip) in the Customs-Fraud-Detection layout
    /// (sgd.id, sgd.date, importer.id, declarant.id, country, office.id, tariff.code,
    /// quantity, gross.weight, fob.value, cif.value, total.taxes, illicit, revenue), or
    /// an stce event log.
    file: PathBuf,
    /// A strategy to replay (repeat to compare): random, rules, risk-score, learner,
    /// intelligence-led, mixture, or a name from --strategies. Default: every strategy
    /// of --strategies, or random and risk-score.
    #[arg(long = "strategy", value_name = "NAME")]
    strategy: Vec<String>,
    /// Strategy definitions in scenario syntax: a list of StrategyDef(name: ..., kind: ...)
    /// (e.g. rules with watch lists of tariff codes, countries and traders).
    #[arg(long, value_name = "FILE.ron")]
    strategies: Option<PathBuf>,
    /// Inspection rates in percent of each office's declarations.
    #[arg(long, value_delimiter = ',', default_value = "1,2,5,10")]
    inspection_rate: Vec<f64>,
    /// Length of a reporting period: days, e.g. 7d or 30d.
    #[arg(long, default_value = "7d")]
    period: String,
    /// Replications (seeds of the strategies' random draws).
    #[arg(long, default_value_t = 10)]
    reps: usize,
    /// Base seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write summary.csv, differences.csv, replications.csv and trace.json here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Column names of another layout: field=column pairs, e.g.
    /// "sgd.date=DECL_DATE,illicit=FRAUD".
    #[arg(long)]
    columns: Option<String>,
    /// Ignore columns that are not fields (by default they are an error).
    #[arg(long)]
    allow_extra_columns: bool,
    /// Leave out malformed rows (counted and reported) instead of stopping at the first.
    #[arg(long)]
    skip_bad_rows: bool,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let period_days: u32 = a
        .period
        .strip_suffix('d')
        .unwrap_or(&a.period)
        .parse()
        .ok()
        .filter(|d| *d > 0)
        .ok_or_else(|| format!("--period {}: should be a number of days, e.g. 7d", a.period))?;
    if a.reps == 0 {
        return Err("--reps must be at least 1".into());
    }
    for r in &a.inspection_rate {
        if !(*r > 0.0 && *r <= 100.0) {
            return Err(
                format!("--inspection-rate {r}: a rate is a percentage in (0, 100]").into(),
            );
        }
    }
    let (defs, own) = strategy_defs(a.strategies.as_deref())?;
    let names: Vec<String> = if !a.strategy.is_empty() {
        a.strategy.clone()
    } else if !own.is_empty() {
        own
    } else {
        vec!["random".into(), "risk-score".into()]
    };
    let strategies = names
        .iter()
        .map(|n| {
            defs.iter().find(|d| &d.name == n).cloned().ok_or_else(|| {
                let known: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
                format!("unknown strategy \"{n}\"; known: {}", known.join(", "))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let layout = Layout {
        columns: a
            .columns
            .as_deref()
            .map(parse_columns)
            .transpose()?
            .unwrap_or_default(),
        allow_extra_columns: a.allow_extra_columns,
        skip_bad_rows: a.skip_bad_rows,
    };
    let decls = read(&a.file, &layout)?;
    for r in &decls.skip_reasons {
        eprintln!("skipped: {r}");
    }
    let plan = Plan {
        strategies,
        defs,
        rates: a.inspection_rate.iter().map(|r| r / 100.0).collect(),
        period_days,
        reps: a.reps,
        seed: a.seed,
    };
    let replays = replay(&decls, &plan);
    let first_day = decls.rows.first().map_or(0, |r| r.day);
    let rep = report::build(&decls, &plan, &replays, first_day);
    super::emit(&rep.table())?;
    if let Some(dir) = &a.out {
        rep.write(dir, &replays, &plan, decls.has_revenue)?;
        say!(
            "\nwrote {}/summary.csv, differences.csv, replications.csv, trace.json",
            dir.display()
        )?;
    }
    Ok(())
}
