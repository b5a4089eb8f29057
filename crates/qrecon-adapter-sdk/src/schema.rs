//! The Arrow schemas that cross the boundary, and the batch builders that fill them.
//!
//! Records: one row per canonical record ([`record_schema`]). Issues: one row per quarantined
//! row, skipped row or warning ([`issue_schema`]). Both carry the 1-based source line.

use std::sync::{Arc, OnceLock};

use arrow_array::builder::{
    Date32Builder, Decimal128Builder, Int32Builder, MapBuilder, StringBuilder,
    TimestampMillisecondBuilder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::record::Record;

/// Decimal scale of every amount on the wire (`WeChat Pay` fees carry 5 places).
pub const AMOUNT_SCALE: u32 = 5;
/// [`AMOUNT_SCALE`] as Arrow spells a decimal scale.
#[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
pub const ARROW_AMOUNT_SCALE: i8 = AMOUNT_SCALE as i8;
/// Decimal precision of every amount on the wire.
pub const AMOUNT_PRECISION: u8 = 38;

/// Names of the nullable string columns of the record schema, in schema order after `provider`.
pub const STRING_COLUMNS: [&str; 7] = [
    "account",
    "claim_id",
    "order_id",
    "txn_id",
    "refund_id",
    "payout_id",
    "bank_ref",
];
/// Names of the party/text string columns, in schema order after `status_raw`.
pub const PARTY_COLUMNS: [&str; 6] = [
    "payee_id",
    "payee_name",
    "payee_account",
    "payer",
    "counterparty",
    "memo",
];

fn amount_type() -> DataType {
    DataType::Decimal128(AMOUNT_PRECISION, ARROW_AMOUNT_SCALE)
}

fn extra_type() -> DataType {
    let entries = Field::new(
        "entries",
        DataType::Struct(
            vec![
                Field::new("keys", DataType::Utf8, false),
                Field::new("values", DataType::Utf8, true),
            ]
            .into(),
        ),
        false,
    );
    DataType::Map(Arc::new(entries), false)
}

/// The canonical record schema (schema version 1).
pub fn record_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let mut fields = vec![
                Field::new("line", DataType::UInt64, false),
                Field::new("kind", DataType::Utf8, false),
                Field::new("type", DataType::Utf8, false),
                Field::new("provider", DataType::Utf8, false),
            ];
            fields.extend(
                STRING_COLUMNS
                    .iter()
                    .map(|n| Field::new(*n, DataType::Utf8, true)),
            );
            fields.extend([
                Field::new(
                    "time",
                    DataType::Timestamp(TimeUnit::Millisecond, None),
                    true,
                ),
                Field::new("utc_offset_secs", DataType::Int32, true),
                Field::new("value_date", DataType::Date32, true),
                Field::new("amount", amount_type(), false),
                Field::new("currency", DataType::Utf8, false),
                Field::new("fee", amount_type(), true),
                Field::new("status", DataType::Utf8, false),
                Field::new("status_raw", DataType::Utf8, true),
            ]);
            fields.extend(
                PARTY_COLUMNS
                    .iter()
                    .map(|n| Field::new(*n, DataType::Utf8, true)),
            );
            fields.push(Field::new("extra", extra_type(), true));
            Arc::new(Schema::new(fields))
        })
        .clone()
}

/// The issue schema: quarantined rows, skipped rows and warnings.
pub fn issue_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(vec![
                Field::new("line", DataType::UInt64, false),
                Field::new("outcome", DataType::Utf8, false),
                Field::new("field", DataType::Utf8, true),
                Field::new("reason", DataType::Utf8, false),
                Field::new("raw", DataType::Utf8, true),
            ]))
        })
        .clone()
}

/// The wire form of an amount, or `None` when it has more places than [`AMOUNT_SCALE`].
pub fn amount_to_wire(amount: Decimal) -> Option<i128> {
    if amount.scale() > AMOUNT_SCALE {
        let normalized = amount.normalize();
        if normalized.scale() > AMOUNT_SCALE {
            return None;
        }
        return amount_to_wire(normalized);
    }
    // Scaling up is a multiplication (every record has an amount, most a fee).
    let up = AMOUNT_SCALE - amount.scale();
    amount.mantissa().checked_mul(10i128.pow(up))
}

/// Days since 1970-01-01, Arrow's `Date32`.
pub fn date_to_days(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((date - epoch).num_days()).unwrap_or(i32::MAX)
}

