//! Helpers every text-export adapter needs: decoding, line splitting, CSV cells, and the
//! exact parsing of amounts, dates and times as Chinese platform and bank exports print them.

use std::borrow::Cow;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use crate::adapter::FieldError;

/// Decodes a file: UTF-8 (dropping a BOM) when valid, else GB18030 (a superset of GBK).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // SIMD validation: every byte of every file is checked here before it is split.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        Cow::Borrowed(s)
    } else {
        encoding_rs::GB18030.decode_without_bom_handling(bytes).0
    }
}

/// Decodes the head of a file for sniffing. A multi-byte character cut at the end of the
/// head is dropped, not mistaken for another encoding.
pub fn decode_head(head: &[u8]) -> Cow<'_, str> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // Every adapter sniffs every file's head: SIMD validation, which also says where a cut
    // character starts.
    match simdutf8::compat::from_utf8(head) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) if e.error_len().is_none() => {
            Cow::Borrowed(simdutf8::basic::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(head).0,
    }
}

/// Whether the first non-blank line of a file's head (decoded as [`decode_head`] does)
/// satisfies `pred` — the usual sniff for formats that open with their header.
pub fn first_line_matches(head: &[u8], pred: impl Fn(&str) -> bool) -> bool {
    let head = decode_head(head);
    lines(&head)
        .map(|(_, l)| l)
        .find(|l| !clean(l).is_empty())
        .is_some_and(pred)
}

/// The lines of a text with their 1-based numbers; `\r\n` and `\n` both end a line, and a
/// final line without an end is still a line.
pub fn lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.split_terminator('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .zip(1u64..)
        .map(|(l, n)| (n, l))
}

/// Splits one CSV line into cells. A cell that starts with `"` is quoted (`""` inside is a
/// quote); a quote anywhere else is an ordinary character, as in real exports. Returns an
/// error for a quoted cell that never closes.
pub fn split_csv(line: &str) -> Result<Vec<Cow<'_, str>>, FieldError> {
    let bytes = line.as_bytes();
    // Room for every cell at once (a line has at most one more cell than commas).
    let mut cells = Vec::with_capacity(memchr::memchr_iter(b',', bytes).count() + 1);
    if memchr::memchr(b'"', bytes).is_none() {
        // No quotes (most exports): cut at every comma; a comma is ASCII, so every cut is a
        // character boundary.
        let mut start = 0;
        for i in memchr::memchr_iter(b',', bytes) {
            cells.push(Cow::Borrowed(line.get(start..i).unwrap_or_default()));
            start = i + 1;
        }
        cells.push(Cow::Borrowed(line.get(start..).unwrap_or_default()));
        return Ok(cells);
    }
    let mut rest = line;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let (cell, after) = take_quoted(quoted)?;
            cells.push(cell);
            match after.strip_prefix(',') {
                Some(next) => rest = next,
                None if after.trim().is_empty() => return Ok(cells),
                None => {
                    return Err(FieldError::row(format!(
                        "unexpected text {after:?} after a quoted cell (cell {})",
                        cells.len()
                    )));
                }
            }
        } else {
            let Some(i) = rest.find(',') else {
                cells.push(Cow::Borrowed(rest));
                return Ok(cells);
            };
            cells.push(Cow::Borrowed(&rest[..i]));
            rest = &rest[i + 1..];
        }
    }
}

/// Calls `found(i)` for every `i` where `bytes[i] == first` and `bytes[i + 1] == second`, in
/// order: a two-byte separator such as the WeChat bills' `` ,` `` found eight bytes at a
/// time. A separator of two different bytes cannot overlap itself, so every match is one.
pub fn each_pair(bytes: &[u8], first: u8, second: u8, mut found: impl FnMut(usize)) {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of every byte of `word` equal to `b`, exactly (no borrow crosses bytes).
    let equal = |word: u64, b: u8| {
        let x = word ^ (LOW * u64::from(b));
        !(((x & LOW7) + LOW7) | x) & HIGH
    };
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let mut i = 0;
    // Bytes i..i+8 against `first` and i+1..i+9 against `second`: lane k is a match at i+k.
    while i + 9 <= bytes.len() {
        let mut hits = equal(word(i), first) & equal(word(i + 1), second);
        while hits != 0 {
            found(i + (hits.trailing_zeros() / 8) as usize);
            hits &= hits - 1;
        }
        i += 8;
    }
    while i + 1 < bytes.len() {
        if bytes[i] == first && bytes[i + 1] == second {
            found(i);
        }
        i += 1;
    }
}

