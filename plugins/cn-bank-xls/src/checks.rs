//! Control checks over the parsed rows, reported as warnings: the footer's totals against
//! the rows' sums, and each row's balance against the previous row's balance plus its amount.
//!
//! A footer states totals in one of two ways: under the amount columns of a row labelled
//! `合计`/`总计`, or as labelled cells (`收入合计：1,234.00`, `支出合计 | 56.00`, `共6笔`).
//! Statements list rows oldest first or newest first; the balance check follows whichever
//! order the balances agree with best, and names the rows where they do not.

use qrecon_adapter_sdk::{Decimal, Emitter};

use crate::layout::{Columns, Sign, key};
use crate::row::Cells;

/// Balance breaks reported one by one; more are summed up in one warning.
const BREAKS_LISTED: usize = 5;

/// A total the footer states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Total {
    Income,
    Expense,
    Net,
    Count,
}

impl Total {
    fn label(self) -> &'static str {
        match self {
            Total::Income => "income",
            Total::Expense => "expense",
            Total::Net => "net amount",
            Total::Count => "row count",
        }
    }
}

/// One row's balance after it, and its amount.
#[derive(Clone, Copy)]
struct Link {
    line: u64,
    balance: Decimal,
    amount: Decimal,
}

/// A balance that does not follow from its neighbour's.
struct Break {
    line: u64,
    from: u64,
    expected: Decimal,
    found: Decimal,
}

/// Sums of the parsed rows and the balance chain so far.
pub(crate) struct Checks {
    /// Income and expense so far; `None` once a sum is out of range.
    sums: Option<(Decimal, Decimal)>,
    rows: u64,
    quarantined: u64,
    previous: Option<Link>,
    pairs: u64,
    oldest_first: Vec<Break>,
    newest_first: Vec<Break>,
}

impl Default for Checks {
    fn default() -> Self {
        Self {
            sums: Some((Decimal::ZERO, Decimal::ZERO)),
            rows: 0,
            quarantined: 0,
            previous: None,
            pairs: 0,
            oldest_first: Vec::new(),
            newest_first: Vec::new(),
        }
    }
}

impl Checks {
    /// Counts a parsed row.
    pub(crate) fn add(
        &mut self,
        line: u64,
        (income, expense): (Decimal, Decimal),
        balance: Option<Decimal>,
    ) {
        self.sums = self
            .sums
            .and_then(|(i, e)| Some((i.checked_add(income)?, e.checked_add(expense)?)));
        self.rows += 1;
        let (Some(balance), Some(amount)) = (balance, income.checked_sub(expense)) else {
            self.previous = None;
            return;
        };
        let link = Link {
            line,
            balance,
            amount,
        };
        if let Some(prev) = self.previous.replace(link) {
            self.chain(prev, link);
        }
    }

    /// Counts a quarantined row: it is not in the sums, and the balance chain restarts after it.
    pub(crate) fn quarantined(&mut self) {
        self.quarantined += 1;
        self.previous = None;
    }

    fn chain(&mut self, prev: Link, next: Link) {
        self.pairs += 1;
        let Some((forward, backward)) = prev
            .balance
            .checked_add(next.amount)
            .zip(next.balance.checked_add(prev.amount))
        else {
            return;
        };
        if forward != next.balance {
            self.oldest_first.push(Break {
                line: next.line,
                from: prev.line,
                expected: forward,
                found: next.balance,
            });
        }
        if backward != prev.balance {
            self.newest_first.push(Break {
                line: prev.line,
                from: next.line,
                expected: backward,
                found: prev.balance,
            });
        }
    }

    /// Compares the totals a footer row states with the rows parsed so far.
    pub(crate) fn footer(
        &self,
        columns: &Columns,
        line: u64,
        cells: &Cells<'_>,
        out: &mut Emitter,
    ) {
        let stated = stated_totals(columns, cells);
        if stated.is_empty() {
            if cells
                .texts
                .iter()
                .any(|t| t.contains("合计") || t.contains("总计"))
            {
                out.warn(
                    line,
                    "the footer names totals, but none of them could be read",
                );
            }
            return;
        }
        for (total, value) in stated {
            let (income, expense) = self.sums.unwrap_or_default();
            let sum = match total {
                Total::Count => Some(Decimal::from(self.rows)),
                _ if self.sums.is_none() => None,
                Total::Income => Some(income),
                Total::Expense => Some(expense),
                Total::Net => income.checked_sub(expense),
            };
            let Some(sum) = sum else {
                out.warn(
                    line,
                    "the footer's totals cannot be checked: the rows' sum is out of range",
                );
                return;
            };
            if sum != value {
                out.warn(line, &self.mismatch(total, value, sum));
            }
        }
    }

