//! A test-only ZM/ZME line builder: field values by name, laid out at the specification's
//! byte widths in GBK, so a test reads like the data it feeds the adapter.
//!
//! The widths are written out here as the SDKs print them, not taken from the crate: the
//! tests check the crate's tables against them.

use crate::layout::{COMMON, TAIL_NEWER, TAIL_OFFICIAL};

/// The official ACP SDK's `parseZMFile` widths.
pub(crate) const OFFICIAL_WIDTHS: [usize; 42] = [
    3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21,
    15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98,
];

/// The newer widths (dromara/dax-pay).
pub(crate) const NEWER_WIDTHS: [usize; 46] = [
    3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21,
    15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 13, 2, 1, 12, 67,
];

/// The official ACP SDK's `parseZMEFile` widths.
pub(crate) const ZME_WIDTHS: [usize; 22] = [
    3, 11, 11, 6, 10, 19, 12, 4, 2, 2, 6, 10, 4, 12, 13, 13, 15, 15, 1, 12, 2, 135,
];

/// Which ZM layout a line is laid out in.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    /// 607 bytes.
    Official,
    /// 608 bytes.
    Newer,
}

impl Shape {
    /// Each field's name and width, in line order.
    fn fields(self) -> Vec<(&'static str, usize)> {
        let (tail, widths): (&[crate::layout::Field], &[usize]) = match self {
            Self::Official => (&TAIL_OFFICIAL, &OFFICIAL_WIDTHS),
            Self::Newer => (&TAIL_NEWER, &NEWER_WIDTHS),
        };
        let names: Vec<&str> = COMMON.iter().chain(tail).map(|f| f.name).collect();
        assert_eq!(names.len(), widths.len(), "one name per width");
        names.into_iter().zip(widths.iter().copied()).collect()
    }
}

/// One ZM line as data: the values of the fields it sets, by name; every other field blank.
#[derive(Clone, Debug, Default)]
pub(crate) struct Line {
    values: Vec<(&'static str, String)>,
}

impl Line {
    /// Sets field `name` to `value` (left-aligned, padded with spaces to its width).
    pub(crate) fn set(mut self, name: &'static str, value: &str) -> Self {
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, value.to_owned()));
        self
    }

    /// Sets an `n12` fen field: zero-padded to 12 digits.
    pub(crate) fn fen(self, name: &'static str, fen: u64) -> Self {
        self.set(name, &format!("{fen:012}"))
    }

    /// The value of field `name`, as set.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The line's bytes in `shape`. Panics when a value does not fit its width or names a
    /// field the layout does not have.
    pub(crate) fn bytes(&self, shape: Shape) -> Vec<u8> {
        let fields = shape.fields();
        for (name, _) in &self.values {
            assert!(
                fields.iter().any(|(n, _)| n == name),
                "{name} is not a field of the {shape:?} layout"
            );
        }
        let cells: Vec<Vec<u8>> = fields
            .iter()
            .map(|(name, width)| padded(name, self.get(name), *width))
            .collect();
        cells.join(&b' ')
    }
}

/// A ZME line from its values by position (the fields have no published names).
pub(crate) fn zme_line(values: &[&str]) -> Vec<u8> {
    assert!(values.len() <= ZME_WIDTHS.len());
    let cells: Vec<Vec<u8>> = ZME_WIDTHS
        .iter()
        .enumerate()
        .map(|(i, w)| padded("ZME field", values.get(i).copied().unwrap_or(""), *w))
        .collect();
    cells.join(&b' ')
}

/// `value` in GBK, padded with spaces to `width` bytes.
fn padded(name: &str, value: &str, width: usize) -> Vec<u8> {
    let mut bytes = gbk(value);
    assert!(
        bytes.len() <= width,
        "{name} {value:?} is {} bytes in GBK, wider than its {width}",
        bytes.len()
    );
    bytes.resize(width, b' ');
    bytes
}

/// `text` in GBK.
pub(crate) fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "{text:?} is all GBK");
    bytes.into_owned()
}

/// A file of `lines`, each ended by `eol`.
pub(crate) fn file(lines: &[Vec<u8>], eol: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        out.extend_from_slice(line);
        out.extend_from_slice(eol.as_bytes());
    }
    out
}
