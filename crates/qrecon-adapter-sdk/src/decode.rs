//! The host side of the data: Arrow batches of the canonical schema back into owned rows.
//! Columns are found by name, so a plugin built against a later minor schema that appends
//! columns still reads.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Int32Type, TimestampMillisecondType, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_data::ArrayData;
use arrow_schema::{ArrowError, DataType};
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

    /// The extra column `key`, if the record has it.
    pub fn extra_value(&self, key: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
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
    opt(a, i).map(str::to_owned)
}

fn decimal(raw: i128) -> Result<Decimal, String> {
    Decimal::try_from_i128_with_scale(raw, AMOUNT_SCALE)
        .map(|d| d.normalize())
        .map_err(|e| format!("amount {raw} does not fit: {e}"))
}

/// Columns every record has; a null in one of them is malformed data.
const REQUIRED: [&str; 7] = [
    "line", "kind", "type", "provider", "amount", "currency", "status",
];

/// Checks a batch that came over the boundary as thoroughly as arrow can: the C data
/// interface imports buffers unchecked, so offsets past a buffer's end or strings that are not
/// UTF-8 would otherwise be read as they are. Checks every column's buffers, offsets, UTF-8
/// and children (what arrow's `validate_full` checks, [`validate_full`]), then that the
/// required columns hold no null.
pub fn check_wire_batch(batch: &RecordBatch, required: &[&str]) -> Result<(), String> {
    for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
        validate_full(&array.to_data()).map_err(|e| format!("column {:?}: {e}", field.name()))?;
    }
    for name in required {
        let nulls = column(batch, name)?.null_count();
        if nulls > 0 {
            return Err(format!(
                "column {name:?} must have a value in every row, found {nulls} null(s)"
            ));
        }
    }
    Ok(())
}

/// Arrow's `ArrayData::validate_full` (layout, null counts, values, children), with UTF-8
/// columns checked in one pass over their offsets and one SIMD pass over their bytes: arrow
/// checks each offset with `str::is_char_boundary` after `std::str::from_utf8`, which made
/// the check a tenth of reading a bill.
pub fn validate_full(data: &ArrayData) -> Result<(), ArrowError> {
    data.validate()?;
    data.validate_nulls()?;
    if *data.data_type() == DataType::Utf8 {
        return validate_utf8(data);
    }
    data.validate_values()?;
    for (i, child) in data.child_data().iter().enumerate() {
        validate_full(child).map_err(|e| {
            ArrowError::InvalidArgumentError(format!(
                "{} child #{i} invalid: {e}",
                data.data_type()
            ))
        })?;
    }
    Ok(())
}

/// The values of a `Utf8` array whose layout [`ArrayData::validate`] accepted: offsets that
/// never decrease and stay within the values buffer, every one of them at a character
/// boundary, and valid UTF-8 between the first and the last.
fn validate_utf8(data: &ArrayData) -> Result<(), ArrowError> {
    let (Some(offsets), Some(values)) = (data.buffers().first(), data.buffers().get(1)) else {
        return Err(ArrowError::InvalidArgumentError(
            "a Utf8 array needs an offsets and a values buffer".to_owned(),
        ));
    };
    let values = values.as_slice();
    // `validate` checked the offsets buffer holds `offset + len + 1` of them (or none, for
    // an empty array).
    let range = data.offset()..data.offset() + data.len() + 1;
    // Reading them as `i32`s needs an aligned buffer of whole `i32`s (`validate` refuses
    // others already, by panicking, which the boundary catches).
    let aligned =
        offsets.as_ptr().align_offset(std::mem::align_of::<i32>()) == 0 && offsets.len() % 4 == 0;
    let typed = if aligned && offsets.len() >= range.end * 4 {
        offsets.typed_data::<i32>().get(range)
    } else {
        None
    };
    let text = match typed {
        Some(used) => match offsets_fit(used, values) {
            Some(text) => text,
            None => offsets_in_text(used.iter().copied(), values)?,
        },
        // Unaligned (or empty): read as bytes.
        None => offsets_in_text(
            offsets
                .as_slice()
                .chunks_exact(4)
                .skip(data.offset())
                .take(data.len() + 1)
                .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
            values,
        )?,
    };
    simdutf8::compat::from_utf8(text)
        .map_err(|e| ArrowError::InvalidArgumentError(format!("invalid UTF8 sequence: {e}")))?;
    Ok(())
}

