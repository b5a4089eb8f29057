//! `qrecon run` end to end: outputs, quarantine, unrecognised files, row accounting,
//! determinism, exit codes.

use std::path::Path;

use qrecon_e2e::{json, jsonl, qrecon, repo, run, text};
use serde_json::Value;

fn run_demo(out_dir: &Path, extra: &[&str]) -> std::process::Output {
    run(qrecon()
        .current_dir(qrecon_e2e::workspace())
        .args(["run", "--config", "examples/qrecon.yaml", "--out"])
        .arg(out_dir)
        .args(extra))
}

fn case<'a>(cases: &'a [Value], id: &str) -> &'a Value {
    cases
        .iter()
        .find(|c| c["case_id"] == id)
        .unwrap_or_else(|| panic!("case {id} in {cases:#?}"))
}

#[test]
fn the_demo_writes_four_files_and_a_summary() {
    let out_dir = tempfile::tempdir().expect("out");
    let out = run_demo(out_dir.path(), &[]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    for f in [
        "cases.jsonl",
        "alerts.jsonl",
        "quarantine.jsonl",
        "summary.json",
    ] {
        assert!(out_dir.path().join(f).exists(), "{f}");
    }
    assert!(
        stdout.contains("SETTLEMENT_PENDING") && stdout.contains("alerts; outputs in"),
        "{stdout}"
    );
    let summary = json(&out_dir.path().join("summary.json"));
    assert_eq!(summary["schema"], 1);
    assert_eq!(summary["as_of"], "2026-11-26T08:00:00+08:00");
    assert_eq!(
        summary["unrecognised"].as_array().map(Vec::len),
        Some(0),
        "{summary:#}"
    );
    let files = summary["files"].as_array().expect("files");
    assert_eq!(files.len(), 6);
    for f in files {
        let rows = &f["rows"];
        let sum = rows["parsed"].as_u64().unwrap_or(0)
            + rows["quarantined"].as_u64().unwrap_or(0)
            + rows["skipped"].as_u64().unwrap_or(0);
        assert_eq!(
            rows["read"].as_u64(),
            Some(sum),
            "rows accounted in {}",
            f["file"]
        );
        assert_eq!(f["rows_accounted"], true);
    }
    let cases = jsonl(&out_dir.path().join("cases.jsonl"));
    let ids: Vec<&str> = cases.iter().filter_map(|c| c["case_id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "cases sorted by id");
    assert_eq!(
        case(&cases, "claim:C-1003")["status"],
        "NOT_FOUND_ON_PLATFORM"
    );
    assert_eq!(
        case(&cases, "claim:C-1004")["status"],
        "PAID_TO_OTHER_PAYEE"
    );
    assert_eq!(case(&cases, "claim:C-1002")["status"], "DUPLICATE_CLAIM");
    assert_eq!(
        case(&cases, "claim:C-1009")["status"],
        "PAID_TO_OTHER_PAYEE"
    );
    // Two payers paid the same stranger within a day: a swapped QR sticker.
    let alerts = jsonl(&out_dir.path().join("alerts.jsonl"));
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["code"], "QR_SWAP_SUSPECTED");
    assert_eq!(alerts[0]["scope"]["kind"], "payee");
    assert_eq!(alerts[0]["scope"]["key"], "老王烧烤");
    assert_eq!(
        alerts[0]["cases"],
        serde_json::json!(["claim:C-1004", "claim:C-1009"])
    );
    assert_eq!(alerts[0]["severity"], "critical");
    assert_eq!(case(&cases, "claim:C-1006")["status"], "LIMIT_EXCEEDED");
    let refunded = case(&cases, "claim:C-1007");
    assert_eq!(refunded["status"], "REFUNDED");
    assert_eq!(refunded["txn_id"], "4200002826202611230007310074");
    assert!(
        refunded["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("5.00 of 12.00"))
    );
    let linked = case(&cases, "claim:C-1001");
    assert_eq!(linked["txn_id"], "4200002826202611240007310259");
    assert_eq!(linked["links"][0]["method"], "id");
    assert_eq!(linked["links"][0]["key"], "txn_id");
    let by_order = case(&cases, "claim:C-1005");
    assert_eq!(by_order["links"][0]["key"], "order_id");
    assert_eq!(by_order["status"], "SETTLEMENT_PENDING");
    assert_eq!(by_order["findings"][0]["expected_by"], "2026-11-26");
    let evidence = by_order["findings"][0]["evidence"][0]
        .as_str()
        .expect("evidence");
    assert_eq!(
        evidence,
        "examples/exports/wechatpay_tradebill_2026-11-25.csv:3"
    );
}

#[test]
fn outputs_are_byte_identical_at_any_thread_count() {
    let mut outputs = Vec::new();
    for threads in ["1", "2", "8"] {
        let dir = tempfile::tempdir().expect("out");
        let out = run_demo(dir.path(), &["--threads", threads]);
        assert_eq!(out.status.code(), Some(0));
        let files: Vec<Vec<u8>> = [
            "cases.jsonl",
            "alerts.jsonl",
            "quarantine.jsonl",
            "summary.json",
        ]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).expect("output"))
        .collect();
        outputs.push(files);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn fail_on_and_json_format() {
    let dir = tempfile::tempdir().expect("out");
    let out = run_demo(dir.path(), &["--fail-on", "critical", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a critical finding fails the run"
    );
    let printed: Value = serde_json::from_slice(&out.stdout).expect("summary JSON on stdout");
    assert_eq!(printed, json(&dir.path().join("summary.json")));
    let dir = tempfile::tempdir().expect("out");
    let out = run(qrecon()
        .args([
            "run",
            "--as-of",
            "2021-01-28T12:00:00+08:00",
            "--fail-on",
            "critical",
            "--out",
        ])
        .arg(dir.path())
        .arg(repo(
            "plugins/wechatpay-tradebill/fixtures/tradebill_ALL_gunsluo.csv",
        )));
    assert_eq!(
        out.status.code(),
        Some(0),
        "only info findings: {}",
        text(&out).1
    );
}

#[test]
fn bad_rows_go_to_quarantine_and_the_run_continues() {
    let inputs = tempfile::tempdir().expect("inputs");
    let good = std::fs::read_to_string(repo("examples/exports/wechatpay_tradebill_2026-11-25.csv"))
        .expect("bill");
    let mut lines: Vec<String> = good.lines().map(str::to_owned).collect();
    let mut cells: Vec<&str> = lines[1].split(",`").collect();
    cells[12] = "12.0.0";
    lines[1] = cells.join(",`");
    lines[2] = lines[2].replacen("`2026-11-25 ", "`2026-11-35 ", 1);
    lines[3] = "`2026-11-25 12:00:00,`wx2421b1c4370ec43b,`1900000109".to_owned();
    std::fs::write(inputs.path().join("bill.csv"), lines.join("\r\n") + "\r\n").expect("write");
    let dir = tempfile::tempdir().expect("out");
    let out = run(qrecon()
        .args(["run", "--as-of", "2026-11-26", "--out"])
        .arg(dir.path())
        .arg(inputs.path()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let q = jsonl(&dir.path().join("quarantine.jsonl"));
    assert_eq!(q.len(), 3, "{q:#?}");
    let bill = inputs.path().join("bill.csv").display().to_string();
    for (row, line) in q.iter().zip([2, 3, 4]) {
        assert_eq!(row["file"], bill.as_str());
        assert_eq!(row["line"], line);
        assert_eq!(row["adapter"], "wechatpay-tradebill");
        assert_eq!(row["raw"], lines[line - 1].as_str());
    }
    assert!(
        q[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("应结订单金额") && r.contains("12.0.0"))
    );
    assert!(
        q[1]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("交易时间"))
    );
    assert!(
        q[2]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("expected 27 values"))
    );
    let summary = json(&dir.path().join("summary.json"));
    let f = &summary["files"][0];
    assert_eq!(f["rows"]["read"], 7);
    assert_eq!(f["rows"]["parsed"], 1);
    assert_eq!(f["rows"]["quarantined"], 3);
    assert_eq!(f["rows"]["skipped"], 3);
    assert_eq!(f["skipped"]["header"], 1);
    assert_eq!(f["skipped"]["summary trailer"], 1);
    assert!(
        f["warnings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("control totals disagree"))
    );
    assert_eq!(
        jsonl(&dir.path().join("cases.jsonl")).len(),
        1,
        "the good row still makes its case"
    );
}

#[test]
fn a_file_no_adapter_claims_is_named_with_every_score() {
    let inputs = tempfile::tempdir().expect("inputs");
    std::fs::write(inputs.path().join("notes.txt"), "昨天的账对不上\nsee you\n").expect("write");
    std::fs::copy(
        repo("examples/exports/wechatpay_tradebill_2026-11-25.csv"),
        inputs.path().join("bill.csv"),
    )
    .expect("copy");
    let dir = tempfile::tempdir().expect("out");
    let out = run(qrecon()
        .args(["run", "--as-of", "2026-11-26", "--out"])
        .arg(dir.path())
        .arg(inputs.path()));
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("UNRECOGNISED"), "{stdout}");
    let summary = json(&dir.path().join("summary.json"));
    let u = &summary["unrecognised"][0];
    assert!(u["file"].as_str().is_some_and(|f| f.ends_with("notes.txt")));
    for adapter in [
        "wechatpay-tradebill",
        "wechatpay-fundflow",
        "icbc-csv",
        "claims-csv",
        "alipay",
    ] {
        assert_eq!(u["scores"][adapter], 0, "{adapter} scored: {u}");
    }
    assert_eq!(summary["files"].as_array().map(Vec::len), Some(1));
}

#[test]
fn real_samples_through_the_binary() {
    let dir = tempfile::tempdir().expect("out");
    let out = run(qrecon()
        .args(["run", "--as-of", "2021-02-02T12:00:00+08:00", "--out"])
        .arg(dir.path())
        .arg(repo("plugins/wechatpay-tradebill/fixtures"))
        .arg(repo("plugins/wechatpay-fundflow/fixtures"))
        .arg(repo("plugins/icbc-csv/fixtures")));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let summary = json(&dir.path().join("summary.json"));
    assert_eq!(summary["totals"]["quarantined"], 0, "{summary:#}");
    let by_name = |suffix: &str| -> Value {
        summary["files"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["file"].as_str().is_some_and(|n| n.ends_with(suffix)))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(by_name("icbc_credit.csv")["money"]["CNY"]["in"], "4621.01");
    assert_eq!(by_name("icbc_credit.csv")["money"]["CNY"]["out"], "-363.13");
    assert_eq!(by_name("icbc_debit_v2.csv")["rows"]["parsed"], 11);
    assert_eq!(
        by_name("tradebill_REFUND_gunsluo.csv")["money"]["CNY"]["out"],
        "-0.02"
    );
    assert_eq!(
        by_name("fundflowbill_BASIC_gunsluo.csv")["money"]["CNY"]["out"],
        "-0.02"
    );
    assert!(
        by_name("fundflowbill_BASIC_gunsluo.csv")["warnings"]
            .as_array()
            .is_some_and(|w| !w.is_empty()),
        "sample's summary claims 3 rows"
    );
    let cases = jsonl(&dir.path().join("cases.jsonl"));
    let c = case(&cases, "txn:wechatpay:4200000922202102014836880592");
    assert_eq!(c["amount"], "0.01");
    assert_eq!(c["paid_at"], "2021-02-01T14:38:45+08:00");
    assert_eq!(c["order_id"], "S20210201143829466741");
    assert_eq!(c["status"], "SETTLEMENT_PENDING");
    assert_eq!(c["findings"][0]["expected_by"], "2021-02-02");
}
