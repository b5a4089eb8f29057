//! Layout drift and malformed rows, on the CCB sample rewritten as `.xlsx` (and on the
//! BOCOM fixture for the 借贷 column): the file still parses, every row is reported once,
//! and what is unsure draws a warning or a quarantine with its reason.

use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::decode::OwnedRecord;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::testing;

use super::book::{self, C, SheetSpec, s, texts};
use super::{CCB, CCB_NAME, assert_every_row_once, dec, issues, parse, skip_reason};

/// Column positions in the CCB sample.
const EXPENSE: usize = 3;
const INCOME: usize = 4;
const CURRENCY: usize = 6;
const SUMMARY: usize = 7;
const COUNTERPARTY: usize = 9;
/// The CCB sample's header row (0-based) and its first and last data rows.
const HEADER: usize = 5;
const FIRST: usize = 6;
const LAST: usize = 11;

fn statement(rows: Vec<Vec<C>>) -> Vec<u8> {
    book::xlsx(&[SheetSpec::new("交易明细", rows)])
}

/// The CCB sample as `.xlsx`, edited.
fn ccb_with(edit: impl FnOnce(&mut Vec<Vec<C>>)) -> Parsed {
    let mut rows = book::ccb_rows();
    edit(&mut rows);
    let parsed = parse("ccb_交易明细.xlsx", &statement(rows));
    assert_every_row_once(&parsed);
    parsed
}

/// Records without their line numbers, to compare files whose rows moved.
fn unlined(parsed: &Parsed) -> Vec<OwnedRecord> {
    parsed
        .records
        .iter()
        .cloned()
        .map(|mut r| {
            r.line = 0;
            r
        })
        .collect()
}

fn warnings(parsed: &Parsed) -> Vec<String> {
    issues(parsed, Outcome::Warning)
        .iter()
        .map(|w| w.reason.clone())
        .collect()
}

fn cell_mut(rows: &mut [Vec<C>], row: usize, col: usize) -> &mut C {
    rows.get_mut(row)
        .and_then(|r| r.get_mut(col))
        .expect("cell in range")
}

#[test]
fn the_same_statement_as_xlsx_reads_like_the_xls() {
    let xls = parse(CCB_NAME, CCB);
    let xlsx = ccb_with(|_| {});
    assert_eq!(xlsx.records, xls.records);
    assert_eq!(xlsx.issues, xls.issues);
}

#[test]
fn header_moved_down_a_row() {
    let xls = parse(CCB_NAME, CCB);
    let moved = ccb_with(|rows| rows.insert(4, texts(&["查询时间：", "2025-06-20 10:00:00"])));
    assert_eq!(unlined(&moved), unlined(&xls));
    assert_eq!(skip_reason(&moved, 5), "preamble");
    assert_eq!(skip_reason(&moved, 7), "header");
    assert_eq!(moved.records[0].line, 8);
    assert_eq!(
        warnings(&moved).len(),
        1,
        "only the sample's own balance break"
    );
}

#[test]
fn columns_in_another_order_read_the_same() {
    let xls = parse(CCB_NAME, CCB);
    let swapped = ccb_with(|rows| {
        for row in rows.iter_mut().skip(HEADER).take(LAST - HEADER + 1) {
            row.swap(EXPENSE, INCOME);
            let summary = row.remove(SUMMARY);
            row.insert(0, summary);
        }
    });
    // Only the order of the extra columns may differ; these keep theirs.
    assert_eq!(unlined(&swapped), unlined(&xls));
}

#[test]
fn an_unknown_column_is_kept_and_warned_about() {
    let parsed = ccb_with(|rows| {
        for (i, row) in rows
            .iter_mut()
            .enumerate()
            .skip(HEADER)
            .take(LAST - HEADER + 1)
        {
            let cell = if i == HEADER {
                "交易渠道"
            } else {
                "网上银行"
            };
            row.insert(SUMMARY + 1, s(cell));
        }
    });
    assert_eq!(parsed.records.len(), 6);
    assert_eq!(
        parsed.record_at(7).extra_value("交易渠道"),
        Some("网上银行")
    );
    assert_eq!(parsed.record_at(7).party("memo"), Some("消费"));
    let w = warnings(&parsed);
    assert!(
        w.iter()
            .any(|m| m.contains("交易渠道") && m.contains("not part of")),
        "{w:?}"
    );
}

