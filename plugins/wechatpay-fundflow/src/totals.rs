//! Control totals: what the rows add up to, against what the summary row says.

use std::fmt;

use qrecon_adapter_sdk::{Decimal, FieldError, text};

use crate::entry::Direction;
use crate::header::Row;

/// 资金流水总笔数: rows in the file.
const TOTAL_ROWS: &str = "资金流水总笔数";
/// 收入笔数: income rows.
const INCOME_ROWS: &str = "收入笔数";
/// 收入金额: income amount.
const INCOME_AMOUNT: &str = "收入金额";
/// 支出笔数: expense rows.
const EXPENSE_ROWS: &str = "支出笔数";
/// 支出金额: expense amount (unsigned).
const EXPENSE_AMOUNT: &str = "支出金额";

/// Whether `line` is the summary header.
pub(crate) fn is_summary_header(line: &str) -> bool {
    text::clean(line).starts_with(TOTAL_ROWS)
}

/// One control figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Figure {
    Count(u64),
    Amount(Decimal),
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Count(n) => write!(f, "{n}"),
            Figure::Amount(a) => write!(f, "{a}"),
        }
    }
}

/// What the rows that became records add up to.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    rows: u64,
    income_rows: u64,
    income: Decimal,
    expense_rows: u64,
    expense: Decimal,
}

impl Totals {
    /// Counts one record of `direction` and signed `amount`.
    pub(crate) fn add(&mut self, direction: Direction, amount: Decimal) {
        self.rows += 1;
        match direction {
            Direction::Income => {
                self.income_rows += 1;
                self.income += amount.abs();
            }
            Direction::Expense => {
                self.expense_rows += 1;
                self.expense += amount.abs();
            }
        }
    }

    fn figures(&self) -> [(&'static str, Figure); 5] {
        [
            (TOTAL_ROWS, Figure::Count(self.rows)),
            (INCOME_ROWS, Figure::Count(self.income_rows)),
            (INCOME_AMOUNT, Figure::Amount(self.income)),
            (EXPENSE_ROWS, Figure::Count(self.expense_rows)),
            (EXPENSE_AMOUNT, Figure::Amount(self.expense)),
        ]
    }

    /// Each figure of the summary row that disagrees with the rows, naming both values.
    /// A figure whose column the summary header lacks is not checked.
    pub(crate) fn disagreements(&self, summary: &Row<'_>) -> Result<Vec<String>, FieldError> {
        let mut found = Vec::new();
        for (name, parsed) in self.figures() {
            if !summary.has(name) {
                continue;
            }
            let cell = summary.get(name);
            let stated = match parsed {
                Figure::Count(_) => Figure::Count(text::parse_count(name, cell)?),
                Figure::Amount(_) => Figure::Amount(text::parse_amount(name, cell)?),
            };
            if stated != parsed {
                found.push(format!(
                    "{name} is {stated} in the summary but {parsed} in the rows"
                ));
            }
        }
        Ok(found)
    }
}
