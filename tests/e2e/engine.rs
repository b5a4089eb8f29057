//! The whole chain on generated data: every case's status as the generator expects it,
//! byte-identical outputs at 1, 2 and 8 threads, money conserved per provider and day, and
//! settlement due dates across public holidays.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use qrecon_e2e::{json, jsonl, qrecon, qrecon_gen_bin, run, text};

fn generate(dir: &Path, payments: u32, accounts: u32, days: u32, seed: u64) {
    let out = run(Command::new(qrecon_gen_bin())
        .args([
            "--payments",
            &payments.to_string(),
            "--accounts",
            &accounts.to_string(),
            "--days",
            &days.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(dir));
    assert!(out.status.success(), "generator: {}", text(&out).1);
}

fn reconcile(dir: &Path, out: &Path, threads: &str) {
    let result = run(qrecon()
        .arg("run")
        .arg("--config")
        .arg(dir.join("qrecon.yaml"))
        .arg("--out")
        .arg(out)
        .args(["--threads", threads]));
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
}

fn statuses(path: &Path) -> BTreeMap<String, String> {
    jsonl(path)
        .into_iter()
        .map(|c| {
            (
                c["case_id"].as_str().unwrap_or_default().to_owned(),
                c["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_generated_case_gets_its_expected_status() {
    let dir = tempfile::tempdir().expect("temp");
    generate(dir.path(), 6000, 60, 10, 3);
    let out = dir.path().join("out");
    reconcile(dir.path(), &out, "2");
    let expected = statuses(&dir.path().join("expected.jsonl"));
    let actual = statuses(&out.join("cases.jsonl"));
    assert_eq!(
        expected.len(),
        actual.len(),
        "one case per claim and per unclaimed payment"
    );
    let wrong: Vec<_> = expected
        .iter()
        .filter(|(id, s)| actual.get(*id) != Some(*s))
        .take(10)
        .map(|(id, s)| (id, s, actual.get(id)))
        .collect();
    assert!(
        wrong.is_empty(),
        "cases with another status than expected: {wrong:?}"
    );
    let seen: BTreeSet<&str> = expected.values().map(String::as_str).collect();
    for code in [
        "ARRIVED",
        "BANK_DELAYED",
        "BANK_IN_TRANSIT",
        "DUPLICATE_CLAIM",
        "FUNDS_FROZEN",
        "NOT_FOUND_ON_PLATFORM",
        "PAID_TO_OTHER_PAYEE",
        "PAYOUT_RETURNED",
        "REFUNDED",
        "SETTLEMENT_OVERDUE",
        "SETTLEMENT_PENDING",
    ] {
        assert!(
            seen.contains(code),
            "the generated data exercises {code} (choose another seed if not)"
        );
    }
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["totals"]["quarantined"], 0);
    assert!(
        summary["files"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["rows_accounted"] == true))
    );
    alerts_cover_the_injected_faults(&expected, &out);
}

/// The freeze the generator injects is a `FREEZE_SUSPECTED` alert covering every `FUNDS_FROZEN`
/// case, and its fake receipts (one payer) a `FAKE_RECEIPT_SUSPECTED` alert.
fn alerts_cover_the_injected_faults(expected: &BTreeMap<String, String>, out: &Path) {
    let alerts = jsonl(&out.join("alerts.jsonl"));
    let covered = |code: &str| -> BTreeSet<String> {
        alerts
            .iter()
            .filter(|a| a["code"] == code)
            .flat_map(|a| a["cases"].as_array().cloned().unwrap_or_default())
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect()
    };
    let with = |status: &str| -> BTreeSet<String> {
        expected
            .iter()
            .filter(|(_, s)| *s == status)
            .map(|(id, _)| id.clone())
            .collect()
    };
    let frozen = with("FUNDS_FROZEN");
    let held = covered("FREEZE_SUSPECTED");
    assert!(!frozen.is_empty());
    let missing: Vec<_> = frozen.difference(&held).take(5).collect();
    assert!(
        missing.is_empty(),
        "FUNDS_FROZEN cases no freeze alert covers: {missing:?}"
    );
    let fake = covered("FAKE_RECEIPT_SUSPECTED");
    assert!(fake.len() >= 2, "the generator's fake receipts: {fake:?}");
    assert!(fake.is_subset(&with("NOT_FOUND_ON_PLATFORM")));
    for a in &alerts {
        assert!(
            a["evidence"].as_array().is_some_and(|e| !e.is_empty()),
            "{a}"
        );
        assert!(a["window"]["from"].is_string(), "{a}");
    }
    let ids: Vec<&str> = alerts
        .iter()
        .filter_map(|a| a["alert_id"].as_str())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "alerts are sorted by a unique id");
}

#[test]
fn outputs_are_byte_identical_at_1_2_and_8_threads() {
    let dir = tempfile::tempdir().expect("temp");
    generate(dir.path(), 3000, 12, 8, 9);
    let mut runs = Vec::new();
    for threads in ["1", "2", "8"] {
        let out = dir.path().join(format!("out{threads}"));
        reconcile(dir.path(), &out, threads);
        let bytes: Vec<Vec<u8>> = [
            "cases.jsonl",
            "alerts.jsonl",
            "quarantine.jsonl",
            "summary.json",
        ]
        .iter()
        .map(|f| std::fs::read(out.join(f)).expect("output"))
        .collect();
        runs.push(bytes);
    }
    assert!(
        runs[0] == runs[1] && runs[0] == runs[2],
        "outputs differ between thread counts"
    );
}

fn money(v: &serde_json::Value) -> i64 {
    let s = v.as_str().expect("amount string");
    let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    let (w, f) = s.split_once('.').expect("decimal point");
    let units = w.parse::<i64>().expect("whole") * 100_000
        + format!("{f:0<5}").parse::<i64>().expect("fraction");
    if neg { -units } else { units }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5, failure_persistence: None, ..ProptestConfig::default() })]

    /// Per provider and day, money in = settled + pending + refunded + held + unaccounted,
    /// and the table covers every payment in the trade bills.
    #[test]
    fn money_is_conserved_per_provider_and_day(seed in 0u64..1000, accounts in 1u32..20, days in 2u32..9, per in 5u32..40) {
        let dir = tempfile::tempdir().expect("temp");
        generate(dir.path(), per * accounts * days, accounts, days, seed);
        let out = dir.path().join("out");
        reconcile(dir.path(), &out, "2");
        let summary = json(&out.join("summary.json"));
        let rows = summary["conservation"].as_array().expect("conservation table");
        let mut payments = 0u64;
        for r in rows {
            let parts = ["settled", "pending", "refunded", "held", "unaccounted"].iter().map(|k| money(&r[*k])).sum::<i64>();
            prop_assert_eq!(money(&r["gross"]), parts, "row {}", r);
            prop_assert_eq!(&r["balances"], &serde_json::Value::Bool(true));
            payments += r["payments"].as_u64().unwrap_or(0);
        }
        let in_bills: u64 = summary["files"].as_array().into_iter().flatten()
            .filter_map(|f| f["records"]["txn/payment"].as_u64()).sum();
        prop_assert_eq!(payments, in_bills);
    }
}

