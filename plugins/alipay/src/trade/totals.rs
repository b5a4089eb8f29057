//! Control totals: the footer's `#交易合计：N笔，商家实收共X元` and
//! `#退款合计：N笔，商家实收退款共-Y元` against the rows that became records.

use qrecon_adapter_sdk::Record;

use crate::bill;
use crate::out::Out;
pub(crate) use crate::sum::Sum;

/// Label of the payments' control total.
const PAYMENTS: &str = "交易合计";
/// Label of the refunds' control total.
const REFUNDS: &str = "退款合计";

/// What the parsed rows add up to: count and sum of 商家实收 of the payments and of the
/// refunds (negative), and the rows quarantined.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Totals {
    pub(crate) payments: Sum,
    pub(crate) refunds: Sum,
    pub(crate) quarantined: u64,
}

impl Totals {
    /// Counts a record.
    pub(crate) fn add(&mut self, record: &Record<'_>) {
        let sum = if record.record_type == "refund" {
            &mut self.refunds
        } else {
            &mut self.payments
        };
        sum.add(record.amount);
    }

    /// Adds the totals of another 业务明细 of the same bundle.
    pub(crate) fn merge(&mut self, other: &Self) {
        self.payments.merge(other.payments);
        self.refunds.merge(other.refunds);
        self.quarantined += other.quarantined;
    }

    /// Counts a quarantined row (its amount is not in the sums).
    pub(crate) fn quarantined(&mut self) {
        self.quarantined += 1;
    }

    /// Checks each control-total line among `footers` (the `#` lines after the header) and
    /// warns on the line when it disagrees with the rows. A bill without any control total
    /// gets a warning on `last_line`.
    pub(crate) fn check(&self, footers: &[(u64, &str)], last_line: u64, out: &mut Out<'_>) {
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
