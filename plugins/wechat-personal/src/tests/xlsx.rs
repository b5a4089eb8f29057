//! The XLSX layout: the sample's two sheets, number cells (amounts, date serials, ids), rows
//! numbered as the sheet numbers them, and workbooks that are not WeChat bills.

use qrecon_adapter_sdk::Status;
use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::testing;

use super::book::{self, Cell};
use super::kit::{self, CSV, HEADER, XLSX, dec, quarantined};

#[test]
fn the_sample_reads_its_2026_sheet_with_number_amounts() {
    let parsed = kit::parse("wechat_personal_v2026.xlsx", XLSX);
    parsed.assert_lines_once(45);
    assert!(quarantined(&parsed).is_empty());
    assert_eq!(kit::skip_reason(&parsed, 18), "header");
    assert!(kit::warned(
        &parsed,
        1,
        &["sheet example-wechat-records", "only sheet Sheet1 is read"]
    ));
    assert!(
        kit::warned(&parsed, 7, &["共10笔记录"]),
        "the 2026 sheet's own preamble"
    );
    // The same payments as the CSV sample, one row further down.
    let csv = kit::parse("wechat_personal_utf8.csv", CSV.as_bytes());
    assert_eq!(parsed.records.len(), csv.records.len());
    for (x, c) in parsed.records.iter().zip(&csv.records) {
        assert_eq!(x.line, c.line + 1);
        assert_eq!(
            (x.amount, x.time, x.id("txn_id"), x.id("order_id"), x.status),
            (c.amount, c.time, c.id("txn_id"), c.id("order_id"), c.status),
            "line {}",
            x.line
        );
        assert_eq!(x.parties, c.parties, "line {}", x.line);
        assert_eq!(x.extra, c.extra, "line {}", x.line);
    }
    // 12 and 9.9 are number cells here, ¥12.00 and ¥9.90 in the CSV.
    assert_eq!(parsed.record_at(21).amount, dec("12"));
    assert_eq!(parsed.record_at(42).amount, dec("9.90"));
}

/// The sample CSV's preamble and header as sheet rows 1–17 (header on row 17).
fn preamble_rows() -> Vec<(u32, Vec<Cell>)> {
    CSV.lines()
        .take(17)
        .zip(1u32..)
        .map(|(line, r)| (r, book::texts(line)))
        .collect()
}

fn row(r: u32, cells: Vec<Cell>) -> (u32, Vec<Cell>) {
    (r, cells)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn number(s: &str) -> Cell {
    Cell::Number(s.to_owned())
}

/// A payment row: (time cell, amount cell, id cell).
fn payment(time: Cell, amount: Cell, id: Cell) -> Vec<Cell> {
    vec![
        time,
        text("商户消费"),
        text("晨光面馆"),
        text("牛肉面"),
        text("支出"),
        amount,
        text("零钱"),
        text("支付成功"),
        id,
        text("/"),
        text("/"),
    ]
}

#[test]
fn number_cells_become_exact_values_or_are_quarantined() {
    let when = || text("2026-11-24 12:41:07");
    let id = || text("4200000001202611240000000001\t");
    let mut rows = preamble_rows();
    rows.extend([
        row(18, payment(when(), number("548.58000000000004"), id())),
        row(
            19,
            payment(Cell::Date("43734.5315625".into()), number("12"), id()),
        ),
        row(20, payment(number("43734.5315625"), text("￥38.00"), id())),
        row(21, payment(when(), number("0.125"), id())),
        row(22, payment(when(), number("1"), number("4.2E+27"))),
        row(
            23,
            payment(when(), number("7.0000000000000007E-2"), number("3985734")),
        ),
        row(25, {
            let mut cells = payment(when(), number("1"), id());
            cells.push(text("多出来"));
            cells
        }),
    ]);
    let bytes = book::workbook(&[("账单", rows)]);
    let parsed = kit::parse("微信支付账单(20261101-20261130).xlsx", &bytes);
    parsed.assert_lines_once(25);
    assert_eq!(kit::skip_reason(&parsed, 17), "header");
    assert_eq!(parsed.record_at(18).amount, dec("548.58"));
    let serial = parsed.record_at(19);
    assert_eq!(
        serial.time.map(|t| t.to_string()).as_deref(),
        Some("2019-09-26 12:45:27")
    );
    assert_eq!(serial.amount, dec("12"));
    let plain = parsed.record_at(20);
    assert_eq!(
        plain.time.map(|t| t.to_string()).as_deref(),
        Some("2019-09-26 12:45:27")
    );
    assert_eq!(plain.amount, dec("38.00"));
    assert_eq!(parsed.record_at(23).amount, dec("0.07"));
    assert_eq!(parsed.record_at(23).id("txn_id"), Some("3985734"));
    assert_eq!(kit::skip_reason(&parsed, 24), "blank line");
    assert_eq!(
        quarantined(&parsed),
        [(21, Some("金额(元)")), (22, Some("交易单号")), (25, None)]
    );
    let reasons: Vec<&str> = parsed
        .issues_of(qrecon_adapter_sdk::schema::Outcome::Quarantined)
        .iter()
        .map(|i| i.reason.as_str())
        .collect();
    assert!(
        reasons[0].contains("at most 2 decimals") && reasons[0].contains("0.125"),
        "{}",
        reasons[0]
    );
    assert!(reasons[1].contains("lost digits"), "{}", reasons[1]);
    assert!(
        reasons[2].contains("beyond the header's 11 columns"),
        "{}",
        reasons[2]
    );
}

#[test]
fn rows_are_numbered_as_the_sheet_numbers_them() {
    let header = (3, book::texts(HEADER));
    let data = (
        4,
        payment(text("2026-11-24 12:41:07"), text("¥1.00"), text("1")),
    );
    let bytes = book::workbook(&[("S", vec![header, data])]);
    let parsed = kit::parse("wechat.xlsx", &bytes);
    parsed.assert_lines_once(4);
    assert_eq!(kit::skip_reason(&parsed, 1), "blank line");
    assert_eq!(kit::skip_reason(&parsed, 3), "header");
    assert_eq!(parsed.record_at(4).status, Status::Success);
}

#[test]
fn a_workbook_that_is_not_a_wechat_bill_is_refused() {
    let bytes = book::workbook(&[(
        "Sheet1",
        vec![
            (1, book::texts("日期,金额")),
            (2, book::texts("2026-01-01,1")),
        ],
    )]);
    let parsed = testing::parse(crate::qrecon_descriptor(), "wechat.xlsx", &bytes);
    assert_eq!(parsed.status, STATUS_FILE_ERROR);
    let message = parsed.message.unwrap_or_default();
    assert!(
        message.contains("no sheet") && message.contains("Sheet1"),
        "{message}"
    );

    let mut broken = XLSX[..2000].to_vec();
    broken.extend_from_slice(b"not the rest of a zip");
    let parsed = testing::parse(crate::qrecon_descriptor(), "wechat.xlsx", &broken);
    assert_eq!(parsed.status, STATUS_FILE_ERROR);
    assert!(
        parsed
            .message
            .unwrap_or_default()
            .contains("not a readable XLSX workbook")
    );
}
