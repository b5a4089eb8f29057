//! The statement layouts this adapter knows, recognised by the names in their header row, and
//! the mapping of a header's columns to the fields they fill.
//!
//! A row is a layout's header when it names every one of the layout's `required` columns, in
//! any order and at any position. Columns are then found by name (padding, inner spaces and
//! ideographic spaces ignored, full-width parentheses read as ASCII, a `(元)` unit dropped), so
//! moved, added or missing optional columns still map.

use crate::value::Value;

/// How a layout states the sign of an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sign {
    /// Separate income and expense columns (amount = income − expense).
    Pair,
    /// One signed amount column (negative = money out).
    Signed,
    /// An unsigned amount and a 借 (debit, out) / 贷 (credit, in) column.
    Direction,
}

/// A known statement layout.
#[derive(Debug)]
pub(crate) struct Layout {
    /// The bank and statement, as messages name it.
    pub(crate) bank: &'static str,
    /// Header names the layout cannot be recognised without.
    pub(crate) required: &'static [&'static str],
    /// Every column the layout is documented with; others draw a warning.
    pub(crate) known: &'static [&'static str],
    /// How amounts are signed.
    pub(crate) sign: Sign,
}

/// CCB (中国建设银行) 交易明细, the .xls download of personal online banking.
pub(crate) const CCB: Layout = Layout {
    bank: "CCB 中国建设银行 交易明细",
    required: &["记账日", "交易日期", "支出", "收入"],
    known: &[
        "记账日",
        "交易日期",
        "交易时间",
        "支出",
        "收入",
        "账户余额",
        "币种",
        "摘要",
        "对方账号",
        "对方户名",
        "交易地点",
    ],
    sign: Sign::Pair,
};

/// BOC (中国银行) 交易流水明细单, debit card.
pub(crate) const BOC: Layout = Layout {
    bank: "BOC 中国银行 交易流水明细单",
    required: &["记账日期", "币别", "金额"],
    known: &[
        "记账日期",
        "记账时间",
        "币别",
        "金额",
        "余额",
        "交易名称",
        "渠道",
        "网点名称",
        "附言",
        "对方账户名",
        "对方卡号/账号",
        "对方开户行",
        "借记卡号",
    ],
    sign: Sign::Signed,
};

/// CMB (招商银行) 交易流水, debit card.
pub(crate) const CMB: Layout = Layout {
    bank: "CMB 招商银行 交易流水",
    required: &["记账日期", "交易金额", "联机余额"],
    known: &[
        "记账日期",
        "货币",
        "交易金额",
        "联机余额",
        "交易摘要",
        "对手信息",
        "客户摘要",
    ],
    sign: Sign::Signed,
};

/// BOCOM (交通银行) 交易明细, debit card.
pub(crate) const BOCOM: Layout = Layout {
    bank: "BOCOM 交通银行 交易明细",
    required: &["交易日期", "借贷", "交易金额"],
    known: &[
        "序号",
        "交易日期",
        "交易时间",
        "交易类型",
        "借贷",
        "交易金额",
        "余额",
        "对方账号",
        "对方户名",
        "交易地点",
        "摘要",
    ],
    sign: Sign::Direction,
};

/// Every known layout, in the order they are tried.
pub(crate) const LAYOUTS: [&Layout; 4] = [&CCB, &BOC, &CMB, &BOCOM];

/// Names of each field's column, the first present wins.
mod alias {
    pub(super) const BOOK_DATE: &[&str] = &["记账日", "记账日期"];
    pub(super) const TRADE_DATE: &[&str] = &["交易日期", "交易日"];
    pub(super) const TIME: &[&str] = &["交易时间", "记账时间"];
    pub(super) const EXPENSE: &[&str] = &["支出", "支出金额"];
    pub(super) const INCOME: &[&str] = &["收入", "收入金额", "存入"];
    pub(super) const AMOUNT: &[&str] = &["交易金额", "金额"];
    pub(super) const DIRECTION: &[&str] = &["借贷", "借贷标志", "借贷方向"];
    pub(super) const BALANCE: &[&str] = &["账户余额", "余额", "联机余额", "本次余额"];
    pub(super) const CURRENCY: &[&str] = &["币种", "币别", "货币"];
    pub(super) const SUMMARY: &[&str] = &["摘要", "交易摘要", "交易名称"];
    pub(super) const REMARKS: &[&str] = &["附言", "用途", "客户摘要", "交易附言", "备注"];
    pub(super) const COUNTERPARTY: &[&str] = &["对方户名", "对方账户名", "对手信息", "对方名称"];
    pub(super) const PLACE: &[&str] = &["交易地点", "交易场所"];
    pub(super) const ACCOUNT: &[&str] = &["借记卡号", "本方账号"];
    pub(super) const BANK_REF: &[&str] = &["交易流水号", "流水号", "日志号"];
}

/// A header or label as looked up: every space (ASCII, TAB, ideographic) removed, full-width
/// parentheses and colons made ASCII, and a trailing `(元)` unit dropped.
pub(crate) fn key(name: &str) -> String {
    let k: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            other => other,
        })
        .collect();
    match k.strip_suffix("(元)") {
        Some(bare) => bare.to_owned(),
        None => k,
    }
}

