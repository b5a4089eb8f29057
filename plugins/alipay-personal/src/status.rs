//! A payment's 交易状态 as a normalised status.

use qrecon_adapter_sdk::Status;
use qrecon_payer_bill::entry::Payment;

/// The status of payment `p` whose 交易状态 is `raw` (see [`of`]): money came back on it when
/// a refund row is linked to it or it prints a refund of its own.
pub(crate) fn of_payment(raw: &str, p: &Payment) -> Option<Status> {
    of(raw, !p.refunds.is_empty() || p.printed_refund.is_some())
}

/// The status of a payment row. `refunded` says whether money came back on it (a linked
/// refund row, or the PC layout's 成功退款（元）): a 交易关闭 payment was then refunded
/// (revoked after the fact) rather than closed unpaid (failed). `None` for a text this
/// adapter does not know.
pub(crate) fn of(raw: &str, refunded: bool) -> Option<Status> {
    Some(match raw {
        "交易成功" | "支付成功" | "已支付" | "已转账" | "对方已收钱" | "还款成功" | "充值成功"
        | "代付成功" | "交易完成" => Status::Success,
        "交易关闭" if refunded => Status::Revoked,
        "交易关闭" | "支付失败" | "交易失败" | "失败" | "已关闭" => Status::Failed,
        "退款成功" | "已全额退款" | "已退款" | "已撤销" => Status::Revoked,
        // Paid into escrow (担保交易) or not settled yet: the payee has not been paid.
        s if s.starts_with("等待") || s.starts_with('待') || s.contains("处理中") => {
            Status::Pending
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(of("交易成功", false), Some(Status::Success));
        assert_eq!(of("交易成功", true), Some(Status::Success));
        assert_eq!(of("交易关闭", false), Some(Status::Failed));
        assert_eq!(of("交易关闭", true), Some(Status::Revoked));
        assert_eq!(of("等待确认收货", false), Some(Status::Pending));
        assert_eq!(of("等待付款", false), Some(Status::Pending));
        assert_eq!(of("处理中", false), Some(Status::Pending));
        assert_eq!(of("已转账", false), Some(Status::Success));
        assert_eq!(of("对方已收钱", false), Some(Status::Success));
        assert_eq!(of("神秘状态", false), None);
    }
}