/// Where a quoted cell may open, for [`split_delimited`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteOpens {
    /// Only as the cell's first character: in `a, "b"` the second cell is the text ` "b"`
    /// (the personal Alipay and WeChat bills).
    AtCellStart,
    /// Also after padding (spaces and TABs), which is then dropped: in `a, "b"` the second
    /// cell is `b` (the mapped CSV exports).
    AfterPadding,
}

/// What may stand between a quoted cell and its delimiter: spaces and TABs, whatever the
/// delimiter is.
const QUOTE_PADDING: [char; 2] = [' ', '\t'];

/// Splits one line into cells at `delimiter`, tolerating the padding real exports put around
/// quoted cells. A cell that opens with `"` (where `opens` allows) is quoted, and `""` inside
/// it is a quote; spaces and TABs between its closing quote and the next delimiter are
/// dropped (`"-1,099.14"<TAB>,`). A quote anywhere else is an ordinary character, and bare
/// cells keep their padding (callers [`clean`] them). Padding means spaces and TABs also when
/// the delimiter is a TAB.
///
/// Unlike [`split_csv`], which takes text after a closing quote only at the end of the line,
/// this one takes padding there before any delimiter.
///
/// Returns an error for a quoted cell that never closes, or for text other than padding
/// after a closing quote.
///
/// ```
/// use qrecon_adapter_sdk::text::{QuoteOpens, split_delimited};
///
/// let cells = split_delimited("09/04/2025,\"-1,099.14\"\t,CNY", ',', QuoteOpens::AtCellStart)?;
/// assert_eq!(cells, ["09/04/2025", "-1,099.14", "CNY"]);
/// let cells = split_delimited("a; \"b;c\"", ';', QuoteOpens::AfterPadding)?;
/// assert_eq!(cells, ["a", "b;c"]);
/// # Ok::<(), qrecon_adapter_sdk::FieldError>(())
/// ```
pub fn split_delimited(
    line: &str,
    delimiter: char,
    opens: QuoteOpens,
) -> Result<Vec<Cow<'_, str>>, FieldError> {
    if !line.contains('"') {
        return Ok(line.split(delimiter).map(Cow::Borrowed).collect());
    }
    let mut cells = Vec::new();
    let mut rest = line;
    loop {
        let start = match opens {
            QuoteOpens::AtCellStart => rest,
            QuoteOpens::AfterPadding => rest.trim_start_matches(QUOTE_PADDING),
        };
        if let Some(quoted) = start.strip_prefix('"') {
            let (cell, after) = take_quoted(quoted)?;
            cells.push(cell);
            let after = after.trim_start_matches(QUOTE_PADDING);
            if after.is_empty() {
                return Ok(cells);
            }
            let Some(next) = after.strip_prefix(delimiter) else {
                return Err(FieldError::row(format!(
                    "unexpected text {after:?} after the quoted cell {}",
                    cells.len()
                )));
            };
            rest = next;
        } else if let Some((cell, next)) = rest.split_once(delimiter) {
            cells.push(Cow::Borrowed(cell));
            rest = next;
        } else {
            cells.push(Cow::Borrowed(rest));
            return Ok(cells);
        }
    }
}

fn take_quoted(s: &str) -> Result<(Cow<'_, str>, &str), FieldError> {
    let mut owned: Option<String> = None;
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) == Some(&b'"') {
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&s[start..=i]);
                i += 2;
                start = i;
                continue;
            }
            let cell = match owned {
                Some(mut o) => {
                    o.push_str(&s[start..i]);
                    Cow::Owned(o)
                }
                None => Cow::Borrowed(&s[..i]),
            };
            return Ok((cell, &s[i + 1..]));
        }
        i += 1;
    }
    Err(FieldError::row("a quoted cell is not closed"))
}

/// Trims the padding exports put around values: spaces, TABs and ideographic spaces.
#[inline]
pub fn clean(cell: &str) -> &str {
    let padded = |b: u8| b == b' ' || b == b'\t' || b == 0xE3 || b == 0x80;
    match cell.as_bytes() {
        [first, .., last] if !padded(*first) && !padded(*last) => return cell,
        [one] if !padded(*one) => return cell,
        [] => return cell,
        _ => {}
    }
    clean_padded(cell)
}

