//! One ZM data line → one `txn` record (or a quarantined line).

use std::borrow::Cow;

use chrono::Datelike;
use qrecon_adapter_sdk::text::{clean, non_empty};
use qrecon_adapter_sdk::{Emitter, FieldError, Kind, NaiveDate, NaiveDateTime, Record, Status};

use crate::layout::{self, Field, Layout, at};
use crate::lines::decode;
use crate::money::{self, Signed};
use crate::notes::Notes;

/// The provider every record names.
pub(crate) const PROVIDER: &str = "unionpay";

/// What every line of a file shares.
pub(crate) struct Context<'c> {
    /// The settlement date, which gives 交易传输时间 its year.
    pub settle: Option<NaiveDate>,
    /// The settlement date as `extra.settle_date`.
    pub settle_text: Option<String>,
    /// The merchant code of the file name, for lines whose 商户代码 is blank.
    pub mer_id: Option<&'c str>,
    /// The whole file is UTF-8 (else it is GBK).
    pub utf8: bool,
}

/// The 交易代码 families the mapping knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Code {
    /// `S22` 消费.
    Payment,
    /// `S30` 退货.
    Refund,
    /// Anything else: read, but its meaning and sign are unknown.
    Other,
}

impl Code {
    fn of(code: &str) -> Self {
        match code {
            "S22" => Self::Payment,
            "S30" => Self::Refund,
            _ => Self::Other,
        }
    }

    fn record_type(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Refund => "refund",
            Self::Other => "other",
        }
    }

    /// The fields mapped to a record field of their own, left out of `extra`.
    fn mapped(self) -> &'static [usize] {
        const PAYMENT: [usize; 6] = [
            at::CARD,
            at::AMOUNT,
            at::MER_ID,
            at::MER_RESERVED,
            at::QUERY_ID,
            at::ORDER_ID,
        ];
        const REFUND: [usize; 7] = [
            at::CARD,
            at::AMOUNT,
            at::MER_ID,
            at::MER_RESERVED,
            at::QUERY_ID,
            at::ORIG_QUERY_ID,
            at::ORIG_ORDER_ID,
        ];
        match self {
            Self::Payment | Self::Other => &PAYMENT,
            Self::Refund => &REFUND,
        }
    }
}

/// A line's fields, decoded.
struct Fields<'l> {
    defs: Vec<&'static Field>,
    values: Vec<Cow<'l, str>>,
}

impl Fields<'_> {
    /// Field `i`, trimmed (`""` when the line has no such field).
    fn get(&self, i: usize) -> &str {
        self.values.get(i).map_or("", |v| clean(v))
    }

    /// Field `i`, or `None` when it is blank.
    fn opt(&self, i: usize) -> Option<&str> {
        non_empty(self.get(i))
    }

    /// Field `i`, which the record cannot do without.
    fn required(&self, i: usize, expected: &str) -> Result<&str, FieldError> {
        self.opt(i)
            .ok_or_else(|| FieldError::new(self.name(i), expected, self.get(i)))
    }

    fn name(&self, i: usize) -> &'static str {
        self.defs.get(i).map_or("", |f| f.name)
    }
}

/// Reads the data line `line` (number `no`) laid out as `layout`, and reports it.
pub(crate) fn emit(
    ctx: &Context<'_>,
    (no, line): (u64, &[u8]),
    layout: Layout,
    notes: &mut Notes,
    out: &mut Emitter,
) {
    let raw = decode(line, ctx.utf8);
    let cut = match layout::cut(line, layout) {
        Ok(cut) => cut,
        Err(e) => return out.row(no, &raw, Err(e)),
    };
    let fields = Fields {
        defs: cut.fields.iter().map(|(f, _)| *f).collect(),
        values: cut
            .fields
            .iter()
            .map(|(_, b)| decode(b, ctx.utf8))
            .collect(),
    };
    let tail = decode(cut.rest, ctx.utf8);
    let amounts = money_extras(&fields, no, notes, out);
    let result = build(ctx, no, &fields, &amounts, non_empty(&tail));
    if let Ok(record) = &result {
        if record.record_type == Code::Other.record_type() {
            notes.unknown_code(no, fields.get(at::CODE), out);
        }
        if record.time.is_none() {
            notes.undated(no);
        }
    }
    out.row(no, &raw, result);
}

fn build<'a>(
    ctx: &'a Context<'_>,
    no: u64,
    f: &'a Fields<'_>,
    amounts: &'a [(usize, String)],
    tail: Option<&'a str>,
) -> Result<Record<'a>, FieldError> {
    let code = Code::of(check_code(f.get(at::CODE))?);
    let yuan = money::fen(f.name(at::AMOUNT), f.get(at::AMOUNT))?;
    let fee = money::signed(f.name(at::FEE), f.get(at::FEE))?;
    let mut record = Record::new(no, Kind::Txn, code.record_type(), PROVIDER);
    record.amount = if code == Code::Refund { -yuan } else { yuan };
    record.fee = fee.map(Signed::as_fee);
    record.time = time(ctx.settle, f.get(at::TIME))?;
    record.status = Status::Success;
    record.account = f.opt(at::MER_ID).or(ctx.mer_id);
    record.payee_id = record.account;
    record.payer = f.opt(at::CARD);
    record.memo = f.opt(at::MER_RESERVED);
    ids(&mut record, code, f)?;
    record.extra = extra(code, f, fee.is_some_and(Signed::has_prefix), amounts);
    if let Some(date) = &ctx.settle_text {
        record.extra.push(("settle_date", date));
    }
    if let Some(tail) = tail {
        record.extra.push(("unread_tail", tail));
    }
    Ok(record)
}