#[test]
fn a_missing_optional_column_falls_back_and_is_warned_about() {
    let parsed = ccb_with(|rows| {
        for row in rows.iter_mut().skip(HEADER) {
            if row.len() > COUNTERPARTY {
                row.remove(COUNTERPARTY);
            }
        }
    });
    assert_eq!(parsed.records.len(), 6);
    let first = parsed.record_at(7);
    assert_eq!(
        first.party("counterparty"),
        Some("支付宝-支付宝外部商户-中移动金融科技有限公司"),
        "交易地点 stands in for 对方户名"
    );
    assert_eq!(first.amount, dec("-67"));
    let w = warnings(&parsed);
    assert!(w.iter().any(|m| m.contains("lacks 对方户名")), "{w:?}");
}

#[test]
fn an_unknown_transaction_type_is_just_a_memo() {
    let parsed = ccb_with(|rows| *cell_mut(rows, FIRST, SUMMARY) = s("数字人民币钱包充值"));
    assert_eq!(
        parsed.record_at(7).party("memo"),
        Some("数字人民币钱包充值")
    );
    assert_eq!(parsed.records.len(), 6);
    assert_eq!(
        warnings(&parsed).len(),
        1,
        "摘要 is free text: no warning of its own"
    );
}

#[test]
fn an_unknown_direction_quarantines_its_row_only() {
    let mut sheets = book::bocom();
    *cell_mut(&mut sheets[0].rows, 2, 4) = s("平");
    let parsed = parse("bocom_交易明细.xlsx", &book::xlsx(&sheets));
    assert_every_row_once(&parsed);
    assert_eq!(parsed.records.len(), 5);
    let q = issues(&parsed, Outcome::Quarantined);
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].line, q[0].field.as_deref()), (3, Some("借贷")));
    assert!(
        q[0].reason
            .contains("借 (Dr, money out) or 贷 (Cr, money in)"),
        "{}",
        q[0].reason
    );
    assert!(q[0].reason.contains("\"平\""), "{}", q[0].reason);
    assert_eq!(
        q[0].raw.as_deref().map(|r| r.split('\t').nth(4)),
        Some(Some("平"))
    );
}

#[test]
fn footer_totals_are_checked_against_the_rows() {
    // The six rows spend 67 + 16.78 + 20 + 515.02 + 18.06 + 66.4 = 703.26 and receive 0.
    let footer = |expense: f64| {
        move |rows: &mut Vec<Vec<C>>| {
            let total = vec![s("合计"), C::E, C::E, C::N(expense), C::N(0.0)];
            rows.insert(LAST + 1, total);
        }
    };
    let right = ccb_with(footer(703.26));
    assert_eq!(skip_reason(&right, 13), "footer");
    assert_eq!(skip_reason(&right, 14), "footer");
    assert_eq!(warnings(&right).len(), 1, "only the balance break");
    let wrong = ccb_with(footer(700.0));
    let w = warnings(&wrong);
    assert!(
        w.iter()
            .any(|m| m.contains("expense 700") && m.contains("703.26")),
        "{w:?}"
    );

    let labelled = ccb_with(|rows| {
        rows.insert(
            LAST + 1,
            texts(&["支出合计：", "703.26", "收入合计：0.00", "共7笔"]),
        );
    });
    let w = warnings(&labelled);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w.iter()
            .any(|m| m.contains("row count 7") && m.contains("give 6")),
        "{w:?}"
    );
}

#[test]
fn text_amounts_serial_dates_and_number_dates_read_alike() {
    let xls = parse(CCB_NAME, CCB);
    let parsed = ccb_with(|rows| {
        *cell_mut(rows, FIRST, EXPENSE) = s("67.00");
        *cell_mut(rows, FIRST, 0) = C::D(2025, 1, 1);
        *cell_mut(rows, FIRST, 1) = C::N(20_250_101.0);
        *cell_mut(rows, FIRST, 2) = C::T(18, 53, 19);
        *cell_mut(rows, FIRST + 1, EXPENSE) = s("¥16.78");
        *cell_mut(rows, FIRST + 1, 0) = C::N(45_659.0); // 2025-01-02
    });
    assert_eq!(parsed.records, xls.records);
}

