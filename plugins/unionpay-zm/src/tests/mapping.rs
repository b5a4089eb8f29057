//! Every record of the samples against the data `samples.rs` builds them from.

use qrecon_adapter_sdk::{Kind, Status};

use super::builder::Shape;
use super::samples::{self, A, B, C, MER, MER_B};
use super::{dec, parse, skipped, time, warnings};

#[test]
fn a_payment_and_its_partial_refund_are_linked_by_orig_qry_id() {
    let parsed = parse(A, &samples::a());
    let pay = parsed.record_at(1);
    assert_eq!(
        (pay.kind, pay.record_type.as_str(), pay.provider.as_str()),
        (Kind::Txn, "payment", "unionpay")
    );
    assert_eq!((pay.amount, pay.fee), (dec("100.00"), Some(dec("0.60"))));
    assert_eq!(pay.currency, "CNY");
    assert_eq!(pay.status, Status::Success);
    assert_eq!(pay.time, time("2026-01-02 10:15:30"));
    assert_eq!(pay.utc_offset_secs, None, "naive Beijing time");
    assert_eq!(pay.id("txn_id"), Some("612601021015301000001"));
    assert_eq!(pay.id("order_id"), Some("ORD20260102001"));
    assert_eq!(pay.id("refund_id"), None);
    assert_eq!(pay.id("account"), Some(MER));
    assert_eq!(pay.party("payee_id"), Some(MER));
    assert_eq!(pay.party("payer"), Some("622202******1234"));
    assert_eq!(pay.party("memo"), None);
    for (key, value) in [
        ("交易代码", "S22"),
        ("系统跟踪号", "100001"),
        ("交易传输时间", "0102101530"),
        ("商户手续费", "D000000000060"),
        ("结算金额", "99.40"),
        ("清算净额", "99.40"),
        ("交易类型", "01"),
        ("终端号", "T0000001"),
        ("商户类别", "5812"),
        ("settle_date", "2026-01-03"),
    ] {
        assert_eq!(pay.extra_value(key), Some(value), "{key}");
    }
    for mapped in [
        "帐号",
        "交易金额",
        "查询流水号",
        "商户订单号",
        "商户代码",
        "保留使用",
    ] {
        assert_eq!(pay.extra_value(mapped), None, "{mapped}");
    }

    let refund = parsed.record_at(2);
    assert_eq!(refund.record_type, "refund");
    assert_eq!(
        (refund.amount, refund.fee),
        (dec("-30.00"), Some(dec("-0.18")))
    );
    assert_eq!(refund.time, time("2026-01-03 09:00:00"));
    assert_eq!(
        refund.id("txn_id"),
        pay.id("txn_id"),
        "the refunded payment's queryId"
    );
    assert_eq!(refund.id("refund_id"), Some("612601030900001000002"));
    assert_eq!(
        refund.id("order_id"),
        Some("ORD20260102001"),
        "the payment's orderId"
    );
    assert_eq!(refund.extra_value("商户订单号"), Some("RFD20260103001"));
    assert_eq!(refund.extra_value("原始交易日期时间"), Some("0102101530"));
    assert_eq!(refund.extra_value("原始交易系统跟踪号"), Some("100001"));
    assert_eq!(refund.extra_value("商户手续费"), Some("C000000000018"));
    assert_eq!(refund.extra_value("结算金额"), Some("-29.82"));
    assert_eq!(
        refund.extra_value("原交易查询流水号"),
        None,
        "it is the txn_id"
    );
    // What the core makes of the two: 100.00 − 30.00 − (0.60 − 0.18).
    let net =
        pay.amount + refund.amount - (pay.fee.unwrap_or_default() + refund.fee.unwrap_or_default());
    assert_eq!(net, dec("69.58"));
}

#[test]
fn a_december_payment_settled_in_january_is_in_the_year_before() {
    let parsed = parse(A, &samples::a());
    let late = parsed.record_at(3);
    assert_eq!(late.time, time("2025-12-31 23:59:59"));
    assert_eq!(late.extra_value("交易传输时间"), Some("1231235959"));
    assert_eq!(late.extra_value("settle_date"), Some("2026-01-03"));
    assert_eq!((late.amount, late.fee), (dec("88.00"), Some(dec("0.53"))));
}

