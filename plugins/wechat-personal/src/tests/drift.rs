//! Layout drift: an unknown column, an unknown transaction type or status, missing columns,
//! and bad rows. Each still parses, with a warning where the meaning is unsure.

use qrecon_adapter_sdk::Status;
use qrecon_adapter_sdk::schema::Outcome;

use super::kit::{self, CSV, HEADER, dec, quarantined};

const ROW: &str = "2026-11-24 12:41:07,扫二维码付款,晨光面馆,牛肉面,支出,¥38.00,零钱,已转账,4200002826202611249999999999\t,/,加辣";

#[test]
fn an_unknown_column_is_kept_and_warned_about() {
    let text = kit::csv(&[&format!("{ROW},午饭")])
        .replace(&format!("{HEADER}\n"), &format!("{HEADER},标签\n"));
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    let claim = parsed.record_at(18);
    assert_eq!(claim.extra_value("标签"), Some("午饭"));
    assert_eq!(claim.extra_value("备注"), Some("加辣"));
    assert!(kit::warned(&parsed, 17, &["unknown column 标签"]));
}

#[test]
fn unknown_types_and_statuses_are_warned_about_once() {
    let odd = ROW
        .replace("扫二维码付款", "新型付款")
        .replace("已转账", "神秘状态");
    let parsed = kit::parse(
        "a.csv",
        kit::csv(&[&odd, &odd.replace("12:41", "12:42")]).as_bytes(),
    );
    assert_eq!(parsed.records.len(), 2, "read by their 收/支");
    let claim = parsed.record_at(18);
    assert_eq!(
        (claim.status, claim.status_raw.as_deref()),
        (Status::Unknown, Some("神秘状态"))
    );
    let count = |needle: &str| {
        kit::warnings(&parsed)
            .iter()
            .filter(|(_, w)| w.contains(needle))
            .count()
    };
    assert_eq!(count("unknown 交易类型 新型付款"), 1);
    assert_eq!(count("unknown 当前状态 神秘状态"), 1);
}

#[test]
fn the_sample_s_unknown_type_is_warned_about() {
    let parsed = kit::parse("a.csv", CSV.as_bytes());
    assert!(kit::warned(
        &parsed,
        44,
        &["unknown 交易类型 deg-不认识的-txType"]
    ));
    assert_eq!(parsed.record_at(44).amount, dec("0.01"));
}

#[test]
fn optional_columns_missing() {
    let header = "交易时间,交易类型,交易对方,收/支,金额(元),当前状态,交易单号";
    let text = kit::csv(&[
        "2026-11-24 12:41:07,商户消费,晨光面馆,支出,38.00,支付成功,4200002826202611249999999999",
    ])
    .replace(&format!("{HEADER}\n"), &format!("{header}\n"));
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    let claim = parsed.record_at(18);
    assert_eq!(
        (claim.amount, claim.id("order_id"), claim.party("memo")),
        (dec("38.00"), None, None)
    );
    assert_eq!(claim.extra_value("交易类型"), Some("商户消费"));
    assert!(
        kit::warnings(&parsed).iter().all(|(l, _)| *l != 17),
        "nothing unsure"
    );
}

#[test]
fn without_a_transaction_number_column_ids_come_from_the_line() {
    let header = "交易时间,交易类型,交易对方,收/支,金额(元),当前状态";
    let text = kit::csv(&["2026-11-24 12:41:07,商户消费,晨光面馆,支出,38.00,支付成功"])
        .replace(&format!("{HEADER}\n"), &format!("{header}\n"));
    let parsed = kit::parse("dir/bill.csv", text.as_bytes());
    assert_eq!(
        parsed.record_at(18).id("claim_id"),
        Some("wechat-personal:bill.csv:18")
    );
    assert!(kit::warned(&parsed, 17, &["no 交易单号"]));
}

#[test]
fn bad_rows_are_quarantined_and_the_rest_parse() {
    let rows = [
        ROW.replace("¥38.00", "¥38.0.0"),
        ROW.replace("2026-11-24 12:41:07", "2026-11-31 12:41:07"),
        ROW.replace("支出", "转出"),
        ROW.replace("¥38.00", "-38.00"),
        ROW.replace(",加辣", ",\"加辣"),
        ROW.to_owned(),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let text = kit::csv(&rows);
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    assert_eq!(
        quarantined(&parsed),
        [
            (18, Some("金额(元)")),
            (19, Some("交易时间")),
            (20, Some("收/支")),
            (21, Some("金额(元)")),
            (22, None)
        ]
    );
    let issues = parsed.issues_of(Outcome::Quarantined);
    assert_eq!(
        issues[0].raw.as_deref(),
        Some(rows[0]),
        "the raw row is kept"
    );
    assert!(
        issues[4].reason.contains("not closed"),
        "{}",
        issues[4].reason
    );
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.record_at(23).amount, dec("38.00"));
}
