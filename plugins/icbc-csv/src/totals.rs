//! The footer's control totals (`合计金额`, `人民币合计`) against the parsed rows.

use std::collections::BTreeMap;

use qrecon_adapter_sdk::{Decimal, Emitter, FieldError, text};

use crate::columns::Columns;

/// Income and expense of the rows parsed so far.
#[derive(Clone, Copy, Default)]
struct Sum {
    income: Decimal,
    expense: Decimal,
    rows: u64,
    /// A sum left the range of a `Decimal`: the footer cannot be checked.
    out_of_range: bool,
}

impl Sum {
    fn add(&mut self, income: Decimal, expense: Decimal) {
        match (
            self.income.checked_add(income),
            self.expense.checked_add(expense),
        ) {
            (Some(i), Some(e)) => (self.income, self.expense) = (i, e),
            _ => self.out_of_range = true,
        }
        self.rows += 1;
    }
}

/// Running sums of the parsed rows, overall and per currency.
#[derive(Default)]
pub(crate) struct Totals {
    all: Sum,
    by_currency: BTreeMap<String, Sum>,
    quarantined: u64,
}

/// The first cell of a footer line (`合计金额`, `人民币合计`), or `None` for any other line.
pub(crate) fn footer_label(raw: &str) -> Option<&str> {
    let first = text::clean(raw.split(',').next()?).trim_matches('"');
    first.contains("合计").then_some(first)
}

/// The currency a footer totals: `人民币合计` → CNY, `合计金额` → all of them (`None`).
fn scope(label: &str) -> Option<&str> {
    match label.split("合计").next().map(text::clean) {
        None | Some("") => None,
        Some("人民币") => Some("CNY"),
        Some(other) => Some(other),
    }
}

impl Totals {
    /// Counts a parsed row.
    pub(crate) fn add(&mut self, currency: &str, income: Decimal, expense: Decimal) {
        self.all.add(income, expense);
        self.by_currency
            .entry(currency.to_owned())
            .or_default()
            .add(income, expense);
    }

    /// Counts a quarantined row (its amounts are not in the sums).
    pub(crate) fn quarantined(&mut self) {
        self.quarantined += 1;
    }

    /// Compares the footer at line `no` with the rows so far; warns when they disagree.
    pub(crate) fn check_footer(
        &self,
        columns: &Columns,
        label: &str,
        (no, raw): (u64, &str),
        out: &mut Emitter,
    ) {
        let stated = match footer_amounts(columns, raw) {
            Ok(stated) => stated,
            Err(e) => {
                out.warn(
                    no,
                    &format!("footer {label}: its totals cannot be read ({e})"),
                );
                return;
            }
        };
        let scope = scope(label);
        let sum = scope.map_or(self.all, |c| {
            self.by_currency.get(c).copied().unwrap_or_default()
        });
        if sum.out_of_range {
            out.warn(
                no,
                &format!(
                    "footer {label}: its totals cannot be checked: the rows' sum is out of range"
                ),
            );
            return;
        }
        if stated == (sum.income, sum.expense) {
            return;
        }
        let which = scope.map_or_else(String::new, |c| format!(" in {c}"));
        let uncounted = match self.quarantined {
            0 => String::new(),
            n => format!(" ({n} quarantined rows are not counted)"),
        };
        let message = format!(
            "footer {label} states income {} and expense {}, but the {} parsed rows{which} \
             sum to income {} and expense {}{uncounted}",
            stated.0, stated.1, sum.rows, sum.income, sum.expense
        );
        out.warn(no, &message);
    }
}

/// The footer's (income, expense): its 记账金额 cells, or its 交易金额 cells when those are empty.
fn footer_amounts(columns: &Columns, raw: &str) -> Result<(Decimal, Decimal), FieldError> {
    let cells = text::split_csv(raw)?;
    let pair = columns.pair_for(&cells)?;
    Ok((
        columns.amount(&cells, pair.income)?,
        columns.amount(&cells, pair.expense)?,
    ))
}