/// The values the offsets span, when every offset is at least the one before, the first is
/// not negative, the last within the values and none inside a character (a continuation
/// byte, 10xxxxxx, would cut one): the usual case, one pass without a branch per offset.
fn offsets_fit<'v>(used: &[i32], values: &'v [u8]) -> Option<&'v [u8]> {
    let (&first, &last) = (used.first()?, used.last()?);
    let mut ok = first >= 0 && usize::try_from(last).is_ok_and(|l| l <= values.len());
    let mut previous = first;
    for &o in used {
        let cut = values
            .get(usize::try_from(o).unwrap_or(usize::MAX))
            .is_some_and(|b| b & 0xC0 == 0x80);
        ok &= o >= previous && !cut;
        previous = o;
    }
    ok.then(|| &values[first.unsigned_abs() as usize..last.unsigned_abs() as usize])
}

/// Offsets checked one by one, saying what is wrong with the first bad one; the values
/// between the first and the last when all are good.
fn offsets_in_text(offsets: impl Iterator<Item = i32>, values: &[u8]) -> Result<&[u8], ArrowError> {
    let invalid = |what: String| Err(ArrowError::InvalidArgumentError(what));
    let (mut first, mut previous) = (None, 0usize);
    for (i, offset) in offsets.enumerate() {
        let Ok(at) = usize::try_from(offset) else {
            return invalid(format!("offset {i} is negative ({offset})"));
        };
        if at > values.len() {
            return invalid(format!(
                "offset {i} ({at}) is past the end of the values ({})",
                values.len()
            ));
        }
        if first.is_some() && at < previous {
            return invalid(format!("offset {i} ({at}) is before offset {}", i - 1));
        }
        if values.get(at).is_some_and(|b| b & 0xC0 == 0x80) {
            return invalid(format!(
                "incomplete utf-8 byte sequence from index {}",
                i.saturating_sub(1)
            ));
        }
        first.get_or_insert(at);
        previous = at;
    }
    Ok(&values[first.unwrap_or(0)..previous])
}

/// [`check_wire_batch`] for a record batch, then its schema ([`RecordColumns::new`]).
pub fn check_record_batch(batch: &RecordBatch) -> Result<(), String> {
    check_wire_batch(batch, &REQUIRED)?;
    RecordColumns::new(batch).map(|_| ())
}

/// Typed access to the columns of one record batch, found by name and checked once.
pub struct RecordColumns<'a> {
    line: &'a arrow_array::UInt64Array,
    kind: &'a arrow_array::StringArray,
    rtype: &'a arrow_array::StringArray,
    provider: &'a arrow_array::StringArray,
    ids: Vec<&'a arrow_array::StringArray>,
    time: &'a arrow_array::TimestampMillisecondArray,
    offset: &'a arrow_array::Int32Array,
    value_date: &'a arrow_array::Date32Array,
    amount: &'a arrow_array::Decimal128Array,
    fee: &'a arrow_array::Decimal128Array,
    currency: &'a arrow_array::StringArray,
    status: &'a arrow_array::StringArray,
    status_raw: &'a arrow_array::StringArray,
    parties: Vec<&'a arrow_array::StringArray>,
    extra: &'a arrow_array::MapArray,
    extra_keys: &'a arrow_array::StringArray,
    extra_values: &'a arrow_array::StringArray,
}

