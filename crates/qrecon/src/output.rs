//! The output files of DESIGN §6 (schema version 1): `cases.jsonl`, `alerts.jsonl`,
//! `quarantine.jsonl`, `summary.json`, and the short table for the terminal. Everything is
//! sorted and built from ordered maps, so identical inputs give identical bytes whatever the
//! thread count.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use chrono::SecondsFormat;
use qrecon_adapter_sdk::schema::Outcome;
use std::sync::Arc;

use qrecon_core::{Case, Dataset, Money};
use qrecon_rules::view::Run;
use qrecon_rules::{Pack, RuleFailure};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::ingest::{FileOutcome, FileResult, count};
use crate::plan::RunPlan;
use crate::plugins::Registry;

/// Output schema version.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct QuarantineOut<'a> {
    file: &'a str,
    line: u64,
    adapter: &'a str,
    reason: &'a str,
    raw: &'a str,
}

/// A case rule that has failed on this many cases is switched off for the rest of the run.
const SWITCH_OFF_AFTER: u64 = 1000;

/// Cases serialised per block in parallel, written in order.
const BLOCK: usize = 4 * 1024;

/// Everything a run produced, ready to write.
pub struct Report<'a> {
    pub plan: &'a RunPlan,
    pub registry: &'a Registry,
    pub files: &'a [FileResult],
    pub run: &'a Arc<Run>,
    pub pack: &'a Pack,
    pub outcome: &'a qrecon_core::Outcome,
}

type Alerts = qrecon_rules::pack::Alerts;

/// What the written cases add up to (gathered block by block, findings dropped after).
#[derive(Default)]
pub struct Totals {
    codes: BTreeMap<&'static str, (u64, BTreeMap<String, Money>)>,
    conservation: qrecon_core::conservation::Table,
    /// The most severe finding of the run.
    pub worst: Option<qrecon_core::Severity>,
    cases: usize,
    /// Rule errors by rule id.
    rule_errors: BTreeMap<&'static str, u64>,
    /// What each case rule did.
    pub rules: qrecon_rules::Stats,
    /// Rules switched off during the run, with their errors at that point.
    switched_off: Vec<(String, u64)>,
}

impl Totals {
    fn add(
        &mut self,
        data: &Dataset,
        tz: chrono_tz::Tz,
        case: &Case,
        findings: &[qrecon_core::Finding],
        failures: &[RuleFailure],
    ) {
        self.cases += 1;
        for f in failures {
            *self.rule_errors.entry(f.rule).or_default() += 1;
        }
        let status = findings.first().map_or("UNDIAGNOSED", |f| f.code);
        let entry = self.codes.entry(status).or_default();
        entry.0 += 1;
        let currency = case.currency(data);
        match entry.1.get_mut(currency) {
            Some(m) => *m += case.amount(data),
            None => {
                entry.1.insert(currency.to_owned(), case.amount(data));
            }
        }
        self.conservation.add(data, tz, case, findings);
        self.worst = findings.iter().map(|f| f.severity).chain(self.worst).max();
    }

    fn merge(&mut self, other: Totals) {
        self.cases += other.cases;
        for (code, (n, amounts)) in other.codes {
            let entry = self.codes.entry(code).or_default();
            entry.0 += n;
            for (currency, amount) in amounts {
                *entry.1.entry(currency).or_default() += amount;
            }
        }
        self.conservation.merge(other.conservation);
        self.rules.merge(&other.rules);
        for (rule, n) in other.rule_errors {
            *self.rule_errors.entry(rule).or_default() += n;
        }
        self.worst = self.worst.max(other.worst);
    }
}

/// Serialised blocks on their way to the writer thread.
type Blocks = std::sync::mpsc::SyncSender<Vec<Vec<u8>>>;