/// Accumulates [`Record`]s into Arrow record batches.
pub struct RecordBatchBuilder {
    line: UInt64Builder,
    kind: StringBuilder,
    record_type: StringBuilder,
    provider: StringBuilder,
    ids: [StringBuilder; 7],
    time: TimestampMillisecondBuilder,
    utc_offset: Int32Builder,
    value_date: Date32Builder,
    amount: Decimal128Builder,
    currency: StringBuilder,
    fee: Decimal128Builder,
    status: StringBuilder,
    status_raw: StringBuilder,
    parties: [StringBuilder; 6],
    extra: MapBuilder<StringBuilder, StringBuilder>,
    rows: usize,
}

impl Default for RecordBatchBuilder {
    fn default() -> Self {
        Self::with_sizes(&Sizes::default())
    }
}

/// How much a run of records held: rows, and bytes in each string column (in builder order:
/// kind, type, provider, the ids, currency, status, raw status, the parties), extra columns
/// and their key and value bytes. Builders sized from the previous file of an adapter's
/// thread do not grow by doubling, each growth copying everything so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Rows.
    pub rows: usize,
    /// Bytes of each string column.
    pub strings: [usize; STRING_BUILDERS],
    /// Extra columns, and their key and value bytes.
    pub extras: [usize; 3],
}

const STRING_BUILDERS: usize = 19;

impl Sizes {
    /// These sizes for `to` input bytes, measured on `from` input bytes, with an eighth more
    /// room, at most `max_rows` rows (and the bytes that many rows would hold).
    #[must_use]
    pub fn scaled(&self, from: usize, to: usize, max_rows: usize) -> Sizes {
        if from == 0 || self.rows == 0 {
            return Sizes::default();
        }
        // u128: sizes times input lengths cannot overflow.
        let rows = (self.rows as u128 * to as u128 / from as u128).max(1);
        let (num, den) = if rows > max_rows as u128 {
            (max_rows as u128, self.rows as u128)
        } else {
            (to as u128, from as u128)
        };
        let scale = |x: usize| usize::try_from(x as u128 * num / den * 9 / 8).unwrap_or(0);
        Sizes {
            rows: scale(self.rows),
            strings: self.strings.map(scale),
            extras: self.extras.map(scale),
        }
    }

    pub(crate) fn add(&mut self, other: &Sizes) {
        self.rows += other.rows;
        for (a, b) in self.strings.iter_mut().zip(other.strings) {
            *a += b;
        }
        for (a, b) in self.extras.iter_mut().zip(other.extras) {
            *a += b;
        }
    }
}

impl RecordBatchBuilder {
    /// A builder with room for `sizes`.
    pub fn with_sizes(sizes: &Sizes) -> Self {
        let rows = sizes.rows;
        let mut strings = sizes
            .strings
            .iter()
            .map(|bytes| StringBuilder::with_capacity(rows, *bytes));
        let mut next = || strings.next().unwrap_or_default();
        Self {
            line: UInt64Builder::with_capacity(rows),
            kind: next(),
            record_type: next(),
            provider: next(),
            ids: std::array::from_fn(|_| next()),
            time: TimestampMillisecondBuilder::with_capacity(rows),
            utc_offset: Int32Builder::with_capacity(rows),
            value_date: Date32Builder::with_capacity(rows),
            amount: decimal_builder(rows),
            currency: next(),
            fee: decimal_builder(rows),
            status: next(),
            status_raw: next(),
            parties: std::array::from_fn(|_| next()),
            extra: MapBuilder::with_capacity(
                None,
                StringBuilder::with_capacity(sizes.extras[0], sizes.extras[1]),
                StringBuilder::with_capacity(sizes.extras[0], sizes.extras[2]),
                rows,
            ),
            rows: 0,
        }
    }

    /// What the rows appended since the last finish hold.
    pub fn sizes(&mut self) -> Sizes {
        let mut strings = [0; STRING_BUILDERS];
        let builders = [&self.kind, &self.record_type, &self.provider]
            .into_iter()
            .chain(&self.ids)
            .chain([&self.currency, &self.status, &self.status_raw])
            .chain(&self.parties);
        for (n, b) in strings.iter_mut().zip(builders) {
            *n = b.values_slice().len();
        }
        let keys = self.extra.keys();
        let (extras, key_bytes) = (
            arrow_array::builder::ArrayBuilder::len(keys),
            keys.values_slice().len(),
        );
        Sizes {
            rows: self.rows,
            strings,
            extras: [extras, key_bytes, self.extra.values().values_slice().len()],
        }
    }
}

fn decimal_builder(rows: usize) -> Decimal128Builder {
    Decimal128Builder::with_capacity(rows)
        .with_precision_and_scale(AMOUNT_PRECISION, ARROW_AMOUNT_SCALE)
        .unwrap_or_else(|_| Decimal128Builder::new())
}

