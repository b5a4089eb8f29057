//! Rules evaluated on a real case: findings, and the errors a rule can make on one case.

use std::sync::Arc;

use chrono::DateTime;
use qrecon_core::{Case, Dataset, Kind, Money, RecordIn, Settings};
use qrecon_rules::eval::{applies, run};
use qrecon_rules::rule::compile;
use qrecon_rules::view::{CaseView, Run, Session};

const HEADER: &str = "//! id: probe\n//! title: A probe\n//! scope: case\n//! priority: 10\n//! severity: warn\n//! codes: [PROBE]\n//! when: { has: [txn, bank] }\n//! ---\n//! ## What it checks\n//! x\n//! ## Why it matters\n//! x\n//! ## Example\n//! x\n//! ## What to do\n//! x\n";

fn m(s: &str) -> Money {
    s.parse().expect("money")
}

/// One WeChat Pay payment carried out and credited: an ARRIVED case.
fn arrived() -> (Arc<Run>, Case) {
    let at = |s: &str| DateTime::parse_from_rfc3339(&format!("{s}+08:00")).expect("time");
    let mut data = Dataset::new(vec![
        "bill.csv".into(),
        "fund.csv".into(),
        "bank.csv".into(),
    ]);
    let mut pay = RecordIn::new(2, Kind::Txn, "payment", "wechatpay", m("100.00"));
    pay.ids[0] = Some("1900000109");
    pay.ids[3] = Some("4200000000000000000000000001");
    pay.time = Some(at("2026-11-23T10:00:00"));
    pay.fee = Some(m("0.60"));
    data.push(0, &pay);
    let mut income = RecordIn::new(2, Kind::Fund, "income", "wechatpay", m("99.40"));
    income.ids[3] = Some("4200000000000000000000000001");
    income.time = Some(at("2026-11-24T09:00:00"));
    data.push(1, &income);
    let mut out = RecordIn::new(3, Kind::Fund, "withdrawal", "wechatpay", m("-99.40"));
    out.ids[5] = Some("WD0001");
    out.time = Some(at("2026-11-24T13:00:00"));
    data.push(1, &out);
    let mut credit = RecordIn::new(9, Kind::Bank, "credit", "bank", m("99.40"));
    credit.value_date = Some("2026-11-25".parse().expect("date"));
    credit.parties[5] = Some("财付通提现 WD0001");
    data.push(2, &credit);
    let settings = Settings::new(at("2026-11-26T10:00:00"), chrono_tz::Asia::Shanghai)
        .with_default_terms(["wechatpay"]);
    let mut outcome = qrecon_core::engine::assemble(&data, &settings);
    let case = outcome.cases.remove(0);
    (Arc::new(Run { data, settings }), case)
}

fn engine() -> rhai::Engine {
    qrecon_rules::sandbox::engine(|_| {})
}

fn probe(body: &str) -> qrecon_rules::Rule {
    compile(
        &engine(),
        "rules/probe.rhai",
        &format!("{HEADER}\nfn check(c) {{\n{body}\n}}\n"),
    )
    .expect("compiles")
}

#[test]
fn the_shipped_arrived_rule_reads_the_case() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../rules/arrived.rhai"
    ))
    .expect("rule");
    let rule = compile(&engine(), "rules/arrived.rhai", &text).expect("compiles");
    let (run_data, case) = arrived();
    let _session = Session::enter(&run_data);
    assert!(applies(&rule, &case, &run_data.data, &run_data.settings));
    let findings = run(&engine(), &rule, &CaseView::new(case)).expect("runs");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, "ARRIVED");
    assert_eq!(findings[0].rule, "arrived");
    assert_eq!(
        findings[0].message,
        "reached the merchant's bank on 2026-11-25: net 99.40 after 0.60 fees"
    );
}