impl Report<'_> {
    /// Diagnoses the cases block by block and writes the four files; each block's findings
    /// are dropped once written, so memory does not grow with them. A writer thread writes
    /// one block while the next is diagnosed and serialised.
    pub fn write(
        &self,
        cases: &[Case],
        alerts: impl FnOnce() -> Alerts + Send,
    ) -> anyhow::Result<(Value, Totals, Alerts)> {
        let out = &self.plan.out;
        std::fs::create_dir_all(out)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
        let file = create(&out.join("cases.jsonl"))?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(1);
        // Parts are hundreds of kilobytes each: written as they are, not copied through a
        // buffer first.
        let writer = std::thread::spawn(move || -> std::io::Result<()> {
            let mut file = file;
            for parts in rx {
                for p in parts {
                    file.write_all(&p)?;
                }
            }
            file.flush()
        });
        // The group rules read the cases too; they run beside the case rules.
        let (totals, alerts) = rayon::join(|| self.cases_in_blocks(cases, &tx), alerts);
        drop(tx);
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("the cases.jsonl writer panicked"))??;
        write_file(
            &out.join("alerts.jsonl"),
            self.alerts_jsonl(&alerts)?.as_bytes(),
        )?;
        write_file(&out.join("quarantine.jsonl"), self.quarantine()?.as_bytes())?;
        let summary = self.summary(&totals, &alerts);
        let mut text = serde_json::to_string_pretty(&summary)?;
        text.push('\n');
        write_file(&out.join("summary.json"), text.as_bytes())?;
        Ok((summary, totals, alerts))
    }

    fn cases_in_blocks(&self, cases: &[Case], tx: &Blocks) -> Totals {
        let mut totals = Totals::default();
        let (settings, run, data) = (&self.plan.settings, self.run, &self.run.data);
        let files = crate::caseline::Files::new(data);
        for block in cases.chunks(BLOCK * 4) {
            // Diagnose, count and serialise each slice on one thread; keep slices in order.
            let done: Vec<(Vec<u8>, Totals)> = block
                .par_chunks(BLOCK / 8)
                .map(|slice| {
                    let mut buf = Vec::with_capacity(slice.len() * 2048);
                    let mut part = Totals::default();
                    let _session = Pack::session(run);
                    for c in slice {
                        let v = self.pack.diagnose(c, &mut part.rules);
                        part.add(data, settings.timezone, c, &v.findings, &v.failures);
                        crate::caseline::write(&mut buf, data, &files, c, &v.findings, &v.failures);
                    }
                    (buf, part)
                })
                .collect();
            let mut parts = Vec::with_capacity(done.len());
            for (buf, part) in done {
                totals.merge(part);
                parts.push(buf);
            }
            self.switch_off_failing_rules(&mut totals);
            if tx.send(parts).is_err() {
                break;
            }
        }
        totals
    }

    /// Between blocks (so whatever the thread count): a case rule that has failed on
    /// [`SWITCH_OFF_AFTER`] cases is not called again in this run.
    fn switch_off_failing_rules(&self, totals: &mut Totals) {
        for (i, (rule, s)) in self.pack.case_rules().zip(&totals.rules.rules).enumerate() {
            if s.errors >= SWITCH_OFF_AFTER && !self.pack.is_off(i) {
                self.pack.switch_off(i);
                totals.switched_off.push((rule.header.id.clone(), s.errors));
            }
        }
    }

    fn alerts_jsonl(&self, alerts: &Alerts) -> Result<String, serde_json::Error> {
        let data = &self.run.data;
        let mut lines = String::new();
        for a in &alerts.alerts {
            let row = json!({
                "alert_id": a.id,
                "code": a.code,
                "rule": a.rule,
                "severity": a.severity.as_str(),
                "scope": { "kind": a.scope.as_str(), "key": a.key },
                "window": {
                    "from": a.from.map(|d| d.to_string()),
                    "to": a.to.map(|d| d.to_string()),
                },
                "message": a.message,
                "action": a.action,
                "cases": a.cases,
                "evidence": a.evidence.iter().map(|s| data.evidence(*s)).collect::<Vec<_>>(),
            });
            lines.push_str(&serde_json::to_string(&row)?);
            lines.push('\n');
        }
        Ok(lines)
    }

    fn alert_summary(alerts: &Alerts) -> Value {
        let mut codes: BTreeMap<&str, u64> = BTreeMap::new();
        for a in &alerts.alerts {
            *codes.entry(a.code).or_default() += 1;
        }
        json!({
            "codes": codes,
            "rule_errors": alerts.failures.iter().map(|f| json!({
                "rule": f.rule, "scope": { "kind": f.scope.as_str(), "key": f.key }, "message": f.message,
            })).collect::<Vec<_>>(),
        })
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
                    adapter: &adapter.name,
                    reason: &i.reason,
                    raw: i.raw.as_deref().unwrap_or_default(),
                };
                lines.push_str(&serde_json::to_string(&row)?);
                lines.push('\n');
            }
        }
        Ok(lines)
    }

    fn codes(totals: &Totals) -> BTreeMap<&str, Value> {
        totals
            .codes
            .iter()
            .map(|(code, (n, amounts))| {
                let amounts: BTreeMap<&str, String> = amounts
                    .iter()
                    .map(|(c, a)| (c.as_str(), a.to_string()))
                    .collect();
                (*code, json!({ "cases": n, "amount": amounts }))
            })
            .collect()
    }

    fn conservation(totals: &Totals) -> Vec<Value> {
        totals
            .conservation
            .rows()
            .map(|(provider, day, r)| {
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
    pub fn summary(&self, totals: &Totals, alerts: &Alerts) -> Value {
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
            "cases": totals.cases,
            "alerts": alerts.alerts.len(),
            "alert_summary": Self::alert_summary(alerts),
            "codes": Self::codes(totals),
            "conservation": Self::conservation(totals),
            "rule_errors": totals.rule_errors.values().sum::<u64>(),
            "rule_errors_by_rule": totals.rule_errors,
            "rules_switched_off": totals.switched_off.iter().map(|(id, n)| json!({
                "rule": id, "after_errors": n,
            })).collect::<Vec<_>>(),
            "adapters": self.registry.adapters.iter().map(|a| json!({
                "name": a.plugin.name,
                "version": a.plugin.version,
                "sdk_version": a.plugin.sdk_version,
                "abi": format!("{}.{}", a.plugin.abi.0, a.plugin.abi.1),
            })).collect::<Vec<_>>(),
            "mappings": self.registry.mapped.iter().map(|m| json!({
                "adapter": format!("{}{}", crate::plugins::MAPPED_PREFIX, m.name()),
                "kind": m.kind(),
            })).collect::<Vec<_>>(),
            "plugins_refused": self.registry.refused.iter().map(|r| json!({
                "file": r.path.file_name().map(|n| n.to_string_lossy().into_owned()),
                "reason": r.reason,
            })).collect::<Vec<_>>(),
            "rules": self.rules_used(totals, alerts),
            "rules_dir": self.plan.rules.as_ref().map(|r| r.display().to_string()),
            "run": {
                "cwd": self.plan.repeat.cwd.as_ref().map(|p| p.display().to_string()),
                "config": self.plan.repeat.config.as_ref().map(|p| p.display().to_string()),
                "inputs": self.plan.repeat.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "rules": self.plan.rules.as_ref().map(|p| p.display().to_string()),
                "plugin_dirs": self.plan.plugin_dirs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            },
        })
    }

    /// Every rule of the pack with its hash, and what it did.
    fn rules_used(&self, totals: &Totals, alerts: &Alerts) -> Vec<Value> {
        let counts: BTreeMap<&str, &qrecon_rules::RuleStats> = self
            .pack
            .case_rules()
            .zip(&totals.rules.rules)
            .map(|(r, s)| (r.header.id.as_str(), s))
            .collect();
        self.pack
            .set
            .rules
            .values()
            .map(|r| {
                let id = r.header.id.as_str();
                let mut v = json!({
                    "id": id, "path": r.path, "scope": r.header.scope.as_str(), "sha256": r.hash,
                });
                if r.header.scope == qrecon_rules::Scope::Case {
                    let s = counts.get(id).copied().copied().unwrap_or_default();
                    v["calls"] = json!(s.calls);
                    v["findings"] = json!(s.findings);
                    v["errors"] = json!(s.errors);
                    v["runaways"] = json!(s.runaways);
                    v["not_run"] = json!(s.skipped);
                } else {
                    let a = alerts;
                    v["calls"] = json!(
                        a.calls
                            .iter()
                            .find(|(x, _)| *x == id)
                            .map_or(0, |(_, n)| *n)
                    );
                    v["alerts"] = json!(a.alerts.iter().filter(|x| x.rule == id).count());
                    v["errors"] = json!(a.failures.iter().filter(|x| x.rule == id).count());
                }
                v
            })
            .collect()
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
                "adapter": adapter.name,
                "adapter_version": adapter.version,
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
            "adapter": adapter.as_ref().map(|a| a.name.as_str()),
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
