//! The XLSX bill (WeChat's export since 2025), read with calamine from the bytes in memory.
//! A sheet's rows are numbered as the sheet numbers them (row 1 = line 1), from column A.
//!
//! Cells are typed. A number in the amount column becomes an exact decimal through its
//! shortest round-trip text (`548.58000000000004` as stored is the double nearest 548.58, whose
//! shortest text is `548.58`), and must then have at most 2 decimals, or the row is
//! quarantined. A number in the time column is an Excel date serial (a date-styled cell uses
//! the workbook's 1900 or 1904 system, a plain number the 1900 one), rounded to the second. A
//! number in an id column must be below 2^53, beyond which its digits are lost.

use std::io::Cursor;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Range, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use qrecon_adapter_sdk::{FieldError, FileError};

use crate::columns::{Aligned, Columns};

/// One worksheet: its name and its rows from row 1, each from column A.
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) rows: Vec<Vec<Data>>,
}

/// The worksheets of a workbook, in workbook order, and the ones that could not be read.
/// The spreadsheet reader panics on some malformed workbooks (an arithmetic overflow on a
/// cell reference of a changed byte): that is this file's error, not a crash.
pub(crate) fn open(bytes: &[u8]) -> Result<(Vec<Sheet>, Vec<String>), FileError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(bytes))).unwrap_or_else(|_| {
        Err(FileError::new(
            "the XLSX workbook is malformed: the spreadsheet reader gave up on it",
        ))
    })
}

fn read(bytes: &[u8]) -> Result<(Vec<Sheet>, Vec<String>), FileError> {
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| FileError::new(format!("not a readable XLSX workbook: {e}")))?;
    let mut sheets = Vec::new();
    let mut unreadable = Vec::new();
    for name in book.sheet_names() {
        match book.worksheet_range(&name) {
            Ok(range) => sheets.push(Sheet {
                rows: rows_of(&range),
                name,
            }),
            Err(e) => unreadable.push(format!("{name} ({e})")),
        }
    }
    Ok((sheets, unreadable))
}

