//! What the file name says: `INN{yyMMdd}{NN}ZM_{merId}` (transaction detail) or
//! `INN{yyMMdd}{NN}ZME_{merId}` (errors, 差错), as the ZIP of `fileTransfer` names its entries.

use qrecon_adapter_sdk::NaiveDate;

/// The facts a ZM/ZME file name carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileName<'n> {
    /// The name follows `INN{yyMMdd}{NN}ZM_` or `…ZME_`.
    pub named: bool,
    /// A ZME (差错) file: by the pattern, or `ZME_` anywhere in the name.
    pub error_file: bool,
    /// The settlement date `yyMMdd` (20yy), when it is a real date.
    pub settle: Option<NaiveDate>,
    /// The `yyMMdd` digits, when the pattern matched.
    pub settle_digits: Option<&'n str>,
    /// The merchant code after the underscore (up to a `.`), when there is one.
    pub mer_id: Option<&'n str>,
}

/// Reads the name part of `path` (after the last `/` or `\`).
pub(crate) fn parse(path: &str) -> FileName<'_> {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let found = base
        .match_indices("INN")
        .find_map(|(i, _)| pattern(base.get(i + 3..)?));
    match found {
        Some(name) => name,
        None => FileName {
            error_file: base.contains("ZME_"),
            ..FileName::default()
        },
    }
}

/// `{yyMMdd}{NN}ZM_{merId}` or `{yyMMdd}{NN}ZME_{merId}`, right after `INN`.
fn pattern(rest: &str) -> Option<FileName<'_>> {
    let digits = rest.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let after = rest.get(8..)?;
    let (error_file, id) = if let Some(id) = after.strip_prefix("ZME_") {
        (true, id)
    } else {
        (false, after.strip_prefix("ZM_")?)
    };
    let settle_digits = digits.get(..6)?;
    let id = id.split('.').next().unwrap_or_default();
    Some(FileName {
        named: true,
        error_file,
        settle: date(settle_digits),
        settle_digits: Some(settle_digits),
        mer_id: (!id.is_empty()).then_some(id),
    })
}

/// `yyMMdd` as a date in 20yy.
fn date(digits: &str) -> Option<NaiveDate> {
    let num = |r: std::ops::Range<usize>| digits.get(r)?.parse::<u32>().ok();
    let year = i32::try_from(2000 + num(0..2)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(2..4)?, num(4..6)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_zip_entries() {
        let zm = parse("/tmp/x/INN26010301ZM_777290058110048");
        assert!(zm.named && !zm.error_file);
        assert_eq!(zm.settle, NaiveDate::from_ymd_opt(2026, 1, 3));
        assert_eq!(zm.mer_id, Some("777290058110048"));
        let zme = parse("C:\\bills\\INN26010301ZME_777290058110048.txt");
        assert!(zme.named && zme.error_file);
        assert_eq!(zme.mer_id, Some("777290058110048"));
        let bad_date = parse("INN26133201ZM_1");
        assert!(bad_date.named);
        assert_eq!(
            (bad_date.settle, bad_date.settle_digits),
            (None, Some("261332"))
        );
        assert_eq!(parse("zm.txt"), FileName::default());
        assert!(parse("my_ZME_copy.txt").error_file);
        assert!(!parse("INN2601ZM_1").named, "too few digits");
        assert!(parse("xINNINN26010301ZM_").named, "the second INN");
    }
}
