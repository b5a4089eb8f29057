//! The engine and the default rule pack on small hand-built datasets: each linking rule and
//! its refusals, and the status the pack gives the case.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, FixedOffset, NaiveDate};
use qrecon_core::{Case, Dataset, Finding, Kind, Money, Payee, RecordIn, Settings, Status};
use qrecon_rules::Pack;
use qrecon_rules::view::Run;

/// The repository's rule pack.
static PACK: LazyLock<Pack> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read rule");
            (p.display().to_string(), text)
        })
        .collect();
    files.sort();
    Pack::load(&files, |_| {}).unwrap_or_else(|e| panic!("the pack compiles: {e:?}"))
});

/// A run's cases with the findings the pack gave each.
struct Out {
    cases: Vec<Case>,
    found: Vec<Vec<Finding>>,
    groups: qrecon_core::groups::Groups,
}

/// A case and its findings.
struct Diagnosed<'a> {
    case: &'a Case,
    findings: &'a [Finding],
}

impl Diagnosed<'_> {
    /// The primary code.
    fn status(&self) -> &'static str {
        self.findings.first().map_or("UNDIAGNOSED", |f| f.code)
    }
}

impl std::ops::Deref for Diagnosed<'_> {
    type Target = Case;
    fn deref(&self) -> &Case {
        self.case
    }
}

/// Links `data` and diagnoses every case with the default pack.
fn reconcile(data: Dataset, settings: Settings) -> (Arc<Run>, Out) {
    let outcome = qrecon_core::engine::assemble(&data, &settings);
    let run = Arc::new(Run { data, settings });
    let _session = Pack::session(&run);
    let found = outcome
        .cases
        .iter()
        .map(|case| {
            let verdict = PACK.diagnose(case, &mut qrecon_rules::Stats::default());
            assert!(verdict.failures.is_empty(), "{:?}", verdict.failures);
            verdict.findings
        })
        .collect();
    let out = Out {
        cases: outcome.cases,
        found,
        groups: outcome.groups,
    };
    (run, out)
}

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{s}+08:00")).expect("time")
}

fn m(s: &str) -> Money {
    s.parse().expect("money")
}

fn settings(as_of: &str) -> Settings {
    let mut s = Settings::new(at(as_of), TZ).with_default_terms(["wechatpay"]);
    s.payees.insert(
        "wechatpay".into(),
        Payee {
            ids: vec!["1900000109".into()],
            names: vec!["晨光面馆".into()],
        },
    );
    s
}

struct B(Dataset, u64);

impl B {
    fn new() -> Self {
        B(
            Dataset::new(vec![
                "bill.csv".into(),
                "fund.csv".into(),
                "bank.csv".into(),
                "claims.csv".into(),
            ]),
            0,
        )
    }

    fn add(&mut self, file: u32, r: RecordIn<'_>) -> &mut Self {
        self.1 += 1;
        let mut r = r;
        r.line = self.1;
        self.0.push(file, &r);
        self
    }

    fn pay(&mut self, txn: &str, time: &str, amount: &str, fee: &str) -> &mut Self {
        let mut r = RecordIn::new(0, Kind::Txn, "payment", "wechatpay", m(amount));
        r.ids[0] = Some("1900000109");
        r.ids[2] = Some(&txn[txn.len() - 6..]);
        r.ids[3] = Some(txn);
        r.time = Some(at(time));
        r.fee = Some(m(fee));
        self.add(0, r)
    }

    fn fund(
        &mut self,
        rtype: &str,
        time: &str,
        amount: &str,
        txn: Option<&str>,
        payout: Option<&str>,
    ) -> &mut Self {
        let mut r = RecordIn::new(0, Kind::Fund, rtype, "wechatpay", m(amount));
        r.ids[3] = txn;
        r.ids[5] = payout;
        r.time = Some(at(time));
        self.add(1, r)
    }

