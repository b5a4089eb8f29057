//! The output files of DESIGN §6 (schema version 1): `cases.jsonl`, `alerts.jsonl`,
//! `quarantine.jsonl`, `summary.json`, and the short table for the terminal. Everything is
//! sorted and built from ordered maps, so identical inputs give identical bytes whatever the
//! thread count.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use chrono::SecondsFormat;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_core::{Case, Dataset, Finding, Link, Money, Source};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::ingest::{FileOutcome, FileResult, count};
use crate::plan::RunPlan;
use crate::plugins::Registry;

/// Output schema version.
pub const SCHEMA: u32 = 1;

/// Serializes anything `Display` as a JSON string without building it first.
struct Disp<T>(T);

impl<T: std::fmt::Display> Serialize for Disp<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// `file:line` of a source.
struct Ev<'a>(&'a Dataset, Source);

impl Serialize for Ev<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let file = self
            .0
            .files
            .get(self.1.file as usize)
            .map_or("?", String::as_str);
        s.collect_str(&format_args!("{file}:{}", self.1.line))
    }
}

/// A list of sources as `["file:line", …]`.
struct Evs<'a>(&'a Dataset, &'a [Source]);

impl Serialize for Evs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|src| Ev(self.0, *src)))
    }
}

#[derive(Serialize)]
struct CaseOut<'a> {
    case_id: &'a str,
    claim_id: Option<&'a str>,
    order_id: Option<&'a str>,
    txn_id: Option<&'a str>,
    payout_id: Option<&'a str>,
    bank_ref: Option<BankRef<'a>>,
    provider: Option<&'a str>,
    amount: Disp<Money>,
    currency: &'a str,
    paid_at: Option<String>,
    status: &'a str,
    findings: Findings<'a>,
    facts: FactsOut,
    links: Links<'a>,
}

/// The bank line's own reference, else its `file:line`.
enum BankRef<'a> {
    Reference(&'a str),
    Line(Ev<'a>),
}

impl Serialize for BankRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            BankRef::Reference(r) => s.serialize_str(r),
            BankRef::Line(ev) => ev.serialize(s),
        }
    }
}

#[derive(Serialize)]
struct FactsOut {
    gross: Disp<Money>,
    fee: Disp<Money>,
    refunded: Disp<Money>,
    net: Disp<Money>,
    paid_out: Disp<Money>,
    expected_payout: Option<Disp<NaiveDate>>,
    payout_date: Option<Disp<NaiveDate>>,
    expected_bank: Option<Disp<NaiveDate>>,
    bank_date: Option<Disp<NaiveDate>>,
}

struct Findings<'a>(&'a Dataset, &'a [Finding]);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|f| FindingOut {
            code: &f.code,
            rule: &f.rule,
            severity: f.severity.as_str(),
            message: &f.message,
            action: &f.action,
            expected_by: f.expected_by.map(Disp),
            evidence: Evs(self.0, &f.evidence),
        }))
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    action: &'a str,
    expected_by: Option<Disp<NaiveDate>>,
    evidence: Evs<'a>,
}

struct Links<'a>(&'a Dataset, &'a [Link]);

impl Serialize for Links<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|l| LinkOut {
            from: l.from.as_str(),
            to: l.to.as_str(),
            method: l.method.as_str(),
            key: l.method.key(),
            evidence: Evs(self.0, &l.evidence),
        }))
    }
}

#[derive(Serialize)]
struct LinkOut<'a> {
    from: &'static str,
    to: &'static str,
    method: &'static str,
    key: Option<&'static str>,
    evidence: Evs<'a>,
}

#[derive(Serialize)]
struct QuarantineOut<'a> {
    file: &'a str,
    line: u64,
    adapter: &'a str,
    reason: &'a str,
    raw: &'a str,
}

/// One line of `cases.jsonl`, appended to `out`.
fn case_line(data: &Dataset, case: &Case, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    let claim = case.claim.map(|i| data.get(i));
    let txn = case.txn.map(|i| data.get(i));
    let order_id = txn
        .and_then(|t| data.str(t.order_id))
        .or_else(|| claim.and_then(|c| data.str(c.order_id)));
    let payout = case.payouts.last().map(|c| data.get(c.payout));
    let bank = case.bank.last().map(|b| data.get(*b));
    let f = &case.facts;
    let line = CaseOut {
        case_id: &case.case_id,
        claim_id: claim.and_then(|c| data.str(c.claim_id)),
        order_id,
        txn_id: txn
            .and_then(|t| data.str(t.txn_id))
            .or_else(|| claim.and_then(|c| data.str(c.txn_id))),
        payout_id: payout.and_then(|p| data.str(p.payout_id)),
        bank_ref: bank.map(|b| {
            data.str(b.bank_ref)
                .map_or(BankRef::Line(Ev(data, b.source)), BankRef::Reference)
        }),
        provider: data.str(case.provider),
        amount: Disp(case.amount),
        currency: data.str(case.currency).unwrap_or("CNY"),
        paid_at: case
            .paid_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false)),
        status: case.status(),
        findings: Findings(data, &case.findings),
        facts: FactsOut {
            gross: Disp(f.gross),
            fee: Disp(f.fee),
            refunded: Disp(f.refunded),
            net: Disp(f.net),
            paid_out: Disp(f.paid_out),
            expected_payout: f.expected_payout.map(Disp),
            payout_date: f.payout_date.map(Disp),
            expected_bank: f.expected_bank.map(Disp),
            bank_date: f.bank_date.map(Disp),
        },
        links: Links(data, &case.links),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.push(b'\n');
    Ok(())
}

