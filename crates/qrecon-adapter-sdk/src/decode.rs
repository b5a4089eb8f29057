//! The host side of the data: Arrow batches of the canonical schema back into owned rows.
//! Columns are found by name, so a plugin built against a later minor schema that appends
//! columns still reads.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Int32Type, TimestampMillisecondType, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::record::{Kind, Status};
use crate::schema::{AMOUNT_SCALE, ARROW_AMOUNT_SCALE, Outcome, PARTY_COLUMNS, STRING_COLUMNS};

/// A canonical record with owned fields, as the host receives it.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedRecord {
    /// 1-based source line.
    pub line: u64,
    /// Link of the chain.
    pub kind: Kind,
    /// Sub-type within the kind.
    pub record_type: String,
    /// Provider name.
    pub provider: String,
    /// `account, claim_id, order_id, txn_id, refund_id, payout_id, bank_ref`.
    pub ids: [Option<String>; 7],
    /// Wall-clock time as printed.
    pub time: Option<NaiveDateTime>,
    /// Stated UTC offset in seconds.
    pub utc_offset_secs: Option<i32>,
    /// Value date.
    pub value_date: Option<NaiveDate>,
    /// Signed amount.
    pub amount: Decimal,
    /// Currency code.
    pub currency: String,
    /// Fee.
    pub fee: Option<Decimal>,
    /// Normalised status.
    pub status: Status,
    /// Raw status.
    pub status_raw: Option<String>,
    /// `payee_id, payee_name, payee_account, payer, counterparty, memo`.
    pub parties: [Option<String>; 6],
    /// Remaining columns.
    pub extra: Vec<(String, String)>,
}

impl OwnedRecord {
    /// One of the id columns by name (`txn_id`, `order_id`, …).
    pub fn id(&self, name: &str) -> Option<&str> {
        let i = STRING_COLUMNS.iter().position(|c| *c == name)?;
        self.ids[i].as_deref()
    }

    /// One of the party columns by name (`payee_name`, `memo`, …).
    pub fn party(&self, name: &str) -> Option<&str> {
        let i = PARTY_COLUMNS.iter().position(|c| *c == name)?;
        self.parties[i].as_deref()
    }
}

/// A quarantined row, skipped row or warning, as the host receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedIssue {
    /// 1-based source line.
    pub line: u64,
    /// What happened.
    pub outcome: Outcome,
    /// The field at fault, if known.
    pub field: Option<String>,
    /// Why.
    pub reason: String,
    /// The row's text (quarantined rows).
    pub raw: Option<String>,
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a dyn Array, String> {
    batch
        .column_by_name(name)
        .map(AsRef::as_ref)
        .ok_or_else(|| format!("column {name:?} is missing from the batch"))
}

fn strings<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a arrow_array::StringArray, String> {
    column(batch, name)?
        .as_string_opt::<i32>()
        .ok_or_else(|| format!("column {name:?} is not Utf8"))
}

fn opt_string(a: &arrow_array::StringArray, i: usize) -> Option<String> {
    a.is_valid(i).then(|| a.value(i).to_owned())
}

fn decimal(raw: i128) -> Result<Decimal, String> {
    Decimal::try_from_i128_with_scale(raw, AMOUNT_SCALE)
        .map(|d| d.normalize())
        .map_err(|e| format!("amount {raw} does not fit: {e}"))
}

