//! The amount fields around the statement lines: balances (`:60F:` `:60M:` `:62F:` `:62M:`
//! `:64:` `:65:` = `[C|D]YYMMDDCCYamount`), the MT942 floor limit (`:34F:` =
//! `CCY[D|C]amount`), the MT942 entry sums (`:90D:` `:90C:` = `countCCYamount`) and the MT942
//! date-time indication (`:13D:` = `YYMMDDhhmm±hhhh`).
//!
//! SWIFT amounts have a decimal comma and no thousands separator: `500,`, `0,`,
//! `000000000025,00`. Balances are also read without a comma (`:60F:C100101EUR100`), as
//! some exports write them; a statement line's amount must have its comma.

use chrono::NaiveDate;
use qrecon_adapter_sdk::Decimal;

use crate::date;

/// A SWIFT amount `digits,digits` as an exact decimal. With `comma_required` false, digits
/// alone are a whole amount. `None` for anything else.
pub(crate) fn amount(s: &str, comma_required: bool) -> Option<Decimal> {
    let (whole, frac) = match s.split_once(',') {
        Some(parts) => parts,
        None if !comma_required => (s, ""),
        None => return None,
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || whole.len() + frac.len() > 20 {
        return None;
    }
    let text = if frac.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{frac}")
    };
    Decimal::from_str_exact(&text).ok()
}

/// A balance field.
#[derive(Debug, Clone)]
pub(crate) struct Balance<'t> {
    /// The tag (`60F`, `62M`, …).
    pub(crate) tag: &'t str,
    /// Line of the field.
    pub(crate) line: u64,
    /// The date, when it is a calendar date.
    pub(crate) date: Option<NaiveDate>,
    /// The date as written.
    pub(crate) date_raw: &'t str,
    /// Currency code.
    pub(crate) currency: &'t str,
    /// Signed: credit balance positive, debit balance negative.
    pub(crate) amount: Decimal,
}

/// Reads a balance `[C|D]YYMMDDCCYamount`; the error says what was expected.
pub(crate) fn balance<'t>(tag: &'t str, line: u64, text: &'t str) -> Result<Balance<'t>, String> {
    let text = text.trim();
    let expected = || {
        format!(
            "expected a balance like C240131EUR1234,56 (mark, YYMMDD, currency, amount), \
             found {text:?}"
        )
    };
    let sign = match text.as_bytes().first() {
        Some(b'C') => Decimal::ONE,
        Some(b'D') => Decimal::NEGATIVE_ONE,
        _ => return Err(expected()),
    };
    let date_raw = text.get(1..7).ok_or_else(expected)?;
    let currency = text
        .get(7..10)
        .filter(|c| is_currency(c))
        .ok_or_else(expected)?;
    let value = text
        .get(10..)
        .and_then(|a| amount(a, false))
        .ok_or_else(expected)?;
    if !date_raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(expected());
    }
    Ok(Balance {
        tag,
        line,
        date: date::yymmdd(date_raw, None),
        date_raw,
        currency,
        amount: sign * value,
    })
}

/// Three ASCII capital letters.
pub(crate) fn is_currency(c: &str) -> bool {
    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())
}

/// The currency of a floor limit `:34F:` (`EURD0,00`, `EUR0,`).
pub(crate) fn floor_limit_currency(text: &str) -> Option<&str> {
    let text = text.trim();
    let currency = text.get(..3).filter(|c| is_currency(c))?;
    let rest = text.get(3..)?;
    let rest = rest.strip_prefix(['D', 'C']).unwrap_or(rest);
    amount(rest, false).map(|_| currency)
}

/// An MT942 entry sum (`:90D:` / `:90C:`): how many entries, and their total.
#[derive(Debug, Clone)]
pub(crate) struct EntrySum<'t> {
    /// Line of the field.
    pub(crate) line: u64,
    /// `90D` or `90C`.
    pub(crate) tag: &'t str,
    /// Number of entries.
    pub(crate) count: u64,
    /// Currency code.
    pub(crate) currency: &'t str,
    /// Total (unsigned, as written).
    pub(crate) amount: Decimal,
}

/// Reads `:90D:`/`:90C:` = `countCCYamount` (`1EUR2,30`).
pub(crate) fn entry_sum<'t>(
    tag: &'t str,
    line: u64,
    text: &'t str,
) -> Result<EntrySum<'t>, String> {
    let text = text.trim();
    let expected =
        || format!("expected a count, currency and amount like 3EUR123,45, found {text:?}");
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let count = text
        .get(..digits)
        .and_then(|d| d.parse().ok())
        .ok_or_else(expected)?;
    let currency = text
        .get(digits..digits + 3)
        .filter(|c| is_currency(c))
        .ok_or_else(expected)?;
    let amount = text
        .get(digits + 3..)
        .and_then(|a| amount(a, false))
        .ok_or_else(expected)?;
    Ok(EntrySum {
        line,
        tag,
        count,
        currency,
        amount,
    })
}

/// The date of an MT942 date-time indication `YYMMDDhhmm` with an optional `±hhhh`.
pub(crate) fn date_time_date(text: &str) -> Option<NaiveDate> {
    date::yymmdd(text.trim().get(..6)?, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("test decimal")
    }

    #[test]
    fn swift_amounts() {
        assert_eq!(amount("500,", true), Some(dec("500")));
        assert_eq!(amount("0,", true), Some(dec("0")));
        assert_eq!(amount("000000000025,00", true), Some(dec("25.00")));
        assert_eq!(amount("1125250,4", true), Some(dec("1125250.4")));
        assert_eq!(amount("100", true), None);
        assert_eq!(amount("100", false), Some(dec("100")));
        for bad in ["", ",", ",5", "1,2,3", "1.5", "-1,0", "1 000,00"] {
            assert_eq!(amount(bad, false), None, "{bad}");
        }
    }

    #[test]
    fn balances() {
        let b = balance("60F", 4, "D070903EUR1970431,87 ").expect("balance");
        assert_eq!((b.amount, b.currency), (dec("-1970431.87"), "EUR"));
        assert_eq!(b.date, NaiveDate::from_ymd_opt(2007, 9, 3));
        let no_decimals = balance("60F", 1, "C131130CHF0").expect("no comma");
        assert_eq!(no_decimals.amount, dec("0"));
        let feb30 = balance("62F", 1, "C070230EUR1,00").expect("a balance");
        assert_eq!((feb30.date, feb30.date_raw), (None, "070230"));
        for bad in [
            "",
            "X070903EUR1,00",
            "C0709EUR1,00",
            "C070903eur1,00",
            "C070903EUR",
        ] {
            assert!(balance("60F", 1, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mt942_fields() {
        assert_eq!(floor_limit_currency("EURD0,00"), Some("EUR"));
        assert_eq!(floor_limit_currency("EUR0,"), Some("EUR"));
        assert_eq!(floor_limit_currency("EURX0,"), None);
        let sum = entry_sum("90D", 9, "1EUR2,30").expect("sum");
        assert_eq!(
            (sum.count, sum.currency, sum.amount),
            (1, "EUR", dec("2.30"))
        );
        assert!(entry_sum("90D", 9, "EUR2,30").is_err());
        assert_eq!(
            date_time_date("1610301730+0000"),
            NaiveDate::from_ymd_opt(2016, 10, 30)
        );
    }
}
