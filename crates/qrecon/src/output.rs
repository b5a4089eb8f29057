//! The output files of DESIGN §6 (schema version 1): `cases.jsonl`, `alerts.jsonl`,
//! `quarantine.jsonl`, `summary.json`, and the short table for the terminal. Everything is
//! sorted and built from ordered maps, so identical inputs give identical bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use chrono::SecondsFormat;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_core::{Case, Dataset, Finding, Kind};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use crate::ingest::{FileOutcome, FileResult, count};
use crate::plan::RunPlan;
use crate::plugins::Registry;

/// Output schema version.
pub const SCHEMA: u32 = 1;

use qrecon_core::money::format as money;

#[derive(Serialize)]
struct CaseOut<'a> {
    case_id: &'a str,
    claim_id: Option<&'a str>,
    order_id: Option<&'a str>,
    txn_id: Option<&'a str>,
    payout_id: Option<&'a str>,
    bank_ref: Option<&'a str>,
    provider: Option<&'a str>,
    amount: String,
    currency: &'a str,
    paid_at: Option<String>,
    status: &'a str,
    findings: Vec<FindingOut<'a>>,
    links: Vec<LinkOut>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    action: &'a str,
    expected_by: Option<String>,
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct LinkOut {
    from: &'static str,
    to: &'static str,
    method: &'static str,
    key: Option<&'static str>,
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct QuarantineOut<'a> {
    file: &'a str,
    line: u64,
    adapter: &'a str,
    reason: &'a str,
    raw: &'a str,
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Claim => "claim",
        Kind::Txn => "txn",
        Kind::Fund => "fund",
        Kind::Payout => "payout",
        Kind::Bank => "bank",
    }
}

fn finding_out<'a>(data: &Dataset, f: &'a Finding) -> FindingOut<'a> {
    FindingOut {
        code: &f.code,
        rule: &f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        action: &f.action,
        expected_by: f.expected_by.map(|d| d.to_string()),
        evidence: f.evidence.iter().map(|s| data.evidence(*s)).collect(),
    }
}

/// One line of `cases.jsonl`.
fn case_line(data: &Dataset, case: &Case) -> Result<String, serde_json::Error> {
    let claim = case.claim.map(|i| data.get(i));
    let txn = case.txn.map(|i| data.get(i));
    let id =
        |f: fn(&qrecon_core::Record) -> Option<&str>| txn.and_then(f).or_else(|| claim.and_then(f));
    let out = CaseOut {
        case_id: &case.case_id,
        claim_id: claim.and_then(|c| c.claim_id.as_deref()),
        order_id: id(|r| r.order_id.as_deref()),
        txn_id: txn.and_then(|t| t.txn_id.as_deref()),
        payout_id: None,
        bank_ref: None,
        provider: case.provider.as_deref(),
        amount: money(case.amount),
        currency: &case.currency,
        paid_at: case
            .paid_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false)),
        status: case.status(),
        findings: case.findings.iter().map(|f| finding_out(data, f)).collect(),
        links: case
            .links
            .iter()
            .map(|l| LinkOut {
                from: kind_name(l.from),
                to: kind_name(l.to),
                method: l.method.as_str(),
                key: match l.method {
                    qrecon_core::Method::Id(k) => Some(k),
                    _ => None,
                },
                evidence: l.evidence.iter().map(|s| data.evidence(*s)).collect(),
            })
            .collect(),
    };
    serde_json::to_string(&out)
}

/// Everything a run produced, ready to write.
pub struct Report<'a> {
    pub plan: &'a RunPlan,
    pub registry: &'a Registry,
    pub files: &'a [FileResult],
    pub data: &'a Dataset,
    pub cases: &'a [Case],
}

