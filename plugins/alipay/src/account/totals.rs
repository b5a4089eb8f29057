//! Control totals: the footer's `#支出合计：N笔，共X元` and `#收入合计：N笔，共X元` against
//! the rows that became records.

use qrecon_adapter_sdk::Decimal;

use super::entry::Direction;
use crate::bill;
use crate::out::Out;
pub(crate) use crate::sum::Sum;

/// Label of the expense control total.
const EXPENSE: &str = "支出合计";
/// Label of the income control total.
const INCOME: &str = "收入合计";
/// What precedes the amount on a control-total line.
const MARKER: &str = "共";

/// What the parsed rows add up to: count and unsigned sum of the income rows and of the
/// expense rows, and the rows quarantined.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Totals {
    pub(crate) income: Sum,
    pub(crate) expense: Sum,
    pub(crate) quarantined: u64,
}

impl Totals {
    /// Counts a record of `direction` and signed `amount` (rows with neither an income nor
    /// an expense count in neither total).
    pub(crate) fn add(&mut self, direction: Direction, amount: Decimal) {
        let sum = match direction {
            Direction::Income => &mut self.income,
            Direction::Expense => &mut self.expense,
            Direction::Neither => return,
        };
        sum.add(amount.abs());
    }

    /// Adds the totals of another 账务明细 of the same bundle.
    pub(crate) fn merge(&mut self, other: &Self) {
        self.income.merge(other.income);
        self.expense.merge(other.expense);
        self.quarantined += other.quarantined;
    }

    /// Counts a quarantined row (its amount is not in the sums).
    pub(crate) fn quarantined(&mut self) {
        self.quarantined += 1;
    }

    /// Checks each control-total line among `footers` (the `#` lines after the header) and
    /// warns on the line when it disagrees with the rows. The expense total may be printed
    /// signed or not; it is compared by magnitude. A log without any control total gets a
    /// warning on `last_line`.
    pub(crate) fn check(&self, footers: &[(u64, &str)], last_line: u64, out: &mut Out<'_>) {
        let mut seen = false;
        for &(no, raw) in footers {
            let Some((label, rest)) = bill::total_line(raw) else {
                continue;
            };
            let (sum, what) = match label {
                EXPENSE => (self.expense, "支出"),
                INCOME => (self.income, "收入"),
                _ => continue,
            };
            seen = true;
            match bill::figures(label, rest, MARKER) {
                Ok((rows, stated)) if rows == sum.rows && stated.abs() == sum.amount => {}
                Ok((rows, stated)) => {
                    let parsed = if stated.is_sign_negative() {
                        -sum.amount
                    } else {
                        sum.amount
                    };
                    out.warn(
                        no,
                        &format!(
                            "control total {label} states {rows} rows and {stated}, but the \
                             parsed {what} rows are {} summing to {parsed}{}",
                            sum.rows,
                            bill::uncounted(self.quarantined)
                        ),
                    );
                }
                Err(e) => out.warn(
                    no,
                    &format!("control total {label} cannot be read ({e}); not checked"),
                ),
            }
        }
        if !seen {
            out.warn(
                last_line,
                "the account log has no control totals (#支出合计, #收入合计); not checked",
            );
        }
    }
}
