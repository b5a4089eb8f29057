//! The preamble's control totals (`共N笔记录`, `收入：N笔 X元`, `支出：…`, `中性交易：…`)
//! against the rows: a label names the rows whose 收/支 is that label (`中性交易` = `/`). A
//! disagreement is a warning on the total's line.

use std::collections::BTreeMap;

use qrecon_adapter_sdk::{Decimal, Emitter};

use crate::frame::{self, Control};

/// Rows and their sum.
#[derive(Clone, Copy, Default)]
struct Sum {
    rows: u64,
    amount: Decimal,
}

/// What the rows add up to, and the totals the preamble states.
#[derive(Default)]
pub(crate) struct Totals {
    /// Data rows (read or not).
    rows: u64,
    /// By 收/支 value.
    buckets: BTreeMap<String, Sum>,
    /// Rows whose cells did not line up with the header or whose amount was unreadable.
    uncounted: u64,
    /// The totals stated, with their lines.
    stated: Vec<(u64, Control)>,
}

impl Totals {
    /// Notes a control total stated at line `no`.
    pub(crate) fn state(&mut self, no: u64, control: Control) {
        self.stated.push((no, control));
    }

    /// Counts a data row that could not be split through the header.
    pub(crate) fn unaligned(&mut self) {
        self.rows += 1;
        self.uncounted += 1;
    }

    /// Counts a data row under its 收/支 value.
    pub(crate) fn add(&mut self, direction: &str, amount: Option<Decimal>) {
        self.rows += 1;
        let Some(amount) = amount else {
            self.uncounted += 1;
            return;
        };
        let sum = self.buckets.entry(direction.to_owned()).or_default();
        sum.rows += 1;
        sum.amount += amount;
    }

    /// Warns on every stated total the rows disagree with.
    pub(crate) fn check(&self, out: &mut Emitter) {
        for (no, control) in &self.stated {
            if let Some(message) = self.disagreement(control) {
                out.warn(*no, &message);
            }
        }
    }

    fn disagreement(&self, control: &Control) -> Option<String> {
        match control {
            Control::Rows(n) if *n != self.rows => Some(format!(
                "control total 共{n}笔记录 states {n} rows, but the file has {} data rows",
                self.rows
            )),
            Control::Rows(_) => None,
            Control::Bucket {
                label,
                rows,
                amount,
            } => {
                let bucket = frame::bucket_of(label);
                let sum = self.buckets.get(bucket).copied().unwrap_or_default();
                (sum.rows != *rows || sum.amount != *amount).then(|| {
                    format!(
                        "control total {label} states {rows} rows and {amount}元, but the file's \
                         rows with 收/支 {bucket} are {} summing to {}{}",
                        sum.rows,
                        sum.amount,
                        self.uncounted_note()
                    )
                })
            }
        }
    }

    fn uncounted_note(&self) -> String {
        match self.uncounted {
            0 => String::new(),
            1 => " (1 unreadable row is not counted)".to_owned(),
            n => format!(" ({n} unreadable rows are not counted)"),
        }
    }
}