fn bill(day_time: &str, txn: &str) -> String {
    format!(
        "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n`{day_time},`wx1,`1900000109,`0,`,`{txn},`O{txn},`openid,`NATIVE,`SUCCESS,`OTHERS,`CNY,`88.00,`0.00,`0,`0,`0.00,`0.00,`,`,`面,`,`0.53000,`0.60%,`88.00,`0.00,`\r\n总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n`1,`88.00,`0.00,`0.00,`0.53000,`88.00,`0.00\r\n"
    )
}

fn status_at(bill_text: &str, as_of: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("bill.csv"), bill_text).expect("bill");
    let out = dir.path().join("out");
    let r = run(qrecon()
        .args(["run", "--as-of", as_of, "--out"])
        .arg(&out)
        .arg(dir.path().join("bill.csv")));
    assert_eq!(r.status.code(), Some(0), "{}", text(&r).1);
    let case = jsonl(&out.join("cases.jsonl")).remove(0);
    (
        case["status"].as_str().unwrap_or_default().to_owned(),
        case["findings"][0]["expected_by"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[test]
fn t_plus_1_waits_for_the_first_business_day_after_national_day() {
    let b = bill("2026-09-30 20:15:00", "4200000001202609300000000001");
    assert_eq!(
        status_at(&b, "2026-10-05T12:00:00+08:00"),
        ("SETTLEMENT_PENDING".into(), "2026-10-08".into())
    );
    assert_eq!(
        status_at(&b, "2026-10-08T23:59:00+08:00"),
        ("SETTLEMENT_PENDING".into(), "2026-10-08".into())
    );
    assert_eq!(
        status_at(&b, "2026-10-09T00:00:00+08:00"),
        ("SETTLEMENT_OVERDUE".into(), "2026-10-08".into())
    );
}

#[test]
fn t_plus_1_waits_for_the_first_business_day_after_spring_festival() {
    // 2026-02-14 is a Saturday worked in exchange for the holiday (15–23 February).
    let b = bill("2026-02-14 11:00:00", "4200000001202602140000000001");
    assert_eq!(
        status_at(&b, "2026-02-20T09:00:00+08:00"),
        ("SETTLEMENT_PENDING".into(), "2026-02-24".into())
    );
    assert_eq!(
        status_at(&b, "2026-02-25T09:00:00+08:00"),
        ("SETTLEMENT_OVERDUE".into(), "2026-02-24".into())
    );
    let friday = bill("2026-02-13 11:00:00", "4200000001202602130000000001");
    assert_eq!(
        status_at(&friday, "2026-02-14T09:00:00+08:00"),
        ("SETTLEMENT_PENDING".into(), "2026-02-14".into())
    );
}

/// Regular payers (a few dozen, Zipf-weighted: the first pays hundreds of times) through the
/// binary: velocity alerts, no daily-limit alerts on a dynamic code (the default), limit
/// breaches once the config says the code is static, and the same bytes at 1 and 2 threads.
#[test]
fn regular_payers_alert_by_velocity_and_by_the_static_code_limit_only_when_configured() {
    let dir = tempfile::tempdir().expect("temp");
    let out = run(Command::new(qrecon_gen_bin())
        .args([
            "--payments",
            "4000",
            "--accounts",
            "2",
            "--days",
            "4",
            "--payers",
            "30",
            "--alipay-every",
            "0",
            "--seed",
            "5",
            "--out",
        ])
        .arg(dir.path()));
    assert!(out.status.success(), "generator: {}", text(&out).1);
    let codes = |out: &Path| -> BTreeMap<String, usize> {
        let mut n = BTreeMap::new();
        for a in jsonl(&out.join("alerts.jsonl")) {
            *n.entry(a["code"].as_str().unwrap_or_default().to_owned())
                .or_default() += 1;
        }
        n
    };
    let dynamic = dir.path().join("out-dynamic");
    reconcile(dir.path(), &dynamic, "2");
    let found = codes(&dynamic);
    assert!(found.get("VELOCITY").is_some_and(|n| *n >= 3), "{found:?}");
    assert_eq!(found.get("LIMIT_BREACH"), None, "{found:?}");
    let one = dir.path().join("out-1");
    reconcile(dir.path(), &one, "1");
    for f in ["cases.jsonl", "alerts.jsonl", "summary.json"] {
        assert!(
            std::fs::read(one.join(f)).ok() == std::fs::read(dynamic.join(f)).ok(),
            "{f} differs between 1 and 2 threads"
        );
    }
    let config = dir.path().join("qrecon.yaml");
    let yaml = std::fs::read_to_string(&config).expect("config");
    let yaml = yaml.replace(
        "wechatpay: { settlement: T+1, calendar: cn, bank_days: 1 }",
        "wechatpay: { settlement: T+1, calendar: cn, bank_days: 1, qr_code: static }",
    );
    std::fs::write(&config, yaml).expect("config");
    let fixed = dir.path().join("out-static");
    reconcile(dir.path(), &fixed, "2");
    let found = codes(&fixed);
    // The heaviest payers pay far over 500.00 a day.
    assert!(
        found.get("LIMIT_BREACH").is_some_and(|n| *n >= 4),
        "{found:?}"
    );
    let alert = jsonl(&fixed.join("alerts.jsonl"))
        .into_iter()
        .find(|a| a["code"] == "LIMIT_BREACH")
        .expect("a breach");
    assert!(
        alert["message"]
            .as_str()
            .is_some_and(|m| m.contains("over the 500.00 a payer may pay in a day")),
        "{alert}"
    );
}
