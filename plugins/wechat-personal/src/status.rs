//! A payment's 当前状态 as a normalised status, and the refund it states.

use qrecon_adapter_sdk::{Decimal, Status, text};
use qrecon_payer_bill::entry::Payment;

/// The status of payment `p` whose 当前状态 is `raw` (see [`of`]).
pub(crate) fn of_payment(raw: &str, p: &Payment) -> Option<Status> {
    of(raw, p.amount)
}

/// The refund payment `p`'s own 当前状态 states (see [`refunded`]).
pub(crate) fn stated_by(p: &Payment) -> Option<Decimal> {
    refunded(p.status_raw.as_deref()?, p.amount)
}

/// The status of a payment of `amount` whose 当前状态 is `raw`; `None` for a text this
/// adapter does not know.
pub(crate) fn of(raw: &str, amount: Decimal) -> Option<Status> {
    Some(match raw {
        "支付成功" | "已支付" | "已转账" | "对方已收钱" | "朋友已收钱" | "已收钱" | "已到账"
        | "交易成功" | "已存入零钱" | "提现已到账" | "充值完成" | "充值成功" | "转账成功"
        | "已完成" | "还款成功" | "已收款" => Status::Success,
        "已全额退款" | "对方已退还" | "朋友已退还" | "已退还" | "已退回" | "已撤销" | "已撤回" => {
            Status::Revoked
        }
        // Partly refunded: the payment stands for the rest.
        s if s.starts_with("已退款") => match stated_refund(s) {
            Some(refund) if refund < amount => Status::Success,
            _ => Status::Revoked,
        },
        "支付失败" | "交易失败" | "失败" | "已关闭" | "交易关闭" | "已取消" | "已过期" => {
            Status::Failed
        }
        s if s.starts_with("等待")
            || s.starts_with('待')
            || s.contains("处理中")
            || s.contains("未收")
            || s == "支付中" =>
        {
            Status::Pending
        }
        _ => return None,
    })
}

/// The refund a payment's 当前状态 states: the whole `amount` for 已全额退款, `x` for
/// 已退款(￥x) (also 已退款（¥x）, 已退款￥x); `None` otherwise.
pub(crate) fn refunded(raw: &str, amount: Decimal) -> Option<Decimal> {
    if raw == "已全额退款" {
        return Some(amount);
    }
    stated_refund(raw.strip_prefix("已退款")?)
}

/// The amount in `(￥x)` / `（¥x）` / `￥x`, if any.
fn stated_refund(s: &str) -> Option<Decimal> {
    let s = s.strip_prefix("已退款").unwrap_or(s);
    let inner = s
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）']);
    text::non_empty(inner).and_then(|v| text::parse_amount("", v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("decimal")
    }

    #[test]
    fn statuses() {
        let ten = dec("10.00");
        assert_eq!(of("支付成功", ten), Some(Status::Success));
        assert_eq!(of("朋友已收钱", ten), Some(Status::Success));
        assert_eq!(of("已全额退款", ten), Some(Status::Revoked));
        assert_eq!(of("已退款(￥3.00)", ten), Some(Status::Success));
        assert_eq!(of("已退款（¥10.00）", ten), Some(Status::Revoked));
        assert_eq!(of("已退款", ten), Some(Status::Revoked));
        assert_eq!(of("等待确认收款", ten), Some(Status::Pending));
        assert_eq!(of("支付失败", ten), Some(Status::Failed));
        assert_eq!(of("不认识", ten), None);
    }

    #[test]
    fn refunds_stated_by_the_status() {
        let ten = dec("10.00");
        assert_eq!(refunded("已全额退款", ten), Some(ten));
        assert_eq!(refunded("已退款(￥3.00)", ten), Some(dec("3.00")));
        assert_eq!(refunded("已退款￥3.50", ten), Some(dec("3.50")));
        assert_eq!(refunded("已退款", ten), None);
        assert_eq!(refunded("支付成功", ten), None);
    }
}
