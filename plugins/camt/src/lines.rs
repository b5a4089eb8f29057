//! Line numbers from byte offsets: the XML reader reports positions as offsets, records and
//! errors carry 1-based lines.

/// Where each line of a text starts.
pub(crate) struct LineIndex {
    /// Byte offsets of every `\n`, in order.
    newlines: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub(crate) fn new(text: &str) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'\n').then_some(i))
            .collect();
        Self { newlines }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: u64) -> u64 {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        self.newlines.partition_point(|&nl| nl < offset) as u64 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn offsets_map_to_lines() {
        let index = LineIndex::new("ab\ncd\r\n\nx");
        let lines: Vec<u64> = (0..10).map(|o| index.line(o)).collect();
        assert_eq!(lines, [1, 1, 1, 2, 2, 2, 2, 3, 4, 4]);
    }
}
