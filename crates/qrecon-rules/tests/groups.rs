//! Group views on hand-built payers: the Rust-computed spans rules read (bursts, runs just
//! under a limit, clusters), their boundaries, and a payer with tens of thousands of payments
//! through the default pack without a rule error.

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};
use qrecon_core::{Dataset, Kind, Money, RecordIn, Settings};
use qrecon_rules::Pack;
use qrecon_rules::pack::Alerts;
use qrecon_rules::view::Run;

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{s}+08:00")).expect("time")
}

fn m(s: &str) -> Money {
    s.parse().expect("money")
}

/// A rule of scope `scope` whose `check(g)` is `body`, as a one-rule pack.
fn pack(scope: &str, when: &str, body: &str) -> Pack {
    let text = format!(
        "//! id: probe\n//! title: Probe\n//! scope: {scope}\n//! priority: 1\n//! severity: info\n\
         //! codes: [PROBE]\n//! when: {when}\n//! ---\n//! ## What it checks\n//! x\n//!\n\
         //! ## Why it matters\n//! x\n//!\n//! ## Example\n//! x\n//!\n//! ## What to do\n//! x\n\n\
         fn check(g) {{\n{body}\n}}\n"
    );
    Pack::load(&[("probe.rhai".to_owned(), text)], |_| {}).expect("the probe compiles")
}

/// The repository's rule pack.
fn default_pack() -> Pack {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("rule"),
            )
        })
        .collect();
    files.sort();
    Pack::load(&files, |_| {}).expect("the pack compiles")
}

/// Payments of one payer: (seconds after 2026-11-23 09:00, amount).
fn payer_data(payer: &str, payments: &[(i64, &str)]) -> Dataset {
    let mut data = Dataset::new(vec!["bill.csv".into()]);
    let start = at("2026-11-23T09:00:00");
    for (n, (secs, amount)) in (1u64..).zip(payments) {
        let txn = format!("42000000000000000000{n:08}");
        let mut r = RecordIn::new(n, Kind::Txn, "payment", "wechatpay", m(amount));
        r.ids[0] = Some("1900000109");
        r.ids[3] = Some(&txn);
        r.time = Some(start + Duration::seconds(*secs));
        r.parties[3] = Some(payer);
        data.push(0, &r);
    }
    data
}

fn alerts(pack: &Pack, data: Dataset, settings: Settings) -> Alerts {
    let outcome = qrecon_core::engine::assemble(&data, &settings);
    let run = Arc::new(Run { data, settings });
    pack.alerts(&run, &outcome.groups, &outcome.cases)
}

fn settings() -> Settings {
    Settings::new(at("2026-11-26T10:00:00"), TZ).with_default_terms(["wechatpay"])
}

/// Each span a probe rule reports, as its message.
fn messages(a: &Alerts) -> Vec<String> {
    assert!(a.failures.is_empty(), "{:?}", a.failures);
    a.alerts.iter().map(|x| x.message.clone()).collect()
}

