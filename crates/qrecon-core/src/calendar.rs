//! Business-day calendars and settlement cycles (`T+N`, `D+N`).

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

/// A working-day calendar: Monday–Friday, less public holidays, plus make-up working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Name (`cn`, …).
    pub name: String,
    /// Days off (including weekdays moved into a holiday).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are worked.
    pub workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Whether `day` is a business day.
    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The `n`-th business day after `day` (`n = 0`: `day` itself).
    pub fn add_business_days(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        let mut left = n;
        while left > 0 {
            d += TimeDelta::days(1);
            if self.is_business_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Business days in `(from, to]` (0 when `to <= from`).
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_business_day(*d))
            .count()
            .try_into()
            .unwrap_or(u32::MAX)
    }
}

/// A provider's settlement cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cycle {
    /// `T+N`: the N-th business day after the payment (`T+0` = its own date).
    Business(u32),
    /// `D+N`: the N-th calendar day after the payment.
    Calendar(u32),
}

impl Cycle {
    /// The day the payout of a payment made on `paid` is due.
    pub fn due(self, paid: NaiveDate, calendar: &Calendar) -> NaiveDate {
        match self {
            Cycle::Business(n) => calendar.add_business_days(paid, n),
            Cycle::Calendar(n) => paid + TimeDelta::days(i64::from(n)),
        }
    }
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cycle::Business(n) => write!(f, "T+{n}"),
            Cycle::Calendar(n) => write!(f, "D+{n}"),
        }
    }
}

impl FromStr for Cycle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected a settlement cycle like T+1, T+0 or D+3, found {s:?}");
        let (kind, n) = s.trim().split_once('+').ok_or_else(bad)?;
        let n: u32 = n.parse().map_err(|_| bad())?;
        match kind {
            "T" | "t" => Ok(Cycle::Business(n)),
            "D" | "d" => Ok(Cycle::Calendar(n)),
            _ => Err(bad()),
        }
    }
}

/// `date` as `YYYY-MM-DD` in `buf`, without the formatting machinery (dates are written
/// millions of times a run); `None` for years outside 0–9999.
pub fn iso_date(date: NaiveDate, buf: &mut [u8; 10]) -> Option<&str> {
    use chrono::Datelike as _;
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let digit = |x: u32| b'0' + u8::try_from(x % 10).unwrap_or(0);
    *buf = [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(date.month() / 10),
        digit(date.month()),
        b'-',
        digit(date.day() / 10),
        digit(date.day()),
    ];
    std::str::from_utf8(buf).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn cn_2026() -> Calendar {
        let holidays = [
            "2026-10-01",
            "2026-10-02",
            "2026-10-03",
            "2026-10-04",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
        ];
        Calendar {
            name: "cn".into(),
            holidays: holidays.iter().map(|s| d(s)).collect(),
            workdays: [d("2026-09-20"), d("2026-10-10")].into_iter().collect(),
        }
    }

    #[test]
    fn t_plus_one_skips_the_national_day_holiday() {
        let cal = cn_2026();
        assert_eq!(
            Cycle::Business(1).due(d("2026-09-30"), &cal),
            d("2026-10-08")
        );
        assert_eq!(
            Cycle::Business(0).due(d("2026-09-30"), &cal),
            d("2026-09-30")
        );
        assert_eq!(
            Cycle::Calendar(1).due(d("2026-09-30"), &cal),
            d("2026-10-01")
        );
        assert!(cal.is_business_day(d("2026-10-10")), "make-up Saturday");
        assert_eq!(
            Cycle::Business(2).due(d("2026-10-08"), &cal),
            d("2026-10-10")
        );
        assert_eq!(
            cal.business_days_between(d("2026-09-30"), d("2026-10-08")),
            1
        );
    }

    #[test]
    fn cycles_parse_and_print() {
        assert_eq!("T+1".parse(), Ok(Cycle::Business(1)));
        assert_eq!("D+3".parse(), Ok(Cycle::Calendar(3)));
        assert!("T1".parse::<Cycle>().is_err());
        assert!("X+1".parse::<Cycle>().is_err());
        assert_eq!(Cycle::Business(0).to_string(), "T+0");
    }
}
