//! The file as byte lines (widths count bytes, so lines are never decoded before they are
//! cut), and the decoding of one field or line.

use std::borrow::Cow;

/// The lines of `bytes` with their 1-based numbers, as the SDK's `text::lines` counts them:
/// `\n` or `\r\n` ends a line, and a last line without an end is still a line. A UTF-8 BOM
/// is dropped.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let bytes = without_bom(bytes);
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    // An empty file has no lines (splitting it would give one empty line).
    (!bytes.is_empty())
        .then(|| body.split(|b| *b == b'\n'))
        .into_iter()
        .flatten()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .zip(1u64..)
        .map(|(l, n)| (n, l))
}

/// `bytes` without a leading UTF-8 BOM.
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Whether a line holds nothing but spaces and TABs.
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| *b == b' ' || *b == b'\t')
}

/// Decodes a field or line: UTF-8 when the whole file is (`utf8`), else GB18030, the
/// superset of GBK. A character cut by a field boundary becomes U+FFFD.
pub(crate) fn decode(bytes: &[u8], utf8: bool) -> Cow<'_, str> {
    if utf8 {
        String::from_utf8_lossy(bytes)
    } else {
        encoding_rs::GB18030.decode_without_bom_handling(bytes).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_as_the_sdk_counts_them() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb",
            "a\n\n",
            "\u{feff}a\r\n\r\nb\n",
        ] {
            let ours: Vec<(u64, Vec<u8>)> = lines(text.as_bytes())
                .map(|(n, l)| (n, l.to_vec()))
                .collect();
            let sdk: Vec<(u64, Vec<u8>)> =
                qrecon_adapter_sdk::text::lines(&qrecon_adapter_sdk::text::decode(text.as_bytes()))
                    .map(|(n, l)| (n, l.as_bytes().to_vec()))
                    .collect();
            assert_eq!(ours, sdk, "{text:?}");
        }
    }

    #[test]
    fn a_cut_character_is_replaced_not_a_panic() {
        let (gbk, _, _) = encoding_rs::GBK.encode("面馆");
        assert_eq!(decode(&gbk[..3], false), "面\u{fffd}");
        assert_eq!(decode("面馆".as_bytes(), true), "面馆");
    }
}
