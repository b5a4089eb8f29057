//! # Example adapter: a plain bank-statement CSV
//!
//! The adapter `docs/adapters.md` walks through, and a real one: it reads the simplest bank
//! export there is, which also suits a bank line list an operator puts together by hand.
//! It depends on the SDK alone.
//!
//! ## Format
//! UTF-8 (a BOM is dropped) or GBK. A header naming at least `date` and `amount`, in any
//! order and case, optionally `currency`, `counterparty`, `reference`, `memo` and `account`;
//! other columns are kept as extras. Dates are `YYYY-MM-DD`, amounts signed (money in
//! positive) with `.` decimals and optional thousands commas. Blank lines are skipped, and a
//! last line `total,<amount>` is a control total that is checked against the rows.
//!
//! ## Mapping
//! Each row becomes a [`Kind::Bank`] record of provider `bank`: `credit` for money in,
//! `debit` for money out, status success; `date` is the value date, `reference` the bank
//! reference, and the currency defaults to CNY.

use std::borrow::Cow;

use qrecon_adapter_sdk::{
    Adapter, Decimal, Emitter, FieldError, FileError, Input, Kind, Record, Status, text,
};

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

/// Columns the adapter maps to fields of their own.
const KNOWN: [&str; 7] = [
    "date",
    "amount",
    "currency",
    "counterparty",
    "reference",
    "memo",
    "account",
];

/// The plain bank CSV adapter.
#[derive(Default)]
pub struct ExampleBankCsv;

impl Adapter for ExampleBankCsv {
    fn sniff(&self, file_name: &str, head: &[u8]) -> u8 {
        let csv = file_name.to_ascii_lowercase().ends_with(".csv");
        match text::first_line_matches(head, |l| Header::find(l).is_some()) {
            true if csv => 80,
            true => 60,
            false => 0,
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = input.text();
        let mut lines = text::lines(&text).skip_while(|(_, l)| text::clean(l).is_empty());
        let Some((header_no, header_line)) = lines.next() else {
            return Err(FileError::new(
                "the file is empty: expected a header naming date and amount",
            ));
        };
        for no in 1..header_no {
            out.skip(no, "blank line");
        }
        let header = Header::read(header_line).map_err(|m| FileError::at(header_no, m))?;
        out.skip(header_no, "header");
        // `None` once the rows' sum leaves the range of a `Decimal`.
        let mut sum = Some(Decimal::ZERO);
        for (no, line) in lines {
            if text::clean(line).is_empty() {
                out.skip(no, "blank line");
            } else if let Some(total) = line.strip_prefix("total,") {
                out.skip(no, "control total");
                check_total(total, sum, no, out);
            } else {
                data_row(&header, (no, line), &mut sum, out);
            }
        }
        Ok(())
    }
}

/// Reports one data row as a record (adding it to `sum`) or quarantined.
fn data_row(
    header: &Header,
    (no, line): (u64, &str),
    sum: &mut Option<Decimal>,
    out: &mut Emitter,
) {
    let cells = match text::split_csv(line) {
        Ok(cells) => cells,
        Err(e) => return out.row(no, line, Err(e)),
    };
    let record = header.record(no, &cells);
    if let Ok(r) = &record {
        *sum = sum.and_then(|s| s.checked_add(r.amount));
    }
    out.row(no, line, record);
}

/// Where each column is.
struct Header {
    names: Vec<String>,
    date: usize,
    amount: usize,
}

impl Header {
    /// Reads the header line; it must name `date` and `amount`.
    fn read(line: &str) -> Result<Self, String> {
        Self::find(line)
            .ok_or_else(|| format!("expected a header naming date and amount, found {line:?}"))
    }

    /// The header, when `line` is one (sniffing asks this of every file: no message built).
    fn find(line: &str) -> Option<Self> {
        let names: Vec<String> = text::split_csv(line)
            .ok()?
            .iter()
            .map(|c| text::clean(c).to_ascii_lowercase())
            .collect();
        let at = |n: &str| names.iter().position(|x| x == n);
        let (date, amount) = (at("date")?, at("amount")?);
        Some(Self {
            names,
            date,
            amount,
        })
    }

    /// The non-empty cell of column `name`.
    fn cell<'c>(&self, cells: &'c [Cow<'c, str>], name: &str) -> Option<&'c str> {
        let i = self.names.iter().position(|x| x == name)?;
        cells.get(i).and_then(|c| text::non_empty(c))
    }

    /// The record of one data row, borrowing its cells.
    fn record<'c>(&'c self, no: u64, cells: &'c [Cow<'c, str>]) -> Result<Record<'c>, FieldError> {
        if cells.len() != self.names.len() {
            return Err(FieldError::row(format!(
                "expected {} cells as in the header, found {}",
                self.names.len(),
                cells.len()
            )));
        }
        let cell = |i: usize| cells.get(i).map_or("", |c| text::clean(c));
        let amount = text::parse_amount("amount", cell(self.amount))?;
        let kind = if amount < Decimal::ZERO {
            "debit"
        } else {
            "credit"
        };
        let mut r = Record::new(no, Kind::Bank, kind, "bank");
        r.amount = amount;
        r.value_date = Some(text::parse_date("date", cell(self.date))?);
        r.status = Status::Success;
        r.currency = self.cell(cells, "currency").unwrap_or("CNY");
        r.counterparty = self.cell(cells, "counterparty");
        r.bank_ref = self.cell(cells, "reference");
        r.memo = self.cell(cells, "memo");
        r.account = self.cell(cells, "account");
        r.extra = self
            .names
            .iter()
            .zip(cells)
            .filter(|(name, _)| !KNOWN.contains(&name.as_str()))
            .filter_map(|(name, c)| text::non_empty(c).map(|v| (name.as_str(), v)))
            .collect();
        Ok(r)
    }
}

/// Checks the control total line against the rows read before it.
fn check_total(total: &str, sum: Option<Decimal>, no: u64, out: &mut Emitter) {
    match (text::parse_amount("total", total), sum) {
        (Ok(t), Some(sum)) if t == sum => {}
        (Ok(t), Some(sum)) => out.warn(
            no,
            &format!("control total {t} differs from the rows' sum {sum}"),
        ),
        (Ok(_), None) => out.warn(
            no,
            "control total not checked: the rows' sum is out of range",
        ),
        (Err(e), _) => out.warn(no, &format!("control total unreadable: {e}")),
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: ExampleBankCsv,
    name: "example-bank-csv",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "bank",
    formats: "plain bank CSV (date, amount, …)",
    description: "The example adapter of docs/adapters.md: a plain bank-statement CSV with a header naming date and amount",
}
