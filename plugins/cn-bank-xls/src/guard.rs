//! A check of an `.xls` before calamine opens it, against the records that would make it
//! allocate without bound.
//!
//! calamine sizes each sheet's cell grid from the sheet's `DIMENSIONS` record and from the
//! spread of its cell positions, and an allocation that fails aborts the process: a panic
//! could be caught, an abort takes the host down with the plugin. A damaged or crafted file
//! can state 4 billion rows. So this module takes the `Workbook` stream (see [`crate::cfb`]),
//! walks the BIFF records of each worksheet from where its `BOUNDSHEET` record says it
//! starts, as calamine does, and refuses the file when a sheet's stated or used extent
//! exceeds [`MAX_CELLS`], or when a sector chain of the container loops. Other damage is
//! left to calamine to report.

use crate::cfb::{self, Fault, u16_at, u32_at};

/// The most cells a sheet's grid may span (4 Mi: 65 536 rows × 64 columns, about 160 MB in
/// calamine's grid). Statements are a dozen columns wide.
pub(crate) const MAX_CELLS: u64 = 1 << 22;

/// BIFF record types the check reads.
mod rec {
    pub(super) const BOF: u16 = 0x0809;
    pub(super) const EOF: u16 = 0x000A;
    pub(super) const BOUNDSHEET: u16 = 0x0085;
    pub(super) const DIMENSIONS: u16 = 0x0200;
    pub(super) const MULRK: u16 = 0x00BD;
    /// Records that put one cell at (row u16, column u16) at the start of their data.
    pub(super) const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
}

/// Checks the `.xls` in `bytes`; the error says which sheet is too large and why.
pub(crate) fn check(bytes: &[u8]) -> Result<(), String> {
    let stream = match cfb::workbook_stream(bytes) {
        Ok(stream) => stream,
        Err(Fault::Loop) => return Err("its sector chains loop".to_owned()),
        Err(Fault::Broken) => return Ok(()),
    };
    for start in sheet_offsets(&stream) {
        check_sheet(stream.get(start..).unwrap_or_default())
            .map_err(|e| format!("the worksheet at byte {start} of the workbook stream {e}"))?;
    }
    Ok(())
}

/// The BIFF records of a stream: (type, data), stopping at the first one cut short.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// Where each sheet's substream starts, from the globals' `BOUNDSHEET` records.
fn sheet_offsets(stream: &[u8]) -> Vec<usize> {
    records(stream)
        .take_while(|(typ, _)| *typ != rec::EOF)
        .filter(|(typ, _)| *typ == rec::BOUNDSHEET)
        .filter_map(|(_, data)| usize::try_from(u32_at(data, 0)?).ok())
        .collect()
}

/// The rows and columns a sheet's cells span.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        let widen = |span: &mut Option<(u32, u32)>, v: u32| {
            let (lo, hi) = span.unwrap_or((v, v));
            *span = Some((lo.min(v), hi.max(v)));
        };
        widen(&mut self.rows, row);
        widen(&mut self.cols, col);
    }

    fn describe(&self) -> String {
        let span =
            |s: Option<(u32, u32)>| s.map_or_else(String::new, |(lo, hi)| format!("{lo}..={hi}"));
        format!("rows {} × columns {}", span(self.rows), span(self.cols))
    }

    fn cells(&self) -> u64 {
        let len = |span: Option<(u32, u32)>| span.map_or(0, |(lo, hi)| u64::from(hi - lo) + 1);
        len(self.rows) * len(self.cols)
    }
}

/// Walks one sheet substream (skipping nested chart substreams) up to its `EOF`.
fn check_sheet(stream: &[u8]) -> Result<(), String> {
    let mut extent = Extent::default();
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (typ, data) in records(stream) {
        match (typ, depth) {
            (rec::BOF, _) if seen_bof => depth += 1,
            (rec::BOF, _) => seen_bof = true,
            (rec::EOF, 0) => break,
            (rec::EOF, _) => depth -= 1,
            (_, 1..) => {}
            (rec::DIMENSIONS, _) => dimensions(data)?,
            (rec::MULRK, _) => {
                if let (Some(row), Some(first)) = (u16_at(data, 0), u16_at(data, 2)) {
                    let count = data.len().saturating_sub(6) / 6;
                    let last = u32::from(first) + u32::try_from(count).unwrap_or(u32::MAX);
                    extent.add(u32::from(row), u32::from(first));
                    extent.add(u32::from(row), last.saturating_sub(1).max(u32::from(first)));
                }
            }
            (t, _) if rec::CELLS.contains(&t) => {
                if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                    extent.add(u32::from(row), u32::from(col));
                }
            }
            _ => {}
        }
    }
    if extent.cells() > MAX_CELLS {
        return Err(format!(
            "spreads its cells over {} ({} cells), more than the {MAX_CELLS} a sheet may span",
            extent.describe(),
            extent.cells()
        ));
    }
    Ok(())
}

