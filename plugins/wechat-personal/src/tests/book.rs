//! A minimal XLSX writer for the tests: a stored (uncompressed) zip holding a workbook whose
//! sheets have inline strings, numbers and date-styled numbers, so the tests can build the
//! workbooks they need.

use std::fmt::Write as _;

/// A sheet's rows: (row number, cells from column A).
pub(crate) type Rows = Vec<(u32, Vec<Cell>)>;

/// A cell of a test sheet.
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    /// An inline string.
    Text(String),
    /// A number, as written in the XML (`548.58000000000004`).
    Number(String),
    /// A number styled as a date and time (an Excel serial).
    Date(String),
}

/// Text cells from `,`-separated text (no quoting): a row of a CSV bill as a sheet row.
pub(crate) fn texts(line: &str) -> Vec<Cell> {
    line.split(',').map(|c| Cell::Text(c.to_owned())).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The column letters of 0-based column `i` (A, B, …, Z, AA, …).
fn column(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + u8::try_from(i % 26).expect("a letter")));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.iter().rev().collect()
}

fn sheet_xml(rows: &[(u32, Vec<Cell>)]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, cells) in rows {
        let _ = write!(xml, r#"<row r="{r}">"#);
        for (i, cell) in cells.iter().enumerate() {
            let at = format!("{}{r}", column(i));
            let _ = match cell {
                Cell::Text(t) => write!(
                    xml,
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(t)
                ),
                Cell::Number(n) => write!(xml, r#"<c r="{at}"><v>{n}</v></c>"#),
                Cell::Date(n) => write!(xml, r#"<c r="{at}" s="1"><v>{n}</v></c>"#),
            };
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// A workbook of the named sheets, each as (row number, cells) pairs.
pub(crate) fn workbook(sheets: &[(&str, Rows)]) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    );
    let mut book = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts: Vec<(String, String)> = Vec::new();
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        let _ = write!(
            types,
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        let _ = write!(
            book,
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape(name)
        );
        let _ = write!(
            rels,
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
        parts.push((format!("xl/worksheets/sheet{n}.xml"), sheet_xml(rows)));
    }
    let styles_id = sheets.len() + 1;
    let _ = write!(
        rels,
        r#"<Relationship Id="rId{styles_id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
    );
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    let styles = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut files = vec![
        ("[Content_Types].xml".to_owned(), types),
        ("_rels/.rels".to_owned(), root_rels.to_owned()),
        ("xl/workbook.xml".to_owned(), book),
        ("xl/_rels/workbook.xml.rels".to_owned(), rels),
        ("xl/styles.xml".to_owned(), styles.to_owned()),
    ];
    files.extend(parts);
    zip(&files)
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// A zip of `files`, stored without compression.
fn zip(files: &[(String, String)]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&u16::try_from(v).expect("u16").to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&u32::try_from(v).expect("u32").to_le_bytes());
    }
    const DOS_DATE: usize = (1 << 5) | 1; // 1980-01-01
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let (name, data) = (name.as_bytes(), data.as_bytes());
        let crc = usize::try_from(crc32(data)).expect("crc");
        let offset = out.len();
        for (header, sig) in [(&mut out, 0x0403_4b50), (&mut central, 0x0201_4b50)] {
            u32le(header, sig);
            if sig == 0x0201_4b50 {
                u16le(header, 20); // made by
            }
            u16le(header, 20); // needed
            u16le(header, 0); // flags
            u16le(header, 0); // stored
            u16le(header, 0); // time
            u16le(header, DOS_DATE);
            u32le(header, crc);
            u32le(header, data.len());
            u32le(header, data.len());
            u16le(header, name.len());
            u16le(header, 0); // extra
            if sig == 0x0201_4b50 {
                u16le(header, 0); // comment
                u16le(header, 0); // disk
                u16le(header, 0); // internal attributes
                u32le(header, 0); // external attributes
                u32le(header, offset);
            }
            header.extend_from_slice(name);
        }
        out.extend_from_slice(data);
    }
    let central_at = out.len();
    let central_len = central.len();
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, files.len());
    u16le(&mut out, files.len());
    u32le(&mut out, central_len);
    u32le(&mut out, central_at);
    u16le(&mut out, 0);
    out
}

#[test]
fn crc32_of_a_known_text() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(column(0), "A");
    assert_eq!(column(26), "AA");
}