/// A range's rows from sheet row 1 and column A (calamine starts a range at its first cell).
fn rows_of(range: &Range<Data>) -> Vec<Vec<Data>> {
    let Some((row0, col0)) = range.start() else {
        return Vec::new();
    };
    let (row0, col0) = (to_usize(row0), to_usize(col0));
    let mut rows = vec![Vec::new(); row0];
    for row in range.rows() {
        let mut cells = vec![Data::Empty; col0];
        cells.extend(row.iter().cloned());
        rows.push(cells);
    }
    rows
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// A cell as text, whatever its type.
pub(crate) fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => shortest(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => datetime(d).unwrap_or_else(|| shortest(d.as_f64())),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// The shortest text that reads back as `f` (Rust prints floats that way, without exponent).
fn shortest(f: f64) -> String {
    format!("{f}")
}

/// A data row's cells through the header, each converted as its column needs. Cells beyond the
/// header must be empty.
pub(crate) fn row(cells: &[Data], columns: &Columns) -> Result<Aligned, FieldError> {
    let n = columns.width();
    if let Some(extra) = cells.iter().skip(n).find(|c| !text(c).trim().is_empty()) {
        return Err(FieldError::row(format!(
            "a cell beyond the header's {n} columns (line {}) holds {:?}",
            columns.line,
            text(extra)
        )));
    }
    let converted: Result<Vec<String>, FieldError> = (0..n)
        .map(|i| {
            let cell = cells.get(i).unwrap_or(&Data::Empty);
            let field = columns.name(i);
            if i == columns.amount {
                amount(cell, field)
            } else if i == columns.time {
                time(cell, field)
            } else if Some(i) == columns.txn_id || Some(i) == columns.order_id {
                id(cell, field)
            } else {
                Ok(text(cell))
            }
        })
        .collect();
    Ok(Aligned {
        cells: converted?,
        joined: None,
    })
}

/// An amount cell as text: a number must be a whole number of cents.
fn amount(cell: &Data, field: &str) -> Result<String, FieldError> {
    match cell {
        Data::Float(f) => {
            let s = shortest(*f);
            let decimals = s.split_once('.').map_or(0, |(_, d)| d.len());
            if f.is_finite() && decimals <= 2 {
                Ok(s)
            } else {
                Err(FieldError::new(
                    field,
                    "a number of whole cents (at most 2 decimals)",
                    &s,
                ))
            }
        }
        Data::DateTime(_) => Err(FieldError::new(field, "an amount", &text(cell))),
        other => Ok(text(other)),
    }
}

/// A time cell as `YYYY-MM-DD HH:MM:SS` text: a number is an Excel date serial.
fn time(cell: &Data, field: &str) -> Result<String, FieldError> {
    let serial = match cell {
        Data::DateTime(d) => *d,
        Data::Float(f) => ExcelDateTime::new(*f, ExcelDateTimeType::DateTime, false),
        #[allow(clippy::cast_precision_loss)] // a serial is far below 2^52
        Data::Int(i) => ExcelDateTime::new(*i as f64, ExcelDateTimeType::DateTime, false),
        other => return Ok(text(other)),
    };
    datetime(&serial).ok_or_else(|| {
        FieldError::new(
            field,
            "a date and time (an Excel date serial of 1 to 2958465)",
            &shortest(serial.as_f64()),
        )
    })
}

/// An Excel date serial as text, rounded to the second; `None` outside Excel's range.
fn datetime(serial: &ExcelDateTime) -> Option<String> {
    let value = serial.as_f64();
    if !(value.is_finite() && (1.0..2_958_466.0).contains(&value)) {
        return None;
    }
    let (y, mo, d, h, mi, s, ms) = serial.to_ymd_hms_milli();
    let date = NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d))?;
    let time: NaiveDateTime =
        date.and_hms_milli_opt(u32::from(h), u32::from(mi), u32::from(s), u32::from(ms))?;
    let rounded = if ms >= 500 {
        time.checked_add_signed(TimeDelta::milliseconds(1000 - i64::from(ms)))?
    } else {
        time.checked_sub_signed(TimeDelta::milliseconds(i64::from(ms)))?
    };
    Some(rounded.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// An id cell as text: a number must be exact (below 2^53).
fn id(cell: &Data, field: &str) -> Result<String, FieldError> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match cell {
        Data::Float(f) if f.is_nan() || f.abs() >= EXACT => Err(FieldError::new(
            field,
            "an id stored as text (a number this long has lost digits)",
            &shortest(*f),
        )),
        other => Ok(text(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_amounts_are_exact_through_their_shortest_text() {
        let a = |f: f64| amount(&Data::Float(f), "金额(元)");
        // As Excel stores them: 17 significant digits.
        let stored = |s: &str| s.parse::<f64>().expect("a float");
        assert_eq!(a(stored("548.58000000000004")).as_deref(), Ok("548.58"));
        assert_eq!(a(stored("7.0000000000000007E-2")).as_deref(), Ok("0.07"));
        assert_eq!(a(12.0).as_deref(), Ok("12"));
        assert_eq!(a(100.1).as_deref(), Ok("100.1"));
        let e = a(0.125).expect_err("three decimals");
        assert_eq!(e.field, "金额(元)");
        assert!(e.reason.contains("0.125"), "{}", e.reason);
        assert!(a(f64::NAN).is_err());
        assert_eq!(
            amount(&Data::String("¥28.16".into()), "x").as_deref(),
            Ok("¥28.16")
        );
    }

    #[test]
    fn serial_times_round_to_the_second() {
        // 2019-09-26 12:45:27 is serial 43734.531562500001 (Excel's 1900 system).
        let t = |f: f64| time(&Data::Float(f), "交易时间");
        assert_eq!(t(43_734.531_562_5).as_deref(), Ok("2019-09-26 12:45:27"));
        assert_eq!(t(43_734.531_56).as_deref(), Ok("2019-09-26 12:45:27"));
        assert_eq!(t(45_000.0).as_deref(), Ok("2023-03-15 00:00:00"));
        assert!(t(0.5).is_err());
        assert!(t(3e6).is_err());
        assert!(t(60.0).is_err(), "1900-02-29 does not exist");
        assert_eq!(
            time(&Data::String("2019-09-26 12:45:27".into()), "x").as_deref(),
            Ok("2019-09-26 12:45:27")
        );
    }

    #[test]
    fn numeric_ids_must_be_exact() {
        assert_eq!(
            id(&Data::Float(3_985_734.0), "交易单号").as_deref(),
            Ok("3985734")
        );
        assert!(id(&Data::Float(4.2e27), "交易单号").is_err());
        assert_eq!(
            id(&Data::String("4200\t".into()), "x").as_deref(),
            Ok("4200\t")
        );
    }
}