/// 交易代码: three upper-case letters or digits (`S22`, `S30`, …).
fn check_code(code: &str) -> Result<&str, FieldError> {
    let ok = code.len() == 3
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(code)
    } else {
        Err(FieldError::new(
            layout::COMMON[at::CODE].name,
            "a 3-character transaction code such as S22 or S30",
            code,
        ))
    }
}

/// The ids: a payment's own; a refund's original payment (`txn_id`, `order_id`) and its own
/// 查询流水号 (`refund_id`), as the core links refunds to payments.
fn ids<'a>(record: &mut Record<'a>, code: Code, f: &'a Fields<'_>) -> Result<(), FieldError> {
    if code == Code::Refund {
        record.txn_id = Some(f.required(
            at::ORIG_QUERY_ID,
            "the refunded payment's 查询流水号 on a 退货 (S30) line",
        )?);
        record.refund_id = Some(f.required(at::QUERY_ID, "the refund's own 查询流水号")?);
        record.order_id = f.opt(at::ORIG_ORDER_ID);
    } else {
        record.txn_id = Some(f.required(at::QUERY_ID, "a 查询流水号 (queryId)")?);
        record.order_id = f.opt(at::ORDER_ID);
    }
    Ok(())
}

/// 交易传输时间 `MMDDhhmmss`, in the year of the settlement date — or the year before, when
/// its month and day come after the settlement date's (December lines settled in January).
/// Without a settlement date the value is checked (in a leap year) and the time left empty.
fn time(settle: Option<NaiveDate>, text: &str) -> Result<Option<NaiveDateTime>, FieldError> {
    let err = || {
        FieldError::new(
            layout::COMMON[at::TIME].name,
            "a time MMDDhhmmss (the file prints no year)",
            text,
        )
    };
    let [month, day, h, m, s] = mmddhhmmss(text).ok_or_else(err)?;
    let year = settle.map_or(2000, |date| {
        if (month, day) > (date.month(), date.day()) {
            date.year() - 1
        } else {
            date.year()
        }
    });
    let at = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(h, m, s))
        .ok_or_else(err)?;
    Ok(settle.map(|_| at))
}

/// The five two-digit numbers of `MMDDhhmmss`.
fn mmddhhmmss(text: &str) -> Option<[u32; 5]> {
    let b = text.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    Some([two(0), two(2), two(4), two(6), two(8)])
}

/// The `X+n12` fields other than 商户手续费, as signed yuan toward the merchant; a value that
/// is not `X+n12` stays as printed, with a warning.
fn money_extras(
    f: &Fields<'_>,
    no: u64,
    notes: &mut Notes,
    out: &mut Emitter,
) -> Vec<(usize, String)> {
    let mut amounts = Vec::new();
    for (i, def) in f.defs.iter().enumerate() {
        let text = f.get(i);
        if !def.money || i == at::FEE || text.is_empty() {
            continue;
        }
        let value = match money::signed(def.name, text) {
            Ok(Some(signed)) => signed.toward_merchant().to_string(),
            Ok(None) => continue,
            Err(_) => {
                notes.bad_money(no, def.name, text, out);
                text.to_owned()
            }
        };
        amounts.push((i, value));
    }
    amounts
}

/// Every field not mapped to a record field, by its specification name, in line order:
/// amounts from `amounts`, 商户手续费 as printed when it carries a sign or C/D byte.
fn extra<'a>(
    code: Code,
    f: &'a Fields<'_>,
    fee_prefixed: bool,
    amounts: &'a [(usize, String)],
) -> Vec<(&'a str, &'a str)> {
    let mapped = code.mapped();
    let mut out = Vec::with_capacity(24);
    for (i, def) in f.defs.iter().enumerate() {
        if mapped.contains(&i) || (i == at::FEE && !fee_prefixed) {
            continue;
        }
        let value = if def.money && i != at::FEE {
            amounts
                .iter()
                .find(|(j, _)| *j == i)
                .map(|(_, v)| v.as_str())
        } else {
            f.opt(i)
        };
        if let Some(value) = value {
            out.push((def.name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn at(text: &str, settle: Option<NaiveDate>) -> Option<String> {
        time(settle, text).expect("valid").map(|t| t.to_string())
    }

    #[test]
    fn the_year_comes_from_the_settlement_date() {
        let jan3 = date(2026, 1, 3);
        assert_eq!(
            at("0103090000", jan3).as_deref(),
            Some("2026-01-03 09:00:00")
        );
        assert_eq!(
            at("0102101530", jan3).as_deref(),
            Some("2026-01-02 10:15:30")
        );
        assert_eq!(
            at("1231235959", jan3).as_deref(),
            Some("2025-12-31 23:59:59")
        );
        assert_eq!(
            at("0104000000", jan3).as_deref(),
            Some("2025-01-04 00:00:00")
        );
        assert_eq!(
            at("0229120000", date(2024, 3, 1)).as_deref(),
            Some("2024-02-29 12:00:00")
        );
        assert!(
            time(date(2025, 3, 1), "0229120000").is_err(),
            "2025 has no Feb 29"
        );
        assert_eq!(at("0229120000", None), None, "checked, but no year to give");
        for bad in ["", "123", "1332000000", "0101250000", "01011200aa"] {
            let e = time(jan3, bad).expect_err(bad);
            assert_eq!(e.field, "交易传输时间");
        }
    }

    #[test]
    fn codes_are_three_upper_case_characters() {
        assert!(check_code("S22").is_ok());
        assert!(check_code("E74").is_ok());
        for bad in ["", "s22", "S2", "S222", "S-2"] {
            assert!(check_code(bad).is_err(), "{bad}");
        }
    }
}