/// Decodes one record batch. Fails with a message when the batch does not have the schema.
pub fn decode_records(batch: &RecordBatch) -> Result<Vec<OwnedRecord>, String> {
    let line = column(batch, "line")?
        .as_primitive_opt::<UInt64Type>()
        .ok_or("line is not UInt64")?;
    let kind = strings(batch, "kind")?;
    let rtype = strings(batch, "type")?;
    let provider = strings(batch, "provider")?;
    let ids = STRING_COLUMNS.map(|n| strings(batch, n));
    let time = column(batch, "time")?
        .as_primitive_opt::<TimestampMillisecondType>()
        .ok_or("time is not Timestamp(ms)")?;
    let offset = column(batch, "utc_offset_secs")?
        .as_primitive_opt::<Int32Type>()
        .ok_or("utc_offset_secs is not Int32")?;
    let value_date = column(batch, "value_date")?
        .as_primitive_opt::<Date32Type>()
        .ok_or("value_date is not Date32")?;
    let amount = column(batch, "amount")?
        .as_primitive_opt::<Decimal128Type>()
        .ok_or("amount is not Decimal128")?;
    let fee = column(batch, "fee")?
        .as_primitive_opt::<Decimal128Type>()
        .ok_or("fee is not Decimal128")?;
    for (name, a) in [("amount", amount), ("fee", fee)] {
        if a.scale() != ARROW_AMOUNT_SCALE {
            return Err(format!(
                "{name} has scale {}, expected {AMOUNT_SCALE}",
                a.scale()
            ));
        }
    }
    let currency = strings(batch, "currency")?;
    let status = strings(batch, "status")?;
    let status_raw = strings(batch, "status_raw")?;
    let parties = PARTY_COLUMNS.map(|n| strings(batch, n));
    let extra = column(batch, "extra")?
        .as_map_opt()
        .ok_or("extra is not a Map")?;
    let extra_keys = extra
        .keys()
        .as_string_opt::<i32>()
        .ok_or("extra keys are not Utf8")?;
    let extra_values = extra
        .values()
        .as_string_opt::<i32>()
        .ok_or("extra values are not Utf8")?;
    let mut ids_ok = Vec::with_capacity(7);
    for r in ids {
        ids_ok.push(r?);
    }
    let mut parties_ok = Vec::with_capacity(6);
    for r in parties {
        parties_ok.push(r?);
    }
    let mut out = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let kind_s = kind.value(i);
        let status_s = status.value(i);
        let extra_pairs = if extra.is_valid(i) {
            let offsets = extra.value_offsets();
            let (from, to) = (
                offsets[i].unsigned_abs() as usize,
                offsets[i + 1].unsigned_abs() as usize,
            );
            (from..to)
                .map(|j| {
                    (
                        extra_keys.value(j).to_owned(),
                        extra_values.value(j).to_owned(),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        out.push(OwnedRecord {
            line: line.value(i),
            kind: Kind::parse(kind_s).ok_or_else(|| format!("unknown kind {kind_s:?}"))?,
            record_type: rtype.value(i).to_owned(),
            provider: provider.value(i).to_owned(),
            ids: std::array::from_fn(|k| opt_string(ids_ok[k], i)),
            time: if time.is_valid(i) {
                DateTime::from_timestamp_millis(time.value(i)).map(|t| t.naive_utc())
            } else {
                None
            },
            utc_offset_secs: offset.is_valid(i).then(|| offset.value(i)),
            value_date: if value_date.is_valid(i) {
                days_to_date(value_date.value(i))
            } else {
                None
            },
            amount: decimal(amount.value(i))?,
            currency: currency.value(i).to_owned(),
            fee: if fee.is_valid(i) {
                Some(decimal(fee.value(i))?)
            } else {
                None
            },
            status: Status::parse(status_s)
                .ok_or_else(|| format!("unknown status {status_s:?}"))?,
            status_raw: opt_string(status_raw, i),
            parties: std::array::from_fn(|k| opt_string(parties_ok[k], i)),
            extra: extra_pairs,
        });
    }
    Ok(out)
}

/// Decodes one issue batch.
pub fn decode_issues(batch: &RecordBatch) -> Result<Vec<OwnedIssue>, String> {
    let line = column(batch, "line")?
        .as_primitive_opt::<UInt64Type>()
        .ok_or("line is not UInt64")?;
    let outcome = strings(batch, "outcome")?;
    let field = strings(batch, "field")?;
    let reason = strings(batch, "reason")?;
    let raw = strings(batch, "raw")?;
    (0..batch.num_rows())
        .map(|i| {
            let o = outcome.value(i);
            Ok(OwnedIssue {
                line: line.value(i),
                outcome: Outcome::parse(o).ok_or_else(|| format!("unknown outcome {o:?}"))?,
                field: opt_string(field, i),
                reason: reason.value(i).to_owned(),
                raw: opt_string(raw, i),
            })
        })
        .collect()
}

fn days_to_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?
        .checked_add_signed(chrono::TimeDelta::days(i64::from(days)))
}
