//! Amounts as ZM prints them: `n12` fen (交易金额: zero-padded, no decimal point) and
//! `X+n12` (商户手续费, 结算金额, …: one sign byte, then fen).

use qrecon_adapter_sdk::{Decimal, FieldError};

/// The byte before the digits of an `X+n12` amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// No sign byte (or a space).
    None,
    /// `C`, 贷记: a credit to the merchant.
    Credit,
    /// `D`, 借记: a debit to the merchant.
    Debit,
    /// `+`.
    Plus,
    /// `-`.
    Minus,
}

/// An `X+n12` amount: its sign byte and its size in yuan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Signed {
    pub prefix: Prefix,
    pub yuan: Decimal,
}

impl Signed {
    /// Signed as the record's amounts are, positive toward the merchant: `C`, `+` or no sign
    /// is money in, `D` or `-` money out.
    pub(crate) fn toward_merchant(self) -> Decimal {
        match self.prefix {
            Prefix::None | Prefix::Credit | Prefix::Plus => self.yuan,
            Prefix::Debit | Prefix::Minus => -self.yuan,
        }
    }

    /// Signed as the record's fee is, positive when charged to the merchant: `D` (debited),
    /// `+` or no sign is a charge, `C` (credited back) or `-` a fee returned.
    pub(crate) fn as_fee(self) -> Decimal {
        match self.prefix {
            Prefix::None | Prefix::Debit | Prefix::Plus => self.yuan,
            Prefix::Credit | Prefix::Minus => -self.yuan,
        }
    }

    /// Whether the text carried a sign or C/D byte.
    pub(crate) fn has_prefix(self) -> bool {
        self.prefix != Prefix::None
    }
}

/// Fen as yuan: 1 to 12 digits (`field` names the column in the error).
pub(crate) fn fen(field: &str, text: &str) -> Result<Decimal, FieldError> {
    digits(text).ok_or_else(|| {
        FieldError::new(
            field,
            "an amount in fen: up to 12 digits, no sign or decimal point",
            text,
        )
    })
}

/// An `X+n12` amount, or `None` when the field is blank.
pub(crate) fn signed(field: &str, text: &str) -> Result<Option<Signed>, FieldError> {
    if text.is_empty() {
        return Ok(None);
    }
    let prefix = match text.as_bytes().first() {
        Some(b'C') => Prefix::Credit,
        Some(b'D') => Prefix::Debit,
        Some(b'+') => Prefix::Plus,
        Some(b'-') => Prefix::Minus,
        _ => Prefix::None,
    };
    // The sign byte is ASCII, so cutting after it is a character boundary.
    let body = match prefix {
        Prefix::None => text,
        _ => text.get(1..).unwrap_or_default(),
    };
    let yuan = digits(body.trim_start()).ok_or_else(|| {
        FieldError::new(
            field,
            "an amount in fen after an optional C, D, + or - (X+n12)",
            text,
        )
    })?;
    Ok(Some(Signed { prefix, yuan }))
}

/// 1 to 12 ASCII digits as fen, in yuan.
fn digits(text: &str) -> Option<Decimal> {
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fen = text.parse::<i64>().ok()?;
    Some(Decimal::new(fen, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("test decimal")
    }

    #[test]
    fn fen_is_exact_yuan() {
        assert_eq!(fen("交易金额", "000000010000"), Ok(dec("100.00")));
        assert_eq!(fen("交易金额", "000000000001"), Ok(dec("0.01")));
        assert_eq!(fen("交易金额", "999999999999"), Ok(dec("9999999999.99")));
        for bad in ["", "12.00", "-1", "0000000000001", "12a"] {
            assert_eq!(
                fen("交易金额", bad).map_err(|e| e.field),
                Err("交易金额".into())
            );
        }
    }

    #[test]
    fn sign_bytes_read_both_ways() {
        let fee = |t: &str| signed("f", t).expect("valid").expect("present");
        assert_eq!(fee("D000000000060").as_fee(), dec("0.60"));
        assert_eq!(fee("C000000000018").as_fee(), dec("-0.18"));
        assert_eq!(fee("-00000000018").as_fee(), dec("-0.18"));
        assert_eq!(fee("000000000060").as_fee(), dec("0.60"));
        assert_eq!(fee("C000000009940").toward_merchant(), dec("99.40"));
        assert_eq!(fee("D000000002982").toward_merchant(), dec("-29.82"));
        assert!(!fee("000000000060").has_prefix());
        assert!(fee("+000000000060").has_prefix());
        assert_eq!(signed("f", ""), Ok(None));
        assert!(signed("f", "X000000000060").is_err());
        assert!(signed("f", "C").is_err());
    }
}
