//! Refund rows linked to their payments, and the ones that cannot be.

use qrecon_adapter_sdk::Status;
use qrecon_adapter_sdk::schema::Outcome;

use super::kit::{self, dec, skip_reason};

/// The v2023 header.
pub(crate) const HEADER: &str = "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,";

/// A v2023 export (UTF-8) with `rows` after a short preamble; the header is on line 5 and
/// the rows start on line 6.
pub(crate) fn v2023(rows: &[&str]) -> String {
    let mut text = String::from(
        "------------------------------------------------------------------------------------\n\
         导出信息：\n\
         支付宝账户：pay***@example.com\n\
         ------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------\n",
    );
    text.push_str(HEADER);
    text.push('\n');
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

const PAID: &str = "2026-11-24 12:41:07,餐饮美食,晨光面馆,chen***@163.com,牛肉面,支出,38.00,余额,交易关闭,2026112422001401231234567890\t,M20261124001\t,,";
const REFUND: &str = "2026-11-24 13:00:00,退款,晨光面馆,chen***@163.com,退款-牛肉面,不计收支,38.00,余额,退款成功,2026112422001401231234567890_1\t,M20261124001\t,,";

#[test]
fn a_refund_is_recorded_on_its_payment() {
    let text = v2023(&[REFUND, PAID]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    let claim = parsed.record_at(7);
    assert_eq!(claim.extra_value("refunded"), Some("38.00"));
    assert_eq!(claim.extra_value("refund_lines"), Some("6"));
    assert_eq!(claim.status, Status::Revoked, "closed after a refund");
    assert_eq!(claim.status_raw.as_deref(), Some("交易关闭"));
    assert_eq!(
        skip_reason(&parsed, 6),
        "refund of the payment at line 7 (recorded on its claim)"
    );
    assert_eq!(kit::warnings(&parsed), []);
}

#[test]
fn a_closed_payment_without_a_refund_failed() {
    let text = v2023(&[PAID]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    let claim = parsed.record_at(6);
    assert_eq!(claim.status, Status::Failed);
    assert_eq!(claim.extra_value("refunded"), None);
}

#[test]
fn a_refund_whose_payment_is_missing_is_skipped_with_a_warning() {
    let text = v2023(&[REFUND]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    assert!(parsed.records.is_empty());
    assert_eq!(
        skip_reason(&parsed, 6),
        "refund of a payment not in this file: 2026112422001401231234567890"
    );
    assert!(kit::warned(
        &parsed,
        6,
        &["2026112422001401231234567890", "not in this file"]
    ));
}

#[test]
fn refunds_are_linked_by_order_number_and_by_prefix() {
    let by_order = "2026-11-25 09:00:00,退款,晨光面馆,/,退款-牛肉面,不计收支,10.00,余额,退款成功,20261125300002008100481201191918\t,M20261124001\t,,";
    let by_prefix = "2026-11-25 10:00:00,退款,晨光面馆,/,退款-牛肉面,不计收支,8.00,余额,退款成功,20261124220014012312345678901371263536677\t,/\t,,";
    let text = v2023(&[by_order, by_prefix, PAID]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    assert_eq!(
        skip_reason(&parsed, 6),
        "refund of the payment at line 8 (recorded on its claim)"
    );
    assert_eq!(
        skip_reason(&parsed, 7),
        "refund of the payment at line 8 (recorded on its claim)"
    );
    let claim = parsed.record_at(8);
    assert_eq!(claim.extra_value("refunded"), Some("18.00"));
    assert_eq!(claim.extra_value("refund_lines"), Some("6,7"));
    assert_eq!(claim.amount, dec("38.00"));
}

#[test]
fn a_refund_for_a_number_on_several_payments_is_not_linked() {
    let again = PAID.replace("M20261124001", "M20261124002");
    let text = v2023(&[REFUND.replace("M20261124001", "M9").as_str(), PAID, &again]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    assert_eq!(
        skip_reason(&parsed, 6),
        "refund of a payment on several rows (lines 7, 8); not linked"
    );
    assert!(kit::warned(&parsed, 6, &["lines 7, 8"]));
    assert!(kit::warned(
        &parsed,
        7,
        &["is on 2 payment rows", "lines 7, 8"]
    ));
    assert_eq!(
        parsed.record_at(8).id("claim_id"),
        Some("alipay-personal:2026112422001401231234567890#8")
    );
    // The merchant order number tells them apart when the refund has it.
    let text = v2023(&[REFUND, PAID, &again]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    assert_eq!(
        skip_reason(&parsed, 6),
        "refund of the payment at line 7 (recorded on its claim)"
    );
}

#[test]
fn refunds_above_the_payment_are_warned_about() {
    let second = REFUND.replace("_1\t", "_2\t");
    let text = v2023(&[REFUND, &second, PAID]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    assert_eq!(parsed.record_at(8).extra_value("refunded"), Some("76.00"));
    assert!(kit::warned(
        &parsed,
        8,
        &["lines 6, 7", "76.00", "more than"]
    ));
    assert!(parsed.issues_of(Outcome::Quarantined).is_empty());
}
