//! Layout drift: the header moved, an unknown column, an unknown status, missing columns,
//! and bad rows. Each still parses, with a warning where the meaning is unsure.

use qrecon_adapter_sdk::Status;
use qrecon_adapter_sdk::schema::Outcome;

use super::kit::{self, V2023, dec, gbk, utf8};
use super::refunds::{HEADER, v2023};

const ROW: &str = "2026-11-24 12:41:07,餐饮美食,晨光面馆,chen***@163.com,牛肉面,支出,38.00,余额,交易成功,2026112422001401231234567890\t,M20261124001\t,加辣,";

#[test]
fn the_header_moved_down_a_line() {
    let text = utf8(V2023);
    let moved = text.replacen("特别提示：\n", "特别提示：\n0.新增的一条提示；\n", 1);
    let before = kit::parse("a.csv", V2023);
    let after = kit::parse("a.csv", &gbk(&moved));
    after.assert_every_line_once(moved.as_bytes());
    assert_eq!(after.records.len(), before.records.len());
    for (a, b) in after.records.iter().zip(&before.records) {
        assert_eq!(a.line, b.line + 1);
        assert_eq!((a.amount, a.id("txn_id")), (b.amount, b.id("txn_id")));
    }
}

#[test]
fn an_unknown_column_is_kept_and_warned_about() {
    let header = HEADER.replace("备注,", "备注,标签,");
    let row = ROW.replace("加辣,", "加辣,午饭,");
    let text = v2023(&[]).replace(HEADER, &header) + &row + "\n";
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    let claim = parsed.record_at(6);
    assert_eq!(claim.extra_value("标签"), Some("午饭"));
    assert_eq!(claim.extra_value("备注"), Some("加辣"));
    assert!(kit::warned(&parsed, 5, &["unknown column 标签"]));
}

#[test]
fn an_unknown_status_is_kept_raw_and_warned_about() {
    let row = ROW.replace("交易成功", "神秘状态");
    let text = v2023(&[&row, &row.replace("38.00", "1.00")]);
    let parsed = kit::parse("a.csv", text.as_bytes());
    let claim = parsed.record_at(6);
    assert_eq!(
        (claim.status, claim.status_raw.as_deref()),
        (Status::Unknown, Some("神秘状态"))
    );
    let unknown: Vec<_> = kit::warnings(&parsed)
        .into_iter()
        .filter(|(_, w)| w.contains("unknown 交易状态 神秘状态"))
        .collect();
    assert_eq!(unknown.len(), 1, "once per file: {unknown:?}");
}

#[test]
fn columns_in_another_order_and_optional_ones_missing() {
    let header = "交易订单号,交易时间,交易对方,收/支,金额,交易状态,";
    let text = v2023(&[]).replace(HEADER, header)
        + "2026112422001401231234567890\t,2026-11-24 12:41:07,晨光面馆,支出,38.00,交易成功,\n";
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    let claim = parsed.record_at(6);
    assert_eq!(claim.amount, dec("38.00"));
    assert_eq!(claim.id("order_id"), None);
    assert_eq!(claim.party("memo"), None);
    assert_eq!(claim.party("payee_name"), Some("晨光面馆"));
    assert_eq!(
        kit::warnings(&parsed),
        [],
        "nothing the records say is unsure"
    );
}

#[test]
fn without_a_transaction_number_column_ids_come_from_the_line() {
    let header = "交易时间,交易对方,收/支,金额,交易状态,";
    let text =
        v2023(&[]).replace(HEADER, header) + "2026-11-24 12:41:07,晨光面馆,支出,38.00,交易成功,\n";
    let parsed = kit::parse("exports/bill.csv", text.as_bytes());
    assert_eq!(
        parsed.record_at(6).id("claim_id"),
        Some("alipay-personal:bill.csv:6")
    );
    assert_eq!(parsed.record_at(6).id("txn_id"), None);
    assert!(kit::warned(&parsed, 5, &["no 交易订单号"]));
}

#[test]
fn bad_rows_are_quarantined_and_the_rest_parse() {
    let rows = [
        ROW.replace("38.00", "38.0.0"),
        ROW.replace("2026-11-24 12:41:07", "2026-13-24 12:41:07"),
        ROW.replace("加辣,", "加辣,多出来,"),
        ROW.replace("支出", "转出"),
        ROW.replace("38.00", "-38.00"),
        ROW.to_owned(),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let text = v2023(&rows);
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    let quarantined: Vec<(u64, Option<&str>)> = parsed
        .issues_of(Outcome::Quarantined)
        .iter()
        .map(|i| (i.line, i.field.as_deref()))
        .collect();
    assert_eq!(
        quarantined,
        [
            (6, Some("金额")),
            (7, Some("交易时间")),
            (8, None),
            (9, Some("收/支")),
            (10, Some("金额"))
        ]
    );
    let reasons: Vec<&str> = parsed
        .issues_of(Outcome::Quarantined)
        .iter()
        .map(|i| i.reason.as_str())
        .collect();
    assert!(
        reasons[2].contains("expected 12 cells as in the header (line 5), found 13"),
        "{}",
        reasons[2]
    );
    assert!(
        reasons[3].contains("支出, 收入, 不计收支 or 其他"),
        "{}",
        reasons[3]
    );
    assert!(reasons[4].contains("unsigned"), "{}", reasons[4]);
    let raw = parsed.issues_of(Outcome::Quarantined)[0].raw.clone();
    assert_eq!(raw.as_deref(), Some(rows[0]), "the raw row is kept");
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.record_at(11).amount, dec("38.00"));
}
