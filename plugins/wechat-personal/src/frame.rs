//! The preamble before the header: the title (`微信支付账单明细`), the owner
//! (`微信昵称：[…]`), the period, the control totals (`共N笔记录`, `收入：N笔 X元`, `支出：…`,
//! `中性交易：…`) and notes. Lines are padded with commas to the table's width.

use qrecon_adapter_sdk::{Decimal, text};

/// The first line of every WeChat bill.
pub(crate) const TITLE: &str = "微信支付账单明细";

/// A line's text without padding and the trailing commas that pad it to the table's width.
pub(crate) fn content(line: &str) -> &str {
    text::clean(line.trim_end_matches(|c: char| c == ',' || c.is_whitespace()))
}

/// Whether `line` holds nothing (padding and commas at most).
pub(crate) fn is_blank(line: &str) -> bool {
    content(line).is_empty()
}

/// Whether `line` is a dashes line after the rows (a footer, should one appear).
pub(crate) fn is_dashes(line: &str) -> bool {
    content(line).starts_with("-----")
}

/// The owner's nickname a `微信昵称：[…]` line names.
pub(crate) fn nickname(line: &str) -> Option<&str> {
    let rest = content(line).strip_prefix("微信昵称")?;
    let value = text::clean(rest.trim_start_matches([':', '：']));
    let value = value.strip_prefix('[').unwrap_or(value);
    text::non_empty(value.strip_suffix(']').unwrap_or(value))
}

/// A control total the preamble states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Control {
    /// `共N笔记录`: the number of rows.
    Rows(u64),
    /// `<label>：N笔 X元`: rows whose 收/支 is `label` (`中性交易` = `/`), and their sum.
    Bucket {
        /// The label as printed.
        label: String,
        /// Rows stated.
        rows: u64,
        /// Amount stated.
        amount: Decimal,
    },
}

/// The control total a preamble line states, if it states one.
pub(crate) fn control(line: &str) -> Option<Control> {
    let c = content(line);
    if let Some(count) = c.strip_prefix('共').and_then(|r| r.strip_suffix("笔记录")) {
        return text::parse_count("共N笔记录", count)
            .ok()
            .map(Control::Rows);
    }
    let (label, rest) = c.split_once(['：', ':'])?;
    let (count, after) = rest.split_once('笔')?;
    let rows = text::parse_count(label, count).ok()?;
    let amount = after.trim_start_matches([' ', ',', '，', '\t']);
    let amount = text::parse_amount(label, amount.split('元').next()?).ok()?;
    Some(Control::Bucket {
        label: text::clean(label).to_owned(),
        rows,
        amount,
    })
}

/// The 收/支 value a control total's label counts: `中性交易` is `/`.
pub(crate) fn bucket_of(label: &str) -> &str {
    if label == "中性交易" { "/" } else { label }
}

#[cfg(test)]
mod tests {
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
