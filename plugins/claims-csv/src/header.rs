//! The claims CSV's columns, found by name (ASCII case ignored) in its header row, and a
//! row's cells read through them.

use std::borrow::Cow;

use qrecon_adapter_sdk::{FieldError, FileError, text};

/// `claim_id`: the claim's own id, unique within the file (required).
pub(crate) const CLAIM_ID: &str = "claim_id";
/// `source`: `order`, `complaint` or `payer_receipt` (empty = `order`).
pub(crate) const SOURCE: &str = "source";
/// `provider`: `wechatpay`, `alipay`, … (empty = `unknown`).
pub(crate) const PROVIDER: &str = "provider";
/// `paid_at`: RFC 3339, or `YYYY-MM-DD HH:MM:SS` in the configured zone (required).
pub(crate) const PAID_AT: &str = "paid_at";
/// `amount`: a positive decimal (required).
pub(crate) const AMOUNT: &str = "amount";
/// `currency`: ISO 4217 code (empty = CNY).
pub(crate) const CURRENCY: &str = "currency";
/// `order_id`: the merchant's order number.
pub(crate) const ORDER_ID: &str = "order_id";
/// `txn_id`: the platform's transaction number.
pub(crate) const TXN_ID: &str = "txn_id";
/// `payer`: who paid, masked as the source masks it.
pub(crate) const PAYER: &str = "payer";
/// `payee_seen`: the payee name the payer saw.
pub(crate) const PAYEE_SEEN: &str = "payee_seen";
/// `note`: free text.
pub(crate) const NOTE: &str = "note";

/// Every column the format defines; any other column goes to `extra`.
const KNOWN: [&str; 11] = [
    CLAIM_ID, SOURCE, PROVIDER, PAID_AT, AMOUNT, CURRENCY, ORDER_ID, TXN_ID, PAYER, PAYEE_SEEN,
    NOTE,
];
/// Columns a claims file must have.
const REQUIRED: [&str; 3] = [CLAIM_ID, PAID_AT, AMOUNT];

fn is_known(name: &str) -> bool {
    KNOWN.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// The column names of a header line.
fn names(raw: &str) -> Result<Vec<String>, FieldError> {
    Ok(text::split_csv(raw)?
        .iter()
        .map(|c| text::clean(c).to_owned())
        .collect())
}

/// Whether `line` is a claims header: it names every required column.
pub(crate) fn is_header(line: &str) -> bool {
    names(line).is_ok_and(|names| {
        REQUIRED
            .iter()
            .all(|r| names.iter().any(|n| n.eq_ignore_ascii_case(r)))
    })
}

/// The header row: where each column is, and the extra columns' names.
pub(crate) struct Header {
    line: u64,
    names: Vec<String>,
    extra: Vec<(usize, String)>,
}

impl Header {
    /// Reads the header at `line`; fails naming what is missing or repeated.
    pub(crate) fn read(line: u64, raw: &str) -> Result<Self, FileError> {
        let names = names(raw).map_err(|e| {
            FileError::at(line, format!("the header cannot be split into cells: {e}"))
        })?;
        let header = Self {
            line,
            extra: extra_columns(&names),
            names,
        };
        header.check(raw)?;
        Ok(header)
    }

    fn check(&self, raw: &str) -> Result<(), FileError> {
        if let Some(name) = KNOWN.iter().find(|k| self.count(k) > 1) {
            return Err(FileError::at(
                self.line,
                format!("the header names the column {name} more than once"),
            ));
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|r| self.count(r) == 0)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(FileError::at(
            self.line,
            format!(
                "the claims header {raw:?} lacks the required column(s) {}; a claims CSV needs claim_id, paid_at and amount",
                missing.join(", ")
            ),
        ))
    }

    fn count(&self, name: &str) -> usize {
        self.names
            .iter()
            .filter(|n| n.eq_ignore_ascii_case(name))
            .count()
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }

    /// The cells of one row read through this header; the row must have as many cells.
    pub(crate) fn row<'r>(&'r self, cells: &'r [Cow<'r, str>]) -> Result<Row<'r>, FieldError> {
        if cells.len() == self.names.len() {
            return Ok(Row {
                header: self,
                cells,
            });
        }
        Err(FieldError::row(format!(
            "expected {} cells as in the header (line {}), found {}",
            self.names.len(),
            self.line,
            cells.len()
        )))
    }
}

/// The columns the format does not define, with the key each goes under in `extra` (its
/// header name, or `column N` when the header cell is empty).
fn extra_columns(names: &[String]) -> Vec<(usize, String)> {
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| !is_known(n))
        .map(|(i, n)| {
            (
                i,
                if n.is_empty() {
                    format!("column {}", i + 1)
                } else {
                    n.clone()
                },
            )
        })
        .collect()
}

/// One row's cells, addressed by column name.
pub(crate) struct Row<'r> {
    header: &'r Header,
    cells: &'r [Cow<'r, str>],
}

impl<'r> Row<'r> {
    /// The cleaned value under `name`; `""` when the header has no such column.
    pub(crate) fn get(&self, name: &str) -> &'r str {
        let cells = self.cells;
        self.header
            .index(name)
            .and_then(|i| cells.get(i))
            .map_or("", |c| text::clean(c))
    }

    /// The value under `name`, or `None` when it is empty or one of the exports' blanks.
    pub(crate) fn opt(&self, name: &str) -> Option<&'r str> {
        text::non_empty(self.get(name))
    }

    /// The non-empty values of the columns the format does not define, by header name.
    pub(crate) fn extra(&self) -> Vec<(&'r str, &'r str)> {
        let cells = self.cells;
        self.header
            .extra
            .iter()
            .filter_map(|(i, name)| Some((name.as_str(), text::non_empty(cells.get(*i)?)?)))
            .collect()
    }
}
