//! The ISO 20022 value types camt prints, read exactly: amounts (`ActiveOrHistoricCurrencyAndAmount`,
//! a non-negative `xs:decimal` of at most 18 digits, up to 5 of them fraction digits), dates
//! (`ISODate`) and date-times (`ISODateTime`, with or without an offset).

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use qrecon_adapter_sdk::{Decimal, FieldError};

/// A field that is not there.
pub(crate) fn missing(field: &str, what: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        reason: format!("expected {what}, found nothing"),
    }
}

/// The most digits an ISO 20022 amount has (`totalDigits` 18). Keeping to it also means no
/// sum of a file's amounts can overflow a `Decimal`.
const MAX_DIGITS: usize = 18;

/// A non-negative decimal as `xs:decimal` writes it (`12`, `12.5`, `+12.50`, `.5`), of at most
/// [`MAX_DIGITS`] digits: exact.
pub(crate) fn amount(field: &str, s: &str) -> Result<Decimal, FieldError> {
    let expected = "a non-negative decimal amount of at most 18 digits, like 123.45";
    let body = s.strip_prefix('+').unwrap_or(s);
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let significant = whole.trim_start_matches('0').len() + frac.len();
    if whole.len() + frac.len() == 0 || !digits(whole) || !digits(frac) || significant > MAX_DIGITS
    {
        return Err(FieldError::new(field, expected, s));
    }
    let whole = if whole.is_empty() { "0" } else { whole };
    let text = if frac.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{frac}")
    };
    Decimal::from_str_exact(&text).map_err(|_| FieldError::new(field, expected, s))
}

/// An `ISODate` (`2026-03-01`); an `xs:date` time-zone suffix (`Z`, `+01:00`) is tolerated.
pub(crate) fn date(field: &str, s: &str) -> Result<NaiveDate, FieldError> {
    let err = || FieldError::new(field, "a date like 2026-03-01", s);
    let (day, zone) = (
        s.get(..10).ok_or_else(err)?,
        s.get(10..).unwrap_or_default(),
    );
    if !(zone.is_empty() || zone == "Z" || is_offset(zone)) {
        return Err(err());
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| err())
}

/// An `ISODateTime`: the wall-clock time as printed and, when the text states one, its offset
/// from UTC in seconds (`Z` = 0). Fractions of a second are kept.
pub(crate) fn date_time(field: &str, s: &str) -> Result<(NaiveDateTime, Option<i32>), FieldError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok((t.naive_local(), Some(t.offset().local_minus_utc())));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|t| (t, None))
        .map_err(|_| FieldError::new(field, "a date and time like 2026-03-01T09:15:00+01:00", s))
}

/// `+HH:MM` or `-HH:MM`.
fn is_offset(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 6
        && matches!(b[0], b'+' | b'-')
        && b[3] == b':'
        && [1, 2, 4, 5].iter().all(|&i| b[i].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("decimal")
    }

    #[test]
    fn amounts_are_exact_and_keep_their_places() {
        for (text, value) in [
            ("200000", "200000"),
            ("8.85", "8.85"),
            ("250.12345", "250.12345"),
            ("0", "0"),
            ("+1.50", "1.50"),
            (".5", "0.5"),
            ("5.", "5"),
        ] {
            let got = amount("Amt", text).expect(text);
            assert_eq!(got, dec(value), "{text}");
            assert_eq!(got.to_string(), value, "{text} keeps its scale");
        }
        assert!(amount("Amt", "123456789012.123456").is_ok(), "18 digits");
        assert!(
            amount("Amt", "000000000000000000001.5").is_ok(),
            "leading zeros"
        );
        for bad in [
            "",
            "-1.00",
            "1,50",
            "1.2.3",
            "1e5",
            ".",
            " 1",
            "1234567890123.123456",
            "9999999999999999999999999999",
        ] {
            let e = amount("Amt", bad).expect_err(bad);
            assert_eq!(e.field, "Amt");
        }
    }

    #[test]
    fn dates_with_and_without_a_zone() {
        let d = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        for s in ["2014-12-31", "2014-12-31Z", "2014-12-31+01:00"] {
            assert_eq!(date("Dt", s), Ok(d), "{s}");
        }
        for bad in ["2014-12-32", "31.12.2014", "2014-12-31 x", "2014-12"] {
            assert!(date("Dt", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_times_keep_the_stated_offset() {
        let (t, off) = date_time("DtTm", "2007-10-18T10:15:00+01:00").expect("offset");
        assert_eq!(
            (t.to_string().as_str(), off),
            ("2007-10-18 10:15:00", Some(3600))
        );
        let (_, off) = date_time("DtTm", "2026-03-01T09:15:00Z").expect("Z");
        assert_eq!(off, Some(0));
        let (t, off) = date_time("DtTm", "2026-03-01T18:45:10.250-05:00").expect("fraction");
        assert_eq!(
            (t.to_string().as_str(), off),
            ("2026-03-01 18:45:10.250", Some(-5 * 3600))
        );
        let (t, off) = date_time("DtTm", "2026-03-01T09:15:00").expect("local");
        assert_eq!((t.to_string().as_str(), off), ("2026-03-01 09:15:00", None));
        assert!(date_time("DtTm", "2026-03-01").is_err());
    }
}
