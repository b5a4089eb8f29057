//! `qrecon-gen`: writes a merchant's days in real export formats, with faults injected at
//! chosen rates, and the expected status of every case beside them. Deterministic: the same
//! arguments give byte-identical files.
//!
//! ```text
//! qrecon-gen --payments 100000 --accounts 100 --days 10 --seed 7 --out /tmp/q100k
//! qrecon run --config /tmp/q100k/qrecon.yaml --out /tmp/q100k/out
//! ```

mod alipay;
mod model;
mod rng;
mod write;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Parser;
use qrecon_core::Calendar;
use serde::Deserialize;

/// Generate reconciliation test data.
#[derive(Parser, Debug)]
#[command(name = "qrecon-gen", version, about)]
struct Args {
    /// Number of payments (spread evenly over accounts and days).
    #[arg(long, default_value_t = 10_000)]
    payments: u64,
    /// Number of merchant accounts (WeChat Pay 商户号, Alipay PIDs); an aggregator has
    /// thousands.
    #[arg(long, default_value_t = 10)]
    accounts: u32,
    /// Every N-th account is on Alipay, the others on WeChat Pay (0: all on WeChat Pay).
    #[arg(long, default_value_t = 3)]
    alipay_every: u32,
    /// Regular payers: this many, Zipf-weighted, so a few pay thousands of times (0: nearly
    /// every payment from a different payer).
    #[arg(long, default_value_t = 0)]
    payers: u64,
    /// Days of sales.
    #[arg(long, default_value_t = 10)]
    days: u32,
    /// First day of sales.
    #[arg(long, default_value = "2026-11-09")]
    start: NaiveDate,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Inject no faults.
    #[arg(long)]
    no_faults: bool,
    /// Output folder (gets qrecon.yaml, exports/, expected.jsonl).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Deserialize)]
struct CalendarFile {
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
    #[allow(dead_code)]
    name: Option<String>,
}

fn cn_calendar() -> anyhow::Result<Calendar> {
    let data: CalendarFile = serde_yaml::from_str(include_str!("../../qrecon/calendars/cn.yaml"))?;
    let days = |v: Vec<String>| {
        v.iter()
            .map(|d| d.parse::<NaiveDate>())
            .collect::<Result<_, _>>()
    };
    Ok(Calendar {
        name: "cn".into(),
        holidays: days(data.holidays)?,
        workdays: days(data.workdays)?,
    })
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.accounts > 0 && args.days > 0 && args.payments > 0,
        "payments, accounts and days must be positive"
    );
    let plan = model::Plan {
        payments: args.payments,
        accounts: args.accounts,
        days: args.days,
        start: args.start,
        seed: args.seed,
        faults: if args.no_faults {
            model::Faults::none()
        } else {
            model::Faults::default_rates()
        },
        payers: model::Payers::regulars(args.payers),
        alipay_every: args.alipay_every,
    };
    let merchant = model::generate(&plan, &cn_calendar()?);
    let files = write::all(&merchant, &args.out)?;
    let claims = merchant.claims.len();
    println!(
        "{} payments, {claims} claims, {files} files in {}",
        merchant.payments.len(),
        args.out.display()
    );
    Ok(())
}