    /// Two payments on Monday 23 November (100.00 and 50.00) and their settled income on the
    /// 24th (99.40 and 49.70 after fees).
    fn two_paid_and_settled(&mut self) -> &mut Self {
        self.pay(
            "4200000000000000000000000001",
            "2026-11-23T10:00:00",
            "100.00",
            "0.60",
        )
        .pay(
            "4200000000000000000000000002",
            "2026-11-23T11:00:00",
            "50.00",
            "0.30",
        )
        .fund(
            "income",
            "2026-11-24T09:00:00",
            "99.40",
            Some("4200000000000000000000000001"),
            None,
        )
        .fund(
            "income",
            "2026-11-24T09:00:01",
            "49.70",
            Some("4200000000000000000000000002"),
            None,
        )
    }

    fn credit(&mut self, date: &str, amount: &str, memo: &str) -> &mut Self {
        let mut r = RecordIn::new(0, Kind::Bank, "credit", "bank", m(amount));
        r.value_date = Some(date.parse::<NaiveDate>().expect("date"));
        r.parties[4] = Some("财付通支付科技有限公司");
        r.parties[5] = Some(memo);
        self.add(2, r)
    }

    fn credit_on(&mut self, date: &str, amount: &str, memo: &str, account: &str) -> &mut Self {
        let mut r = RecordIn::new(0, Kind::Bank, "credit", "bank", m(amount));
        r.ids[0] = Some(account);
        r.value_date = Some(date.parse::<NaiveDate>().expect("date"));
        r.parties[4] = Some("财付通支付科技有限公司");
        r.parties[5] = Some(memo);
        self.add(2, r)
    }

    fn claim(
        &mut self,
        id: &str,
        time: &str,
        amount: &str,
        txn: Option<&str>,
        payee: &str,
    ) -> &mut Self {
        let mut r = RecordIn::new(0, Kind::Claim, "complaint", "wechatpay", m(amount));
        r.ids[1] = Some(id);
        r.ids[3] = txn;
        r.time = Some(at(time));
        r.parties[1] = Some(payee);
        self.add(3, r)
    }
}

fn case<'c>(data: &Dataset, out: &'c Out, id: &str) -> Diagnosed<'c> {
    let i = out
        .cases
        .iter()
        .position(|c| c.id(data) == id)
        .unwrap_or_else(|| panic!("no case {id}"));
    Diagnosed {
        case: &out.cases[i],
        findings: &out.found[i],
    }
}

#[test]
fn the_whole_chain_by_fifo_and_reference() {
    let mut b = B::new();
    b.two_paid_and_settled()
        .fund(
            "withdrawal",
            "2026-11-24T13:00:00",
            "-149.10",
            None,
            Some("WD0001"),
        )
        .credit("2026-11-25", "149.10", "财付通提现 WD0001");
    let (run, out) = reconcile(b.0, settings("2026-11-26T10:00:00"));
    let c = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000001",
    );
    assert_eq!(c.status(), "ARRIVED");
    assert_eq!(c.facts.net, m("99.40"));
    assert_eq!(c.facts.paid_out, m("99.40"));
    assert_eq!(
        c.facts.expected_payout,
        Some("2026-11-24".parse().expect("date"))
    );
    let methods: Vec<&str> = c
        .links(&run.data)
        .iter()
        .map(|l| l.method.as_str())
        .collect();
    assert_eq!(
        methods,
        ["id", "fifo", "id"],
        "txn→fund by id, fund→payout fifo, payout→bank by reference"
    );
}

