//! The frame of an Alipay merchant bill: `#` preamble and footer lines around the header and
//! the rows, the `#账号：[…]` line that names the account, and the `#…合计：N笔，…元` control
//! totals in the footer.

use qrecon_adapter_sdk::{Decimal, Emitter, FieldError, FileError, text};

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
pub(crate) fn preamble<'t>(lines: &[(u64, &'t str)], out: &mut Emitter) -> Option<&'t str> {
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

/// Where the header is: the first line that is neither blank nor a `#` line must be it.
/// `expected` describes the header for the error.
pub(crate) fn find_header(
    lines: &[(u64, &str)],
    is_header: impl Fn(&str) -> bool,
    expected: &str,
) -> Result<usize, FileError> {
    for (i, &(no, line)) in lines.iter().enumerate() {
        if is_blank(line) || is_comment(line) {
            continue;
        }
        if is_header(line) {
            return Ok(i);
        }
        return Err(FileError::at(
            no,
            format!("expected {expected} after the # preamble, found {line:?}"),
        ));
    }
    Err(FileError::new(format!(
        "no header found; expected {expected}"
    )))
}

/// A footer line of the form `#<label>：<rest>` as (label, rest), e.g.
/// (`交易合计`, `1笔，商家实收共12.00元，商家优惠共0.00元`).
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
    }

    #[test]
    fn control_total_figures() {
        let (label, rest) =
            total_line("#交易合计：6笔，商家实收共0.06元，商家优惠共0.00元,,,").expect("total");
        assert_eq!(label, "交易合计");
        let (rows, amount) = figures(label, rest, "商家实收共").expect("figures");
        assert_eq!(rows, 6);
        assert_eq!(amount, Decimal::new(6, 2));
        assert!(figures(label, "x笔，商家实收共1元", "商家实收共").is_err());
        assert!(figures(label, "1笔，共1元", "商家实收共").is_err());
    }
}
