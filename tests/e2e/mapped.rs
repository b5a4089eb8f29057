//! Mapped adapters through the binary: mappings beside the files they read or named in the
//! config, chosen by sniffing alongside the plugins, and mistakes in them stopping the run.

use std::path::Path;

use qrecon_e2e::{json, jsonl, qrecon, repo, run, text};

fn copy(from: &str, to: &Path) {
    std::fs::copy(repo(from), to).unwrap_or_else(|e| panic!("copy {from}: {e}"));
}

fn file_entry<'a>(summary: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"].as_str().is_some_and(|n| n.ends_with(name)))
        .unwrap_or_else(|| panic!("{name} in the summary: {summary}"))
}

#[test]
fn mappings_beside_the_files_read_them_by_sniffing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).expect("dir");
    copy(
        "crates/qrecon-mapped/fixtures/hsbchk_debit.csv",
        &exports.join("hsbc.csv"),
    );
    copy(
        "crates/qrecon-mapped/fixtures/hsbchk_credit.csv",
        &exports.join("hsbc-card.csv"),
    );
    copy(
        "crates/qrecon-mapped/fixtures/td_chequing.csv",
        &exports.join("accountactivity.csv"),
    );
    for m in ["hsbchk-debit", "hsbchk-credit", "td-chequing"] {
        let name = format!("{m}.qrecon-map.yaml");
        copy(&format!("examples/mappings/{name}"), &exports.join(name));
    }
    copy(
        "examples/exports/wechatpay_tradebill_2026-11-23.csv",
        &exports.join("bill.csv"),
    );
    let out_dir = dir.path().join("out");
    let out = run(qrecon()
        .arg("run")
        .arg(&exports)
        .arg("--as-of")
        .arg("2026-11-26T08:00:00+08:00")
        .arg("--out")
        .arg(&out_dir));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let summary = json(&out_dir.join("summary.json"));
    for (file, adapter, rows) in [
        ("hsbc.csv", "mapped:hsbchk-debit", 11),
        ("hsbc-card.csv", "mapped:hsbchk-credit", 12),
        ("accountactivity.csv", "mapped:td-chequing", 11),
        ("bill.csv", "wechatpay-tradebill", 0),
    ] {
        let f = file_entry(&summary, file);
        assert_eq!(f["adapter"], adapter, "{f}");
        assert_eq!(f["rows_accounted"], true, "{f}");
        if rows > 0 {
            assert_eq!(f["rows"]["read"], rows, "{f}");
            assert_eq!(f["rows"]["quarantined"], 0, "{f}");
        }
    }
    let td = file_entry(&summary, "accountactivity.csv");
    assert_eq!(td["money"]["CAD"]["in"], "332.23", "{td}");
    assert_eq!(td["money"]["CAD"]["out"], "-319.17", "{td}");
    // The mapping files are configuration, not inputs.
    assert!(
        !summary.to_string().contains(".qrecon-map.yaml\",\"adapter"),
        "{summary}"
    );
    let names: Vec<&str> = summary["mappings"]
        .as_array()
        .expect("mappings")
        .iter()
        .filter_map(|m| m["adapter"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "mapped:hsbchk-credit",
            "mapped:hsbchk-debit",
            "mapped:td-chequing"
        ]
    );
    assert!(jsonl(&out_dir.join("quarantine.jsonl")).is_empty());
}

#[test]
fn a_mapping_named_in_the_config_can_be_pinned() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy(
        "crates/qrecon-mapped/fixtures/td_chequing.csv",
        &dir.path().join("march.csv"),
    );
    copy(
        "examples/mappings/td-chequing.qrecon-map.yaml",
        &dir.path().join("td.yaml"),
    );
    let config = dir.path().join("qrecon.yaml");
    std::fs::write(
        &config,
        "mappings: [td.yaml]\ninputs:\n  - { path: march.csv, adapter: \"mapped:td-chequing\", account: \"5555-001\" }\n",
    )
    .expect("config");
    let out_dir = dir.path().join("out");
    let out = run(qrecon()
        .arg("run")
        .arg("--config")
        .arg(&config)
        .arg("--as-of")
        .arg("2023-05-10T08:00:00-04:00")
        .arg("--out")
        .arg(&out_dir));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let summary = json(&out_dir.join("summary.json"));
    let f = file_entry(&summary, "march.csv");
    assert_eq!(f["adapter"], "mapped:td-chequing", "{f}");
    assert_eq!(f["rows"]["parsed"], 9, "{f}");
}

#[test]
fn a_mistake_in_a_mapping_stops_the_run_with_its_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy(
        "crates/qrecon-mapped/fixtures/td_chequing.csv",
        &dir.path().join("td_x.csv"),
    );
    std::fs::write(
        dir.path().join("bad.qrecon-map.yaml"),
        "name: bad\nheader: { columns: [Date, Amount] }\nfields:\n  value_date: { column: Date }\n  amount: { column: Amount }\n",
    )
    .expect("mapping");
    let out_dir = dir.path().join("out");
    let out = run(qrecon()
        .arg("run")
        .arg(dir.path())
        .arg("--out")
        .arg(&out_dir));
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.qrecon-map.yaml:4:"), "{stderr}");
    assert!(stderr.contains("expected a `format`"), "{stderr}");
    assert!(
        !out_dir.exists(),
        "nothing is written before the work starts"
    );
}
