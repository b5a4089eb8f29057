//! Opening the workbook (`.xls` BIFF or `.xlsx`, told apart by their magic bytes) and
//! reading its worksheets into rows of [`Value`]s.
//!
//! Rows keep their sheet positions: row `i` of a [`Sheet`] is spreadsheet row `i + 1`, empty
//! rows included, so every row of the sheet can be reported by its number. The reader is
//! calamine; a panic inside it on a malformed file is caught here and becomes a
//! [`FileError`].

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, Reader, SheetType, SheetVisible, Xls, Xlsx, open_workbook_from_rs};
use qrecon_adapter_sdk::FileError;

use crate::value::Value;

/// The first bytes of an OLE2 compound file (`.xls`).
pub(crate) const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// The first bytes of a zip archive (`.xlsx`).
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Columns read per row: a BIFF8 sheet has 256; no statement comes near it.
pub(crate) const MAX_COLUMNS: u32 = 256;
/// Rows read per sheet: the most an .xlsx sheet can have.
pub(crate) const MAX_ROWS: u32 = 1 << 20;

/// The two container formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Excel 97–2003 (BIFF8 in an OLE2 compound file).
    Xls,
    /// Office Open XML (a zip of XML parts).
    Xlsx,
}

impl Format {
    /// The format the magic bytes at the start of `head` announce.
    pub(crate) fn of(head: &[u8]) -> Option<Self> {
        if head.starts_with(OLE2_MAGIC) {
            Some(Format::Xls)
        } else if head.starts_with(ZIP_MAGIC) {
            Some(Format::Xlsx)
        } else {
            None
        }
    }
}

/// One worksheet's cells.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    /// The sheet's name in the workbook.
    pub(crate) name: String,
    /// Whether the sheet is hidden.
    pub(crate) hidden: bool,
    /// Row `i` is spreadsheet row `i + 1`; each row holds its cells from column A.
    pub(crate) rows: Vec<Vec<Value>>,
    /// Cells right of [`MAX_COLUMNS`] or below [`MAX_ROWS`], which were not read.
    pub(crate) cut_cells: u64,
    /// Why the sheet could not be read (its rows are then empty).
    pub(crate) error: Option<String>,
}

impl Sheet {
    fn named(name: &str, hidden: bool) -> Self {
        Self {
            name: name.to_owned(),
            hidden,
            ..Self::default()
        }
    }

    /// Puts `value` at 0-based (`row`, `col`).
    fn put(&mut self, (row, col): (u32, u32), value: Value) {
        if value == Value::Empty {
            return;
        }
        if col >= MAX_COLUMNS || row >= MAX_ROWS {
            self.cut_cells += 1;
            return;
        }
        let (row, col) = (row as usize, col as usize);
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        if let Some(cells) = self.rows.get_mut(row) {
            if cells.len() <= col {
                cells.resize_with(col + 1, Value::default);
            }
            if let Some(cell) = cells.get_mut(col) {
                *cell = value;
            }
        }
    }

    /// Rows that hold at least one value.
    pub(crate) fn used_rows(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.iter().any(|v| !v.is_blank()))
            .count()
    }
}

/// Reads every worksheet of the workbook in `bytes`, in workbook order (chart and macro
/// sheets are not worksheets and are left out). A sheet that cannot be read is kept, empty,
/// with the reason.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    let format = Format::of(bytes).ok_or_else(|| {
        FileError::new(
            "not an Excel workbook: expected the .xls (OLE2 D0 CF 11 E0) or .xlsx (zip PK 03 04) \
             magic bytes",
        )
    })?;
    let read = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Xls => read_xls(bytes),
        Format::Xlsx => read_xlsx(bytes),
    }));
    match read {
        Ok(sheets) => sheets,
        Err(_) => Err(FileError::new(format!(
            "the {format:?} workbook is malformed: the spreadsheet reader gave up on it"
        ))),
    }
}

fn read_xls(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    crate::guard::check(bytes)
        .map_err(|e| FileError::new(format!("the .xls workbook is refused: {e}")))?;
    let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| FileError::new(format!("the .xls workbook cannot be read: {e}")))?;
    let mut sheets = Vec::new();
    for meta in book.sheets_metadata().to_vec() {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let mut sheet = Sheet::named(&meta.name, meta.visible != SheetVisible::Visible);
        match book.worksheet_range(&meta.name) {
            Ok(range) => {
                let (top, left) = range.start().unwrap_or_default();
                for (r, c, data) in range.used_cells() {
                    let at = (
                        top.saturating_add(to_u32(r)),
                        left.saturating_add(to_u32(c)),
                    );
                    sheet.put(at, from_data(data));
                }
            }
            Err(e) => sheet.error = Some(e.to_string()),
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| FileError::new(format!("the .xlsx workbook cannot be read: {e}")))?;
    let mut sheets = Vec::new();
    for meta in book.sheets_metadata().to_vec() {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let mut sheet = Sheet::named(&meta.name, meta.visible != SheetVisible::Visible);
        if let Err(e) = read_xlsx_cells(&mut book, &mut sheet) {
            sheet.rows.clear();
            sheet.error = Some(e.to_string());
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Reads one `.xlsx` sheet cell by cell: no grid is allocated for its stated dimensions.
fn read_xlsx_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &mut Sheet,
) -> Result<(), calamine::XlsxError> {
    let mut cells = book.worksheet_cells_reader(&sheet.name)?;
    while let Some(cell) = cells.next_cell()? {
        sheet.put(cell.get_position(), Value::from_calamine(cell.get_value()));
    }
    Ok(())
}

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn from_data(data: &Data) -> Value {
    let borrowed = match data {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    };
    Value::from_calamine(&borrowed)
}
