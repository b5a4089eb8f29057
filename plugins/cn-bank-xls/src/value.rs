//! One spreadsheet cell, and the exact readings of it an adapter needs: its text, an amount,
//! a date and a time of day.
//!
//! Spreadsheet numbers are IEEE doubles. An amount cell becomes a [`Decimal`] through the
//! double's shortest round-trip text (`format!("{f}")`, which never uses an exponent): `16.78`
//! stays `16.78`, never `16.780000000000001`. More than two decimal places in that text means
//! the cell is not a money amount as banks print it, and the row is quarantined rather than
//! rounded.

use std::borrow::Cow;

use calamine::{DataRef, ExcelDateTime};
use chrono::NaiveTime;
use qrecon_adapter_sdk::{Decimal, FieldError, NaiveDate, NaiveDateTime, text};

/// Serial day numbers Excel can show as dates (1900-01-01 ..= 9999-12-31).
const SERIAL_DAYS: std::ops::Range<f64> = 1.0..2_958_466.0;

/// Amounts from here on are refused: no statement line comes near, and the canonical
/// record carries amounts below about 7.9 × 10^23 only.
const MAX_AMOUNT: u64 = 1_000_000_000_000_000_000;

/// Dates written as the number `yyyymmdd`.
const YYYYMMDD: std::ops::RangeInclusive<f64> = 19_000_101.0..=29_991_231.0;

/// A cell as read from the workbook.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Value {
    /// No value.
    #[default]
    Empty,
    /// A text cell (shared or inline string, or an ISO date text).
    Text(String),
    /// A number cell.
    Number(f64),
    /// An integer cell.
    Int(i64),
    /// A number cell formatted as a date, time or duration.
    Date(ExcelDateTime),
    /// A boolean cell.
    Bool(bool),
    /// An error cell (`#N/A`, `#VALUE!`, …), as Excel shows it.
    Error(String),
}

impl Value {
    /// The cell as calamine hands it over.
    pub(crate) fn from_calamine(data: &DataRef<'_>) -> Self {
        match data {
            DataRef::Empty => Value::Empty,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                Value::Text(s.clone())
            }
            DataRef::SharedString(s) => Value::Text((*s).to_owned()),
            DataRef::Float(f) => Value::Number(*f),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::DateTime(d) => Value::Date(*d),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::Error(e) => Value::Error(e.to_string()),
        }
    }

    /// The cell's text: a text cell with its padding trimmed, a number in its shortest
    /// round-trip form, a date as `YYYY-MM-DD[ HH:MM:SS]`.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Empty => Cow::Borrowed(""),
            Value::Text(s) => Cow::Borrowed(text::clean(s)),
            Value::Number(f) => Cow::Owned(format!("{f}")),
            Value::Int(i) => Cow::Owned(i.to_string()),
            Value::Date(d) => Cow::Owned(date_text(*d)),
            Value::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
            Value::Error(e) => Cow::Borrowed(e),
        }
    }

    /// Whether the cell says nothing: empty, blank text, or one of the exports' placeholders
    /// for "empty" (`-`, `--`, `/`, a run of dashes).
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => text::non_empty(s).is_none(),
            _ => false,
        }
    }

    /// The amount in the cell, exactly; `None` when the cell is blank.
    pub(crate) fn amount(&self, field: &str) -> Result<Option<Decimal>, FieldError> {
        let value = match self {
            _ if self.is_blank() => return Ok(None),
            Value::Text(s) => text::parse_amount(field, s)?,
            Value::Number(f) => float_amount(field, *f)?,
            Value::Int(i) => Decimal::from(*i),
            other => return Err(FieldError::new(field, "an amount", &other.text())),
        };
        if value.abs() >= Decimal::from(MAX_AMOUNT) {
            return Err(FieldError::new(
                field,
                "an amount below 10^18",
                &self.text(),
            ));
        }
        Ok(Some(value))
    }

    /// The date in the cell, with the time of day when the cell carries one too.
    pub(crate) fn date(&self, field: &str) -> Result<(NaiveDate, Option<NaiveTime>), FieldError> {
        let err = || FieldError::new(field, "a date like 20250101 or 2025-01-01", &self.text());
        match self {
            Value::Text(s) => text_date(s).ok_or_else(err),
            Value::Number(f) => number_date(*f).map(|d| (d, None)).ok_or_else(err),
            #[allow(clippy::cast_precision_loss)] // a date number has 8 digits at most
            Value::Int(i) => number_date(*i as f64).map(|d| (d, None)).ok_or_else(err),
            Value::Date(d) if d.is_datetime() && SERIAL_DAYS.contains(&d.as_f64()) => {
                serial_parts(*d).ok_or_else(err)
            }
            _ => Err(err()),
        }
    }

    /// The time of day in the cell; `None` when the cell is blank.
    pub(crate) fn time(&self, field: &str) -> Result<Option<NaiveTime>, FieldError> {
        let err = || FieldError::new(field, "a time like 18:53:19", &self.text());
        match self {
            _ if self.is_blank() => Ok(None),
            Value::Text(s) => text_time(text::clean(s)).map(Some).ok_or_else(err),
            Value::Number(f) => number_time(*f).map(Some).ok_or_else(err),
            #[allow(clippy::cast_precision_loss)] // a time number has 6 digits at most
            Value::Int(i) => number_time(*i as f64).map(Some).ok_or_else(err),
            Value::Date(d) if d.is_datetime() && (0.0..SERIAL_DAYS.end).contains(&d.as_f64()) => {
                Ok(Some(time_of(*d)))
            }
            _ => Err(err()),
        }
    }
}

