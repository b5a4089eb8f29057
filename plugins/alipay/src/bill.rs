//! The frame of an Alipay merchant bill: `#` preamble and footer lines around the header and
//! the rows, the `#账号：[…]` line that names the account, and the `#…合计：N笔，…元` control
//! totals in the footer.

use qrecon_adapter_sdk::{Decimal, FieldError, FileError, text};

use crate::out::Out;

/// Skip reason for an empty line (or one holding only padding and commas).
pub(crate) const BLANK: &str = "blank line";

/// The suffix Alipay appends to the PID in `#账号：[…]` (and in the bill's file name).
const PID_SUFFIX: &str = "0156";

/// Whether `line` holds nothing: empty, padding, or only the commas newer exports pad with.
pub(crate) fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c == ',' || c.is_whitespace())
}

/// Whether `line` is a `#` line (preamble or footer).
pub(crate) fn is_comment(line: &str) -> bool {
    text::clean(line).starts_with('#')
}

/// A `#` line's text without its padding and the trailing commas newer exports add.
pub(crate) fn content(line: &str) -> &str {
    text::clean(line.trim_end_matches(|c: char| c == ',' || c.is_whitespace()))
}

/// The account (PID) a `#账号：[20880211096256330156]` line names: the bracketed value
/// without the `0156` Alipay appends to a 16-digit PID; any other value is kept as printed.
pub(crate) fn account_of(line: &str) -> Option<&str> {
    let rest = text::clean(content(line).strip_prefix('#')?);
    let rest = text::clean(rest.strip_prefix("账号")?);
    let value = rest.trim_start_matches([':', '：']);
    let value = text::clean(value);
    let value = value.strip_prefix('[').unwrap_or(value);
    let value = text::clean(value.split(']').next().unwrap_or(value));
    let pid = match value.strip_suffix(PID_SUFFIX) {
        Some(pid) if value.len() == 20 && value.bytes().all(|b| b.is_ascii_digit()) => pid,
        _ => value,
    };
    text::non_empty(pid)
}

/// Reports the lines before the header (`#` preamble and blank lines) as skipped and returns
/// the account the preamble names.
pub(crate) fn preamble<'t>(lines: &[(u64, &'t str)], out: &mut Out<'_>) -> Option<&'t str> {
    let mut account = None;
    for &(no, line) in lines {
        if is_blank(line) {
            out.skip(no, BLANK);
        } else {
            account = account.or_else(|| account_of(line));
            out.skip(no, "preamble");
        }
    }
    account
}

/// The text of the first line that is not blank, as [`content`] gives it: the title
/// (`#支付宝业务明细查询`, `#支付宝账务明细查询`) of a bill that has one.
pub(crate) fn first_content<'t>(mut lines: impl Iterator<Item = &'t str>) -> Option<&'t str> {
    lines.find(|l| !is_blank(l)).map(content)
}

/// Where the header must be: the first line that is neither blank nor a `#` line.
pub(crate) fn header_at(lines: &[(u64, &str)]) -> Option<usize> {
    lines
        .iter()
        .position(|&(_, line)| !is_blank(line) && !is_comment(line))
}

/// Where the header is: the first line that is neither blank nor a `#` line must be it.
/// `expected` describes the header for the error.
pub(crate) fn find_header(
    lines: &[(u64, &str)],
    is_header: impl Fn(&str) -> bool,
    expected: &str,
) -> Result<usize, FileError> {
    match header_at(lines) {
        Some(i) if is_header(lines[i].1) => Ok(i),
        at => Err(no_header(at.map(|i| lines[i]), expected)),
    }
}

/// The error for a file without the header `expected`: `found` is the line where the header
/// should be, if the file has one.
pub(crate) fn no_header(found: Option<(u64, &str)>, expected: &str) -> FileError {
    match found {
        Some((no, line)) => FileError::at(
            no,
            format!("expected {expected} after the # preamble, found {line:?}"),
        ),
        None => FileError::new(format!("no header found; expected {expected}")),
    }
}