#[test]
fn refund_debits_net_into_the_next_payout_and_returns_put_lots_back() {
    let mut b = B::new();
    b.two_paid_and_settled()
        .fund("fee", "2026-11-24T10:00:00", "-9.10", None, None)
        .fund(
            "withdrawal",
            "2026-11-24T13:00:00",
            "-140.00",
            None,
            Some("WD0001"),
        )
        .fund(
            "withdrawal_return",
            "2026-11-24T16:00:00",
            "140.00",
            None,
            Some("WD0001"),
        );
    let (run, out) = reconcile(b.0, settings("2026-11-26T10:00:00"));
    for txn in [
        "4200000000000000000000000001",
        "4200000000000000000000000002",
    ] {
        let c = case(&run.data, &out, &format!("txn:wechatpay:{txn}"));
        assert_eq!(
            c.payouts.len(),
            1,
            "both carried by the one payout despite the fee"
        );
        assert_eq!(c.status(), "PAYOUT_RETURNED");
    }
}

#[test]
fn a_freeze_holds_the_money_it_takes() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-23T10:00:00",
        "100.00",
        "0.60",
    )
    .fund(
        "income",
        "2026-11-24T09:00:00",
        "99.40",
        Some("4200000000000000000000000001"),
        None,
    )
    .fund("freeze", "2026-11-24T12:00:00", "-99.40", None, None);
    let (run, out) = reconcile(b.0, settings("2026-11-26T10:00:00"));
    let c = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000001",
    );
    assert_eq!(c.status(), "FUNDS_FROZEN");
    assert_eq!(c.facts.frozen, m("99.40"));
}

#[test]
fn two_equal_bank_credits_are_never_guessed_between() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-23T10:00:00",
        "100.00",
        "0.60",
    )
    .fund(
        "income",
        "2026-11-24T09:00:00",
        "99.40",
        Some("4200000000000000000000000001"),
        None,
    )
    .fund(
        "withdrawal",
        "2026-11-24T13:00:00",
        "-99.40",
        None,
        Some("WD0001"),
    )
    .credit("2026-11-25", "99.40", "财付通提现")
    .credit("2026-11-25", "99.40", "财付通提现");
    let (run, out) = reconcile(b.0, settings("2026-11-27T10:00:00"));
    let c = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000001",
    );
    assert_eq!(c.status(), "AMBIGUOUS_MATCH");
    assert_eq!(c.bank_ambiguous().len(), 2);
    assert!(c.bank.is_empty());
}

/// An aggregator's sub-merchants pay out equal amounts the same day: with each account's
/// settlement account configured, a credit on another account's statement is not a candidate.
#[test]
fn a_payout_is_matched_only_on_its_accounts_statement_when_the_config_says_which() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-23T10:00:00",
        "100.00",
        "0.60",
    )
    .fund(
        "income",
        "2026-11-24T09:00:00",
        "99.40",
        Some("4200000000000000000000000001"),
        None,
    )
    .fund(
        "withdrawal",
        "2026-11-24T13:00:00",
        "-99.40",
        None,
        Some("WD0001"),
    )
    .credit_on("2026-11-25", "99.40", "财付通提现", "6222****0001")
    .credit_on("2026-11-25", "99.40", "财付通提现", "6222****0002");
    let mut s = settings("2026-11-27T10:00:00");
    s.settlement_accounts
        .insert("1900000109".into(), "6222020200000000002".into());
    let (run, out) = reconcile(b.0, s);
    let c = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000001",
    );
    assert_eq!(c.status(), "ARRIVED");
    let bank = run.data.get(c.bank[0].bank);
    assert_eq!(run.data.str(bank.account), Some("6222****0002"));
}

#[test]
fn a_credit_without_the_providers_name_or_reference_is_not_a_payout() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-23T10:00:00",
        "100.00",
        "0.60",
    )
    .fund(
        "income",
        "2026-11-24T09:00:00",
        "99.40",
        Some("4200000000000000000000000001"),
        None,
    )
    .fund(
        "withdrawal",
        "2026-11-24T13:00:00",
        "-99.40",
        None,
        Some("WD0001"),
    );
    let mut r = RecordIn::new(0, Kind::Bank, "credit", "bank", m("99.40"));
    r.value_date = Some("2026-11-25".parse().expect("date"));
    r.parties[4] = Some("张三");
    b.add(2, r);
    let (run, out) = reconcile(b.0, settings("2026-11-27T10:00:00"));
    assert_eq!(
        case(
            &run.data,
            &out,
            "txn:wechatpay:4200000000000000000000000001"
        )
        .status(),
        "BANK_DELAYED"
    );
}