/// One row, borrowed from its batch. Amounts are wire units (scale [`AMOUNT_SCALE`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordView<'a> {
    /// 1-based source line.
    pub line: u64,
    /// Link of the chain.
    pub kind: Kind,
    /// Sub-type.
    pub record_type: &'a str,
    /// Provider.
    pub provider: &'a str,
    /// `account, claim_id, order_id, txn_id, refund_id, payout_id, bank_ref`.
    pub ids: [Option<&'a str>; 7],
    /// Wall-clock time as printed.
    pub time: Option<NaiveDateTime>,
    /// Stated UTC offset in seconds.
    pub utc_offset_secs: Option<i32>,
    /// Value date.
    pub value_date: Option<NaiveDate>,
    /// Amount in wire units.
    pub amount_units: i128,
    /// Currency.
    pub currency: &'a str,
    /// Fee in wire units.
    pub fee_units: Option<i128>,
    /// Status.
    pub status: Status,
    /// Raw status.
    pub status_raw: Option<&'a str>,
    /// `payee_id, payee_name, payee_account, payer, counterparty, memo`.
    pub parties: [Option<&'a str>; 6],
    /// Extra columns.
    pub extra: Vec<(&'a str, &'a str)>,
}

fn opt(a: &arrow_array::StringArray, i: usize) -> Option<&str> {
    a.is_valid(i).then(|| a.value(i))
}

impl<'a> RecordColumns<'a> {
    /// Finds and checks every column. Fails with a message when the batch lacks the schema.
    pub fn new(batch: &'a RecordBatch) -> Result<Self, String> {
        let prim = |name: &str| column(batch, name);
        let extra = prim("extra")?.as_map_opt().ok_or("extra is not a Map")?;
        let cols = Self {
            line: prim("line")?
                .as_primitive_opt::<UInt64Type>()
                .ok_or("line is not UInt64")?,
            kind: strings(batch, "kind")?,
            rtype: strings(batch, "type")?,
            provider: strings(batch, "provider")?,
            ids: STRING_COLUMNS
                .iter()
                .map(|n| strings(batch, n))
                .collect::<Result<_, _>>()?,
            time: prim("time")?
                .as_primitive_opt::<TimestampMillisecondType>()
                .ok_or("time is not Timestamp(ms)")?,
            offset: prim("utc_offset_secs")?
                .as_primitive_opt::<Int32Type>()
                .ok_or("utc_offset_secs is not Int32")?,
            value_date: prim("value_date")?
                .as_primitive_opt::<Date32Type>()
                .ok_or("value_date is not Date32")?,
            amount: prim("amount")?
                .as_primitive_opt::<Decimal128Type>()
                .ok_or("amount is not Decimal128")?,
            fee: prim("fee")?
                .as_primitive_opt::<Decimal128Type>()
                .ok_or("fee is not Decimal128")?,
            currency: strings(batch, "currency")?,
            status: strings(batch, "status")?,
            status_raw: strings(batch, "status_raw")?,
            parties: PARTY_COLUMNS
                .iter()
                .map(|n| strings(batch, n))
                .collect::<Result<_, _>>()?,
            extra_keys: extra
                .keys()
                .as_string_opt::<i32>()
                .ok_or("extra keys are not Utf8")?,
            extra_values: extra
                .values()
                .as_string_opt::<i32>()
                .ok_or("extra values are not Utf8")?,
            extra,
        };
        for (name, a) in [("amount", cols.amount), ("fee", cols.fee)] {
            if a.scale() != ARROW_AMOUNT_SCALE {
                return Err(format!(
                    "{name} has scale {}, expected {AMOUNT_SCALE}",
                    a.scale()
                ));
            }
        }
        Ok(cols)
    }

    /// Rows in the batch.
    pub fn len(&self) -> usize {
        self.line.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    /// Row `i`. Fails on a kind or status outside the schema's vocabulary.
    pub fn row(&self, i: usize) -> Result<RecordView<'a>, String> {
        self.row_reusing(i, Vec::new())
    }

    /// Row `i`, its extra columns put in `extra` (cleared first): a host reading rows one
    /// after another hands back the previous row's vector instead of allocating one per row.
    pub fn row_reusing(
        &self,
        i: usize,
        mut extra: Vec<(&'a str, &'a str)>,
    ) -> Result<RecordView<'a>, String> {
        extra.clear();
        self.extra_into(i, &mut extra);
        let kind = self.kind.value(i);
        let status = self.status.value(i);
        Ok(RecordView {
            line: self.line.value(i),
            kind: Kind::parse(kind).ok_or_else(|| format!("unknown kind {kind:?}"))?,
            record_type: self.rtype.value(i),
            provider: self.provider.value(i),
            ids: std::array::from_fn(|k| opt(self.ids[k], i)),
            time: if self.time.is_valid(i) {
                DateTime::from_timestamp_millis(self.time.value(i)).map(|t| t.naive_utc())
            } else {
                None
            },
            utc_offset_secs: self.offset.is_valid(i).then(|| self.offset.value(i)),
            value_date: if self.value_date.is_valid(i) {
                days_to_date(self.value_date.value(i))
            } else {
                None
            },
            amount_units: self.amount.value(i),
            currency: self.currency.value(i),
            fee_units: self.fee.is_valid(i).then(|| self.fee.value(i)),
            status: Status::parse(status).ok_or_else(|| format!("unknown status {status:?}"))?,
            status_raw: opt(self.status_raw, i),
            parties: std::array::from_fn(|k| opt(self.parties[k], i)),
            extra,
        })
    }

    /// The extra columns of all the rows together.
    pub fn extras_len(&self) -> usize {
        self.extra_keys.len()
    }

    fn extra_into(&self, i: usize, extra: &mut Vec<(&'a str, &'a str)>) {
        if !self.extra.is_valid(i) {
            return;
        }
        let offsets = self.extra.value_offsets();
        let (from, to) = (
            offsets[i].unsigned_abs() as usize,
            offsets[i + 1].unsigned_abs() as usize,
        );
        extra.extend((from..to).map(|j| (self.extra_keys.value(j), self.extra_values.value(j))));
    }
}

