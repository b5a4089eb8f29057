//! The control totals a bill states (`共N笔记录`, `<label>：N笔 X元`) against its rows. Each
//! row is counted under the labels its values give it (its 收/支, and for Alipay PC its
//! 资金状态); a stated total the rows disagree with is a warning on the total's line, as the
//! platforms themselves say their totals may differ from the summed rows.

use std::collections::BTreeMap;

use qrecon_adapter_sdk::{Decimal, Emitter};

use crate::frame::Control;

/// Rows and their sum.
#[derive(Clone, Copy, Default)]
struct Sum {
    rows: u64,
    amount: Decimal,
}

/// What the rows add up to, and the totals the frame states.
#[derive(Default)]
pub struct Totals {
    /// Data rows (read or not).
    rows: u64,
    /// By label.
    buckets: BTreeMap<String, Sum>,
    /// Rows whose cells did not line up with the header or whose amount was unreadable.
    uncounted: u64,
    /// The totals stated, with their lines.
    stated: Vec<(u64, Control)>,
}

impl Totals {
    /// Notes a control total stated at line `no`.
    pub fn state(&mut self, no: u64, control: Control) {
        self.stated.push((no, control));
    }

    /// Counts a data row that could not be split through the header.
    pub fn unaligned(&mut self) {
        self.rows += 1;
        self.uncounted += 1;
    }

    /// Counts a data row under each of `labels`, with its amount when readable.
    pub fn add<'l>(&mut self, labels: impl IntoIterator<Item = &'l str>, amount: Option<Decimal>) {
        self.rows += 1;
        let Some(amount) = amount else {
            self.uncounted += 1;
            return;
        };
        for label in labels {
            let sum = self.buckets.entry(label.to_owned()).or_default();
            sum.rows += 1;
            sum.amount += amount;
        }
    }

    /// Warns on every stated total the rows disagree with. `bucket_of` gives the label a
    /// stated one counts (WeChat's `中性交易` counts the rows of 收/支 `/`), and `columns`
    /// names the columns the labels come from, for the message.
    pub fn check(&self, columns: &str, bucket_of: impl Fn(&str) -> &str, out: &mut Emitter) {
        for (no, control) in &self.stated {
            if let Some(message) = self.disagreement(control, columns, &bucket_of) {
                out.warn(*no, &message);
            }
        }
    }

    fn disagreement(
        &self,
        control: &Control,
        columns: &str,
        bucket_of: impl Fn(&str) -> &str,
    ) -> Option<String> {
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
                let bucket = bucket_of(label);
                let sum = self.buckets.get(bucket).copied().unwrap_or_default();
                (sum.rows != *rows || sum.amount != *amount).then(|| {
                    format!(
                        "control total {label} states {rows} rows and {amount}元, but the file's \
                         rows with {columns} {bucket} are {} summing to {}{}",
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
