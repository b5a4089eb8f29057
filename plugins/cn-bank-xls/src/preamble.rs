//! The rows above the header: the statement's title and its `label：value` facts (账号,
//! 币种, 开户机构, …). The account number and currency found here apply to every row that
//! does not state its own.
//!
//! A label and its value share a cell (`账号：6217…`) or sit in neighbouring cells (CCB puts
//! `账　　号：` in column A and the number in column B).

use std::borrow::Cow;

use qrecon_adapter_sdk::text;

use crate::layout::key;
use crate::value::Value;

/// Labels of the account (card) number.
const ACCOUNT: &[&str] = &[
    "账号",
    "卡号",
    "账户",
    "借记卡号",
    "客户账号",
    "账户号码",
    "查询账号",
];
/// Labels of the statement's currency.
const CURRENCY: &[&str] = &["币种", "币别", "货币"];

/// What the preamble says about every row.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Preamble {
    /// The account or card number, as printed (masked as the bank masks it).
    pub(crate) account: Option<String>,
    /// The currency as printed (`人民币`).
    pub(crate) currency: Option<String>,
}

impl Preamble {
    /// Reads the facts of one preamble row into `self`; the first value of each label wins.
    pub(crate) fn read_row(&mut self, row: &[Value]) {
        for (label, value) in pairs(row) {
            let slot = if ACCOUNT.contains(&label.as_str()) {
                &mut self.account
            } else if CURRENCY.contains(&label.as_str()) {
                &mut self.currency
            } else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
    }
}

/// The `(label, value)` pairs of a row: a cell ending in a colon labels the next non-blank
/// cell (unless that is a label too); a cell with a colon inside labels the text after it.
fn pairs(row: &[Value]) -> Vec<(String, String)> {
    let texts: Vec<Cow<'_, str>> = row.iter().map(Value::text).collect();
    let mut found = Vec::new();
    let mut taken = 0; // cells before this one were values of an earlier label
    for (i, cell) in texts.iter().enumerate() {
        if i < taken {
            continue;
        }
        let Some((label, inline)) = split_label(cell) else {
            continue;
        };
        let value = if inline.is_empty() {
            let next = texts
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, t)| text::non_empty(t).is_some());
            next.filter(|(_, t)| split_label(t).is_none())
                .map(|(j, t)| {
                    taken = j + 1;
                    t.to_string()
                })
        } else {
            Some(inline.to_owned())
        };
        if let Some(value) = value {
            found.push((label, value));
        }
    }
    found
}

/// `账　　号：6217…` → (`账号`, `6217…`); `None` for a cell without a colon.
fn split_label(cell: &str) -> Option<(String, &str)> {
    let (label, value) = cell.split_once([':', '：'])?;
    Some((key(label), text::clean(value)))
}

/// The ISO 4217 code of a currency as Chinese statements print it, or the text itself when
/// it already is a three-letter code; `None` for anything else.
pub(crate) fn currency_code(printed: &str) -> Option<&str> {
    let code = match printed {
        "人民币" | "人民币元" | "RMB" => "CNY",
        "美元" => "USD",
        "港币" | "港元" => "HKD",
        "欧元" => "EUR",
        "日元" => "JPY",
        "英镑" => "GBP",
        "澳元" | "澳大利亚元" => "AUD",
        "加元" | "加拿大元" => "CAD",
        "新加坡元" => "SGD",
        "瑞士法郎" => "CHF",
        "新西兰元" => "NZD",
        "澳门元" => "MOP",
        "新台币" => "TWD",
        "韩元" => "KRW",
        other if other.len() == 3 && other.bytes().all(|b| b.is_ascii_uppercase()) => other,
        _ => return None,
    };
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Value> {
        cells.iter().map(|c| Value::Text((*c).to_owned())).collect()
    }

    #[test]
    fn labels_in_their_own_cell_or_beside_the_value() {
        let mut p = Preamble::default();
        p.read_row(&row(&["开户机构：", "xxx"]));
        p.read_row(&row(&["币\u{3000}\u{3000}种：", "", "人民币"]));
        p.read_row(&row(&["账\u{3000}\u{3000}号：", "6217****1546"]));
        p.read_row(&row(&["卡号：6217****0000"]));
        assert_eq!(p.account.as_deref(), Some("6217****1546"));
        assert_eq!(p.currency.as_deref(), Some("人民币"));

        let mut q = Preamble::default();
        q.read_row(&row(&[
            "账号: 6222 0000",
            "账户类型：活期",
            "日期范围：2025-01-01至2025-06-30",
        ]));
        assert_eq!(q.account.as_deref(), Some("6222 0000"));
        assert_eq!(q.currency, None);
    }

    #[test]
    fn currencies_become_codes() {
        assert_eq!(currency_code("人民币"), Some("CNY"));
        assert_eq!(currency_code("CNY"), Some("CNY"));
        assert_eq!(currency_code("港币"), Some("HKD"));
        assert_eq!(currency_code("金币"), None);
        assert_eq!(currency_code("cny"), None);
    }
}