#[test]
fn records_money_dates_and_evidence_are_readable() {
    let rule = probe(
        r#"    let t = c.txn;
    if t.amount > amount("50.00") && c.bank_date >= c.expected_bank && t.extra("x") == () {
        [#{ code: "PROBE", message: `${t.txn_id} ${c.provider} ${c.account} ${t.fee}`, action: "none", expected_by: c.expected_payout, evidence: [t, c.bank[0]] }]
    } else { [] }"#,
    );
    let (run_data, case) = arrived();
    let _session = Session::enter(&run_data);
    let f = run(&engine(), &rule, &CaseView::new(case)).expect("runs");
    assert_eq!(
        f[0].message,
        "4200000000000000000000000001 wechatpay 1900000109 0.60"
    );
    assert_eq!(f[0].expected_by, Some("2026-11-24".parse().expect("date")));
    assert_eq!(f[0].evidence.len(), 2);
    assert_eq!(f[0].evidence[1].line, 9);
}

#[test]
fn a_rule_error_is_an_error_for_that_case_only() {
    let (run_data, case) = arrived();
    let _session = Session::enter(&run_data);
    let eng = engine();
    for (body, expect) in [
        ("    loop { }", "Too many operations"),
        ("    let x = c.no_such_thing;\n    []", "no_such_thing"),
        ("    open_file(\"/etc/passwd\");\n    []", "open_file"),
        (
            "    [#{ code: \"OTHER\", message: \"m\", action: \"a\" }]",
            "not among the rule's codes",
        ),
        ("    [#{ code: \"PROBE\" }]", "needs `message`"),
        ("    throw \"on purpose\";", "on purpose"),
        (
            "    let a = amount(\"90000000000000.00\") * 2;\n    []",
            "overflowed",
        ),
    ] {
        let err = run(&eng, &probe(body), &CaseView::new(case.clone())).expect_err(body);
        assert!(err.message.contains(expect), "{body}: {err}");
        assert!(err.message.starts_with("rules/probe.rhai:"), "{err}");
        assert_eq!(err.runaway, body.contains("loop"), "{body}");
    }
}

#[test]
fn when_keeps_rules_off_cases_they_cannot_fire_on() {
    let (run_data, mut case) = arrived();
    let _session = Session::enter(&run_data);
    let rule = probe("    []");
    assert!(applies(&rule, &case, &run_data.data, &run_data.settings));
    case.bank.clear();
    assert!(
        !applies(&rule, &case, &run_data.data, &run_data.settings),
        "has: [bank]"
    );
}

#[test]
fn links_provider_terms_and_calendar_are_readable() {
    let rule = probe(
        r#"    let methods = c.links.map(|l| `${l.from}>${l.to}:${l.method}`);
    let days = c.business_days_between(c.paid_date, c.bank_date);
    [#{ code: "PROBE", message: `${methods} ${c.settlement} ${c.bank_days} ${days} ${c.claim_link}`, action: "none" }]"#,
    );
    let (run_data, case) = arrived();
    let _session = Session::enter(&run_data);
    let f = run(&engine(), &rule, &CaseView::new(case)).expect("runs");
    assert_eq!(
        f[0].message,
        r#"["txn>fund:id", "fund>payout:fifo", "payout>bank:id"] T+1 1 2 "#
    );
}

#[test]
fn facts_in_braces_are_filled_in_and_other_braces_left_alone() {
    let rule = probe(
        r#"    [#{ code: "PROBE", message: "{net} net of {fee}, in the bank {bank_date}, payout {payout_id}, txn {txn_id}, claim '{claim_id}'",
           action: `{days_overdue} day(s) {not_a_fact} {provider} {bank_date ${c.account} {{json}}`, evidence: c.chain }]"#,
    );
    let (run_data, case) = arrived();
    let _session = Session::enter(&run_data);
    let f = run(&engine(), &rule, &CaseView::new(case)).expect("runs");
    assert_eq!(
        f[0].message,
        "99.40 net of 0.60, in the bank 2026-11-25, payout WD0001, txn 4200000000000000000000000001, claim ''"
    );
    assert_eq!(
        f[0].action,
        "0 day(s) {not_a_fact} wechatpay {bank_date 1900000109 {{json}}"
    );
    assert_eq!(f[0].evidence.len(), 4, "the whole chain");
}

