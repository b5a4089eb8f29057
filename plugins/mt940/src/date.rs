//! SWIFT dates: `YYMMDD` with a two-digit year, and the `MMDD` entry date of `:61:`.
//!
//! Century: a balance's `YYMMDD` reads 00–79 as 20xx and 80–99 as 19xx. A statement line's
//! value date takes the century that puts it nearest the statement's reference date (its
//! opening balance, or the MT942 `:13D:` date-time) — the same as the 00–79 rule, except
//! for statements that straddle the pivot. An entry date `MMDD` takes the year of the value
//! date, or the year before or after when that puts it nearer (a line valued on 31 December
//! and booked on `0102` was booked on 2 January of the next year).

use chrono::{Datelike, NaiveDate};

/// The year the two-digit `yy` stands for without a reference date.
pub(crate) fn pivot_year(yy: i32) -> i32 {
    if yy < 80 { 2000 + yy } else { 1900 + yy }
}

/// Two ASCII digits at `s[at..at + 2]` as a number.
fn two_digits(s: &str, at: usize) -> Option<u32> {
    let d = s.as_bytes().get(at..at + 2)?;
    d.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `YYMMDD` as a date, its century nearest `near` (or by the 00–79 rule without one).
/// `None` when the text is not six digits or not a calendar date (February 30).
pub(crate) fn yymmdd(s: &str, near: Option<NaiveDate>) -> Option<NaiveDate> {
    if s.len() != 6 {
        return None;
    }
    let yy = i32::try_from(two_digits(s, 0)?).ok()?;
    let (month, day) = (two_digits(s, 2)?, two_digits(s, 4)?);
    let year = match near {
        None => pivot_year(yy),
        Some(near) => nearest_century(yy, near.year()),
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Of 19yy/20yy/21yy (relative to `near_year`'s century), the year nearest `near_year`.
fn nearest_century(yy: i32, near_year: i32) -> i32 {
    let century = near_year.div_euclid(100) * 100;
    [century - 100 + yy, century + yy, century + 100 + yy]
        .into_iter()
        .min_by_key(|y| (y - near_year).abs())
        .unwrap_or(century + yy)
}

/// The entry date `MMDD` of a line valued on `value`: the year of `value`, or the one before
/// or after, whichever is the nearest calendar date. `None` for no calendar date at all.
pub(crate) fn entry_date(mmdd: &str, value: NaiveDate) -> Option<NaiveDate> {
    if mmdd.len() != 4 {
        return None;
    }
    let (month, day) = (two_digits(mmdd, 0)?, two_digits(mmdd, 2)?);
    (value.year() - 1..=value.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - value).num_days().abs())
        .filter(|d| (*d - value).num_days().abs() <= 366)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn two_digit_years() {
        assert_eq!(yymmdd("070903", None), Some(date(2007, 9, 3)));
        assert_eq!(yymmdd("990101", None), Some(date(1999, 1, 1)));
        assert_eq!(yymmdd("790101", None), Some(date(2079, 1, 1)));
        // Near a 2079 statement, 80 is 2080, not 1980.
        assert_eq!(
            yymmdd("800102", Some(date(2079, 12, 31))),
            Some(date(2080, 1, 2))
        );
        assert_eq!(
            yymmdd("990101", Some(date(2000, 1, 3))),
            Some(date(1999, 1, 1))
        );
    }

    #[test]
    fn not_calendar_dates() {
        assert_eq!(yymmdd("070230", None), None);
        assert_eq!(yymmdd("07023", None), None);
        assert_eq!(yymmdd("07a203", None), None);
        assert_eq!(yymmdd("071301", None), None);
    }

    #[test]
    fn entry_dates_cross_the_year_end() {
        let dec31 = date(2013, 12, 31);
        assert_eq!(entry_date("0102", dec31), Some(date(2014, 1, 2)));
        assert_eq!(
            entry_date("1231", date(2014, 1, 2)),
            Some(date(2013, 12, 31))
        );
        assert_eq!(
            entry_date("0524", date(2011, 5, 24)),
            Some(date(2011, 5, 24))
        );
        assert_eq!(entry_date("0230", dec31), None);
        assert_eq!(entry_date("1x01", dec31), None);
    }
}
