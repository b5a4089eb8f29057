//! The short summary table printed to the terminal after a run.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

/// The table, from the `summary.json` document.
pub fn table(summary: &Value, out_dir: &Path) -> String {
    let mut s = String::new();
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let _ = writeln!(
        s,
        "qrecon {} — as of {}",
        text(&summary["qrecon_version"]),
        text(&summary["as_of"])
    );
    let _ = writeln!(
        s,
        "\n{:>6} {:>6} {:>6} {:>6}  {:<20} file",
        "read", "parsed", "quar.", "skip", "adapter"
    );
    for f in summary["files"].as_array().into_iter().flatten() {
        let name = text(&f["file"]);
        if f["status"] == "failed" {
            let _ = writeln!(
                s,
                "{:>27}  {:<20} {name}\n{:>29}{}",
                "FAILED",
                "",
                "",
                text(&f["error"])
            );
            continue;
        }
        let r = &f["rows"];
        let n = |k: &str| r[k].as_u64().unwrap_or(0);
        let adapter = text(&f["adapter"]);
        let _ = writeln!(
            s,
            "{:>6} {:>6} {:>6} {:>6}  {adapter:<20} {name}",
            n("read"),
            n("parsed"),
            n("quarantined"),
            n("skipped")
        );
        for w in f["warnings"].as_array().into_iter().flatten() {
            let _ = writeln!(
                s,
                "{:>29}warning, line {}: {}",
                "",
                w["line"],
                text(&w["message"])
            );
        }
    }
    for u in summary["unrecognised"].as_array().into_iter().flatten() {
        let _ = writeln!(
            s,
            "{:>27}  {:<20} {}\n{:>29}{}; scores {}",
            "UNRECOGNISED",
            "",
            text(&u["file"]),
            "",
            text(&u["reason"]),
            u["scores"]
        );
    }
    let _ = writeln!(s, "\n{:<24} {:>6}  amount", "status", "cases");
    for (code, v) in summary["codes"].as_object().into_iter().flatten() {
        let amounts: Vec<String> = v["amount"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(c, a)| format!("{} {c}", text(a)))
            .collect();
        let _ = writeln!(
            s,
            "{code:<24} {:>6}  {}",
            v["cases"].as_u64().unwrap_or(0),
            amounts.join(", ")
        );
    }
    if let Some(codes) = summary["alert_summary"]["codes"]
        .as_object()
        .filter(|m| !m.is_empty())
    {
        let _ = writeln!(s, "\n{:<24} {:>6}", "alert", "count");
        for (code, n) in codes {
            let _ = writeln!(s, "{code:<24} {:>6}", n.as_u64().unwrap_or(0));
        }
    }
    let _ = writeln!(
        s,
        "\n{} cases, {} alerts; outputs in {}",
        summary["cases"],
        summary["alerts"],
        out_dir.display()
    );
    if let Some(errors) = summary["rule_errors_by_rule"]
        .as_object()
        .filter(|m| !m.is_empty())
    {
        let list: Vec<String> = errors
            .iter()
            .map(|(rule, n)| format!("{rule} on {n} case(s)"))
            .collect();
        let _ = writeln!(
            s,
            "rule errors: {} (see `rule_errors` in cases.jsonl)",
            list.join(", ")
        );
    }
    for off in summary["rules_switched_off"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let _ = writeln!(
            s,
            "rule {} switched off after failing on {} cases",
            text(&off["rule"]),
            off["after_errors"]
        );
    }
    s
}
