//! The header: which column holds what, found by name.

use std::borrow::Cow;

use qrecon_adapter_sdk::{Decimal, FieldError, text};

pub(crate) const TRADE_DATE: &str = "交易日期";
const BOOK_DATE: &str = "记账日期";
const BOOKED_IN: &str = "记账金额(收入)";
const BOOKED_OUT: &str = "记账金额(支出)";
const BOOKED_CURRENCY: &str = "记账币种";
const TRADED_IN: &str = "交易金额(收入)";
const TRADED_OUT: &str = "交易金额(支出)";
const TRADED_CURRENCY: &str = "交易币种";
const SUMMARY: &str = "摘要";
const DETAIL: &str = "交易详情";
const PAYEE: &str = "对方户名";
const PLACE: &str = "交易场所";

/// An income/expense pair of amount columns and the currency column that goes with them.
#[derive(Clone, Copy)]
pub(crate) struct Pair {
    pub income: usize,
    pub expense: usize,
    pub currency: Option<usize>,
}

/// The header, mapped.
pub(crate) struct Columns {
    /// Header names, cleaned (full-width parentheses made ASCII), without trailing empties.
    pub names: Vec<String>,
    pub trade_date: usize,
    /// 记账日期: only credit-card statements have it.
    pub book_date: Option<usize>,
    /// 记账金额 pair, preferred.
    pub booked: Option<Pair>,
    /// 交易金额 pair, used when a row's 记账 cells are both empty.
    pub traded: Option<Pair>,
    pub summary: Option<usize>,
    pub detail: Option<usize>,
    pub payee: Option<usize>,
    pub place: Option<usize>,
}

/// Whether `line` is an ICBC header: it names 交易日期 and an income amount column.
pub(crate) fn is_header(line: &str) -> bool {
    // Most lines are not the header: a substring test spares them the split.
    if !line.contains(TRADE_DATE) {
        return false;
    }
    let names = names_of(line);
    let has = |name: &str| names.iter().any(|n| n == name);
    has(TRADE_DATE) && (has(BOOKED_IN) || has(TRADED_IN))
}

/// The cleaned names of a header line; empty when it is not valid CSV.
fn names_of(line: &str) -> Vec<String> {
    let mut names: Vec<String> = text::split_csv(line)
        .map(|cells| cells.iter().map(|c| normalize(c)).collect())
        .unwrap_or_default();
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    names
}

fn normalize(name: &str) -> String {
    text::clean(name).replace('（', "(").replace('）', ")")
}

impl Columns {
    /// Maps a header line. The error says which required column is missing.
    pub(crate) fn from_header(line: &str) -> Result<Self, String> {
        let names = names_of(line);
        let find = |name: &str| names.iter().position(|n| n == name);
        let pair = |income, expense, currency| {
            Some(Pair {
                income: find(income)?,
                expense: find(expense)?,
                currency: find(currency),
            })
        };
        let trade_date =
            find(TRADE_DATE).ok_or_else(|| format!("the header has no {TRADE_DATE} column"))?;
        let booked = pair(BOOKED_IN, BOOKED_OUT, BOOKED_CURRENCY);
        let traded = pair(TRADED_IN, TRADED_OUT, TRADED_CURRENCY);
        if booked.is_none() && traded.is_none() {
            return Err(format!(
                "the header has neither {BOOKED_IN}/{BOOKED_OUT} nor {TRADED_IN}/{TRADED_OUT} columns"
            ));
        }
        Ok(Self {
            trade_date,
            book_date: find(BOOK_DATE),
            booked,
            traded,
            summary: find(SUMMARY),
            detail: find(DETAIL),
            payee: find(PAYEE),
            place: find(PLACE),
            names,
        })
    }

    /// The header name of column `i`.
    pub(crate) fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// Splits a data row into exactly one cell per header column. The `,` that ends every
    /// ICBC row is a terminator, not another cell.
    pub(crate) fn cells<'r>(&self, raw: &'r str) -> Result<Vec<Cow<'r, str>>, FieldError> {
        let mut cells = text::split_csv(raw)?;
        if raw.trim_end().ends_with(',') {
            cells.pop();
        }
        if cells.len() == self.names.len() {
            Ok(cells)
        } else {
            Err(FieldError::row(format!(
                "expected {} cells as in the header (each row ending in ','), found {}",
                self.names.len(),
                cells.len()
            )))
        }
    }

    /// The pair a row's amounts come from: 记账 unless both its cells are empty, then 交易.
    pub(crate) fn pair_for(&self, cells: &[Cow<'_, str>]) -> Result<Pair, FieldError> {
        let filled = |p: &Pair| has_value(cells, p.income) || has_value(cells, p.expense);
        self.booked
            .into_iter()
            .chain(self.traded)
            .find(filled)
            .ok_or_else(|| self.no_amount())
    }

    /// The amount in column `i`; an empty cell (blank, `-`) is zero.
    pub(crate) fn amount(&self, cells: &[Cow<'_, str>], i: usize) -> Result<Decimal, FieldError> {
        text::non_empty(cell(cells, i))
            .map_or(Ok(Decimal::ZERO), |v| text::parse_amount(self.name(i), v))
    }

    fn no_amount(&self) -> FieldError {
        let (field, other) = match self.booked {
            Some(_) => (BOOKED_IN, BOOKED_OUT),
            None => (TRADED_IN, TRADED_OUT),
        };
        FieldError {
            field: field.to_owned(),
            reason: format!("expected an amount in {field} or {other}, found both empty"),
        }
    }
}

/// Cell `i` of a row (`""` when out of range).
pub(crate) fn cell<'r>(cells: &'r [Cow<'_, str>], i: usize) -> &'r str {
    cells.get(i).map_or("", AsRef::as_ref)
}

fn has_value(cells: &[Cow<'_, str>], i: usize) -> bool {
    text::non_empty(cell(cells, i)).is_some()
}
