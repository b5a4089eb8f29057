//! Printing amounts: exact, with at least two decimal places (`5.00`, `0.32000` stays).

use rust_decimal::Decimal;

/// `d` as outputs and messages print it.
pub fn format(d: Decimal) -> String {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_places_at_least_never_rounded() {
        let f = |s: &str| format(Decimal::from_str_exact(s).expect("decimal"));
        assert_eq!(f("5"), "5.00");
        assert_eq!(f("-363.1300"), "-363.13");
        assert_eq!(f("0.00100"), "0.001");
        assert_eq!(f("0"), "0.00");
    }
}