fn clean_padded(cell: &str) -> &str {
    // On bytes: every cell of every row goes through here. U+3000 is E3 80 80 in UTF-8.
    const IDEOGRAPHIC: &[u8] = "\u{3000}".as_bytes();
    let b = cell.as_bytes();
    let (mut start, mut end) = (0, b.len());
    loop {
        match b.get(start..end) {
            Some([b' ' | b'\t', ..]) => start += 1,
            Some(rest) if rest.starts_with(IDEOGRAPHIC) => start += IDEOGRAPHIC.len(),
            _ => break,
        }
    }
    loop {
        match b.get(start..end) {
            Some([.., b' ' | b'\t']) => end -= 1,
            Some(rest) if rest.ends_with(IDEOGRAPHIC) => end -= IDEOGRAPHIC.len(),
            _ => break,
        }
    }
    // Both ends moved over whole characters, so they are character boundaries.
    cell.get(start..end).unwrap_or(cell)
}

/// A cleaned cell, or `None` when it is one of the exports' ways of saying "empty":
/// nothing, `/`, `-`, `--`, or a run of dashes.
pub fn non_empty(cell: &str) -> Option<&str> {
    let c = clean(cell);
    let blank = match c.as_bytes() {
        [] | [b'/'] => true,
        [b'-', ..] => c.bytes().all(|b| b == b'-'),
        _ => false,
    };
    (!blank).then_some(c)
}

/// Parses an amount exactly: optional sign, `¥`/`￥`/`CNY` prefix, thousands separators.
/// `field` names the column in the error.
pub fn parse_amount(field: &str, cell: &str) -> Result<Decimal, FieldError> {
    let expected = "a decimal amount like 1,234.56";
    let c = clean(cell);
    let (negative, body) = match c.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, c.strip_prefix('+').unwrap_or(c)),
    };
    let body = body.trim_start_matches(['¥', '￥']);
    let body = body.strip_prefix("CNY").unwrap_or(body).trim_start();
    let valid = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        && body.as_bytes()[0].is_ascii_digit();
    if !valid {
        return Err(FieldError::new(field, expected, c));
    }
    let digits: Cow<'_, str> = if body.contains(',') {
        if !thousands_grouping_ok(body) {
            return Err(FieldError::new(field, expected, c));
        }
        Cow::Owned(body.replace(',', ""))
    } else {
        Cow::Borrowed(body)
    };
    let value = match plain_decimal(&digits) {
        Some(v) => v,
        None => {
            Decimal::from_str_exact(&digits).map_err(|_| FieldError::new(field, expected, c))?
        }
    };
    Ok(if negative { -value } else { value })
}

/// `123` or `123.45` (up to 18 digits in all): the digits as they are, without the general
/// parser (every row has amounts).
fn plain_decimal(s: &str) -> Option<Decimal> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || s.ends_with('.') || whole.len() + frac.len() > 18 {
        return None; // left to the general parser
    }
    let mut mantissa: i64 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa * 10 + i64::from(b - b'0');
    }
    let scale = u32::try_from(frac.len()).ok()?;
    Some(Decimal::new(mantissa, scale))
}

fn thousands_grouping_ok(body: &str) -> bool {
    let int_part = body.split('.').next().unwrap_or_default();
    let mut groups = int_part.split(',');
    let first = groups.next().unwrap_or_default();
    !first.is_empty() && first.len() <= 3 && groups.all(|g| g.len() == 3) && !body.contains(",.")
}

/// Parses a wall-clock time as Chinese exports print it: `2026-01-02 03:04:05`, with `/` or
/// `-` in the date, `T` or a space before the time, full-width colons tolerated, seconds
/// optional. An RFC 3339 offset (`+08:00`, `Z`) is returned as seconds east of UTC.
pub fn parse_datetime(field: &str, cell: &str) -> Result<(NaiveDateTime, Option<i32>), FieldError> {
    let expected = "a date and time like 2026-01-02 03:04:05";
    let c = clean(cell);
    if let Some(t) = fast_datetime(c) {
        return Ok((t, None));
    }
    let err = || FieldError::new(field, expected, c);
    let normalized: Cow<'_, str> = if c.contains('：') {
        Cow::Owned(c.replace('：', ":"))
    } else {
        Cow::Borrowed(c)
    };
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(&normalized) {
        return Ok((dt.naive_local(), Some(dt.offset().local_minus_utc())));
    }
    let (date, time) = normalized.split_once([' ', 'T']).ok_or_else(err)?;
    let date = parse_date(field, date).map_err(|_| err())?;
    let time = clean(time);
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .map_err(|_| err())?;
    Ok((date.and_time(time), None))
}

