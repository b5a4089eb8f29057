//! The lines around a bill's table: blank lines, dashes lines, and the control totals the
//! preamble or footer states (`共N笔记录`, `支出：N笔 X元`, `已收入:N笔,X元`). Both platforms
//! pad these lines with commas to the table's width.

use qrecon_adapter_sdk::{Decimal, text};

/// A line's text without padding and the trailing commas that pad it.
pub fn content(line: &str) -> &str {
    text::clean(line.trim_end_matches(|c: char| c == ',' || c.is_whitespace()))
}

/// Whether `line` holds nothing (padding and commas at most).
pub fn is_blank(line: &str) -> bool {
    content(line).is_empty()
}

/// Whether `line` is a dashes line (`-----…`, possibly with a title inside).
pub fn is_dashes(line: &str) -> bool {
    content(line).starts_with("-----")
}

/// A control total the frame states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// `共N笔记录`: the number of rows.
    Rows(u64),
    /// `<label>：N笔 X元`: the rows the label names, and their sum.
    Bucket {
        /// The label as printed (`支出`, `中性交易`, `已收入`, …).
        label: String,
        /// Rows stated.
        rows: u64,
        /// Amount stated.
        amount: Decimal,
    },
}

/// The control total a frame line states, if it states one: `共N笔记录`, or
/// `<label>：N笔 X元` (also with `:` and a comma before the amount).
pub fn control(line: &str) -> Option<Control> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_totals_in_their_three_spellings() {
        let bucket = |label: &str, rows, amount: &str| Control::Bucket {
            label: label.to_owned(),
            rows,
            amount: Decimal::from_str_exact(amount).expect("decimal"),
        };
        assert_eq!(control("共66笔记录"), Some(Control::Rows(66)));
        assert_eq!(
            control("支出：63笔 16.54元"),
            Some(bucket("支出", 63, "16.54"))
        );
        assert_eq!(
            control("收入：1笔,28.50元,,"),
            Some(bucket("收入", 1, "28.50"))
        );
        assert_eq!(control("已支出:1笔,27元"), Some(bucket("已支出", 1, "27")));
        assert_eq!(control("5.部分账单如：充值提现、账户转存"), None);
        assert_eq!(control("导出时间：[2023-02-13 09:12:52]"), None);
        assert_eq!(control("共x笔记录"), None);
    }

    #[test]
    fn blank_and_dashes_lines() {
        assert!(is_blank(" ,,,\t,"));
        assert!(!is_blank("共1笔记录,,,"));
        assert!(is_dashes("-----微信支付账单明细列表-----,,,"));
        assert!(!is_dashes("--"));
        assert_eq!(content("\u{3000}导出信息：,,, "), "导出信息：");
    }
}