const SPANS: &str = r#"
    let out = [];
    for s in SPANS {
        out.push(#{ code: "PROBE", message: `${s.count} ${s.from} ${s.to} ${s.total} ${s.cases.len()} ${s.records.len()}`,
                    action: "-", window: #{ from: s.first.date, to: s.last.date }, cases: s.cases, evidence: s.records });
    }
    out"#;

fn probe(spans: &str) -> Pack {
    pack(
        "payer",
        "{ has: [several] }",
        &SPANS.replace("SPANS", spans),
    )
}

#[test]
fn bursts_are_maximal_and_never_overlap() {
    // Six payments in five minutes, a gap, then four more within a minute (too few).
    let data = payer_data(
        "oPAYER",
        &[
            (0, "1.00"),
            (60, "2.00"),
            (120, "3.00"),
            (180, "4.00"),
            (240, "5.00"),
            (300, "6.00"),
            (4000, "1.00"),
            (4010, "1.00"),
            (4020, "1.00"),
            (4030, "1.00"),
        ],
    );
    let found = messages(&alerts(&probe("g.bursts(5, 600)"), data, settings()));
    assert_eq!(
        found,
        ["6 2026-11-23T09:00:00+08:00 2026-11-23T09:05:00+08:00 21.00 6 6"]
    );
}

#[test]
fn a_burst_includes_a_payment_exactly_at_the_window_and_not_one_second_later() {
    let at_edge = payer_data("oPAYER", &[(0, "1.00"), (600, "1.00")]);
    let found = messages(&alerts(&probe("g.bursts(2, 600)"), at_edge, settings()));
    assert_eq!(found.len(), 1);
    let past = payer_data("oPAYER", &[(0, "1.00"), (601, "1.00")]);
    assert!(messages(&alerts(&probe("g.bursts(2, 600)"), past, settings())).is_empty());
    // Two bursts back to back: the second starts after the first ends.
    let two = payer_data(
        "oPAYER",
        &[(0, "1.00"), (10, "1.00"), (700, "1.00"), (710, "1.00")],
    );
    assert_eq!(
        messages(&alerts(&probe("g.bursts(2, 600)"), two, settings())).len(),
        2
    );
}

#[test]
fn near_limit_runs_need_two_payments_near_the_cap_that_together_exceed_it() {
    let mut s = settings();
    s.per_payment_limits.insert("wechatpay".into(), m("500.00"));
    let runs = "g.near_limit_runs(1800, 90)";
    // 480 + 470 within 11 minutes: a run; 100.00 in between is not near and is left out.
    let split = payer_data("oPAYER", &[(0, "480.00"), (300, "100.00"), (660, "470.00")]);
    assert_eq!(
        messages(&alerts(&probe(runs), split, s.clone())),
        ["2 2026-11-23T09:00:00+08:00 2026-11-23T09:11:00+08:00 950.00 2 2"]
    );
    // 449.99 is under 90% of 500.00; 500.01 is over the cap itself.
    let not_near = payer_data("oPAYER", &[(0, "449.99"), (60, "480.00"), (120, "500.01")]);
    assert!(messages(&alerts(&probe(runs), not_near, s.clone())).is_empty());
    // Without any limit there is nothing to stay under.
    let no_limit = payer_data("oPAYER", &[(0, "480.00"), (60, "470.00")]);
    assert!(messages(&alerts(&probe(runs), no_limit, settings())).is_empty());
}

#[test]
fn view_functions_refuse_nonsense_arguments_as_rule_errors() {
    let data = payer_data("oPAYER", &[(0, "1.00"), (1, "1.00")]);
    let a = alerts(&probe("g.bursts(0, 600)"), data, settings());
    assert_eq!(a.failures.len(), 1);
    assert!(
        a.failures[0]
            .message
            .contains("count must be a positive number"),
        "{}",
        a.failures[0].message
    );
}

#[test]
fn the_daily_limit_applies_only_to_a_static_code_or_a_configured_limit() {
    let pay = || payer_data("oPAYER", &[(0, "300.00"), (3600, "280.00")]);
    let breaches = |s: Settings| {
        alerts(&default_pack(), pay(), s)
            .alerts
            .iter()
            .filter(|a| a.code == "LIMIT_BREACH")
            .count()
    };
    assert_eq!(breaches(settings()), 0, "a dynamic code has no daily cap");
    let mut fixed = settings();
    fixed.providers.get_mut("wechatpay").expect("terms").qr_code =
        Some(qrecon_core::QrCode::Static);
    assert_eq!(
        breaches(fixed),
        1,
        "a static code is capped at 500.00 a day"
    );
    let mut configured = settings();
    configured
        .per_payer_day_limits
        .insert("wechatpay".into(), m("500.00"));
    assert_eq!(breaches(configured), 1);
}

#[test]
fn a_payer_with_tens_of_thousands_of_payments_runs_every_payer_rule() {
    // 30,000 payments of 490.00 one a minute around the clock: bursts, runs under the
    // 500.00 static-code cap and a limit breach every day.
    let payments: Vec<(i64, &str)> = (0..30_000).map(|i| (i * 60, "490.00")).collect();
    let data = payer_data("oREGULAR", &payments);
    let mut s = settings();
    s.providers.get_mut("wechatpay").expect("terms").qr_code = Some(qrecon_core::QrCode::Static);
    let a = alerts(&default_pack(), data, s);
    assert!(a.failures.is_empty(), "{:?}", a.failures);
    let count = |code: &str| a.alerts.iter().filter(|x| x.code == code).count();
    assert_eq!(count("VELOCITY"), 1, "one alert, naming the other bursts");
    let v = a
        .alerts
        .iter()
        .find(|x| x.code == "VELOCITY")
        .expect("velocity");
    assert!(v.message.contains("more such burst(s)"), "{}", v.message);
    // 30,000 minutes from Monday 09:00 reach into a 22nd local day (05:00 on 14 December).
    assert_eq!(count("LIMIT_BREACH"), 22);
    // Runs of 31 payments (30 minutes from the first), one alert per day naming them all.
    assert_eq!(count("SPLIT_UNDER_LIMIT"), 22);
    let split = a
        .alerts
        .iter()
        .find(|x| x.code == "SPLIT_UNDER_LIMIT")
        .expect("split");
    assert!(split.message.contains("930 payments"), "{}", split.message);
    assert!(split.message.contains("in 30 runs"), "{}", split.message);
}