#[test]
fn a_chain_iterates_indexes_and_adds_to_arrays() {
    let rule = probe(
        r#"    let chain = c.chain;
    let n = 0;
    for r in chain { n += 1; }
    let both = [chain[0]] + chain;
    let last = chain[-1];
    [#{ code: "PROBE", message: `${n} ${chain.len()} ${both.len()} ${last.kind} ${chain[0].kind} ${chain.is_empty()}`,
        action: "-", evidence: chain.to_array() + [last] }]"#,
    );
    let (run_data, case) = arrived();
    let _session = Session::enter(&run_data);
    let f = run(&engine(), &rule, &CaseView::new(case.clone())).expect("runs");
    assert_eq!(f[0].message, "4 4 5 bank txn false");
    assert_eq!(f[0].evidence.len(), 5);
    let out_of_range = probe("    let r = c.chain[9]; []");
    let err = run(&engine(), &out_of_range, &CaseView::new(case)).expect_err("index 9 of 4");
    assert!(err.message.contains("out of bounds"), "{}", err.message);
}

/// Two ARRIVED-like cases of 100.00 and 30.00 from one run, and a one-rule pack of `body`.
fn pack_on_two_cases(body: &str) -> (Vec<Vec<String>>, Vec<String>) {
    let at = |s: &str| DateTime::parse_from_rfc3339(&format!("{s}+08:00")).expect("time");
    let mut data = Dataset::new(vec!["bill.csv".into()]);
    for (n, amount) in [(1u64, "100.00"), (2, "30.00")] {
        let txn = format!("420000000000000000000000000{n}");
        let mut pay = RecordIn::new(n, Kind::Txn, "payment", "wechatpay", m(amount));
        pay.ids[3] = Some(&txn);
        pay.time = Some(at("2026-11-23T10:00:00"));
        data.push(0, &pay);
    }
    let settings = Settings::new(at("2026-11-26T10:00:00"), chrono_tz::Asia::Shanghai)
        .with_default_terms(["wechatpay"]);
    let outcome = qrecon_core::engine::assemble(&data, &settings);
    let printed = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = printed.clone();
    let text = format!(
        "{}\nfn check(c) {{\n{body}\n}}\n",
        HEADER.replace("when: { has: [txn, bank] }", "when: { has: [txn] }")
    );
    let pack = qrecon_rules::Pack::load(&[("rules/probe.rhai".to_owned(), text)], move |s| {
        log.lock().expect("log").push(s.to_owned());
    })
    .expect("compiles");
    let run = Arc::new(Run { data, settings });
    let _session = qrecon_rules::Pack::session(&run);
    let found = outcome
        .cases
        .iter()
        .map(|c| {
            let v = pack.diagnose(c, &mut qrecon_rules::Stats::default());
            assert!(v.failures.is_empty(), "{:?}", v.failures);
            v.findings.into_iter().map(|f| f.message).collect()
        })
        .collect();
    let printed = printed.lock().expect("log").clone();
    (found, printed)
}

#[test]
fn a_rule_that_reads_its_case_is_asked_for_every_case() {
    let (found, _) = pack_on_two_cases(
        r#"    if c.gross > amount("50.00") { [#{ code: "PROBE", message: "big {gross}", action: "-" }] } else { [] }"#,
    );
    assert_eq!(found, [vec!["big 100.00".to_owned()], vec![]]);
    // Reading nothing: the answer is the same for both, with each case's facts.
    let (found, _) =
        pack_on_two_cases(r#"    [#{ code: "PROBE", message: "{gross}", action: "-" }]"#);
    assert_eq!(found, [vec!["100.00".to_owned()], vec!["30.00".to_owned()]]);
    // A rule that prints is asked every time, so it prints once a case.
    let (_, printed) =
        pack_on_two_cases(r#"    print("seen"); [#{ code: "PROBE", message: "x", action: "-" }]"#);
    assert_eq!(printed.len(), 2, "{printed:?}");
}
