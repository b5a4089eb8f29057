//! # Claims CSV adapter (qrecon's own input format)
//!
//! Reads the claims CSV of DESIGN §7: someone asserts a payment happened — the merchant's
//! order export, a complaint list, or the payer's own receipt. UTF-8 (a BOM is dropped) or
//! GBK; a header row naming the columns
//! `claim_id,source,provider,paid_at,amount,currency,order_id,txn_id,payer,payee_seen,note`
//! in any order. Only `claim_id`, `paid_at` and `amount` are required: a header without one
//! of them fails the file, naming what is missing. Columns the format does not define go to
//! `extra` under their header names. Cells may be quoted (a quoted note may hold commas);
//! a quoted cell that does not close on its line quarantines the row.
//!
//! Each row becomes a `claim` record: type = `source` (`order`, `complaint`,
//! `payer_receipt`; empty = `order`), `provider` (empty = `unknown`), time from `paid_at`
//! (an RFC 3339 offset is kept; `YYYY-MM-DD HH:MM:SS` stays naive, read in the run's zone),
//! a positive `amount`, `currency` (empty = CNY), `order_id`, `txn_id`, `payer`,
//! `payee_name` = `payee_seen`, `memo` = `note`, status `success`. A row with an empty or
//! already used `claim_id`, another `source`, or an unreadable or non-positive amount or
//! time is quarantined with the field and the reason.

mod claim;
mod header;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input, text};

use crate::claim::Seen;
use crate::header::Header;

/// Skip reason for an empty line.
const BLANK: &str = "blank line";

/// The claims CSV adapter.
#[derive(Debug, Default)]
pub struct ClaimsCsv;

impl Adapter for ClaimsCsv {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        if text::first_line_matches(head, header::is_header) {
            90
        } else {
            0
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = input.text();
        let mut lines = text::lines(&text);
        let header = read_header(&mut lines, out)?;
        let mut seen = Seen::new();
        for (line, raw) in lines {
            if text::clean(raw).is_empty() {
                out.skip(line, BLANK);
            } else {
                emit_row(line, raw, &header, &mut seen, out);
            }
        }
        Ok(())
    }
}

/// Skips the blank lines before the header and reads it.
fn read_header<'t>(
    lines: &mut impl Iterator<Item = (u64, &'t str)>,
    out: &mut Emitter,
) -> Result<Header, FileError> {
    for (line, raw) in lines {
        if text::clean(raw).is_empty() {
            out.skip(line, BLANK);
            continue;
        }
        let header = Header::read(line, raw)?;
        out.skip(line, "header");
        return Ok(header);
    }
    Err(FileError::new(
        "the file is empty; a claims CSV starts with a header row naming claim_id, paid_at and amount",
    ))
}

/// Reports one data row as a record or quarantined.
fn emit_row(line: u64, raw: &str, header: &Header, seen: &mut Seen, out: &mut Emitter) {
    let cells = match text::split_csv(raw) {
        Ok(cells) => cells,
        Err(e) => return out.row(line, raw, Err(e)),
    };
    let record = header
        .row(&cells)
        .and_then(|row| claim::read(line, &row, seen));
    out.row(line, raw, record);
}

qrecon_adapter_sdk::export_adapter! {
    adapter: ClaimsCsv,
    name: "claims-csv",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "claim",
    formats: "qrecon claims CSV",
    description: "qrecon's own claims CSV: orders, complaints and payer receipts that assert a payment happened",
}
