//! `qrecon explain CASE_ID --out DIR`: repeats the run whose outputs are in `DIR` (its
//! `summary.json` says how it was asked for), and shows one case: the chain with the
//! evidence of every link, its facts, and for every case rule whether it was called, what it
//! found, and why not.

use std::fmt::Write as _;
use std::path::Path;

use qrecon_core::{Case, Dataset};
use qrecon_rules::{Pack, Traced};
use serde_json::{Value, json};

use crate::cli::{ExplainArgs, Format};
use crate::plan;
use crate::plugins::Registry;
use crate::run::{Phases, Reconciled};
use crate::{exit, print_err, print_out};

/// Fills what the command line leaves out from the `run` block of `DIR/summary.json`, and
/// moves to the folder that run was started in, so paths mean what they meant then.
fn repeat_from_summary(args: &mut ExplainArgs) -> Option<Value> {
    let path = args.run.out.join("summary.json");
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(&path).ok()?).ok()?;
    let r = &summary["run"];
    if args.run.config.is_none() && args.run.inputs.is_empty() {
        args.run.out = std::path::absolute(&args.run.out).unwrap_or_else(|_| args.run.out.clone());
        let moved = r["cwd"]
            .as_str()
            .map(|cwd| (cwd, std::env::set_current_dir(cwd)));
        if let Some((cwd, Err(e))) = moved {
            print_err(&format!(
                "warning: cannot go to {cwd}, where the run was started: {e}"
            ));
        }
        args.run.config = r["config"].as_str().map(Into::into);
        args.run.inputs = r["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(Into::into))
            .collect();
    }
    if args.run.rules.is_none() {
        args.run.rules = r["rules"].as_str().map(Into::into);
    }
    if args.run.plugins.plugin_dirs.is_empty() {
        args.run.plugins.plugin_dirs = r["plugin_dirs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(Into::into))
            .collect();
    }
    if args.run.as_of.is_none() {
        args.run.as_of = summary["as_of"].as_str().map(str::to_owned);
    }
    Some(summary)
}

/// The case's line in `DIR/cases.jsonl`, if that run wrote it.
fn written_line(out: &Path, id: &str) -> Option<Value> {
    let text = std::fs::read_to_string(out.join("cases.jsonl")).ok()?;
    let needle = format!("{{\"case_id\":{}", serde_json::to_string(id).ok()?);
    text.lines()
        .find(|l| l.starts_with(&needle))
        .and_then(|l| serde_json::from_str(l).ok())
}

/// `qrecon explain`.
pub fn explain(args: &ExplainArgs) -> u8 {
    let mut args = args.clone();
    let had_summary = repeat_from_summary(&mut args).is_some();
    let plan = match plan::resolve(&args.run) {
        Ok(p) => p,
        Err(e) => {
            print_err(&format!("error: {e}"));
            return exit::USAGE;
        }
    };
    if plan.inputs.is_empty() {
        print_err(&format!(
            "error: nothing to explain: {} has no summary.json of a run, and no config or inputs were given",
            args.run.out.display()
        ));
        return exit::USAGE;
    }
    let Some(pack) = crate::rules::pack_for_run(plan.rules.as_deref()) else {
        return exit::USAGE;
    };
    let mut registry = Registry::discover(&plan.plugin_dirs);
    registry.mapped.clone_from(&plan.mappings);
    if let Err(e) = crate::run::check_pins(&plan, &registry) {
        print_err(&format!("error: {e}"));
        return exit::USAGE;
    }
    let pool = match crate::run::pool(&plan) {
        Ok(p) => p,
        Err(e) => {
            print_err(&format!("error: {e}"));
            return exit::USAGE;
        }
    };
    let Reconciled { run, cases, .. } =
        crate::run::reconcile(&plan, &registry, &pool, &mut Phases::start());
    let data = &run.data;
    let Some(case) = cases.iter().find(|c| c.id(data) == args.case_id) else {
        let examples: Vec<String> = cases.iter().take(3).map(|c| c.id(data)).collect();
        print_err(&format!(
            "error: no case {:?} in this run ({} cases; ids look like {})",
            args.case_id,
            cases.len(),
            examples.join(", ")
        ));
        return exit::USAGE;
    };
    let _session = Pack::session(&run);
    let (marks, traced) = pack.trace(case);
    let mut findings: Vec<&qrecon_core::Finding> = traced
        .iter()
        .filter_map(|(_, t)| match t {
            Traced::Fired(f) => Some(f.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    findings.sort_by(|a, b| (a.priority, a.code).cmp(&(b.priority, b.code)));
    let status = findings.first().map_or("UNDIAGNOSED", |f| f.code);
    let written = had_summary
        .then(|| written_line(&args.run.out, &args.case_id))
        .flatten();
    let doc = document(data, case, status, &marks, &traced, written.as_ref());
    match args.run.plugins.format {
        Format::Json => print_out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )),
        Format::Text => print_out(&text(&doc)),
    }
    exit::OK
}

fn record(data: &Dataset, id: qrecon_core::RecordId) -> Value {
    let r = data.get(id);
    let mut v = json!({
        "evidence": data.evidence(r.source),
        "kind": r.kind.as_str(),
        "type": r.rtype.as_str(),
        "status": r.status.as_str(),
        "amount": r.amount.to_string(),
        "time": r.time.map(|t| t.to_rfc3339()),
    });
    for (key, s) in [
        ("provider", r.provider),
        ("account", r.account),
        ("claim_id", r.claim_id),
        ("order_id", r.order_id),
        ("txn_id", r.txn_id),
        ("refund_id", r.refund_id),
        ("payout_id", r.payout_id),
        ("bank_ref", r.bank_ref),
        ("payee_name", r.payee_name),
        ("payer", r.payer),
        ("counterparty", r.counterparty),
        ("memo", r.memo),
    ] {
        if let Some(text) = data.str(s) {
            v[key] = json!(text);
        }
    }
    v
}

fn document(
    data: &Dataset,
    case: &Case,
    status: &str,
    marks: &[&str],
    traced: &[(&qrecon_rules::Rule, Traced)],
    written: Option<&Value>,
) -> Value {
    let records: Vec<Value> = case
        .claim
        .into_iter()
        .chain(case.txn)
        .chain(case.refunds.iter().copied())
        .chain(case.funds.iter().copied())
        .chain(case.payouts.iter().map(|p| p.payout))
        .chain(case.bank.iter().map(|b| b.bank))
        .chain(case.ambiguous().iter().copied())
        .chain(case.returns().iter().copied())
        .chain(case.bank_ambiguous().iter().copied())
        .chain(case.frozen_by())
        .map(|id| record(data, id))
        .collect();
    let links: Vec<Value> = case
        .links(data)
        .iter()
        .map(|l| {
            json!({
                "from": l.from.as_str(), "to": l.to.as_str(), "method": l.method.as_str(),
                "key": l.method.key(),
                "evidence": l.evidence.iter().map(|s| data.evidence(*s)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let f = &case.facts;
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string());
    let rules: Vec<Value> = traced
        .iter()
        .map(|(rule, t)| {
            let (outcome, detail) = match t {
                Traced::NotCalled(why) => ("not called", json!(why)),
                Traced::Silent => ("silent", json!("called; found nothing to say")),
                Traced::Fired(found) => (
                    "fired",
                    json!(found.iter().map(|x| json!({
                        "code": x.code, "severity": x.severity.as_str(), "message": x.message,
                        "action": x.action, "expected_by": d(x.expected_by),
                        "evidence": x.evidence.iter().map(|s| data.evidence(*s)).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>()),
                ),
                Traced::Failed(message) => ("error", json!(message)),
            };
            json!({
                "rule": rule.header.id, "priority": rule.header.priority, "path": rule.path,
                "outcome": outcome, "detail": detail,
            })
        })
        .collect();
    json!({
        "case_id": case.id(data),
        "status": status,
        "status_in_run": written.map(|w| w["status"].clone()),
        "provider": case.provider(data),
        "amount": case.amount(data).to_string(),
        "records": records,
        "links": links,
        "facts": {
            "gross": f.gross.to_string(), "fee": f.fee.to_string(), "refunded": f.refunded.to_string(),
            "net": f.net.to_string(), "paid_out": f.paid_out.to_string(), "frozen": f.frozen.to_string(),
            "paid_date": d(f.paid_date), "expected_payout": d(f.expected_payout),
            "payout_date": d(f.payout_date), "expected_bank": d(f.expected_bank),
            "bank_date": d(f.bank_date), "days_overdue": f.days_overdue,
            "payouts_stopped": f.payouts_stopped, "ledger_seen": f.ledger_seen,
        },
        "marks": marks,
        "rules": rules,
    })
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_owned(),
        other => other.to_string(),
    }
}

/// A JSON array's items as text.
fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().map(s).collect()
}

fn text(doc: &Value) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "case {}  —  status {}  ({} {})",
        s(&doc["case_id"]),
        s(&doc["status"]),
        s(&doc["provider"]),
        s(&doc["amount"])
    );
    if let Some(was) = doc["status_in_run"]
        .as_str()
        .filter(|was| doc["status"] != *was)
    {
        let _ = writeln!(
            out,
            "note: the run in the output folder gave {was}; the inputs or rules changed since"
        );
    }
    let _ = writeln!(out, "\nrecords");
    for r in doc["records"].as_array().into_iter().flatten() {
        let ids: Vec<String> = [
            "claim_id",
            "txn_id",
            "refund_id",
            "payout_id",
            "bank_ref",
            "payee_name",
            "memo",
        ]
        .iter()
        .filter(|k| !r[**k].is_null())
        .map(|k| format!("{k} {}", s(&r[*k])))
        .collect();
        let _ = writeln!(
            out,
            "  {:<6} {:<10} {:>12}  {}  {}\n         {}",
            s(&r["kind"]),
            s(&r["type"]),
            s(&r["amount"]),
            s(&r["status"]),
            ids.join(", "),
            s(&r["evidence"])
        );
    }
    let _ = writeln!(out, "\nlinks");
    if doc["links"].as_array().is_none_or(Vec::is_empty) {
        let _ = writeln!(out, "  (none: the case has no linked records)");
    }
    for l in doc["links"].as_array().into_iter().flatten() {
        let ev = strings(&l["evidence"]);
        let _ = writeln!(
            out,
            "  {} → {} by {}{}  ({})",
            s(&l["from"]),
            s(&l["to"]),
            s(&l["method"]),
            l["key"]
                .as_str()
                .map(|k| format!(" ({k})"))
                .unwrap_or_default(),
            ev.join(" ↔ ")
        );
    }
    let facts: Vec<String> = doc["facts"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| format!("{k} {}", s(v)))
        .collect();
    let _ = writeln!(out, "\nfacts\n  {}", facts.join(", "));
    let marks = strings(&doc["marks"]);
    let _ = writeln!(out, "  marks: {}", marks.join(", "));
    let _ = writeln!(out, "\nrules (in call order)");
    for r in doc["rules"].as_array().into_iter().flatten() {
        let head = format!(
            "  {:<11} {} (priority {})",
            s(&r["outcome"]),
            s(&r["rule"]),
            s(&r["priority"])
        );
        match &r["detail"] {
            Value::Array(found) => {
                let _ = writeln!(out, "{head}");
                for f in found {
                    let ev = strings(&f["evidence"]);
                    let _ = writeln!(
                        out,
                        "              {} [{}]: {}\n              action: {}\n              evidence: {}",
                        s(&f["code"]),
                        s(&f["severity"]),
                        s(&f["message"]),
                        s(&f["action"]),
                        ev.join(", ")
                    );
                }
            }
            other => {
                let _ = writeln!(out, "{head}: {}", s(other));
            }
        }
    }
    out
}
