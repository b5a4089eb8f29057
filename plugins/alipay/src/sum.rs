//! A count of rows and the sum of their amounts, as control totals state them.

use qrecon_adapter_sdk::Decimal;

/// Rows counted and their amounts summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sum {
    /// Rows counted.
    pub(crate) rows: u64,
    /// Their amounts, summed.
    pub(crate) amount: Decimal,
}

impl Sum {
    /// Counts one row of `amount`.
    pub(crate) fn add(&mut self, amount: Decimal) {
        self.rows += 1;
        self.amount += amount;
    }

    /// Adds another sum to this one.
    pub(crate) fn merge(&mut self, other: Self) {
        self.rows += other.rows;
        self.amount += other.amount;
    }
}
