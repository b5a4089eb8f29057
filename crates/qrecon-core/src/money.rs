//! Exact money: a signed integer count of 1/100 000 of the currency unit (the wire scale:
//! WeChat Pay fees carry five places). Never a float.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

/// An exact amount in units of 10⁻⁵.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    /// Decimal places of one unit.
    pub const SCALE: u32 = 5;
    /// Units per whole currency unit.
    pub const ONE: i64 = 100_000;
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// From a wire decimal at scale 5; `None` when it does not fit.
    pub fn from_scaled(units: i128) -> Option<Self> {
        i64::try_from(units).ok().map(Money)
    }

    /// Whole currency units and hundredths (`Money::cents(1234)` = 12.34).
    pub const fn cents(cents: i64) -> Self {
        Money(cents * 1000)
    }

    /// Whether below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Whether zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Absolute value.
    #[must_use]
    pub fn abs(self) -> Self {
        Money(self.0.abs())
    }
}

/// Decimal digits, for [`Money`]'s `Display`.
const DIGITS: &[u8; 10] = b"0123456789";

impl Money {
    /// The amount as text in `buf` (see `Display`), without the formatting machinery:
    /// amounts are written millions of times a run.
    pub fn text(self, buf: &mut [u8; 24]) -> &str {
        // Written backwards: at least two decimal places, more only when they are not zero.
        let abs = self.0.unsigned_abs();
        let mut whole = abs / 100_000;
        let mut frac = abs % 100_000;
        let mut places = 5;
        while places > 2 && frac.is_multiple_of(10) {
            frac /= 10;
            places -= 1;
        }
        let mut i = buf.len();
        for _ in 0..places {
            i -= 1;
            buf[i] = DIGITS[(frac % 10) as usize];
            frac /= 10;
        }
        i -= 1;
        buf[i] = b'.';
        loop {
            i -= 1;
            buf[i] = DIGITS[(whole % 10) as usize];
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if self.0 < 0 {
            i -= 1;
            buf[i] = b'-';
        }
        std::str::from_utf8(&buf[i..]).unwrap_or_default()
    }
}

impl fmt::Display for Money {
    /// At least two decimal places, more only when they are not zero: `5.00`, `0.001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(&mut [0; 24]))
    }
}

impl FromStr for Money {
    type Err = String;

    /// Parses `-12.34` (at most five places, no separators).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected an amount like 12.34, found {s:?}");
        let t = s.trim();
        let (neg, body) = t.strip_prefix('-').map_or((false, t), |b| (true, b));
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 5 {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac_units: i64 = format!("{frac:0<5}").parse().map_err(|_| bad())?;
        let units = whole
            .checked_mul(100_000)
            .and_then(|w| w.checked_add(frac_units))
            .ok_or_else(bad)?;
        Ok(Money(if neg { -units } else { units }))
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_two_places_at_least_never_rounds() {
        let f = |s: &str| s.parse::<Money>().expect("money").to_string();
        assert_eq!(f("5"), "5.00");
        assert_eq!(f("-363.13"), "-363.13");
        assert_eq!(f("0.001"), "0.001");
        assert_eq!(f("0.32000"), "0.32");
        assert_eq!(f("0"), "0.00");
        assert_eq!(f("-0.00001"), "-0.00001");
        assert!("1.234567".parse::<Money>().is_err());
        assert!("1,000".parse::<Money>().is_err());
        assert_eq!(Money::cents(1234).to_string(), "12.34");
    }
}