#[test]
fn without_a_ledger_the_days_net_settles_by_cycle() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-23T10:00:00",
        "100.00",
        "0.60",
    )
    .pay(
        "4200000000000000000000000002",
        "2026-11-23T11:00:00",
        "50.00",
        "0.30",
    )
    .credit("2026-11-25", "149.10", "财付通 结算");
    let (run, out) = reconcile(b.0, settings("2026-11-26T10:00:00"));
    for txn in [
        "4200000000000000000000000001",
        "4200000000000000000000000002",
    ] {
        let c = case(&run.data, &out, &format!("txn:wechatpay:{txn}"));
        assert_eq!(c.status(), "ARRIVED");
        assert_eq!(
            c.links(&run.data).last().map(|l| l.method.as_str()),
            Some("cycle")
        );
    }
}

#[test]
fn claims_link_by_window_to_the_closest_and_never_guess_a_tie() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-25T10:00:00",
        "36.00",
        "0.22",
    )
    .pay(
        "4200000000000000000000000002",
        "2026-11-25T10:04:00",
        "36.00",
        "0.22",
    )
    .pay(
        "4200000000000000000000000003",
        "2026-11-25T12:00:00",
        "20.00",
        "0.12",
    )
    .pay(
        "4200000000000000000000000004",
        "2026-11-25T12:04:00",
        "20.00",
        "0.12",
    )
    .claim("C1", "2026-11-25T10:01:00", "36.00", None, "晨光面馆")
    .claim("C2", "2026-11-25T12:02:00", "20.00", None, "晨光面馆")
    .claim("C3", "2026-11-25T10:01:00", "36.00", None, "老王烧烤")
    .claim(
        "C4",
        "2026-11-25T10:01:00",
        "36.00",
        Some("4200000000000000000000009999"),
        "晨光面馆",
    )
    .claim(
        "C5",
        "2026-11-25T15:00:00",
        "36.00",
        Some("4200000000000000000000000002"),
        "晨光面馆",
    )
    .claim(
        "C6",
        "2026-11-25T16:00:00",
        "36.00",
        Some("4200000000000000000000000002"),
        "晨光面馆",
    );
    let (run, out) = reconcile(b.0, settings("2026-11-25T18:00:00"));
    let c1 = case(&run.data, &out, "claim:C1");
    assert_eq!(c1.links(&run.data)[0].method.as_str(), "window");
    assert_eq!(c1.status(), "SETTLEMENT_PENDING");
    assert_eq!(
        case(&run.data, &out, "claim:C2").status(),
        "AMBIGUOUS_MATCH",
        "two payments two minutes away"
    );
    assert_eq!(
        case(&run.data, &out, "claim:C3").status(),
        "PAID_TO_OTHER_PAYEE"
    );
    assert_eq!(
        case(&run.data, &out, "claim:C4").status(),
        "NOT_FOUND_ON_PLATFORM",
        "a cited id that does not exist is not papered over"
    );
    assert_eq!(
        case(&run.data, &out, "claim:C5").status(),
        "SETTLEMENT_PENDING"
    );
    assert_eq!(
        case(&run.data, &out, "claim:C6").status(),
        "DUPLICATE_CLAIM"
    );
    assert!(
        out.cases
            .iter()
            .all(|c| c.id(&run.data) != "txn:wechatpay:4200000000000000000000000002"),
        "consumed by C5"
    );
    assert!(
        out.cases
            .iter()
            .any(|c| c.id(&run.data) == "txn:wechatpay:4200000000000000000000000003"),
        "tied payments stay unclaimed"
    );
}