/// Why a record could not be put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    /// The field at fault.
    pub field: &'static str,
    /// What was wrong.
    pub reason: String,
}

impl RecordBatchBuilder {
    /// Rows appended since the last [`RecordBatchBuilder::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row was appended since the last finish.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Checks that `record` can be put on the wire without loss.
    pub fn check(record: &Record<'_>) -> Result<(i128, Option<i128>), WireError> {
        let too_fine = |field| WireError {
            field,
            reason: format!("more than {AMOUNT_SCALE} decimal places cannot be kept exactly"),
        };
        // qrecon keeps money as 64-bit fixed point at the wire's scale; a larger amount is a
        // misread (a reference number in the amount column), quarantined with its row.
        let in_range = |field, units: i128| {
            if i64::try_from(units).is_ok() {
                Ok(units)
            } else {
                Err(WireError {
                    field,
                    reason: format!(
                        "{} is larger than any amount qrecon keeps (at most 92233720368547.75807)",
                        if field == "fee" {
                            "the fee"
                        } else {
                            "the amount"
                        }
                    ),
                })
            }
        };
        let amount = amount_to_wire(record.amount).ok_or_else(|| too_fine("amount"))?;
        let amount = in_range("amount", amount)?;
        let fee = match record.fee {
            Some(fee) => Some(in_range(
                "fee",
                amount_to_wire(fee).ok_or_else(|| too_fine("fee"))?,
            )?),
            None => None,
        };
        Ok((amount, fee))
    }

    /// Appends one record. Fails (appending nothing) when an amount cannot be kept exactly.
    pub fn push(&mut self, record: &Record<'_>) -> Result<(), WireError> {
        let (amount, fee) = Self::check(record)?;
        self.line.append_value(record.line);
        self.kind.append_value(record.kind.as_str());
        self.record_type.append_value(record.record_type);
        self.provider.append_value(record.provider);
        let ids = [
            record.account,
            record.claim_id,
            record.order_id,
            record.txn_id,
            record.refund_id,
            record.payout_id,
            record.bank_ref,
        ];
        for (builder, value) in self.ids.iter_mut().zip(ids) {
            builder.append_option(value);
        }
        self.time
            .append_option(record.time.map(|t| t.and_utc().timestamp_millis()));
        self.utc_offset.append_option(record.utc_offset_secs);
        self.value_date
            .append_option(record.value_date.map(date_to_days));
        self.amount.append_value(amount);
        self.currency.append_value(record.currency);
        self.fee.append_option(fee);
        self.status.append_value(record.status.as_str());
        self.status_raw.append_option(record.status_raw);
        let parties = [
            record.payee_id,
            record.payee_name,
            record.payee_account,
            record.payer,
            record.counterparty,
            record.memo,
        ];
        for (builder, value) in self.parties.iter_mut().zip(parties) {
            builder.append_option(value);
        }
        for (key, value) in &record.extra {
            self.extra.keys().append_value(key);
            self.extra.values().append_value(value);
        }
        self.extra.append(true).map_err(|e| WireError {
            field: "extra",
            reason: e.to_string(),
        })?;
        self.rows += 1;
        Ok(())
    }

    /// Turns the rows appended so far into one batch and starts afresh.
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        self.rows = 0;
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.line.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.record_type.finish()),
            Arc::new(self.provider.finish()),
        ];
        columns.extend(
            self.ids
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        columns.extend([
            Arc::new(self.time.finish()) as ArrayRef,
            Arc::new(self.utc_offset.finish()),
            Arc::new(self.value_date.finish()),
            Arc::new(self.amount.finish()),
            Arc::new(self.currency.finish()),
            Arc::new(self.fee.finish()),
            Arc::new(self.status.finish()),
            Arc::new(self.status_raw.finish()),
        ]);
        columns.extend(
            self.parties
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        columns.push(Arc::new(self.extra.finish()));
        RecordBatch::try_new(record_schema(), columns)
    }
}

/// What happened to a row that did not become a record (or a warning about the file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The row could not be parsed; it goes to `quarantine.jsonl`.
    Quarantined,
    /// The row is not data (header, preamble, summary line, blank) and is skipped on purpose.
    Skipped,
    /// Not a row outcome: something about the file worth telling (e.g. a control total).
    Warning,
}

impl Outcome {
    /// The lower-case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Quarantined => "quarantined",
            Outcome::Skipped => "skipped",
            Outcome::Warning => "warning",
        }
    }

    /// Parses [`Outcome::as_str`]'s output.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "quarantined" => Outcome::Quarantined,
            "skipped" => Outcome::Skipped,
            "warning" => Outcome::Warning,
            _ => return None,
        })
    }
}