    fn mismatch(&self, total: Total, stated: Decimal, sum: Decimal) -> String {
        let uncounted = match self.quarantined {
            0 => String::new(),
            n => format!(" ({n} quarantined rows are not counted)"),
        };
        format!(
            "the footer states {} {stated}, but the {} parsed rows give {sum}{uncounted}",
            total.label(),
            self.rows
        )
    }

    /// Reports the balance breaks, in the row order that has fewer of them.
    pub(crate) fn finish(self, header_line: u64, out: &mut Emitter) {
        if self.pairs == 0 {
            return;
        }
        let (order, breaks) = if self.oldest_first.len() <= self.newest_first.len() {
            ("oldest first", self.oldest_first)
        } else {
            ("newest first", self.newest_first)
        };
        for b in breaks.iter().take(BREAKS_LISTED) {
            let message = format!(
                "the balance after row {} is {}, but row {}'s balance and row {}'s amount give \
                 {} (rows read {order}): a row may be missing, or an amount misread",
                b.line, b.found, b.from, b.line, b.expected
            );
            out.warn(b.line, &message);
        }
        if breaks.len() > BREAKS_LISTED {
            let message = format!(
                "{} more balances do not follow from the row before them",
                breaks.len() - BREAKS_LISTED
            );
            out.warn(header_line, &message);
        }
    }
}

/// The totals a footer row states, under the amount columns or in labelled cells.
fn stated_totals(columns: &Columns, cells: &Cells<'_>) -> Vec<(Total, Decimal)> {
    let mut found = labelled(cells);
    if found.is_empty()
        && cells
            .texts
            .iter()
            .any(|t| t.contains("合计") || t.contains("总计"))
    {
        found = aligned(columns, cells);
    }
    found
}

/// Totals under the amount columns of a `合计` row.
fn aligned(columns: &Columns, cells: &Cells<'_>) -> Vec<(Total, Decimal)> {
    let slots = match columns.layout.sign {
        Sign::Pair => vec![
            (Total::Income, columns.income),
            (Total::Expense, columns.expense),
        ],
        Sign::Signed => vec![(Total::Net, columns.amount)],
        Sign::Direction => Vec::new(),
    };
    slots
        .into_iter()
        .filter_map(|(total, i)| {
            let i = i?;
            let value = cells.value(i).amount("").ok().flatten()?;
            Some((total, value))
        })
        .collect()
}

/// Totals in labelled cells: `收入合计：12.00`, `支出合计` beside `3.00`, `共6笔`.
fn labelled(cells: &Cells<'_>) -> Vec<(Total, Decimal)> {
    let mut found = Vec::new();
    for (i, text) in cells.texts.iter().enumerate() {
        let k = key(text);
        if let Some(count) = count_of(&k) {
            found.push((Total::Count, count));
            continue;
        }
        let (label, inline) = k.split_once(':').unwrap_or((k.as_str(), ""));
        let Some(total) = total_of(label) else {
            continue;
        };
        let value = if inline.is_empty() {
            cells.value(i + 1).amount("").ok().flatten()
        } else {
            qrecon_adapter_sdk::text::parse_amount("", inline.trim_end_matches('元')).ok()
        };
        if let Some(value) = value {
            found.push((total, value));
        }
    }
    found
}

/// What a total's label names: `收入合计`/`收入总额` income, `支出合计` expense, `笔数` count.
fn total_of(label: &str) -> Option<Total> {
    let summed = ["合计", "总计", "总额", "总金额"]
        .iter()
        .any(|w| label.contains(w));
    if label.contains("笔数") {
        Some(Total::Count)
    } else if !summed {
        None
    } else if label.contains("收入") || label.contains("存入") || label.contains("贷方") {
        Some(Total::Income)
    } else if label.contains("支出") || label.contains("借方") {
        Some(Total::Expense)
    } else {
        None
    }
}

/// `共6笔` → 6.
fn count_of(k: &str) -> Option<Decimal> {
    let digits = k.strip_prefix('共')?.strip_suffix('笔')?;
    let n: u64 = digits.parse().ok()?;
    Some(Decimal::from(n))
}
