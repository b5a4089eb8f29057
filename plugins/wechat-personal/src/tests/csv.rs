//! The CSV layout: the header on row 17 or 18, `￥` and `¥`, encodings, and the unquoted
//! commas in counterparty and product names.

use qrecon_adapter_sdk::schema::Outcome;

use super::kit::{self, CSV, dec, quarantined};

#[test]
fn the_header_on_row_18_reads_like_row_17() {
    let note = "4. 本账单中所有时间均为UTC+08:00时间,,,,,,,,,,\n";
    let moved = CSV.replacen(
        "3. 本明细仅供个人对账使用,,,,,,,,,,\n",
        &format!("3. 本明细仅供个人对账使用,,,,,,,,,,\n{note}"),
        1,
    );
    assert_ne!(moved, CSV);
    let row17 = kit::parse("a.csv", CSV.as_bytes());
    let row18 = kit::parse("a.csv", moved.as_bytes());
    row18.assert_every_line_once(moved.as_bytes());
    assert_eq!(kit::skip_reason(&row18, 18), "header");
    assert_eq!(kit::skip_reason(&row18, 15), "preamble");
    assert_eq!(row18.records.len(), row17.records.len());
    for (a, b) in row18.records.iter().zip(&row17.records) {
        assert_eq!(a.line, b.line + 1);
        assert_eq!(
            (a.amount, a.id("txn_id"), a.time),
            (b.amount, b.id("txn_id"), b.time)
        );
    }
}

#[test]
fn fullwidth_and_halfwidth_yen_signs_read_alike() {
    let fullwidth = CSV.replace('¥', "￥");
    assert!(fullwidth.contains("￥28.16"));
    let yen = kit::parse("a.csv", CSV.as_bytes());
    let other = kit::parse("a.csv", fullwidth.as_bytes());
    assert_eq!(other.records.len(), yen.records.len());
    for (a, b) in other.records.iter().zip(&yen.records) {
        assert_eq!((a.line, a.amount), (b.line, b.amount));
    }
    assert_eq!(other.record_at(18).amount, dec("28.16"));
}

#[test]
fn a_bom_crlf_and_gb18030_read_alike() {
    let utf8 = kit::parse("a.csv", CSV.as_bytes());
    let (gb18030, _, unmappable) = encoding_rs::GB18030.encode(CSV);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gb18030).is_err(), "really not UTF-8");
    for bytes in [
        format!("\u{feff}{CSV}").into_bytes(),
        CSV.replace('\n', "\r\n").into_bytes(),
        gb18030.into_owned(),
    ] {
        let other = kit::parse("a.csv", &bytes);
        assert_eq!(other.records, utf8.records);
        assert_eq!(other.issues, utf8.issues);
    }
}

const WALMART: &str = "2021-01-01 10:00:00,商户消费,WALMART HONG KONG CO.,LIMITED,/,支出,¥10.00,零钱,支付成功,4200000001202101010000000001\t,/,/";

#[test]
fn a_comma_in_the_counterparty_is_joined_back() {
    let text = kit::csv(&[WALMART]);
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    let claim = parsed.record_at(18);
    assert_eq!(
        claim.party("payee_name"),
        Some("WALMART HONG KONG CO.,LIMITED")
    );
    assert_eq!(claim.party("memo"), None);
    assert_eq!(claim.amount, dec("10.00"));
    assert_eq!(claim.id("txn_id"), Some("4200000001202101010000000001"));
    assert!(kit::warned(
        &parsed,
        18,
        &["1 more cell(s)", "joined back into 交易对方"]
    ));
    assert!(
        !kit::warned(&parsed, 18, &["could have held"]),
        "a lone / is 商品"
    );
}

#[test]
fn a_comma_in_the_product_is_joined_back() {
    let row = "2021-01-02 10:00:00,商户消费,/,套餐A,加饮料,支出,¥20.00,零钱,支付成功,4200000001202101020000000001\t,/,/";
    let parsed = kit::parse("a.csv", kit::csv(&[row]).as_bytes());
    let claim = parsed.record_at(18);
    assert_eq!(claim.party("memo"), Some("套餐A,加饮料"));
    assert_eq!(claim.party("payee_name"), None);
    assert!(kit::warned(&parsed, 18, &["joined back into 商品"]));
}

#[test]
fn an_ambiguous_join_goes_to_the_counterparty_and_says_so() {
    let row = "2021-01-02 10:00:00,商户消费,美团,套餐A,加饮料,支出,¥20.00,零钱,支付成功,4200000001202101020000000001\t,/,/";
    let parsed = kit::parse("a.csv", kit::csv(&[row]).as_bytes());
    let claim = parsed.record_at(18);
    assert_eq!(claim.party("payee_name"), Some("美团,套餐A"));
    assert_eq!(claim.party("memo"), Some("加饮料"));
    assert!(kit::warned(
        &parsed,
        18,
        &[
            "joined back into 交易对方",
            "another column could have held them too"
        ]
    ));
}

#[test]
fn extra_cells_that_cannot_be_placed_are_quarantined() {
    let rows = [
        // A comma inside the amount: no way of joining makes the ids read.
        "2021-01-03 10:00:00,商户消费,美团,外卖,支出,¥1,000.00,零钱,支付成功,4200000001202101030000000001\t,/,/",
        // A comma in 支付方式 is not a text column's.
        "2021-01-03 11:00:00,商户消费,美团,外卖,支出,¥10.00,招商银行,信用卡,支付成功,4200000001202101030000000002\t,/,/",
        // Too few cells.
        "2021-01-03 12:00:00,商户消费,美团,外卖,支出,¥10.00",
        WALMART,
    ];
    let text = kit::csv(&rows);
    let parsed = kit::parse("a.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    assert_eq!(quarantined(&parsed), [(18, None), (19, None), (20, None)]);
    let reasons: Vec<&str> = parsed
        .issues_of(Outcome::Quarantined)
        .iter()
        .map(|i| i.reason.as_str())
        .collect();
    assert!(
        reasons[0].contains("expected 11 cells as in the header (line 17), found 12; joining"),
        "{}",
        reasons[0]
    );
    assert!(reasons[2].contains("found 6"), "{}", reasons[2]);
    assert_eq!(parsed.records.len(), 1);
}
