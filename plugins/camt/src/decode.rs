//! The file's bytes as text. camt messages are UTF-8 (the ISO 20022 XML rules say so), with or
//! without a byte-order mark. Two departures are still read, because banks produce them: a file
//! whose XML declaration names another encoding (`ISO-8859-1`, `windows-1252`, …) and whose
//! bytes are not valid UTF-8 is decoded with that encoding, and a file opening with a UTF-16
//! byte-order mark is decoded as UTF-16. Anything else that is not UTF-8 is refused with the
//! line of the first bad byte.

use std::borrow::Cow;

use qrecon_adapter_sdk::FileError;

/// How many bytes of the head are searched for the XML declaration.
const DECLARATION_WINDOW: usize = 256;

/// Decodes the whole file (see the module doc).
pub(crate) fn text(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding == encoding_rs::UTF_8 {
            return utf8(bytes.get(bom..).unwrap_or_default());
        }
        let body = bytes.get(bom..).unwrap_or_default();
        let (text, malformed) = encoding.decode_without_bom_handling(body);
        if malformed {
            return Err(FileError::new(format!(
                "the file opens with a {} byte-order mark but is not valid {}",
                encoding.name(),
                encoding.name()
            )));
        }
        return Ok(text);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => match declared(bytes) {
            Some(encoding) if encoding != encoding_rs::UTF_8 => {
                Ok(encoding.decode_without_bom_handling(bytes).0)
            }
            _ => Err(not_utf8(bytes, e.valid_up_to())),
        },
    }
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|e| not_utf8(bytes, e.valid_up_to()))
}

fn not_utf8(bytes: &[u8], at: usize) -> FileError {
    let before = bytes.get(..at).unwrap_or_default();
    let line = u64::try_from(before.split(|&b| b == b'\n').count()).unwrap_or(u64::MAX);
    let byte = bytes.get(at).copied().unwrap_or_default();
    FileError::at(
        line,
        format!(
            "byte 0x{byte:02X} is not UTF-8 and the XML declaration names no other encoding \
             (camt messages are UTF-8)"
        ),
    )
}

/// The encoding the XML declaration names (`<?xml version="1.0" encoding="…"?>`), if any.
fn declared(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes.get(..DECLARATION_WINDOW.min(bytes.len()))?;
    let head = String::from_utf8_lossy(head);
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let after = &decl[decl.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = after.get(1..)?;
    let label = &value[..value.find(quote)?];
    encoding_rs::Encoding::for_label(label.trim().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(text(b"<a/>").ok().as_deref(), Some("<a/>"));
        assert_eq!(text(b"\xEF\xBB\xBF<a/>").ok().as_deref(), Some("<a/>"));
    }

    #[test]
    fn a_declared_single_byte_encoding_is_honoured() {
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?>\n<Nm>M\xFCller</Nm>";
        let decoded = text(latin1).expect("latin-1");
        assert!(decoded.ends_with("<Nm>Müller</Nm>"), "{decoded}");
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "<a>ü</a>".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(text(&bytes).ok().as_deref(), Some("<a>ü</a>"));
    }

    #[test]
    fn undeclared_bytes_that_are_not_utf8_are_refused_with_their_line() {
        let e = text(b"<a>\n<b>\xFF</b></a>").expect_err("not UTF-8");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("0xFF"), "{}", e.message);
        let e = text(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<b>\xC3</b>")
            .expect_err("declared UTF-8 but is not");
        assert_eq!(e.line, Some(3));
    }
}
