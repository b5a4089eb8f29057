//! The summary trailer of a trade bill, used as a control total: each figure is compared
//! with the sum of the parsed rows, and a disagreement becomes a warning on the summary line.

use qrecon_adapter_sdk::text::{self, clean};
use qrecon_adapter_sdk::{Decimal, Emitter, Record};

/// Running sums of the parsed detail rows.
#[derive(Default)]
pub(crate) struct Totals {
    rows: u64,
    settlement: Decimal,
    refunds: Decimal,
    fees: Decimal,
    /// A sum left the range of a `Decimal`: the summary cannot be checked.
    out_of_range: bool,
}

impl Totals {
    pub(crate) fn add(&mut self, record: &Record<'_>) {
        self.rows += 1;
        let (settlement, refunds) = if record.record_type == "refund" {
            (
                Some(self.settlement),
                self.refunds.checked_sub(record.amount),
            )
        } else {
            (
                self.settlement.checked_add(record.amount),
                Some(self.refunds),
            )
        };
        let fees = self.fees.checked_add(record.fee.unwrap_or_default());
        match (settlement, refunds, fees) {
            (Some(s), Some(r), Some(f)) => (self.settlement, self.refunds, self.fees) = (s, r, f),
            _ => self.out_of_range = true,
        }
    }

    /// The parsed figure a summary column is checked against, if it is one we check.
    fn figure(&self, column: &str) -> Option<Figure> {
        Some(match column {
            "总交易单数" => Figure::Count(self.rows),
            "应结订单总金额" | "总交易额" => Figure::Amount(self.settlement),
            "退款总金额" | "总退款金额" => Figure::Amount(self.refunds),
            "手续费总金额" => Figure::Amount(self.fees),
            _ => return None,
        })
    }
}

enum Figure {
    Count(u64),
    Amount(Decimal),
}

/// Checks the summary row after `header` against `totals`; reports the row as skipped.
pub(crate) fn check(header: &str, row: Option<(u64, &str)>, totals: &Totals, out: &mut Emitter) {
    let Some((n, row)) = row else {
        return;
    };
    out.skip(n, "summary trailer");
    if totals.out_of_range {
        return out.warn(
            n,
            "control totals not checked: the rows' sum is out of range",
        );
    }
    let values = match crate::split_values(row) {
        Ok(v) => v,
        Err(e) => return out.warn(n, &format!("summary row unreadable: {e}")),
    };
    let names: Vec<&str> = header.split(',').map(clean).collect();
    if names.len() != values.len() {
        let msg = format!(
            "summary row has {} values, its header {}",
            values.len(),
            names.len()
        );
        return out.warn(n, &msg);
    }
    let mut disagreements = Vec::new();
    for (name, value) in names.iter().zip(&values) {
        let Some(figure) = totals.figure(name) else {
            continue;
        };
        let agrees = match figure {
            Figure::Count(c) => text::parse_count(name, value).map(|v| (v == c, c.to_string())),
            Figure::Amount(a) => text::parse_amount(name, value).map(|v| (v == a, a.to_string())),
        };
        match agrees {
            Ok((true, _)) => {}
            Ok((false, parsed)) => disagreements.push(format!(
                "{name} says {} but the rows add up to {parsed}",
                clean(value)
            )),
            Err(e) => disagreements.push(e.to_string()),
        }
    }
    if !disagreements.is_empty() {
        out.warn(
            n,
            &format!(
                "control totals disagree with the detail rows: {}",
                disagreements.join("; ")
            ),
        );
    }
}
