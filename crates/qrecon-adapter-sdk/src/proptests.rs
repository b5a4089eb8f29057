//! Property tests every adapter can run on its samples (feature `proptest`, for
//! dev-dependencies): the inputs — random bytes, samples cut short, bytes changed, random rows
//! after a sample's header, amounts pushed to the edges of the decimal range — and the check
//! they must pass: through the real C-ABI glue, never a panic, and a file either refused with
//! a reason or with every line reported exactly once.
//!
//! An adapter's test module supplies what is its own — how its header line looks, the cell
//! values and lines its format has — and [`adapter_proptests!`](crate::adapter_proptests)
//! writes the tests:
//!
//! ```ignore
//! static SAMPLES: LazyLock<Vec<Sample>> = LazyLock::new(|| proptests::samples(&fixtures));
//! static FORMAT: Format = Format { descriptor: crate::qrecon_descriptor, is_header: crate::is_header };
//! fn cell() -> impl Strategy<Value = String> { /* the format's values, good and bad */ }
//! fn line() -> impl Strategy<Value = String> { /* lines of their own: footers, headers */ }
//! qrecon_adapter_sdk::adapter_proptests!(FORMAT, SAMPLES, cell, line);
//! ```

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;

use crate::abi::{PluginDescriptor, STATUS_OK, STATUS_PANIC};
use crate::testing;

/// A file's name and bytes.
pub type Sample = (String, Vec<u8>);

/// What the shared property tests need to know of an adapter.
pub struct Format {
    /// The adapter's descriptor (`crate::qrecon_descriptor`).
    pub descriptor: fn() -> &'static PluginDescriptor,
    /// Whether a line (without its line end) is the format's header.
    pub is_header: fn(&str) -> bool,
}

/// The samples of a fixture folder (golden files and READMEs aside).
///
/// # Panics
/// When the folder holds no sample or one cannot be read.
pub fn samples(dir: &Path) -> Vec<Sample> {
    let samples: Vec<Sample> = testing::samples_in(dir, &[])
        .into_iter()
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let bytes = std::fs::read(&p).expect("sample readable");
            (name.unwrap_or_default(), bytes)
        })
        .collect();
    assert!(!samples.is_empty(), "no samples in {}", dir.display());
    samples
}

impl Format {
    /// Parses and sniffs through the C ABI: no panic, and the lines add up unless the file was
    /// refused (which must say why).
    ///
    /// # Panics
    /// When the adapter panicked, miscounted, or refused the file without a reason.
    pub fn check(&self, name: &str, bytes: &[u8]) {
        let parsed = testing::parse((self.descriptor)(), name, bytes);
        assert_ne!(parsed.status, STATUS_PANIC, "{name}: {:?}", parsed.message);
        if parsed.status == STATUS_OK {
            parsed.assert_every_line_once(bytes);
        } else {
            assert!(parsed.message.is_some(), "{name}: a refused file says why");
        }
        let _ = testing::sniff((self.descriptor)(), name, bytes);
    }

    /// A sample cut at `at`.
    pub fn cut(&self, samples: &[Sample], sample: Index, at: Index) {
        let (name, bytes) = sample.get(samples);
        self.check(name, &bytes[..at.index(bytes.len() + 1)]);
    }