/// A footer line of the form `#<label>：<rest>` as (label, rest), e.g.
/// (`交易合计`, `1笔，商家实收共12.00元，商家优惠共0.00元`) or (`支出合计`, `2笔，共-12.00元`).
pub(crate) fn total_line(line: &str) -> Option<(&str, &str)> {
    let body = content(line).strip_prefix('#')?;
    let (label, rest) = body.split_once(['：', ':'])?;
    Some((text::clean(label), text::clean(rest)))
}

/// The count (before `笔`) and the amount (after `marker`, up to `元`) a control-total line
/// states. `label` names the line in the error.
pub(crate) fn figures(label: &str, rest: &str, marker: &str) -> Result<(u64, Decimal), FieldError> {
    let (count, after) = rest
        .split_once('笔')
        .ok_or_else(|| FieldError::new(label, "a count like 3笔", rest))?;
    let rows = text::parse_count(label, count)?;
    let amount = after
        .split_once(marker)
        .map(|(_, a)| a.split('元').next().unwrap_or(a))
        .ok_or_else(|| FieldError::new(label, &format!("{marker}<amount>元"), rest))?;
    Ok((rows, text::parse_amount(label, amount)?))
}

/// The note a control-total warning ends with when `quarantined` rows are not in the sums.
pub(crate) fn uncounted(quarantined: u64) -> String {
    match quarantined {
        0 => String::new(),
        1 => " (1 quarantined row is not counted)".to_owned(),
        n => format!(" ({n} quarantined rows are not counted)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_is_the_pid_without_its_suffix() {
        assert_eq!(
            account_of("#账号：[20880211096256330156]"),
            Some("2088021109625633")
        );
        assert_eq!(
            account_of("#账号:[20880211096256330156],,,"),
            Some("2088021109625633")
        );
        assert_eq!(
            account_of("#账号：[2088021109625633]"),
            Some("2088021109625633")
        );
        assert_eq!(
            account_of("#账号：[shop@example.com]"),
            Some("shop@example.com")
        );
        assert_eq!(account_of("#账号：[]"), None);
        assert_eq!(account_of("#支付宝业务明细查询"), None);
        assert_eq!(account_of("#支付宝账务明细查询"), None);
    }

    #[test]
    fn trade_control_total_figures() {
        let (label, rest) =
            total_line("#交易合计：6笔，商家实收共0.06元，商家优惠共0.00元,,,").expect("total");
        assert_eq!(label, "交易合计");
        let (rows, amount) = figures(label, rest, "商家实收共").expect("figures");
        assert_eq!(rows, 6);
        assert_eq!(amount, Decimal::new(6, 2));
        assert!(figures(label, "x笔，商家实收共1元", "商家实收共").is_err());
        assert!(figures(label, "1笔，共1元", "商家实收共").is_err());
    }

    #[test]
    fn account_control_total_figures() {
        let (label, rest) = total_line("#支出合计：2笔，共-12.00元,,,,,,,").expect("total");
        assert_eq!(label, "支出合计");
        let (rows, amount) = figures(label, rest, "共").expect("figures");
        assert_eq!(rows, 2);
        assert_eq!(amount, Decimal::new(-1200, 2));
        assert!(figures(label, "x笔，共1元", "共").is_err());
        assert!(figures(label, "1笔", "共").is_err());
    }

    #[test]
    fn the_header_is_the_first_line_not_blank_nor_a_comment() {
        let lines = [
            (1, "#支付宝账务明细查询"),
            (2, ",,,"),
            (3, "a,b"),
            (4, "c,d"),
        ];
        assert_eq!(
            first_content(lines.iter().map(|l| l.1)),
            Some("#支付宝账务明细查询")
        );
        assert_eq!(header_at(&lines), Some(2));
        assert_eq!(find_header(&lines, |l| l == "a,b", "a,b"), Ok(2));
        let e = find_header(&lines, |l| l == "c,d", "c,d").expect_err("not there");
        assert_eq!(
            e.to_string(),
            r#"line 3: expected c,d after the # preamble, found "a,b""#
        );
        let e = find_header(&lines[..2], |_| true, "c,d").expect_err("no header");
        assert_eq!(e.to_string(), "no header found; expected c,d");
    }
}