#[test]
fn bad_rows_are_quarantined_with_their_reason_and_the_rest_parse() {
    let parsed = ccb_with(|rows| {
        *cell_mut(rows, FIRST, EXPENSE) = C::N(67.005); // row 7: three decimals
        *cell_mut(rows, FIRST + 1, EXPENSE) = C::E; // row 8: no amount at all
        *cell_mut(rows, FIRST + 1, INCOME) = C::E;
        *cell_mut(rows, FIRST + 2, 0) = s("2025-13-45"); // row 9: no such date
        *cell_mut(rows, FIRST + 3, CURRENCY) = s("金币"); // row 10: unknown currency
        *cell_mut(rows, FIRST + 4, 2) = s("25:61:00"); // row 11: no such time
    });
    let found: Vec<(u64, Option<&str>)> = issues(&parsed, Outcome::Quarantined)
        .iter()
        .map(|q| (q.line, q.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (7, Some("支出")),
            (8, Some("收入")),
            (9, Some("记账日")),
            (10, Some("币种")),
            (11, Some("交易时间"))
        ]
    );
    let reasons: Vec<String> = issues(&parsed, Outcome::Quarantined)
        .iter()
        .map(|q| q.reason.clone())
        .collect();
    assert!(
        reasons[0].contains("at most 2 decimal places, found \"67.005\""),
        "{}",
        reasons[0]
    );
    assert!(reasons[1].contains("found both empty"), "{}", reasons[1]);
    assert!(
        reasons[2].contains("found \"2025-13-45\""),
        "{}",
        reasons[2]
    );
    assert!(
        reasons[3].contains("a currency like 人民币"),
        "{}",
        reasons[3]
    );
    assert!(reasons[4].contains("found \"25:61:00\""), "{}", reasons[4]);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.record_at(12).amount, dec("-66.4"));
    let raw = issues(&parsed, Outcome::Quarantined)[0]
        .raw
        .clone()
        .unwrap_or_default();
    assert!(
        raw.starts_with("20250101\t20250101\t18:53:19\t67.005\t0\t2176.91"),
        "{raw}"
    );
}

#[test]
fn a_zero_amount_row_is_a_zero_debit() {
    let parsed = ccb_with(|rows| *cell_mut(rows, FIRST, EXPENSE) = C::N(0.0));
    let r = parsed.record_at(7);
    assert_eq!((r.record_type.as_str(), r.amount), ("debit", dec("0")));
}

#[test]
fn income_and_expense_in_one_row_net_out() {
    let parsed = ccb_with(|rows| *cell_mut(rows, FIRST, INCOME) = C::N(100.0));
    let r = parsed.record_at(7);
    assert_eq!((r.record_type.as_str(), r.amount), ("credit", dec("33")));
}

#[test]
fn repeated_headers_blank_rows_and_rows_after_the_footer() {
    let parsed = ccb_with(|rows| {
        let header = rows[HEADER].clone();
        let dated = rows[LAST].clone();
        rows.insert(FIRST + 3, header);
        rows.insert(FIRST + 3, Vec::new());
        rows.push(texts(&["打印日期：2025-06-20"]));
        rows.push(dated);
    });
    assert_eq!(skip_reason(&parsed, 10), "blank row");
    assert_eq!(skip_reason(&parsed, 11), "repeated header row");
    assert_eq!(skip_reason(&parsed, 15), "footer");
    assert_eq!(skip_reason(&parsed, 16), "footer");
    assert_eq!(
        parsed.records.len(),
        7,
        "a dated row after the footer is still data"
    );
    assert_eq!(parsed.record_at(17).amount, dec("-66.4"));
}

#[test]
fn data_under_an_unnamed_column_is_kept_under_its_letter() {
    let parsed = ccb_with(|rows| {
        if let Some(row) = rows.get_mut(FIRST) {
            row.resize(12, C::E);
            row.push(s("备用"));
        }
    });
    assert_eq!(parsed.record_at(7).extra_value("M"), Some("备用"));
    let w = warnings(&parsed);
    assert!(
        w.iter().any(|m| m.contains("columns M have no name")),
        "{w:?}"
    );
}

