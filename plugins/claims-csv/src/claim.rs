//! One row of the claims CSV as a canonical `claim` record.

use std::collections::HashMap;

use qrecon_adapter_sdk::{Decimal, FieldError, Kind, Record, Status, text};

use crate::header::{
    AMOUNT, CLAIM_ID, CURRENCY, NOTE, ORDER_ID, PAID_AT, PAYEE_SEEN, PAYER, PROVIDER, Row, SOURCE,
    TXN_ID,
};

/// The claim ids met so far, with the line of each one's first row.
pub(crate) type Seen = HashMap<String, u64>;

/// Reads one row. Its `claim_id` is registered in `seen` as soon as the row is well formed
/// and names one, so a repeated id is refused even when its first row had another fault.
pub(crate) fn read<'r>(
    line: u64,
    row: &Row<'r>,
    seen: &mut Seen,
) -> Result<Record<'r>, FieldError> {
    let claim_id = claim_id(line, row, seen)?;
    let record_type = source(row.get(SOURCE))?;
    let (time, utc_offset) = text::parse_datetime(PAID_AT, row.get(PAID_AT))?;
    let amount = positive_amount(row.get(AMOUNT))?;
    let provider = row.opt(PROVIDER).unwrap_or("unknown");
    let mut record = Record::new(line, Kind::Claim, record_type, provider);
    record.claim_id = Some(claim_id);
    record.time = Some(time);
    record.utc_offset_secs = utc_offset;
    record.amount = amount;
    record.currency = row.opt(CURRENCY).unwrap_or("CNY");
    record.order_id = row.opt(ORDER_ID);
    record.txn_id = row.opt(TXN_ID);
    record.payer = row.opt(PAYER);
    record.payee_name = row.opt(PAYEE_SEEN);
    record.memo = row.opt(NOTE);
    record.status = Status::Success;
    record.extra = row.extra();
    Ok(record)
}

/// The row's claim id: present, and not used by an earlier row.
fn claim_id<'r>(line: u64, row: &Row<'r>, seen: &mut Seen) -> Result<&'r str, FieldError> {
    let id = row
        .opt(CLAIM_ID)
        .ok_or_else(|| FieldError::new(CLAIM_ID, "a claim id", row.get(CLAIM_ID)))?;
    if let Some(first) = seen.get(id) {
        return Err(FieldError {
            field: CLAIM_ID.to_owned(),
            reason: format!("claim_id {id} already used on line {first}"),
        });
    }
    seen.insert(id.to_owned(), line);
    Ok(id)
}

/// The record type `source` names; empty means `order`.
fn source(cell: &str) -> Result<&'static str, FieldError> {
    ["order", "complaint", "payer_receipt"]
        .into_iter()
        .find(|s| s.eq_ignore_ascii_case(cell))
        .or(cell.is_empty().then_some("order"))
        .ok_or_else(|| {
            FieldError::new(
                SOURCE,
                "order, complaint or payer_receipt (or empty for order)",
                cell,
            )
        })
}

/// The amount, which a claim states as a positive number.
fn positive_amount(cell: &str) -> Result<Decimal, FieldError> {
    let amount = text::parse_amount(AMOUNT, cell)?;
    if amount <= Decimal::ZERO {
        return Err(FieldError::new(AMOUNT, "a positive amount", cell));
    }
    Ok(amount)
}
