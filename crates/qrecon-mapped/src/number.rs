//! Amounts as a mapping says they are written: its decimal and thousands separators, a sign
//! in front or behind, parentheses for negatives, a currency symbol or code around the number.

use qrecon_adapter_sdk::Decimal;

/// How numbers are written in one file.
#[derive(Debug, Clone)]
pub(crate) struct Numbers {
    pub decimal: char,
    pub thousands: Option<char>,
}

impl Numbers {
    /// The exact value of `cell`, or `None` when it is not an amount written this way. Empty
    /// cells are the caller's business.
    pub fn parse(&self, cell: &str) -> Option<Decimal> {
        let mut s = cell.trim_matches(is_padding);
        let mut negative = false;
        if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            negative = true;
            s = inner.trim_matches(is_padding);
        }
        s = s.trim_matches(|c: char| is_padding(c) || is_currency(c));
        if let Some(rest) = s.strip_prefix('-') {
            negative = !negative;
            s = rest;
        } else if let Some(rest) = s.strip_suffix('-') {
            negative = !negative;
            s = rest;
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest;
        }
        let s = s.trim_matches(|c: char| is_padding(c) || is_currency(c));
        let plain = self.plain(s)?;
        let value = Decimal::from_str_exact(&plain).ok()?;
        Some(if negative { -value } else { value })
    }

    /// `s` with the thousands separators checked and dropped and the decimal separator made
    /// a dot; `None` for anything that is not digits written this way.
    fn plain(&self, s: &str) -> Option<String> {
        let (whole, frac) = match s.split_once(self.decimal) {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        if whole.is_empty() || frac.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let digits: String = match self.thousands {
            Some(t) if whole.contains(t) => {
                let groups: Vec<&str> = whole.split(t).collect();
                let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
                    && groups[1..].iter().all(|g| g.len() == 3);
                if !ok {
                    return None;
                }
                groups.concat()
            }
            _ => whole.to_owned(),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(match frac {
            Some(f) if !f.is_empty() => format!("{digits}.{f}"),
            _ => digits,
        })
    }
}

fn is_padding(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}'
}

/// Currency symbols and ISO codes around an amount (`HK$`, `€`, `CNY`, `¥`).
fn is_currency(c: char) -> bool {
    c.is_ascii_uppercase() || matches!(c, '$' | '€' | '£' | '¥' | '￥')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(decimal: char, thousands: Option<char>) -> Numbers {
        Numbers { decimal, thousands }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("test decimal")
    }

    #[test]
    fn the_ways_amounts_are_written() {
        let us = n('.', Some(','));
        assert_eq!(
            us.parse("\"-1,099.14\"".trim_matches('"')),
            Some(d("-1099.14"))
        );
        assert_eq!(us.parse(" 3,266.16\t"), Some(d("3266.16")));
        assert_eq!(us.parse("(12.50)"), Some(d("-12.50")));
        assert_eq!(us.parse("12.50-"), Some(d("-12.50")));
        assert_eq!(us.parse("HK$1,000.00"), Some(d("1000.00")));
        assert_eq!(us.parse("+0.01"), Some(d("0.01")));
        assert_eq!(us.parse("1,00.00"), None);
        assert_eq!(us.parse("abc"), None);
        assert_eq!(us.parse("1.2.3"), None);
        let de = n(',', Some('.'));
        assert_eq!(de.parse("-4.093,32 €"), Some(d("-4093.32")));
        assert_eq!(de.parse("-10,7"), Some(d("-10.7")));
        let plain = n('.', None);
        assert_eq!(plain.parse("2000.00"), Some(d("2000.00")));
        assert_eq!(plain.parse("2,000.00"), None);
    }
}