#[test]
fn a_failed_payment_and_a_full_refund() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-25T10:00:00",
        "36.00",
        "0.22",
    );
    let mut r = RecordIn::new(0, Kind::Txn, "payment", "wechatpay", m("10.00"));
    r.ids[3] = Some("4200000000000000000000000002");
    r.status = Status::Revoked;
    r.status_raw = Some("REVOKED");
    r.time = Some(at("2026-11-25T11:00:00"));
    b.add(0, r);
    let mut refund = RecordIn::new(0, Kind::Txn, "refund", "wechatpay", m("-36.00"));
    refund.ids[3] = Some("4200000000000000000000000001");
    refund.ids[4] = Some("5030000001");
    refund.fee = Some(m("-0.22"));
    refund.time = Some(at("2026-11-25T12:00:00"));
    b.add(0, refund);
    let (run, out) = reconcile(b.0, settings("2026-11-25T18:00:00"));
    let refunded = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000001",
    );
    assert_eq!(refunded.status(), "REFUNDED");
    assert_eq!(refunded.facts.net, m("0"));
    assert_eq!(
        case(
            &run.data,
            &out,
            "txn:wechatpay:4200000000000000000000000002"
        )
        .status(),
        "PAYMENT_FAILED"
    );
}

#[test]
fn payouts_that_shrink_while_sales_go_on_mean_frozen_funds() {
    let mut b = B::new();
    let days = [
        ("2026-11-16", "2026-11-17"),
        ("2026-11-17", "2026-11-18"),
        ("2026-11-18", "2026-11-19"),
    ];
    for (i, (paid, settled)) in days.iter().enumerate() {
        let txn = format!("420000000000000000000000000{i}");
        b.pay(&txn, &format!("{paid}T10:00:00"), "100.00", "0.60")
            .fund(
                "income",
                &format!("{settled}T09:00:00"),
                "99.40",
                Some(&txn),
                None,
            )
            .fund(
                "withdrawal",
                &format!("{settled}T13:00:00"),
                "-10.00",
                None,
                Some(&format!("WD{i}")),
            );
    }
    let (run, out) = reconcile(b.0, settings("2026-11-20T10:00:00"));
    let series = out.groups.accounts.values().next().expect("one account");
    assert_eq!(series.shrunk_due_dates.len(), 3);
    assert!(series.payouts_stopped());
    let c = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000002",
    );
    assert!(c.facts.payouts_stopped);
}

#[test]
fn days_overdue_count_business_days_past_the_missing_link() {
    let mut b = B::new();
    b.pay(
        "4200000000000000000000000001",
        "2026-11-20T10:00:00",
        "100.00",
        "0.60",
    );
    // Paid Friday; T+1 is Monday 23rd; as of Thursday 26th that is 3 business days ago.
    let (run, out) = reconcile(b.0, settings("2026-11-26T10:00:00"));
    let c = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000001",
    );
    assert_eq!(c.status(), "SETTLEMENT_OVERDUE");
    assert_eq!(c.facts.days_overdue, 3);
    assert!(
        c.findings[0].message.contains("3 business day(s) ago"),
        "{}",
        c.findings[0].message
    );
}