/// A double as an exact amount of at most two decimal places, through its shortest
/// round-trip text.
pub(crate) fn float_amount(field: &str, f: f64) -> Result<Decimal, FieldError> {
    let shortest = format!("{f}");
    let value = Decimal::from_str_exact(&shortest)
        .map_err(|_| FieldError::new(field, "an amount", &shortest))?;
    if value.scale() > 2 {
        return Err(FieldError::new(
            field,
            "an amount with at most 2 decimal places",
            &shortest,
        ));
    }
    // `-0` from a negated zero is zero.
    Ok(if value.is_zero() {
        Decimal::ZERO
    } else {
        value
    })
}

/// `20250101`, `2025-01-01`, `2025/01/01`, `2025.01.01` or `2025年01月01日`, optionally
/// followed by a time (`2025-01-01 18:53:19`, `2025-01-01T18:53:19`).
fn text_date(s: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let c = text::clean(s);
    let (date, time) = match c.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(text_time(text::clean(t))?)),
        None => (c, None),
    };
    let date = text::parse_date("", date)
        .ok()
        .or_else(|| NaiveDate::parse_from_str(date, "%Y.%m.%d").ok())
        .or_else(|| NaiveDate::parse_from_str(date, "%Y年%m月%d日").ok())?;
    Some((date, time))
}

/// `18:53:19`, `18:53`, full-width colons, or `185319` (six digits).
fn text_time(s: &str) -> Option<NaiveTime> {
    let s = s.replace('：', ":");
    let s = s.split('.').next().unwrap_or_default(); // `18:53:19.000`
    let formats: &[&str] = if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        &["%H%M%S"]
    } else {
        &["%H:%M:%S", "%H:%M"]
    };
    formats
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(s, f).ok())
}

/// A date number: `yyyymmdd` when it reads as one, else an Excel serial day (1900 system).
fn number_date(f: f64) -> Option<NaiveDate> {
    if f.fract() == 0.0 && YYYYMMDD.contains(&f) {
        return NaiveDate::parse_from_str(&format!("{f}"), "%Y%m%d").ok();
    }
    if !SERIAL_DAYS.contains(&f) {
        return None;
    }
    let serial = ExcelDateTime::new(f, calamine::ExcelDateTimeType::DateTime, false);
    serial_parts(serial).map(|(d, _)| d)
}

/// A time number: a fraction of a day, or `hhmmss` written as a number.
fn number_time(f: f64) -> Option<NaiveTime> {
    if (0.0..1.0).contains(&f) {
        let serial = ExcelDateTime::new(f, calamine::ExcelDateTimeType::DateTime, false);
        return Some(time_of(serial));
    }
    if f.fract() != 0.0 || !(0.0..240_000.0).contains(&f) {
        return None;
    }
    NaiveTime::parse_from_str(&format!("{f:06}"), "%H%M%S").ok()
}

/// The date of a serial (`None` for Excel's fictitious 1900-02-29) and its time unless
/// midnight.
fn serial_parts(serial: ExcelDateTime) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let (y, m, d, ..) = serial.to_ymd_hms_milli();
    let date = NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))?;
    let time = time_of(serial);
    Some((date, (time != NaiveTime::MIN).then_some(time)))
}

/// The time of day of a serial, to the second.
fn time_of(serial: ExcelDateTime) -> NaiveTime {
    let (.., h, min, s, _) = serial.to_ymd_hms_milli();
    NaiveTime::from_hms_opt(u32::from(h), u32::from(min), u32::from(s)).unwrap_or(NaiveTime::MIN)
}

