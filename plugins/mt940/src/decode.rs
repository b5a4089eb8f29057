//! Bytes to text. MT940 files come as UTF-8 (ING, Sberbank), Windows-1252/Latin-1 (German
//! and Dutch banks) or the DOS code page CP852 (Raiffeisen Hungary, some Polish banks), and
//! nothing in the file says which.
//!
//! The rule: a file that is valid UTF-8 (a BOM is dropped) is UTF-8. Otherwise every byte
//! from 0x80 up is read both ways, and the code page that makes more of them letters wins;
//! a tie goes to Windows-1252. CP852 puts letters where Windows-1252 has punctuation and
//! symbols (`0xA0` is `á` in CP852 and a no-break space in Windows-1252, `0x82` is `é` and
//! `‚`, `0x8B` is `ő` and `‹`), so Hungarian, Czech or Polish text decodes as CP852, while
//! German text (`ä ö ü ß` are letters in Windows-1252; in CP852 `ö` and `ß` become `÷` and
//! `▀`) stays Windows-1252.
//!
//! Decoding is one character per byte in both code pages, so the text keeps the file's lines.
//! The SOH (`0x01`) and ETX (`0x03`) bytes some banks wrap a file in are removed.

use std::borrow::Cow;

/// The character set a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    /// Valid UTF-8 (or plain ASCII).
    Utf8,
    /// DOS Central European (code page 852).
    Cp852,
    /// Windows-1252, a superset of Latin-1's printable characters.
    Windows1252,
}

impl Charset {
    /// The name used in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Cp852 => "CP852",
            Charset::Windows1252 => "Windows-1252",
        }
    }
}

/// A decoded file.
pub(crate) struct Decoded<'a> {
    /// The text, control bytes removed.
    pub(crate) text: Cow<'a, str>,
    /// How it was read.
    pub(crate) charset: Charset,
    /// 1-based line of the first byte that was not ASCII, when the file is not UTF-8.
    pub(crate) first_high_line: u64,
}

/// Decodes a whole file as the module doc describes.
pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, charset) = match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Charset::Utf8),
        Err(_) => single_byte(bytes),
    };
    let first_high_line = match charset {
        Charset::Utf8 => 0,
        _ => first_high_line(bytes),
    };
    Decoded {
        text: strip_controls(text),
        charset,
        first_high_line,
    }
}

/// Decodes bytes that are not UTF-8 in the code page [`guess`] picks.
fn single_byte(bytes: &[u8]) -> (Cow<'_, str>, Charset) {
    match guess(bytes) {
        Charset::Cp852 => (
            Cow::Owned(oem_cp::decode_string_complete_table(
                bytes,
                &oem_cp::code_table::DECODING_TABLE_CP852,
            )),
            Charset::Cp852,
        ),
        _ => (
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0,
            Charset::Windows1252,
        ),
    }
}

/// CP852 when it reads more of the high bytes as letters than Windows-1252 does.
pub(crate) fn guess(bytes: &[u8]) -> Charset {
    let cp1252 = windows_1252_table();
    let (mut as_852, mut as_1252) = (0usize, 0usize);
    for &b in bytes.iter().filter(|b| **b >= 0x80) {
        let i = usize::from(b & 0x7F);
        as_852 += usize::from(oem_cp::code_table::DECODING_TABLE_CP852[i].is_alphabetic());
        as_1252 += usize::from(cp1252.get(i).is_some_and(|c| c.is_alphabetic()));
    }
    if as_852 > as_1252 {
        Charset::Cp852
    } else {
        Charset::Windows1252
    }
}

/// The characters Windows-1252 gives the bytes 0x80–0xFF, in order.
fn windows_1252_table() -> Vec<char> {
    let high: Vec<u8> = (0x80..=0xFF).collect();
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&high)
        .0
        .chars()
        .collect()
}

/// The line (1-based) holding the first byte from 0x80 up.
fn first_high_line(bytes: &[u8]) -> u64 {
    let before = bytes
        .iter()
        .position(|b| *b >= 0x80)
        .and_then(|at| bytes.get(..at))
        .unwrap_or_default();
    before.split(|b| *b == b'\n').count() as u64
}

/// Removes SOH and ETX, keeping everything else (line ends included).
fn strip_controls(text: Cow<'_, str>) -> Cow<'_, str> {
    let control = |c: char| c == '\u{1}' || c == '\u{3}';
    if text.contains(control) {
        Cow::Owned(text.replace(control, ""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hungarian_cp852_and_german_windows_1252() {
        // "Kovács Péter, Győr" in CP852: á = A0, é = 82, ő = 8B.
        let cp852 = b"Kov\xA0cs P\x82ter, Gy\x8Br";
        assert_eq!(guess(cp852), Charset::Cp852);
        assert_eq!(decode(cp852).text, "Kovács Péter, Győr");
        // "Müller Straße, Köln" in Windows-1252.
        let latin = b"M\xFCller Stra\xDFe, K\xF6ln";
        assert_eq!(guess(latin), Charset::Windows1252);
        assert_eq!(decode(latin).text, "Müller Straße, Köln");
        // A tie (ü alone is a letter either way) stays Windows-1252.
        assert_eq!(guess(b"M\xFCller"), Charset::Windows1252);
    }

    #[test]
    fn utf8_bom_and_control_bytes() {
        let d = decode(b"\xEF\xBB\xBF\x01:20:X\r\n-\x03");
        assert_eq!(d.text, ":20:X\r\n-");
        assert_eq!(d.charset, Charset::Utf8);
    }

    #[test]
    fn the_first_high_byte_is_located() {
        let d = decode(b":20:A\n:25:B\n:86:M\xFCller\n");
        assert_eq!((d.charset, d.first_high_line), (Charset::Windows1252, 3));
    }
}