    /// A sample with bytes changed: any byte anywhere, or (`ascii`) an ASCII byte in place of
    /// an ASCII one, which keeps a UTF-8 sample UTF-8 and so reaches past its header more often.
    pub fn bytes_changed(
        &self,
        samples: &[Sample],
        sample: Index,
        changes: &[(Index, u8)],
        ascii: bool,
    ) {
        let (name, bytes) = sample.get(samples);
        let mut bytes = bytes.clone();
        let ascii_at: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i].is_ascii()).collect();
        for (at, byte) in changes {
            if ascii && !ascii_at.is_empty() {
                bytes[*at.get(&ascii_at)] = byte & 0x7f;
            } else {
                let i = at.index(bytes.len());
                bytes[i] = *byte;
            }
        }
        self.check(name, &bytes);
    }

    /// A sample's header followed by `rows`, with `\r\n` or `\n` line ends and a final one or
    /// not.
    pub fn rows_after_header(
        &self,
        samples: &[Sample],
        sample: Index,
        rows: &[Row],
        crlf: bool,
        final_end: bool,
    ) {
        let (name, bytes) = sample.get(samples);
        let (mut text, rest) = self.split_at_header(bytes);
        let width = text.lines().last().map_or(0, |h| cells_of(h).len());
        let end = if crlf { "\r\n" } else { "\n" };
        let body: Vec<String> = rows.iter().map(|r| r.render(width, &rest)).collect();
        text.push_str(&body.join(end));
        if final_end && !body.is_empty() {
            text.push_str(end);
        }
        self.check(name, text.as_bytes());
    }

    /// Every number of a sample after its header (amounts, counts, ids) in turn kept or
    /// replaced by the next of `amounts`: rows otherwise well formed, so the sums and control
    /// totals see the extremes.
    pub fn amounts_at_the_edges(
        &self,
        samples: &[Sample],
        sample: Index,
        amounts: &[Option<&str>],
    ) {
        let (name, bytes) = sample.get(samples);
        let (mut text, rest) = self.split_at_header(bytes);
        let mut next = amounts.iter().cycle();
        for line in &rest {
            let cells: Vec<String> = cells_of(line)
                .into_iter()
                .map(|cell| {
                    let Some((start, end)) = number_span(&cell) else {
                        return cell;
                    };
                    match next.next() {
                        Some(Some(amount)) => {
                            format!("{}{amount}{}", &cell[..start], &cell[end..])
                        }
                        _ => cell,
                    }
                })
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        self.check(name, text.as_bytes());
    }

    /// Every sample cut at every offset up to `small` bytes, and around every later line end
    /// (random cuts cover the rest).
    pub fn every_cut(&self, samples: &[Sample], small: usize) {
        for (name, bytes) in samples {
            for cut in 0..=bytes.len() {
                let near_line_end =
                    bytes[cut.saturating_sub(2)..(cut + 2).min(bytes.len())].contains(&b'\n');
                if cut <= small || near_line_end {
                    self.check(name, &bytes[..cut]);
                }
            }
        }
    }

    /// A sample's text up to and including its header line (ending in a line end), and the
    /// lines after it.
    fn split_at_header(&self, bytes: &[u8]) -> (String, Vec<String>) {
        let text = String::from_utf8_lossy(bytes);
        let mut head = String::new();
        let mut lines = text.split_inclusive('\n');
        for line in lines.by_ref() {
            head.push_str(line);
            if (self.is_header)(line.trim_end_matches(['\r', '\n'])) {
                break;
            }
        }
        if !head.ends_with('\n') {
            head.push('\n');
        }
        let rest = lines.map(|l| l.trim_end_matches(['\r', '\n']).to_owned());
        (head, rest.collect())
    }
}

/// A line cut at the commas outside double quotes: close enough to every CSV here to change
/// a row cell by cell and join it back as it was.
pub fn cells_of(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    for c in line.chars() {
        if c == ',' && !quoted {
            cells.push(std::mem::take(&mut cell));
            continue;
        }
        if c == '"' {
            quoted = !quoted;
        }
        cell.push(c);
    }
    cells.push(cell);
    cells
}

/// How one random row after a sample's header is made.
#[derive(Debug, Clone)]
pub enum Row {
    /// Cells drawn at random; `fit` makes them as many as the header has.
    Cells {
        /// The cells.
        cells: Vec<String>,
        /// Padded or cut to the header's width.
        fit: bool,
    },
    /// A line of the sample after its header, with some cells replaced.
    Edited {
        /// Which line.
        row: Index,
        /// Which cells, and their new values.
        edits: Vec<(Index, String)>,
    },
    /// A line of its own: blank, or one the format gives a meaning.
    Line(String),
}

/// Rows made of the format's `cell` values and its own `line`s.
pub fn row(
    cell: BoxedStrategy<String>,
    line: impl Strategy<Value = String> + 'static,
) -> impl Strategy<Value = Row> {
    prop_oneof![
        3 => (prop::collection::vec(cell.clone(), 0..16), any::<bool>())
            .prop_map(|(cells, fit)| Row::Cells { cells, fit }),
        3 => (any::<Index>(), prop::collection::vec((any::<Index>(), cell), 1..4))
            .prop_map(|(row, edits)| Row::Edited { row, edits }),
        1 => line.prop_map(Row::Line),
    ]
}