impl Report<'_> {
    /// Writes the four files into the plan's output folder.
    pub fn write(&self) -> anyhow::Result<Value> {
        let out = &self.plan.out;
        std::fs::create_dir_all(out)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
        let mut cases = String::new();
        for case in self.cases {
            cases.push_str(&case_line(self.data, case)?);
            cases.push('\n');
        }
        write_file(&out.join("cases.jsonl"), cases.as_bytes())?;
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

    /// The `summary.json` document.
    pub fn summary(&self) -> Value {
        let mut codes: BTreeMap<&str, (u64, BTreeMap<&str, Decimal>)> = BTreeMap::new();
        for case in self.cases {
            let entry = codes.entry(case.status()).or_default();
            entry.0 += 1;
            *entry.1.entry(case.currency.as_str()).or_default() += case.amount;
        }
        let codes: BTreeMap<&str, Value> = codes
            .into_iter()
            .map(|(code, (n, amounts))| {
                let amounts: BTreeMap<&str, String> =
                    amounts.into_iter().map(|(c, a)| (c, money(a))).collect();
                (code, json!({ "cases": n, "amount": amounts }))
            })
            .collect();
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
        let totals = self.totals();
        json!({
            "schema": SCHEMA,
            "qrecon_version": env!("CARGO_PKG_VERSION"),
            "as_of": self.plan.settings.as_of.to_rfc3339_opts(SecondsFormat::Secs, false),
            "timezone": self.plan.settings.timezone.name(),
            "files": files,
            "unrecognised": unrecognised,
            "totals": totals,
            "cases": self.cases.len(),
            "alerts": 0,
            "codes": codes,
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
                    parsed += records.len() as u64;
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
            issues,
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
            let parsed = records.len() as u64;
            let quarantined = count(issues, Outcome::Quarantined);
            let skipped_n = count(issues, Outcome::Skipped);
            let accounted = parsed + quarantined + skipped_n == *rows_read;
            json!({
                "file": f.input.display,
                "adapter": adapter.plugin.name,
                "adapter_version": adapter.plugin.version,
                "status": "parsed",
                "rows": { "read": rows_read, "parsed": parsed, "quarantined": quarantined, "skipped": skipped_n },
                "rows_accounted": accounted,
                "skipped": skipped,
                "warnings": warnings,
                "money": money_totals(records),
                "records": kinds(records),
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

fn money_totals(records: &[qrecon_core::Record]) -> Value {
    let mut by_currency: BTreeMap<&str, (u64, Decimal, Decimal)> = BTreeMap::new();
    for r in records {
        let e = by_currency.entry(r.currency.as_str()).or_default();
        e.0 += 1;
        if r.amount.is_sign_negative() {
            e.2 += r.amount;
        } else {
            e.1 += r.amount;
        }
    }
    let m: BTreeMap<&str, Value> = by_currency
        .into_iter()
        .map(|(c, (n, inflow, outflow))| {
            (c, json!({ "records": n, "in": money(inflow), "out": money(outflow), "net": money(inflow + outflow) }))
        })
        .collect();
    json!(m)
}

fn kinds(records: &[qrecon_core::Record]) -> Value {
    let mut m: BTreeMap<String, u64> = BTreeMap::new();
    for r in records {
        *m.entry(format!("{}/{}", kind_name(r.kind), r.record_type))
            .or_default() += 1;
    }
    json!(m)
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut f = std::fs::File::create(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    f.write_all(bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

/// The short table for the terminal.
pub fn table(summary: &Value, out_dir: &Path) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "qrecon {} — as of {}",
        summary["qrecon_version"].as_str().unwrap_or(""),
        summary["as_of"].as_str().unwrap_or("")
    );
    let _ = writeln!(
        s,
        "\n{:>6} {:>6} {:>6} {:>6}  {:<20} file",
        "read", "parsed", "quar.", "skip", "adapter"
    );
    for f in summary["files"].as_array().into_iter().flatten() {
        let name = f["file"].as_str().unwrap_or("");
        if f["status"] == "failed" {
            let error = f["error"].as_str().unwrap_or("");
            let _ = writeln!(s, "{:>27}  {:<20} {name}\n{:>29}{error}", "FAILED", "", "");
            continue;
        }
        let r = &f["rows"];
        let adapter = f["adapter"].as_str().unwrap_or("");
        let n = |k: &str| r[k].as_u64().unwrap_or(0);
        let (read, parsed, quar, skip) = (n("read"), n("parsed"), n("quarantined"), n("skipped"));
        let _ = writeln!(
            s,
            "{read:>6} {parsed:>6} {quar:>6} {skip:>6}  {adapter:<20} {name}"
        );
        for w in f["warnings"].as_array().into_iter().flatten() {
            let message = w["message"].as_str().unwrap_or("");
            let _ = writeln!(s, "{:>29}warning, line {}: {message}", "", w["line"]);
        }
    }
    for u in summary["unrecognised"].as_array().into_iter().flatten() {
        let file = u["file"].as_str().unwrap_or("");
        let reason = u["reason"].as_str().unwrap_or("");
        let _ = writeln!(
            s,
            "{:>27}  {:<20} {file}\n{:>29}{reason}; scores {}",
            "UNRECOGNISED", "", "", u["scores"]
        );
    }
    let _ = writeln!(s, "\n{:<24} {:>6}  amount", "status", "cases");
    for (code, v) in summary["codes"].as_object().into_iter().flatten() {
        let amounts: Vec<String> = v["amount"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(c, a)| format!("{} {c}", a.as_str().unwrap_or("")))
            .collect();
        let cases = v["cases"].as_u64().unwrap_or(0);
        let _ = writeln!(s, "{code:<24} {cases:>6}  {}", amounts.join(", "));
    }
    let _ = writeln!(
        s,
        "\n{} cases; outputs in {}",
        summary["cases"],
        out_dir.display()
    );
    s
}