/// `arrived` reads nothing of its case (its message names facts, its evidence is the chain),
/// so the pack asks it once and gives the next cases the same finding with their own facts
/// and records filled in.
#[test]
fn a_rule_that_reads_nothing_still_speaks_of_each_case() {
    let mut b = B::new();
    b.two_paid_and_settled()
        .fund(
            "withdrawal",
            "2026-11-24T13:00:00",
            "-149.10",
            None,
            Some("WD0001"),
        )
        .credit("2026-11-25", "149.10", "财付通提现 WD0001");
    let (run, out) = reconcile(b.0, settings("2026-11-26T10:00:00"));
    let first = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000001",
    );
    let second = case(
        &run.data,
        &out,
        "txn:wechatpay:4200000000000000000000000002",
    );
    assert_eq!((first.status(), second.status()), ("ARRIVED", "ARRIVED"));
    assert_eq!(
        first.findings[0].message,
        "reached the merchant's bank on 2026-11-25: net 99.40 after 0.60 fees"
    );
    assert_eq!(
        second.findings[0].message,
        "reached the merchant's bank on 2026-11-25: net 49.70 after 0.30 fees"
    );
    let lines =
        |d: &Diagnosed| -> Vec<u32> { d.findings[0].evidence.iter().map(|s| s.line).collect() };
    assert_eq!(
        lines(&first),
        [1, 3, 5, 6],
        "payment, income, withdrawal, credit"
    );
    assert_eq!(lines(&second), [2, 4, 5, 6]);
}

/// A rule file of the pack's format that gives `code` for the cases `when` admits.
fn rule_file(id: &str, code: &str, when: &str) -> (String, String) {
    let text = format!(
        "//! id: {id}\n//! title: {id}\n//! scope: case\n//! priority: 100\n//! severity: info\n\
         //! codes: [{code}]\n//! when: {when}\n//! ---\n//! ## What it checks\n//! Test.\n//!\n\
         //! ## Why it matters\n//! Test.\n//!\n//! ## Example\n//! Test.\n//!\n\
         //! ## What to do\n//! Test.\n\nfn check(c) {{\n    [#{{ code: \"{code}\", message: \"m\", \
         action: \"a\", evidence: [c.txn] }}]\n}}\n"
    );
    (format!("rules/{id}.rhai"), text)
}

#[test]
fn rules_for_one_provider_are_called_for_its_cases_only_whatever_came_before() {
    let files = vec![
        rule_file("any", "ANY", "{ has: [txn] }"),
        rule_file(
            "alipay-only",
            "ALIPAY_ONLY",
            "{ has: [txn], providers: [alipay] }",
        ),
    ];
    let pack = Pack::load(&files, |_| {}).unwrap_or_else(|e| panic!("compiles: {e:?}"));
    let mut b = B::new();
    // The same marks and status, providers alternating: which rules fit is remembered per
    // kind of case, and the provider is part of the kind.
    for (i, provider) in ["wechatpay", "alipay", "wechatpay", "alipay"]
        .iter()
        .enumerate()
    {
        let mut r = RecordIn::new(0, Kind::Txn, "payment", provider, m("10.00"));
        let txn = format!("T{i}");
        r.ids[3] = Some(&txn);
        r.time = Some(at("2026-11-23T10:00:00"));
        b.add(0, r);
    }
    let mut s = settings("2026-11-26T10:00:00").with_default_terms(["alipay"]);
    s.payees.insert("alipay".into(), Payee::default());
    let outcome = qrecon_core::engine::assemble(&b.0, &s);
    let run = Arc::new(Run {
        data: b.0,
        settings: s,
    });
    let _session = Pack::session(&run);
    let mut codes: Vec<(String, Vec<&str>)> = outcome
        .cases
        .iter()
        .map(|case| {
            let verdict = pack.diagnose(case, &mut qrecon_rules::Stats::default());
            assert!(verdict.failures.is_empty(), "{:?}", verdict.failures);
            let mut codes: Vec<&str> = verdict.findings.iter().map(|f| f.code).collect();
            codes.sort_unstable();
            (case.id(&run.data), codes)
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("txn:alipay:T1".to_owned(), vec!["ALIPAY_ONLY", "ANY"]),
            ("txn:alipay:T3".to_owned(), vec!["ALIPAY_ONLY", "ANY"]),
            ("txn:wechatpay:T0".to_owned(), vec!["ANY"]),
            ("txn:wechatpay:T2".to_owned(), vec!["ANY"]),
        ]
    );
}