impl Row {
    /// The text of the row below a header of `width` cells, the sample's own lines being
    /// `rest`.
    fn render(&self, width: usize, rest: &[String]) -> String {
        match self {
            Row::Cells { cells, fit } => {
                let mut cells = cells.clone();
                if *fit {
                    cells.resize(width, String::new());
                }
                cells.join(",")
            }
            Row::Edited { row, edits } if !rest.is_empty() => {
                let mut cells = cells_of(row.get::<String>(rest));
                for (at, value) in edits {
                    let i = at.index(cells.len());
                    cells[i].clone_from(value);
                }
                cells.join(",")
            }
            Row::Edited { edits, .. } => edits
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(","),
            Row::Line(s) => s.clone(),
        }
    }
}

/// An amount at an edge, or `None` to keep the sample's: the largest and smallest a
/// `Decimal` holds (with and without grouping), the finest fraction, the most qrecon keeps
/// and one unit more, signed zeros, too many digits.
pub fn edge_amount() -> impl Strategy<Value = Option<&'static str>> {
    let edges = prop::sample::select(vec![
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "79,228,162,514,264,337,593,543,950,335",
        "7922816251426433759354395033.5",
        "0.0000000000000000000000000001",
        "92233720368547.75807",
        "92233720368547.75808",
        "-92233720368547.75808",
        "0.000001",
        "-0",
        "+0.00",
        "79228162514264337593543950336",
        "1.00000000000000000000000000000",
    ]);
    prop_oneof![
        3 => Just(None),
        2 => edges.prop_map(Some),
    ]
}

/// Where the number in a cell is (its backtick, quotes and padding aside), if it holds one.
fn number_span(cell: &str) -> Option<(usize, usize)> {
    let start = cell.len() - cell.trim_start_matches(['`', '"', ' ', '\t']).len();
    let end = cell.trim_end_matches(['"', ' ', '\t']).len();
    let number = cell.get(start..end)?;
    let digits = number.strip_prefix('-').unwrap_or(number);
    let is_number = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
    is_number.then_some((start, end))
}

/// The proptest crate, for [`adapter_proptests!`](crate::adapter_proptests).
pub use proptest;

/// Writes an adapter's property tests: `adapter_proptests!(FORMAT, SAMPLES, cell, line)`
/// with a `static FORMAT: Format`, a `static SAMPLES: LazyLock<Vec<Sample>>` and the format's
/// `cell()` and `line()` strategies. Every input of this module runs 256 cases, and every
/// sample is cut at every offset of its first 2 KiB and around every later line end.
#[macro_export]
macro_rules! adapter_proptests {
    ($format:ident, $samples:ident, $cell:ident, $line:ident) => {
        use $crate::proptests::proptest::prelude::*;
        use $crate::proptests::proptest::sample::Index;

        $crate::proptests::proptest::proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
                $format.check("prop.csv", &bytes);
            }

            #[test]
            fn samples_cut_at_random_offsets(sample in any::<Index>(), at in any::<Index>()) {
                $format.cut(&$samples, sample, at);
            }

            #[test]
            fn samples_with_bytes_changed(
                sample in any::<Index>(),
                changes in prop::collection::vec((any::<Index>(), any::<u8>()), 1..8),
                ascii in any::<bool>(),
            ) {
                $format.bytes_changed(&$samples, sample, &changes, ascii);
            }

            #[test]
            fn random_rows_after_a_sample_header(
                sample in any::<Index>(),
                rows in prop::collection::vec(
                    $crate::proptests::row($cell().boxed(), $line()), 0..24),
                crlf in any::<bool>(),
                final_end in any::<bool>(),
            ) {
                $format.rows_after_header(&$samples, sample, &rows, crlf, final_end);
            }

            #[test]
            fn sample_amounts_at_the_edges(
                sample in any::<Index>(),
                amounts in prop::collection::vec($crate::proptests::edge_amount(), 1..32),
            ) {
                $format.amounts_at_the_edges(&$samples, sample, &amounts);
            }
        }

        #[test]
        fn every_sample_cut_at_every_offset() {
            $format.every_cut(&$samples, 2048);
        }
    };
}
