//! The preamble before the header: the title (`微信支付账单明细`), the owner
//! (`微信昵称：[…]`), the period, the control totals (`共N笔记录`, `收入：N笔 X元`, `支出：…`,
//! `中性交易：…`) and notes. Lines are padded with commas to the table's width.

use qrecon_adapter_sdk::text;
pub(crate) use qrecon_payer_bill::frame::{content, control, is_blank, is_dashes};

/// The first line of every WeChat bill.
pub(crate) const TITLE: &str = "微信支付账单明细";

/// The owner's nickname a `微信昵称：[…]` line names.
pub(crate) fn nickname(line: &str) -> Option<&str> {
    let rest = content(line).strip_prefix("微信昵称")?;
    let value = text::clean(rest.trim_start_matches([':', '：']));
    let value = value.strip_prefix('[').unwrap_or(value);
    text::non_empty(value.strip_suffix(']').unwrap_or(value))
}

/// The 收/支 value a control total's label counts: `中性交易` is `/`.
pub(crate) fn bucket_of(label: &str) -> &str {
    if label == "中性交易" { "/" } else { label }
}

#[cfg(test)]
mod tests {
    use qrecon_adapter_sdk::Decimal;
    use qrecon_payer_bill::frame::Control;

    use super::*;

    #[test]
    fn preamble_lines() {
        assert_eq!(nickname("微信昵称：[测试],,,,,,,,,,"), Some("测试"));
        assert_eq!(nickname("微信昵称：[],,,"), None);
        assert_eq!(control("共43笔记录,,,,,,,,,,"), Some(Control::Rows(43)));
        assert_eq!(
            control("中性交易：0笔 0.00元,,,,,,,,,,"),
            Some(Control::Bucket {
                label: "中性交易".to_owned(),
                rows: 0,
                amount: Decimal::ZERO
            })
        );
        assert_eq!(control("导出时间：[2019-10-09 16:05:22],,,"), None);
        assert_eq!(
            control("1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易"),
            None
        );
        assert_eq!(bucket_of("中性交易"), "/");
        assert_eq!(bucket_of("支出"), "支出");
    }
}