#[test]
fn the_preamble_currency_applies_without_a_currency_column() {
    let parsed = ccb_with(|rows| {
        *cell_mut(rows, 2, 1) = s("美元");
        for row in rows.iter_mut().skip(HEADER) {
            if row.len() > CURRENCY {
                row.remove(CURRENCY);
            }
        }
    });
    assert!(parsed.records.iter().all(|r| r.currency == "USD"));
}

#[test]
fn the_first_sheet_with_a_known_header_is_read_and_others_are_named() {
    let notes = SheetSpec::new("说明", vec![texts(&["本文件由网银导出"])]);
    let ccb = SheetSpec::new("交易明细", book::ccb_rows());
    let mut again = ccb.clone();
    again.name = "交易明细2".to_owned();
    let parsed = parse(
        "ccb_交易明细.xlsx",
        &book::xlsx(&[notes, ccb.clone(), again]),
    );
    assert_eq!(parsed.records.len(), 6);
    let w = warnings(&parsed);
    assert!(
        w.iter()
            .any(|m| m.contains("\"说明\" (1 rows with data) is not read")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|m| m.contains("\"交易明细2\" (12 rows with data)")),
        "{w:?}"
    );

    let mut hidden = ccb;
    hidden.hidden = true;
    let empty = SheetSpec::new("Sheet1", Vec::new());
    let parsed = parse("ccb_交易明细.xlsx", &book::xlsx(&[empty, hidden]));
    assert_eq!(
        parsed.records.len(),
        6,
        "a hidden statement sheet when no visible one has it"
    );
}

#[test]
fn workbooks_without_a_known_header_are_refused() {
    let other = statement(vec![
        texts(&["日期", "金额", "说明"]),
        texts(&["2025-01-01", "1.00", "x"]),
    ]);
    for (name, bytes) in [
        ("交易明细.xlsx", other.as_slice()),
        ("交易明细.xls", b"not a workbook".as_slice()),
        ("交易明细.xls", b"".as_slice()),
        ("交易明细.xls", crate::workbook::OLE2_MAGIC),
    ] {
        let parsed = testing::parse(crate::qrecon_descriptor(), name, bytes);
        assert_eq!(parsed.status, STATUS_FILE_ERROR, "{name}");
    }
    let parsed = testing::parse(crate::qrecon_descriptor(), "交易明细.xlsx", &other);
    let message = parsed.message.unwrap_or_default();
    assert!(
        message.contains("no known bank statement header"),
        "{message}"
    );
    assert!(message.contains("记账日/交易日期/支出/收入"), "{message}");
}

#[test]
fn amounts_at_the_edge_of_the_decimal_range_never_overflow() {
    let parsed = ccb_with(|rows| {
        *cell_mut(rows, FIRST, EXPENSE) = C::N(999_999_999_999_999_999.0);
        *cell_mut(rows, FIRST + 1, EXPENSE) = s("999,999,999,999,999,999.99");
        *cell_mut(rows, FIRST + 2, EXPENSE) = C::N(1e18);
        *cell_mut(rows, FIRST + 3, EXPENSE) = C::N(1e30);
        *cell_mut(rows, FIRST + 4, EXPENSE) = s("79228162514264337593543950336");
    });
    // The double nearest 999 999 999 999 999 999 is 10^18 itself.
    let lines: Vec<u64> = issues(&parsed, Outcome::Quarantined)
        .iter()
        .map(|q| q.line)
        .collect();
    assert_eq!(lines, [7, 8, 9, 10, 11]);
    let q = issues(&parsed, Outcome::Quarantined);
    assert!(
        q[0].reason.contains("an amount below 10^18"),
        "{}",
        q[0].reason
    );
    // Below 10^18 but beyond qrecon's 64-bit fixed point: the SDK quarantines it.
    assert!(
        q[1].reason.contains("larger than any amount qrecon keeps"),
        "{}",
        q[1].reason
    );
}