impl RecordView<'_> {
    /// An owned copy.
    pub fn to_owned_record(&self) -> Result<OwnedRecord, String> {
        let own = |s: Option<&str>| s.map(str::to_owned);
        Ok(OwnedRecord {
            line: self.line,
            kind: self.kind,
            record_type: self.record_type.to_owned(),
            provider: self.provider.to_owned(),
            ids: self.ids.map(own),
            time: self.time,
            utc_offset_secs: self.utc_offset_secs,
            value_date: self.value_date,
            amount: decimal(self.amount_units)?,
            currency: self.currency.to_owned(),
            fee: self.fee_units.map(decimal).transpose()?,
            status: self.status,
            status_raw: own(self.status_raw),
            parties: self.parties.map(own),
            extra: self
                .extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        })
    }
}

/// Decodes one record batch into owned rows.
pub fn decode_records(batch: &RecordBatch) -> Result<Vec<OwnedRecord>, String> {
    let cols = RecordColumns::new(batch)?;
    (0..cols.len())
        .map(|i| cols.row(i)?.to_owned_record())
        .collect()
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

#[cfg(test)]
mod tests {
    use arrow_array::{Array, MapArray, StringArray};
    use arrow_buffer::Buffer;
    use arrow_data::ArrayData;
    use arrow_schema::DataType;

    /// A `Utf8` array of `len` values from `offset` on, as another library could send it:
    /// built unchecked.
    fn utf8(offsets: &[i32], values: &[u8], offset: usize, len: usize) -> ArrayData {
        let builder = ArrayData::builder(DataType::Utf8)
            .len(len)
            .offset(offset)
            .add_buffer(Buffer::from_slice_ref(offsets))
            .add_buffer(Buffer::from_slice_ref(values));
        // SAFETY: deliberately unchecked, as the C data interface imports arrays; only the
        // validators read it.
        unsafe { builder.build_unchecked() }
    }

    #[test]
    fn utf8_columns_are_judged_as_arrow_judges_them() {
        let han = "晨光".as_bytes(); // two characters of three bytes
        let cases: Vec<(&str, ArrayData)> = vec![
            ("plain", utf8(&[0, 1, 3, 3], b"abc", 0, 3)),
            ("sliced", utf8(&[0, 1, 3, 3], b"abc", 1, 2)),
            ("empty", utf8(&[0], b"", 0, 0)),
            ("whole characters", utf8(&[0, 3, 6], han, 0, 2)),
            ("a cut character", utf8(&[0, 1, 6], han, 0, 2)),
            ("a cut last offset", utf8(&[0, 3, 5], han, 0, 2)),
            ("not utf-8", utf8(&[0, 2], &[0xFF, 0xFE], 0, 1)),
            (
                "not utf-8 past the used range",
                utf8(&[0, 1], &[b'a', 0xFF], 0, 1),
            ),
            ("decreasing", utf8(&[0, 2, 1], b"abc", 0, 2)),
            ("past the end", utf8(&[0, 9], b"abc", 0, 1)),
            ("negative", utf8(&[-1, 2], b"abc", 0, 1)),
            ("too few offsets", utf8(&[0, 1], b"abc", 0, 3)),
            ("sliced to a cut", utf8(&[0, 1, 6], han, 1, 1)),
        ];
        for (what, data) in &cases {
            assert_eq!(
                super::validate_full(data).is_ok(),
                data.validate_full().is_ok(),
                "{what}: {:?}",
                super::validate_full(data)
            );
        }
    }

    #[test]
    fn utf8_inside_a_map_is_checked_too() {
        let keys = StringArray::from(vec!["费率"]);
        let bad = utf8(&[0, 1], &[0xE8], 0, 1);
        let good_map =
            MapArray::new_from_strings(["费率"].into_iter(), &keys, &[0, 1]).expect("a map");
        let good = good_map.to_data();
        assert!(super::validate_full(&good).is_ok());
        // The same map with its values replaced by bytes that are not UTF-8.
        let entries = good.child_data()[0].clone();
        let entries = entries
            .into_builder()
            .child_data(vec![entries_keys(&good), bad]);
        // SAFETY: deliberately unchecked, as above.
        let entries = unsafe { entries.build_unchecked() };
        let broken = good.into_builder().child_data(vec![entries]);
        // SAFETY: deliberately unchecked, as above.
        let broken = unsafe { broken.build_unchecked() };
        assert!(broken.validate_full().is_err());
        let e = super::validate_full(&broken).expect_err("not UTF-8");
        assert!(e.to_string().contains("child #0 invalid"), "{e}");
    }

    fn entries_keys(map: &ArrayData) -> ArrayData {
        map.child_data()[0].child_data()[0].clone()
    }
}