/// The `DIMENSIONS` record as calamine reads it (first row, last row + 1, first column, last
/// column + 1), refused when it is inverted or spans too many cells.
fn dimensions(data: &[u8]) -> Result<(), String> {
    let word = |at| u16_at(data, at).map(u32::from);
    let read = match data.len() {
        10 => word(0).zip(word(2)).zip(word(4).zip(word(6))),
        14 | 16 => u32_at(data, 0)
            .zip(u32_at(data, 4))
            .zip(word(8).zip(word(10))),
        _ => None,
    };
    let Some(((first_row, end_row), (first_col, end_col))) = read else {
        return Ok(()); // calamine refuses a record of another length itself
    };
    let first_col = if first_col > 0xFF || end_col < first_col {
        0
    } else {
        first_col
    };
    if end_row == 0 || end_col == 0 {
        return Ok(());
    }
    let (rows, cols) = (
        end_row.checked_sub(first_row),
        end_col.checked_sub(first_col),
    );
    match rows.zip(cols).map(|(r, c)| u64::from(r) * u64::from(c)) {
        Some(cells) if cells > 0 && cells <= MAX_CELLS => Ok(()),
        _ => Err(format!(
            "states dimensions rows {first_row}..{end_row} × columns {first_col}..{end_col}, \
             which are inverted or span more than {MAX_CELLS} cells"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CCB: &[u8] = include_bytes!("../fixtures/ccb_debit_交易明细.xls");

    /// The sample with the 14 bytes of its worksheet's DIMENSIONS record replaced.
    fn with_dimensions(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
        let mut bytes = CCB.to_vec();
        let at = bytes
            .windows(4)
            .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
            .expect("a DIMENSIONS record")
            + 4;
        bytes[at..at + 4].copy_from_slice(&rows.0.to_le_bytes());
        bytes[at + 4..at + 8].copy_from_slice(&rows.1.to_le_bytes());
        bytes[at + 8..at + 10].copy_from_slice(&cols.0.to_le_bytes());
        bytes[at + 10..at + 12].copy_from_slice(&cols.1.to_le_bytes());
        bytes
    }

    #[test]
    fn the_sample_passes_and_its_stream_is_found() {
        let stream = cfb::workbook_stream(CCB).expect("the Workbook stream");
        assert_eq!(u16_at(&stream, 0), Some(rec::BOF));
        assert_eq!(sheet_offsets(&stream).len(), 1);
        assert_eq!(check(CCB), Ok(()));
        assert_eq!(
            check(&with_dimensions((0, 13), (0, 11))),
            Ok(()),
            "the sample's own values"
        );
    }

    #[test]
    fn huge_or_inverted_dimensions_are_refused() {
        for (rows, cols) in [
            ((0, 0xFFFF_FFF0), (0, 11)),
            ((0, 70_000), (0, 255)),
            ((13, 13), (0, 11)),
            ((0, 13), (5, 5)),
        ] {
            let error = check(&with_dimensions(rows, cols)).expect_err("refused");
            assert!(error.contains("states dimensions"), "{error}");
        }
    }

    #[test]
    fn a_cell_far_away_is_refused() {
        let mut bytes = CCB.to_vec();
        let at = bytes
            .windows(4)
            .position(|w| w == [0xFD, 0x00, 0x0A, 0x00])
            .expect("a LABELSST")
            + 4;
        bytes[at..at + 4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]); // row 65535, column 255
        let error = check(&bytes).expect_err("refused");
        assert!(error.contains("spreads its cells"), "{error}");
    }
}
