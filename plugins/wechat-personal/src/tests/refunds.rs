//! Refund rows linked to their payments, and the ones that cannot be.

use qrecon_adapter_sdk::Status;

use super::kit::{self, skip_reason};

const PAID: &str = "2026-09-13 09:00:00,商户消费,美团,外卖,支出,¥32.50,零钱,已全额退款,4200001124202609136156457328\t,M1\t,/";
const REFUND: &str = "2026-09-14 12:31:05,美团-退款,美团,外卖,收入,¥32.50,零钱,已退款,50300001124202609146156457328\t,R1\t,/";

#[test]
fn a_refund_is_linked_by_evidence_when_its_numbers_are_its_own() {
    let text = kit::csv(&[REFUND, PAID]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    assert_eq!(
        skip_reason(&parsed, 18),
        "refund of the payment at line 19 (recorded on its claim)"
    );
    let claim = parsed.record_at(19);
    assert_eq!(claim.status, Status::Revoked);
    assert_eq!(claim.extra_value("refunded"), Some("32.50"));
    assert_eq!(claim.extra_value("refund_lines"), Some("18"));
    assert_eq!(
        kit::warnings(&parsed)
            .iter()
            .filter(|(l, _)| *l >= 17)
            .count(),
        0
    );
}

#[test]
fn a_refund_is_linked_by_its_payment_number() {
    let refund = REFUND
        .replace(
            "50300001124202609146156457328",
            "4200001124202609136156457328",
        )
        .replace("美团-退款", "退款");
    let paid = PAID
        .replace("已全额退款", "已退款(￥10.00)")
        .replace("¥32.50", "¥40.00");
    let refund = refund.replace("¥32.50", "¥10.00");
    let parsed = kit::parse("r.csv", kit::csv(&[&refund, &paid]).as_bytes());
    let claim = parsed.record_at(19);
    assert_eq!(claim.status, Status::Success, "partly refunded");
    assert_eq!(claim.extra_value("refunded"), Some("10.00"));
    assert_eq!(claim.extra_value("refund_lines"), Some("18"));
}

#[test]
fn a_refund_stated_only_by_the_payment_status() {
    let paid = PAID.replace("已全额退款", "已退款(￥10.00)");
    let parsed = kit::parse("r.csv", kit::csv(&[&paid]).as_bytes());
    let claim = parsed.record_at(18);
    assert_eq!(claim.extra_value("refunded"), Some("10.00"));
    assert_eq!(claim.extra_value("refund_lines"), None);
    assert_eq!(claim.status, Status::Success);
    let full = kit::parse("r.csv", kit::csv(&[PAID]).as_bytes());
    assert_eq!(full.record_at(18).extra_value("refunded"), Some("32.50"));
    assert_eq!(full.record_at(18).status, Status::Revoked);
}

#[test]
fn a_refund_whose_payment_is_missing_is_skipped_with_a_warning() {
    let text = kit::csv(&[REFUND]);
    let parsed = kit::parse("r.csv", text.as_bytes());
    parsed.assert_every_line_once(text.as_bytes());
    assert!(parsed.records.is_empty());
    assert_eq!(
        skip_reason(&parsed, 18),
        "refund of a payment not in this file: 50300001124202609146156457328"
    );
    assert!(kit::warned(
        &parsed,
        18,
        &["matches no payment in this file"]
    ));
    // A payment to someone else, or after the refund, is not its payment.
    let elsewhere = PAID.replace(",美团,", ",饿了么,");
    let later = PAID.replace("2026-09-13", "2026-09-15");
    let parsed = kit::parse("r.csv", kit::csv(&[REFUND, &elsewhere, &later]).as_bytes());
    assert!(skip_reason(&parsed, 18).starts_with("refund of a payment not in this file"));
}

#[test]
fn a_refund_that_could_be_for_two_payments_is_not_linked() {
    let again = PAID
        .replace(
            "4200001124202609136156457328",
            "4200001124202609136156457329",
        )
        .replace("M1", "M2");
    let parsed = kit::parse("r.csv", kit::csv(&[REFUND, PAID, &again]).as_bytes());
    assert_eq!(
        skip_reason(&parsed, 18),
        "refund of a payment on several rows (lines 19, 20); not linked"
    );
    assert!(kit::warned(&parsed, 18, &["lines 19, 20"]));
    assert_eq!(parsed.record_at(19).extra_value("refund_lines"), None);
}

#[test]
fn two_refunds_share_out_one_payment() {
    let half = REFUND.replace("¥32.50", "¥16.25");
    let other = half.replace(
        "50300001124202609146156457328",
        "50300001124202609146156457330",
    );
    let paid = PAID.replace("已全额退款", "已退款(￥32.50)");
    let parsed = kit::parse("r.csv", kit::csv(&[&half, &other, &paid]).as_bytes());
    let claim = parsed.record_at(20);
    assert_eq!(claim.extra_value("refunded"), Some("32.50"));
    assert_eq!(claim.extra_value("refund_lines"), Some("18,19"));
}