/// `YYYY-MM-DD HH:MM:SS` exactly, without going through a format string (the common case).
fn fast_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 7)?, num(8, 10)?)?;
    date.and_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?)
}

/// Parses a date: `2026-01-02`, `2026/01/02` or `20260102`.
pub fn parse_date(field: &str, cell: &str) -> Result<NaiveDate, FieldError> {
    let c = clean(cell);
    NaiveDate::parse_from_str(c, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(c, "%Y/%m/%d"))
        .or_else(|_| NaiveDate::parse_from_str(c, "%Y%m%d"))
        .map_err(|_| FieldError::new(field, "a date like 2026-01-02", c))
}

/// Parses an unsigned integer count (for control totals).
pub fn parse_count(field: &str, cell: &str) -> Result<u64, FieldError> {
    let c = clean(cell);
    u64::from_str(c).map_err(|_| FieldError::new(field, "a whole number", c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("test decimal")
    }

    #[test]
    fn amounts_are_exact_and_strict() {
        assert_eq!(parse_amount("a", "\"1,234.56 \t").ok(), None);
        assert_eq!(parse_amount("a", "1,234.56   \t"), Ok(dec("1234.56")));
        assert_eq!(parse_amount("a", "-6,086.11"), Ok(dec("-6086.11")));
        assert_eq!(parse_amount("a", "¥28.16"), Ok(dec("28.16")));
        assert_eq!(parse_amount("a", "0.32000"), Ok(dec("0.32000")));
        assert_eq!(parse_amount("a", "+5"), Ok(dec("5")));
        for bad in [
            "",
            "abc",
            "1,23.00",
            "1.2.3",
            "xx,yyyy.zz",
            "12,3456.00",
            "-",
        ] {
            let e = parse_amount("金额", bad).expect_err(bad);
            assert_eq!(e.field, "金额");
        }
    }

    #[test]
    fn blanks_are_the_exports_ways_of_saying_nothing() {
        for blank in ["", "  ", "/", "-", "--", " --- \t"] {
            assert_eq!(non_empty(blank), None, "{blank:?}");
        }
        for value in ["-5", "—", "0", "a-", "//"] {
            assert_eq!(non_empty(value), Some(value), "{value:?}");
        }
    }

    #[test]
    fn plain_amounts_read_like_the_general_parser() {
        for s in [
            "0",
            "0.00",
            "12.3",
            "500.00",
            "0.32000",
            "123456789012.34567",
            "007.10",
        ] {
            assert_eq!(plain_decimal(s), Decimal::from_str_exact(s).ok(), "{s}");
            assert_eq!(
                plain_decimal(s).map(|d| d.scale()),
                Decimal::from_str_exact(s).ok().map(|d| d.scale()),
                "{s}"
            );
        }
        // Anything else is left to the general parser.
        for s in ["", ".5", "1.", "1.2.3", "1e5", "12345678901234567890"] {
            assert_eq!(plain_decimal(s), None, "{s}");
        }
    }

    #[test]
    fn times_in_their_export_forms() {
        let (t, off) = parse_datetime("t", "2014-11-10 16：33：45").expect("full-width colons");
        assert_eq!(t.to_string(), "2014-11-10 16:33:45");
        assert_eq!(off, None);
        let (t, off) = parse_datetime("t", "2026-11-26T08:00:00+08:00").expect("rfc3339");
        assert_eq!(t.to_string(), "2026-11-26 08:00:00");
        assert_eq!(off, Some(8 * 3600));
        assert!(parse_datetime("t", "2026-13-01 00:00:00").is_err());
        assert!(parse_datetime("t", "yesterday").is_err());
    }

    #[test]
    fn csv_cells_quoted_and_bare() {
        let cells = split_csv(r#"a,"b,c ""q""	",`d,"#).expect("valid");
        assert_eq!(cells, vec!["a", "b,c \"q\"\t", "`d", ""]);
        assert!(split_csv(r#"a,"open"#).is_err());
        let json = split_csv(r#"`x,`{"k":1}"#).expect("quote inside a bare cell");
        assert_eq!(json[1], r#"`{"k":1}"#);
    }

    fn delimited(line: &str, d: char, opens: QuoteOpens) -> Vec<String> {
        split_delimited(line, d, opens)
            .expect("splits")
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    #[test]
    fn delimited_cells_bare_quoted_and_padded() {
        // As the personal bills write them: a quote opens a cell only at its very start.
        let at = QuoteOpens::AtCellStart;
        assert_eq!(
            delimited("a,\"b,c\"\t,\"q\"\"x\" ,d\"e\",", ',', at),
            ["a", "b,c", "q\"x", "d\"e\"", ""]
        );
        assert_eq!(delimited("x\t,y", ',', at), ["x\t", "y"]);
        assert_eq!(delimited("a, \"b\"", ',', at), ["a", " \"b\""]);
        assert!(split_delimited("a,\"open", ',', at).is_err());
        assert!(split_delimited("\"a\"b,c", ',', at).is_err());
        // As the mapped exports write them: also after padding, and other delimiters.
        let after = QuoteOpens::AfterPadding;
        assert_eq!(
            delimited("09/04/2025,\"-1,099.14\"\t,CNY", ',', after),
            ["09/04/2025", "-1,099.14", "CNY"]
        );
        assert_eq!(delimited("a, \"b\"", ',', after), ["a", "b"]);
        assert_eq!(
            delimited("a;\"b;\"\"c\"\"\";", ';', after),
            ["a", "b;\"c\"", ""]
        );
        assert_eq!(delimited("x\ty", '\t', after), ["x", "y"]);
        assert_eq!(delimited("5\" screen,1", ',', after), ["5\" screen", "1"]);
        assert!(split_delimited("\"open,1", ',', after).is_err());
        assert!(split_delimited("\"a\"b,1", ',', after).is_err());
    }

    #[test]
    fn delimited_errors_name_the_cell() {
        let e = split_delimited("a,\"b\"c,d", ',', QuoteOpens::AtCellStart).expect_err("text");
        assert_eq!(e.reason, "unexpected text \"c,d\" after the quoted cell 2");
        assert!(e.field.is_empty());
        let e = split_delimited("\"open", ',', QuoteOpens::AfterPadding).expect_err("open");
        assert_eq!(e.reason, "a quoted cell is not closed");
    }

    #[test]
    fn pairs_are_found_wherever_they_fall_in_a_word() {
        let naive = |b: &[u8]| -> Vec<usize> {
            (0..b.len().saturating_sub(1))
                .filter(|&i| b[i] == b',' && b[i + 1] == b'`')
                .collect()
        };
        let mut lines: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b",".to_vec(),
            b",`".to_vec(),
            b"`,`,``,,`".to_vec(),
            "`2026-11-09 10:00:00,`wx1,`1900,`晨光面馆,`a,b`,`"
                .as_bytes()
                .to_vec(),
        ];
        // Separators at every offset of lines of every length up to three words.
        for len in 2..26 {
            for at in 0..len - 1 {
                let mut l = vec![b'x'; len];
                l[at] = b',';
                l[at + 1] = b'`';
                lines.push(l);
            }
        }
        for l in &lines {
            let mut got = Vec::new();
            each_pair(l, b',', b'`', |i| got.push(i));
            assert_eq!(got, naive(l), "{:?}", String::from_utf8_lossy(l));
        }
    }

    #[test]
    fn delimited_without_quotes_cuts_like_split_csv() {
        for line in ["", "a", "a,", ",,", "a ,\tb, c\u{3000},", "交易时间,金额,"] {
            let csv = split_csv(line).expect("no quotes");
            for opens in [QuoteOpens::AtCellStart, QuoteOpens::AfterPadding] {
                assert_eq!(split_delimited(line, ',', opens).expect("no quotes"), csv);
            }
        }
    }

    #[test]
    fn clean_trims_spaces_tabs_and_ideographic_spaces_only() {
        assert_eq!(
            clean(" \t\u{3000}晨光\u{3000} 面馆\t\u{3000} "),
            "晨光\u{3000} 面馆"
        );
        assert_eq!(clean("\u{3000}"), "");
        assert_eq!(clean(""), "");
        assert_eq!(clean("\t1.00\t"), "1.00");
        assert_eq!(clean("\u{3001}x"), "\u{3001}x");
    }

    #[test]
    fn lines_keep_numbers_and_strip_cr() {
        let l: Vec<_> = lines("a\r\nb\n\nc").collect();
        assert_eq!(l, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]);
    }

    #[test]
    fn gbk_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("交易时间,金额");
        assert_eq!(decode(&gbk), "交易时间,金额");
        assert_eq!(decode("\u{feff}ok".as_bytes()), "ok");
    }
}