/// Cases serialised per block in parallel, written in order.
const BLOCK: usize = 16 * 1024;

/// Everything a run produced, ready to write.
pub struct Report<'a> {
    pub plan: &'a RunPlan,
    pub registry: &'a Registry,
    pub files: &'a [FileResult],
    pub data: &'a Dataset,
    pub outcome: &'a qrecon_core::Outcome<'a>,
}

impl Report<'_> {
    /// Writes the four files into the plan's output folder.
    pub fn write(&self) -> anyhow::Result<Value> {
        let out = &self.plan.out;
        std::fs::create_dir_all(out)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
        let mut file =
            std::io::BufWriter::with_capacity(1 << 20, create(&out.join("cases.jsonl"))?);
        for block in self.outcome.cases.chunks(BLOCK * 4) {
            let parts: Vec<Vec<u8>> = block
                .par_chunks(BLOCK / 4)
                .map(|cases| {
                    let mut buf = Vec::with_capacity(cases.len() * 1024);
                    for c in cases {
                        case_line(self.data, c, &mut buf)?;
                    }
                    Ok(buf)
                })
                .collect::<Result<_, serde_json::Error>>()?;
            for p in parts {
                file.write_all(&p)?;
            }
        }
        file.flush()?;
        write_file(&out.join("alerts.jsonl"), b"")?;
        write_file(&out.join("quarantine.jsonl"), self.quarantine()?.as_bytes())?;
        let summary = self.summary();
        let mut text = serde_json::to_string_pretty(&summary)?;
        text.push('\n');
        write_file(&out.join("summary.json"), text.as_bytes())?;
        Ok(summary)
    }

    fn quarantine(&self) -> Result<String, serde_json::Error> {
        let mut lines = String::new();
        for f in self.files {
            let FileOutcome::Parsed {
                adapter, issues, ..
            } = &f.outcome
            else {
                continue;
            };
            let mut q: Vec<_> = issues
                .iter()
                .filter(|i| i.outcome == Outcome::Quarantined)
                .collect();
            q.sort_by_key(|i| i.line);
            for i in q {
                let row = QuarantineOut {
                    file: &f.input.display,
                    line: i.line,
                    adapter: adapter.plugin.name,
                    reason: &i.reason,
                    raw: i.raw.as_deref().unwrap_or_default(),
                };
                lines.push_str(&serde_json::to_string(&row)?);
                lines.push('\n');
            }
        }
        Ok(lines)
    }

    fn codes(&self) -> BTreeMap<&str, Value> {
        let mut codes: BTreeMap<&str, (u64, BTreeMap<&str, Money>)> = BTreeMap::new();
        for case in &self.outcome.cases {
            let entry = codes.entry(case.status()).or_default();
            entry.0 += 1;
            *entry
                .1
                .entry(self.data.str(case.currency).unwrap_or("CNY"))
                .or_default() += case.amount;
        }
        codes
            .into_iter()
            .map(|(code, (n, amounts))| {
                let amounts: BTreeMap<&str, String> = amounts
                    .into_iter()
                    .map(|(c, a)| (c, a.to_string()))
                    .collect();
                (code, json!({ "cases": n, "amount": amounts }))
            })
            .collect()
    }

    fn conservation(&self) -> Vec<Value> {
        let table = qrecon_core::conservation::table(
            self.data,
            self.plan.settings.timezone,
            &self.outcome.cases,
        );
        table
            .iter()
            .map(|((provider, day), r)| {
                json!({
                    "provider": provider, "date": day.to_string(), "payments": r.payments,
                    "gross": r.gross.to_string(), "settled": r.settled.to_string(), "fees": r.fees.to_string(),
                    "pending": r.pending.to_string(), "refunded": r.refunded.to_string(),
                    "held": r.held.to_string(), "unaccounted": r.unaccounted.to_string(),
                    "balances": r.balances(),
                })
            })
            .collect()
    }

    /// The `summary.json` document.
    pub fn summary(&self) -> Value {
        let files: Vec<Value> = self
            .files
            .iter()
            .filter(|f| !matches!(f.outcome, FileOutcome::Unrecognised(_)))
            .map(file_summary)
            .collect();
        let unrecognised: Vec<Value> = self
            .files
            .iter()
            .filter_map(|f| match &f.outcome {
                FileOutcome::Unrecognised(why) => {
                    Some(json!({ "file": f.input.display, "reason": why, "scores": f.scores }))
                }
                _ => None,
            })
            .collect();
        json!({
            "schema": SCHEMA,
            "qrecon_version": env!("CARGO_PKG_VERSION"),
            "as_of": self.plan.settings.as_of.to_rfc3339_opts(SecondsFormat::Secs, false),
            "timezone": self.plan.settings.timezone.name(),
            "files": files,
            "unrecognised": unrecognised,
            "totals": self.totals(),
            "repeated_records": self.outcome.repeats.len(),
            "cases": self.outcome.cases.len(),
            "alerts": 0,
            "codes": self.codes(),
            "conservation": self.conservation(),
            "rule_errors": 0,
            "adapters": self.registry.adapters.iter().map(|a| json!({
                "name": a.plugin.name,
                "version": a.plugin.version,
                "sdk_version": a.plugin.sdk_version,
                "abi": format!("{}.{}", a.plugin.abi.0, a.plugin.abi.1),
            })).collect::<Vec<_>>(),
            "plugins_refused": self.registry.refused.iter().map(|r| json!({
                "file": r.path.file_name().map(|n| n.to_string_lossy().into_owned()),
                "reason": r.reason,
            })).collect::<Vec<_>>(),
            "rules": [{ "id": "builtin", "version": env!("CARGO_PKG_VERSION") }],
            "rules_dir": self.plan.rules.as_ref().map(|r| r.display().to_string()),
        })
    }

    fn totals(&self) -> Value {
        let (mut read, mut parsed, mut quarantined, mut skipped, mut failed) =
            (0u64, 0u64, 0u64, 0u64, 0u64);
        for f in self.files {
            match &f.outcome {
                FileOutcome::Parsed {
                    rows_read,
                    records,
                    issues,
                    ..
                } => {
                    read += rows_read;
                    parsed += records;
                    quarantined += count(issues, Outcome::Quarantined);
                    skipped += count(issues, Outcome::Skipped);
                }
                FileOutcome::Failed { .. } => failed += 1,
                FileOutcome::Unrecognised(_) => {}
            }
        }
        json!({ "rows_read": read, "parsed": parsed, "quarantined": quarantined, "skipped": skipped, "files_failed": failed })
    }
}

