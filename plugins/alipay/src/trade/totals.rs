//! Control totals: the footer's `#交易合计：N笔，商家实收共X元` and
//! `#退款合计：N笔，商家实收退款共-Y元` against the rows that became records.

use qrecon_adapter_sdk::{Decimal, Emitter, Record};

use crate::bill;

/// Label of the payments' control total.
const PAYMENTS: &str = "交易合计";
/// Label of the refunds' control total.
const REFUNDS: &str = "退款合计";

/// Count and sum of 商家实收 of one kind of row.
#[derive(Clone, Copy, Default)]
struct Sum {
    rows: u64,
    amount: Decimal,
}

/// What the parsed rows add up to.
#[derive(Default)]
pub(crate) struct Totals {
    payments: Sum,
    refunds: Sum,
    quarantined: u64,
}

impl Totals {
    /// Counts a record.
    pub(crate) fn add(&mut self, record: &Record<'_>) {
        let sum = if record.record_type == "refund" {
            &mut self.refunds
        } else {
            &mut self.payments
        };
        sum.rows += 1;
        sum.amount += record.amount;
    }

    /// Counts a quarantined row (its amount is not in the sums).
    pub(crate) fn quarantined(&mut self) {
        self.quarantined += 1;
    }

    /// Checks each control-total line among `footers` (the `#` lines after the header) and
    /// warns on the line when it disagrees with the rows. A bill without any control total
    /// gets a warning on `last_line`.
    pub(crate) fn check(&self, footers: &[(u64, &str)], last_line: u64, out: &mut Emitter) {
        let mut seen = false;
        for &(no, raw) in footers {
            let Some((label, rest)) = bill::total_line(raw) else {
                continue;
            };
            let (sum, marker, what) = match label {
                PAYMENTS => (self.payments, "商家实收共", "交易"),
                REFUNDS => (self.refunds, "商家实收退款共", "退款"),
                _ => continue,
            };
            seen = true;
            match bill::figures(label, rest, marker) {
                Ok((rows, amount)) if rows == sum.rows && amount == sum.amount => {}
                Ok((rows, amount)) => out.warn(
                    no,
                    &format!(
                        "control total {label} states {rows} rows and 商家实收 {amount}, but the \
                         parsed {what} rows are {} summing to {}{}",
                        sum.rows,
                        sum.amount,
                        bill::uncounted(self.quarantined)
                    ),
                ),
                Err(e) => out.warn(
                    no,
                    &format!("control total {label} cannot be read ({e}); not checked"),
                ),
            }
        }
        if !seen {
            out.warn(
                last_line,
                "the bill has no control totals (#交易合计, #退款合计); not checked",
            );
        }
    }
}