/// Accumulates issues into one Arrow batch.
#[derive(Default)]
pub struct IssueBatchBuilder {
    line: UInt64Builder,
    outcome: StringBuilder,
    field: StringBuilder,
    reason: StringBuilder,
    raw: StringBuilder,
}

impl IssueBatchBuilder {
    /// Appends one issue.
    pub fn push(
        &mut self,
        line: u64,
        outcome: Outcome,
        field: Option<&str>,
        reason: &str,
        raw: Option<&str>,
    ) {
        self.line.append_value(line);
        self.outcome.append_value(outcome.as_str());
        self.field.append_option(field);
        self.reason.append_value(reason);
        self.raw.append_option(raw);
    }

    /// The issues appended so far as one batch.
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        RecordBatch::try_new(
            issue_schema(),
            vec![
                Arc::new(self.line.finish()),
                Arc::new(self.outcome.finish()),
                Arc::new(self.field.finish()),
                Arc::new(self.reason.finish()),
                Arc::new(self.raw.finish()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::Emitter;
    use crate::record::Kind;

    #[test]
    fn sizes_scale_with_the_input_and_stop_at_a_batch() {
        let s = Sizes {
            rows: 100,
            strings: [10; STRING_BUILDERS],
            extras: [5, 50, 60],
        };
        let twice = s.scaled(1000, 2000, 32 * 1024);
        assert_eq!(twice.rows, 225);
        assert_eq!(twice.strings, [22; STRING_BUILDERS]);
        assert_eq!(twice.extras, [11, 112, 135]);
        // A thousand times the input would be 100,000 rows: a batch's worth instead.
        let capped = s.scaled(1000, 1_000_000, 1000);
        assert_eq!(capped.rows, 1125);
        assert_eq!(capped.strings, [112; STRING_BUILDERS]);
        assert_eq!(s.scaled(0, 1000, 1000), Sizes::default());
        assert_eq!(Sizes::default().scaled(10, 1000, 1000), Sizes::default());
    }

    fn emit(out: &mut Emitter, n: u64) {
        for line in 1..=n {
            let mut r = Record::new(line, Kind::Txn, "payment", "wechatpay");
            let id = format!("42000{line}");
            r.txn_id = Some(&id);
            r.amount = Decimal::new(i64::try_from(line).unwrap_or(0), 2);
            r.extra = vec![("费率", "0.60%")];
            out.record(&r, "raw");
        }
    }

    #[test]
    fn an_emitter_sized_from_the_last_file_emits_the_same_batches() {
        let plain = {
            let mut e = Emitter::new(7);
            emit(&mut e, 20);
            e.finish().ok().map(|e| e.records)
        };
        // The first file teaches the sizes; the second, of another length, is sized from
        // them: the batches must not change.
        let mut first = Emitter::for_input(7, 500);
        emit(&mut first, 20);
        assert_eq!(first.finish().ok().map(|e| e.records), plain);
        let mut sized = Emitter::for_input(7, 5000);
        emit(&mut sized, 20);
        assert_eq!(sized.finish().ok().map(|e| e.records), plain);
        let mut builder = RecordBatchBuilder::default();
        assert_eq!(builder.sizes(), Sizes::default());
    }

    #[test]
    fn an_amount_beyond_what_qrecon_keeps_is_quarantined_not_sent() {
        let mut out = Emitter::new(0);
        let mut r = Record::new(1, Kind::Bank, "credit", "bank");
        r.amount = Decimal::from_i128_with_scale(5 * 10i128.pow(28), 0);
        out.record(&r, "raw");
        r.line = 2;
        r.amount = Decimal::from_i128_with_scale(9_223_372_036_854_775_807, 5);
        out.record(&r, "raw");
        r.line = 3;
        r.fee = Some(Decimal::from_i128_with_scale(10i128.pow(20), 0));
        out.record(&r, "raw");
        assert_eq!((out.records(), out.rows_read()), (1, 3));
        let issues =
            crate::decode::decode_issues(&out.finish().expect("batches").issues).expect("issues");
        let reasons: Vec<(u64, &str)> =
            issues.iter().map(|i| (i.line, i.reason.as_str())).collect();
        assert_eq!(reasons.len(), 2);
        assert!(
            reasons[0]
                .1
                .contains("amount: the amount is larger than any amount"),
            "{reasons:?}"
        );
        assert_eq!(reasons[1].0, 3);
        assert!(reasons[1].1.contains("the fee is larger"), "{reasons:?}");
    }
}