fn file_summary(f: &FileResult) -> Value {
    match &f.outcome {
        FileOutcome::Parsed {
            adapter,
            rows_read,
            records,
            kinds,
            money,
            issues,
            ..
        } => {
            let mut skipped: BTreeMap<&str, u64> = BTreeMap::new();
            for i in issues.iter().filter(|i| i.outcome == Outcome::Skipped) {
                *skipped.entry(i.reason.as_str()).or_default() += 1;
            }
            let warnings: Vec<Value> = issues
                .iter()
                .filter(|i| i.outcome == Outcome::Warning)
                .map(|i| json!({ "line": i.line, "message": i.reason }))
                .collect();
            let quarantined = count(issues, Outcome::Quarantined);
            let skipped_n = count(issues, Outcome::Skipped);
            let money: BTreeMap<&str, Value> = money
                .iter()
                .map(|(c, (n, inflow, outflow))| {
                    (c.as_str(), json!({ "records": n, "in": inflow.to_string(), "out": outflow.to_string(), "net": (*inflow + *outflow).to_string() }))
                })
                .collect();
            json!({
                "file": f.input.display,
                "adapter": adapter.plugin.name,
                "adapter_version": adapter.plugin.version,
                "status": "parsed",
                "rows": { "read": rows_read, "parsed": records, "quarantined": quarantined, "skipped": skipped_n },
                "rows_accounted": records + quarantined + skipped_n == *rows_read,
                "skipped": skipped,
                "warnings": warnings,
                "money": money,
                "records": kinds,
            })
        }
        FileOutcome::Failed { adapter, message } => json!({
            "file": f.input.display,
            "adapter": adapter.as_ref().map(|a| a.plugin.name),
            "status": "failed",
            "error": message,
        }),
        FileOutcome::Unrecognised(_) => Value::Null,
    }
}

fn create(path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    create(path)?
        .write_all(bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
