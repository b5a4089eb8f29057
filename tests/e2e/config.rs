//! Config errors stop the run before any work, with `file:line` and exit code 2.

use qrecon_e2e::{qrecon, repo, run, text};

fn run_with_config(yaml: &str) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("qrecon.yaml");
    std::fs::write(&config, yaml).expect("write config");
    std::fs::copy(
        repo("examples/exports/wechatpay_tradebill_2026-11-23.csv"),
        dir.path().join("bill.csv"),
    )
    .expect("copy");
    let out_dir = dir.path().join("out");
    let out = run(qrecon()
        .arg("run")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out_dir));
    let (_, stderr) = text(&out);
    (out.status.code(), stderr, out_dir.exists())
}

#[test]
fn an_unknown_key_names_the_key_and_its_line() {
    let (code, stderr, wrote) = run_with_config(
        "timezone: Asia/Shanghai\nmerchant:\n  name: 晨光面馆\n  payes: {}\ninputs: [bill.csv]\n",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("qrecon.yaml:4:"),
        "line of the key: {stderr}"
    );
    assert!(stderr.contains("unknown field `payes`"), "{stderr}");
    assert!(!wrote, "nothing is written before the work starts");
}

#[test]
fn a_bad_date_names_its_line_and_what_was_expected() {
    let (code, stderr, wrote) =
        run_with_config("inputs: [bill.csv]\nas_of: 2026-13-45T08:00:00+08:00\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("qrecon.yaml:2:"), "{stderr}");
    assert!(stderr.contains("expected an RFC 3339 instant"), "{stderr}");
    assert!(!wrote);
    let (code, stderr, _) =
        run_with_config("inputs: [bill.csv]\ncalendars:\n  shop:\n    holidays: [2026-02-30]\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("qrecon.yaml:4:") && stderr.contains("expected a date like"),
        "{stderr}"
    );
}

#[test]
fn a_missing_input_file_names_its_line() {
    let (code, stderr, wrote) = run_with_config(
        "timezone: Asia/Shanghai\ninputs:\n  - bill.csv\n  - exports/nowhere.csv\n",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("qrecon.yaml:4")
            && stderr.contains("nowhere.csv")
            && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert!(!wrote);
}

#[test]
fn bad_values_are_refused_before_work() {
    for (yaml, needle) in [
        (
            "inputs: [bill.csv]\nproviders:\n  wechatpay: { settlement: X+1 }\n",
            "expected a settlement cycle",
        ),
        (
            "inputs: [bill.csv]\nproviders:\n  wechatpay: { calendar: mars }\n",
            "unknown calendar \"mars\"",
        ),
        (
            "inputs: [bill.csv]\nproviders:\n  wechatpay: { qr_code: sticker }\n",
            "expected static or dynamic",
        ),
        (
            "inputs: [bill.csv]\ntimezone: Mars/Olympus\n",
            "expected an IANA time zone",
        ),
        (
            "inputs: [bill.csv]\nlimits:\n  per_payment: { wechatpay: lots }\n",
            "expected a decimal amount",
        ),
        (
            "inputs: [{ path: bill.csv, adapter: nobody }]\n",
            "pins adapter nobody",
        ),
    ] {
        let (code, stderr, wrote) = run_with_config(yaml);
        assert_eq!(code, Some(2), "{yaml}: {stderr}");
        assert!(stderr.contains(needle), "{yaml}: {stderr}");
        assert!(!wrote, "{yaml}");
    }
}

#[test]
fn every_documented_key_is_accepted() {
    let yaml = r#"
as_of: 2026-11-26T08:00:00+08:00
timezone: Asia/Shanghai
merchant:
  name: 晨光面馆
  payees:
    alipay:    { ids: ["2088102177846375"], names: ["晨光面馆", "杭州晨光餐饮有限公司"] }
    wechatpay: { ids: ["1900000109"], names: ["晨光面馆"] }
  bank_accounts: ["6222020200112233445"]
  settlement_accounts: { "1900000109": "6222020200112233445" }
providers:
  alipay:    { settlement: T+1, calendar: cn, bank_days: 1, qr_code: static }
  wechatpay: { settlement: T+1, calendar: shop, bank_days: 0, qr_code: dynamic }
calendars:
  cn2: { file: cn2.yaml }
  shop: { holidays: [2026-11-23], workdays: [] }
limits:
  per_payment:   { alipay: "5000.00", wechatpay: "5000.00" }
  per_payer_day: { alipay: "500.00" }
inputs: [bill.csv, { path: bill.csv, adapter: wechatpay-tradebill, account: "1900000109" }]
rules: rules/
mappings: [bank.yaml]
plugins: { dirs: [plugins/] }
"#;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bank.yaml"),
        "name: bank\nheader: { contains: [Date, Amount] }\nfields:\n  value_date: { column: Date, format: \"%Y-%m-%d\" }\n  amount: { column: Amount }\n",
    )
    .expect("write mapping");
    std::fs::write(
        dir.path().join("cn2.yaml"),
        "name: cn2\nholidays: [2026-10-01]\nworkdays: [2026-10-10]\n",
    )
    .expect("calendar");
    std::fs::write(dir.path().join("qrecon.yaml"), yaml).expect("config");
    std::fs::create_dir(dir.path().join("rules")).expect("rules dir");
    std::fs::copy(
        repo("rules/arrived.rhai"),
        dir.path().join("rules/arrived.rhai"),
    )
    .expect("copy rule");
    std::fs::copy(
        repo("examples/exports/wechatpay_tradebill_2026-11-23.csv"),
        dir.path().join("bill.csv"),
    )
    .expect("copy");
    let out = run(qrecon()
        .current_dir(dir.path())
        .args(["run", "--out", "out"]));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/summary.json")).expect("summary"),
    )
    .expect("json");
    assert_eq!(
        summary["rules"][0]["id"], "arrived",
        "the config's rules folder is used"
    );
    assert_eq!(summary["rules"].as_array().map(Vec::len), Some(1));
}