/// A date cell's text: `YYYY-MM-DD`, with ` HH:MM:SS` when it has a time, or the time alone
/// for a time cell.
fn date_text(serial: ExcelDateTime) -> String {
    let f = serial.as_f64();
    if serial.is_duration() || !(0.0..SERIAL_DAYS.end).contains(&f) {
        return format!("{f}");
    }
    let time = time_of(serial);
    if f < 1.0 {
        return time.format("%H:%M:%S").to_string();
    }
    match serial_parts(serial) {
        Some((date, None)) => date.to_string(),
        Some((date, Some(_))) => NaiveDateTime::new(date, time).to_string(),
        None => format!("{f}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(v: &Value) -> Result<Option<String>, String> {
        v.amount("金额")
            .map(|a| a.map(|d| d.to_string()))
            .map_err(|e| e.reason)
    }

    fn date(v: &Value) -> Option<String> {
        v.date("日期").ok().map(|(d, t)| match t {
            Some(t) => format!("{d} {t}"),
            None => d.to_string(),
        })
    }

    fn time(v: &Value) -> Option<String> {
        v.time("时间").ok().flatten().map(|t| t.to_string())
    }

    #[test]
    fn doubles_become_exact_amounts_through_their_shortest_text() {
        assert_eq!(amount(&Value::Number(16.78)), Ok(Some("16.78".into())));
        assert_eq!(amount(&Value::Number(66.4)), Ok(Some("66.4".into())));
        assert_eq!(amount(&Value::Number(-0.0)), Ok(Some("0".into())));
        assert_eq!(amount(&Value::Number(2176.91)), Ok(Some("2176.91".into())));
        assert_eq!(amount(&Value::Int(-12)), Ok(Some("-12".into())));
        assert_eq!(
            amount(&Value::Text("1,234.56".into())),
            Ok(Some("1234.56".into()))
        );
        assert_eq!(amount(&Value::Text("--".into())), Ok(None));
        assert_eq!(amount(&Value::Empty), Ok(None));
        let sum = 0.1 + 0.2; // 0.30000000000000004
        let error = amount(&Value::Number(sum)).expect_err("17 decimals");
        assert!(error.contains("at most 2 decimal places"), "{error}");
        for bad in [f64::NAN, f64::INFINITY, 1e21] {
            assert!(amount(&Value::Number(bad)).is_err(), "{bad}");
        }
        assert!(amount(&Value::Bool(true)).is_err());
    }

    #[test]
    fn dates_from_text_numbers_and_serials() {
        for text in [
            "20250101",
            "2025-01-01",
            "2025/01/01",
            "2025.01.01",
            "2025年01月01日",
        ] {
            assert_eq!(
                date(&Value::Text(text.into())).as_deref(),
                Some("2025-01-01"),
                "{text}"
            );
        }
        assert_eq!(
            date(&Value::Text("2025-08-22 17:57:17".into())).as_deref(),
            Some("2025-08-22 17:57:17")
        );
        assert_eq!(
            date(&Value::Number(20_250_101.0)).as_deref(),
            Some("2025-01-01")
        );
        assert_eq!(
            date(&Value::Number(45_658.0)).as_deref(),
            Some("2025-01-01")
        );
        assert_eq!(
            date(&Value::Number(45_658.75)).as_deref(),
            Some("2025-01-01"),
            "a plain number keeps no time"
        );
        assert_eq!(date(&Value::Number(60.0)), None, "Excel's 1900-02-29");
        let serial = ExcelDateTime::new(45_658.75, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            date(&Value::Date(serial)).as_deref(),
            Some("2025-01-01 18:00:00")
        );
        for bad in ["2025-13-45", "yesterday", ""] {
            assert_eq!(date(&Value::Text(bad.into())), None, "{bad}");
        }
        assert_eq!(date(&Value::Number(0.5)), None);
    }

    #[test]
    fn times_from_text_numbers_and_fractions() {
        assert_eq!(
            time(&Value::Text("18:53:19".into())).as_deref(),
            Some("18:53:19")
        );
        assert_eq!(
            time(&Value::Text("18：53".into())).as_deref(),
            Some("18:53:00")
        );
        assert_eq!(
            time(&Value::Text("185319".into())).as_deref(),
            Some("18:53:19")
        );
        assert_eq!(time(&Value::Number(5319.0)).as_deref(), Some("00:53:19"));
        assert_eq!(time(&Value::Number(0.5)).as_deref(), Some("12:00:00"));
        assert_eq!(time(&Value::Text("25:61:00".into())), None);
        assert_eq!(time(&Value::Number(250_000.0)), None);
        assert_eq!(Value::Empty.time("t"), Ok(None));
    }

    #[test]
    fn cell_texts() {
        assert_eq!(Value::Number(2176.91).text(), "2176.91");
        assert_eq!(Value::Number(67.0).text(), "67");
        assert_eq!(Value::Text("记账日          ".into()).text(), "记账日");
        let serial = ExcelDateTime::new(45_658.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(Value::Date(serial).text(), "2025-01-01");
        let clock = ExcelDateTime::new(0.75, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(Value::Date(clock).text(), "18:00:00");
    }
}