/// The layout whose header `row` is, if any.
pub(crate) fn header_layout(row: &[Value]) -> Option<&'static Layout> {
    let keys = keys(row);
    LAYOUTS
        .into_iter()
        .find(|l| l.required.iter().all(|r| keys.iter().any(|k| k == r)))
}

fn keys(row: &[Value]) -> Vec<String> {
    row.iter().map(|v| key(&v.text())).collect()
}

/// A header, mapped: which column (0-based) holds each field.
#[derive(Debug)]
pub(crate) struct Columns {
    /// The layout the header belongs to.
    pub(crate) layout: &'static Layout,
    /// Each column's name as printed (padding trimmed); a column without a name is called by
    /// its letter (`L`).
    pub(crate) names: Vec<String>,
    /// Lookup keys of the names (see [`key`]).
    keys: Vec<String>,
    pub(crate) book_date: Option<usize>,
    pub(crate) trade_date: Option<usize>,
    pub(crate) time: Option<usize>,
    pub(crate) expense: Option<usize>,
    pub(crate) income: Option<usize>,
    pub(crate) amount: Option<usize>,
    pub(crate) direction: Option<usize>,
    pub(crate) balance: Option<usize>,
    pub(crate) currency: Option<usize>,
    pub(crate) summary: Option<usize>,
    pub(crate) remarks: Vec<usize>,
    pub(crate) counterparty: Option<usize>,
    pub(crate) place: Option<usize>,
    pub(crate) account: Option<usize>,
    pub(crate) bank_ref: Option<usize>,
}

impl Columns {
    /// Maps the header `row` of `layout`, for rows up to `width` cells wide.
    pub(crate) fn new(layout: &'static Layout, row: &[Value], width: usize) -> Self {
        let mut keys = keys(row);
        keys.resize(width.max(keys.len()), String::new());
        let names: Vec<String> = (0..keys.len())
            .map(|i| match row.get(i).map(Value::text) {
                Some(name) if !name.is_empty() => name.into_owned(),
                _ => column_letter(i),
            })
            .collect();
        let find = |aliases: &[&str]| {
            aliases
                .iter()
                .find_map(|a| keys.iter().position(|k| k == a))
        };
        let remarks = alias::REMARKS
            .iter()
            .filter_map(|a| keys.iter().position(|k| k == a))
            .collect();
        Self {
            layout,
            book_date: find(alias::BOOK_DATE),
            trade_date: find(alias::TRADE_DATE),
            time: find(alias::TIME),
            expense: find(alias::EXPENSE),
            income: find(alias::INCOME),
            amount: find(alias::AMOUNT),
            direction: find(alias::DIRECTION),
            balance: find(alias::BALANCE),
            currency: find(alias::CURRENCY),
            summary: find(alias::SUMMARY),
            remarks,
            counterparty: find(alias::COUNTERPARTY),
            place: find(alias::PLACE),
            account: find(alias::ACCOUNT),
            bank_ref: find(alias::BANK_REF),
            names,
            keys,
        }
    }

    /// The printed name of column `i`.
    pub(crate) fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// The column the value date comes from: 记账日(期), else 交易日期.
    pub(crate) fn value_date(&self) -> Option<usize> {
        self.book_date.or(self.trade_date)
    }

    /// Whether column `i` has a name in the header.
    pub(crate) fn is_named(&self, i: usize) -> bool {
        self.keys.get(i).is_some_and(|k| !k.is_empty())
    }

    /// Named columns the layout does not document, by printed name.
    pub(crate) fn unknown(&self) -> Vec<&str> {
        self.keys
            .iter()
            .zip(&self.names)
            .filter(|(k, _)| !k.is_empty() && !self.layout.known.contains(&k.as_str()))
            .map(|(_, n)| n.as_str())
            .collect()
    }

    /// Documented columns of the layout the header lacks.
    pub(crate) fn missing(&self) -> Vec<&'static str> {
        self.layout
            .known
            .iter()
            .filter(|k| !self.keys.iter().any(|h| h == *k))
            .copied()
            .collect()
    }
}

/// The spreadsheet letter of 0-based column `i` (`A`, …, `Z`, `AA`, …).
pub(crate) fn column_letter(i: usize) -> String {
    let mut letters = Vec::new();
    let mut n = i + 1;
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or_default();
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_spacing_parentheses_and_units() {
        assert_eq!(key("记账日          "), "记账日");
        assert_eq!(key("币\u{3000}\u{3000}种："), "币种:");
        assert_eq!(key("日 志 号"), "日志号");
        assert_eq!(key("交易金额（元）"), "交易金额");
    }

    #[test]
    fn column_letters() {
        let letters: Vec<String> = [0, 11, 25, 26, 255].map(column_letter).into();
        assert_eq!(letters, ["A", "L", "Z", "AA", "IV"]);
    }

    #[test]
    fn required_names_tell_the_layouts_apart() {
        for layout in LAYOUTS {
            let row: Vec<Value> = layout
                .known
                .iter()
                .map(|n| Value::Text((*n).to_owned()))
                .collect();
            let found = header_layout(&row).map(|l| l.bank);
            assert_eq!(found, Some(layout.bank));
            let columns = Columns::new(layout, &row, 0);
            assert!(columns.unknown().is_empty() && columns.missing().is_empty());
            assert!(columns.value_date().is_some());
        }
    }
}