#[test]
fn chinese_text_takes_two_bytes_a_character() {
    let line = samples::a_lines()[3].bytes(Shape::Official);
    let text = encoding_rs::GBK.decode(&line).0;
    assert_eq!(line.len(), 607);
    assert_eq!(
        text.chars().count(),
        607 - 11 - 4,
        "11 + 4 characters of two bytes"
    );
    let parsed = parse(A, &samples::a());
    let meal = parsed.record_at(4);
    assert_eq!(
        meal.extra_value("二级商户简称"),
        Some("晨光面馆（南京西路店）")
    );
    assert_eq!(meal.extra_value("二级商户代码"), Some("777290058110049"));
    assert_eq!(meal.party("memo"), Some("桌号12 午餐"));
    // The fields after the Chinese text are where their byte widths put them.
    assert_eq!(meal.extra_value("清算净额"), Some("35.29"));
    assert_eq!(meal.extra_value("终端号"), Some("T0000001"));
    assert_eq!((meal.amount, meal.fee), (dec("35.50"), Some(dec("0.21"))));
    assert_eq!(meal.time, time("2026-01-03 08:30:00"));
}

#[test]
fn an_unknown_code_is_read_as_other_and_named_in_a_warning() {
    let parsed = parse(A, &samples::a());
    let other = parsed.record_at(5);
    assert_eq!(other.record_type, "other");
    assert_eq!(
        (other.amount, other.fee),
        (dec("12.00"), Some(dec("-0.07")))
    );
    assert_eq!(other.id("txn_id"), Some("612601021200001000005"));
    assert_eq!(other.id("order_id"), Some("ORD20260102003"));
    assert_eq!(
        other.extra_value("原交易查询流水号"),
        Some("612601021150001000006")
    );
    assert_eq!(other.extra_value("交易代码"), Some("S31"));
    let warned = warnings(&parsed);
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].line, 5);
    assert!(
        warned[0].reason.contains("交易代码 S31"),
        "{}",
        warned[0].reason
    );
    assert!(warned[0].reason.contains("other"), "{}", warned[0].reason);
}

#[test]
fn the_newer_layout_and_an_official_line_in_one_file() {
    let parsed = parse(B, &samples::b());
    assert_eq!(parsed.records.len(), 3);
    assert!(warnings(&parsed).is_empty(), "{:?}", parsed.issues);
    let newer = parsed.record_at(1);
    assert_eq!(newer.id("account"), Some(MER_B));
    assert_eq!(
        (newer.amount, newer.fee),
        (dec("200.00"), Some(dec("1.20")))
    );
    assert_eq!(newer.time, time("2026-01-03 20:15:10"));
    for (key, value) in [
        ("清算金额", "200.00"),
        ("服务点输入方式码", "07"),
        ("移动支付产品标志", "1"),
        ("检索参考号", "401234567890"),
        ("settle_date", "2026-01-04"),
    ] {
        assert_eq!(newer.extra_value(key), Some(value), "{key}");
    }
    let official = parsed.record_at(2);
    assert_eq!(
        (official.amount, official.fee),
        (dec("50.00"), Some(dec("0.30")))
    );
    assert_eq!(
        official.extra_value("商户手续费"),
        None,
        "an unsigned fee is not kept raw"
    );
    assert_eq!(
        official.extra_value("清算金额"),
        None,
        "not in the official layout"
    );
    assert_eq!(official.extra_value("结算金额"), Some("49.70"));
    assert_eq!(skipped(&parsed)[0].line, 3);
    assert_eq!(skipped(&parsed)[0].reason, "blank line");
    let refund = parsed.record_at(4);
    assert_eq!(
        (refund.amount, refund.fee),
        (dec("-200.00"), Some(dec("-1.20")))
    );
    assert_eq!(refund.id("txn_id"), newer.id("txn_id"));
    assert_eq!(refund.id("refund_id"), Some("712601040930001000003"));
    assert_eq!(refund.id("order_id"), Some("NB-20260103-0001"));
    assert_eq!(refund.extra_value("清算金额"), Some("-200.00"));
    assert_eq!(refund.time, time("2026-01-04 09:30:00"));
}

#[test]
fn zme_lines_are_skipped_with_what_they_open_with() {
    let parsed = parse(C, &samples::c());
    assert!(parsed.records.is_empty());
    let skips = skipped(&parsed);
    assert_eq!(skips.len(), 2);
    for (skip, (code, amount)) in skips
        .iter()
        .zip([("E22", "000000002000"), ("E30", "000000000500")])
    {
        assert!(
            skip.reason
                .starts_with("error-file line (差错), not a settled transaction"),
            "{}",
            skip.reason
        );
        assert!(
            skip.reason.contains(&format!("交易代码 {code}")),
            "{}",
            skip.reason
        );
        assert!(
            skip.reason.contains(&format!("交易金额 {amount}")),
            "{}",
            skip.reason
        );
        assert!(skip.reason.contains("339 bytes"), "{}", skip.reason);
    }
    let warned = warnings(&parsed);
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0].line, 1);
    assert!(
        warned[0].reason.contains("ZME error file"),
        "{}",
        warned[0].reason
    );
    assert!(warned[0].reason.contains("2 lines"), "{}", warned[0].reason);
}
