//! Layout drift and bad lines: an unknown length, a slipped byte, unknown codes, no date in
//! the name, a title line, blank or bad fields — still parsed, with a warning or a
//! quarantine that says why.

use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::testing;

use super::builder::{Shape, file, zme_line};
use super::samples::{self, A, MER};
use super::{dec, parse, quarantined, skipped, time, warnings};

/// Sample A's lines in the official layout, to change one by one.
fn a_lines() -> Vec<Vec<u8>> {
    samples::a_lines()
        .iter()
        .map(|l| l.bytes(Shape::Official))
        .collect()
}

#[test]
fn lines_of_an_unknown_length_are_read_by_the_common_fields_with_one_warning() {
    let mut lines = a_lines();
    lines[0].extend_from_slice(b"EXTRA"); // 612 bytes: a field appended
    let trimmed_len = lines[1].trim_ascii_end().len();
    lines[1].truncate(trimmed_len); // trailing spaces trimmed by a tool
    let bytes = file(&lines, "\r\n");
    let parsed = parse(A, &bytes);
    assert_eq!(parsed.records.len(), 5);
    assert!(quarantined(&parsed).is_empty(), "{:?}", parsed.issues);
    let odd: Vec<_> = warnings(&parsed)
        .into_iter()
        .filter(|w| w.reason.contains("no known ZM layout"))
        .collect();
    assert_eq!(odd.len(), 1, "one warning for the file");
    assert_eq!(odd[0].line, 1);
    for part in [
        "2 lines",
        "612",
        &trimmed_len.to_string(),
        "607",
        "608",
        "41 fields",
    ] {
        assert!(odd[0].reason.contains(part), "{part} in {}", odd[0].reason);
    }
    let first = parsed.record_at(1);
    assert_eq!(first.amount, dec("100.00"));
    assert_eq!(first.extra_value("unread_tail"), Some("EXTRA"));
    let refund = parsed.record_at(2);
    assert_eq!(
        refund.id("order_id"),
        Some("ORD20260102001"),
        "read as far as it goes"
    );
    assert_eq!(refund.id("txn_id"), Some("612601021015301000001"));
    assert_eq!(refund.amount, dec("-30.00"));
}

#[test]
fn a_slipped_byte_is_quarantined_not_misread() {
    let mut lines = a_lines();
    lines[0].insert(112 + 5, b'X'); // inside 商户订单号: 608 bytes, the newer layout's length
    lines[2].remove(50); // inside 帐号: 606 bytes
    let bytes = file(&lines, "\r\n");
    let parsed = parse(A, &bytes);
    let bad = quarantined(&parsed);
    assert_eq!(bad.iter().map(|q| q.line).collect::<Vec<_>>(), [1, 3]);
    for q in &bad {
        assert!(q.field.is_some(), "{q:?}");
        assert!(q.reason.contains("field separator"), "{}", q.reason);
        assert!(
            q.raw.as_deref().is_some_and(|r| r.starts_with("S22 ")),
            "raw kept"
        );
    }
    assert_eq!(bad[0].field.as_deref(), Some("支付卡类型"));
    assert_eq!(parsed.records.len(), 3, "the other lines still parse");
}

#[test]
fn each_unknown_code_is_warned_about_once() {
    let line = |code: &str| {
        samples::base(code, MER)
            .set("交易传输时间", "0102120000")
            .fen("交易金额", 100)
            .set("查询流水号", "612601021200001000009")
            .bytes(Shape::Official)
    };
    let bytes = file(&[line("S31"), line("S99"), line("S31")], "\n");
    let parsed = parse(A, &bytes);
    assert!(parsed.records.iter().all(|r| r.record_type == "other"));
    let warned = warnings(&parsed);
    let named: Vec<(u64, bool, bool)> = warned
        .iter()
        .map(|w| (w.line, w.reason.contains("S31"), w.reason.contains("S99")))
        .collect();
    assert_eq!(named, [(1, true, false), (2, false, true)]);
}

#[test]
fn without_a_date_in_the_name_times_are_left_empty_with_a_warning() {
    for (name, why) in [
        ("zm.txt", "carries no settlement date"),
        (
            "INN26133201ZM_777290058110048",
            "settlement date 261332 (yyMMdd) is not a date",
        ),
    ] {
        let parsed = parse(name, &samples::a());
        assert_eq!(parsed.records.len(), 5);
        assert!(parsed.records.iter().all(|r| r.time.is_none()), "{name}");
        let first = parsed.record_at(1);
        assert_eq!(first.extra_value("交易传输时间"), Some("0102101530"));
        assert_eq!(first.extra_value("settle_date"), None);
        assert_eq!(first.id("account"), Some(MER));
        let undated: Vec<_> = warnings(&parsed)
            .into_iter()
            .filter(|w| w.reason.contains(why))
            .collect();
        assert_eq!(undated.len(), 1, "{name}");
        assert!(
            undated[0].reason.contains("5 records"),
            "{}",
            undated[0].reason
        );
    }
}

#[test]
fn a_title_line_above_the_data_is_quarantined_and_the_data_still_read() {
    let mut bytes = b"INN26010301ZM_777290058110048\r\n\r\n".to_vec();
    bytes.extend(samples::a());
    let parsed = parse(A, &bytes);
    assert_eq!(parsed.records.len(), 5);
    assert_eq!(parsed.record_at(3).amount, dec("100.00"));
    let q = quarantined(&parsed);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].line, 1);
    assert!(
        q[0].reason.contains("the line is 29 bytes"),
        "{}",
        q[0].reason
    );
    assert!(q[0].reason.contains("308"), "{}", q[0].reason);
    assert_eq!(skipped(&parsed)[0].line, 2);
}

#[test]
fn bad_fields_are_quarantined_by_name_with_the_raw_line() {
    let lines: Vec<Vec<u8>> = samples::a_lines()
        .into_iter()
        .enumerate()
        .map(|(i, line)| match i {
            0 => line.set("交易金额", "0000000100.0"),
            1 => line.set("原交易查询流水号", ""),
            2 => line.set("商户手续费", "X000000000053"),
            3 => line.set("交易传输时间", "0132083000"),
            _ => line.set("交易代码", "s31"),
        })
        .map(|l| l.bytes(Shape::Official))
        .collect();
    let bytes = file(&lines, "\r\n");
    let parsed = parse(A, &bytes);
    assert!(parsed.records.is_empty());
    let fields: Vec<Option<&str>> = quarantined(&parsed)
        .iter()
        .map(|q| q.field.as_deref())
        .collect();
    assert_eq!(
        fields,
        [
            Some("交易金额"),
            Some("原交易查询流水号"),
            Some("商户手续费"),
            Some("交易传输时间"),
            Some("交易代码")
        ]
    );
    let q = quarantined(&parsed);
    assert!(q[0].reason.contains("\"0000000100.0\""), "{}", q[0].reason);
    assert!(q[1].reason.contains("退货 (S30)"), "{}", q[1].reason);
    assert!(q[3].reason.contains("MMDDhhmmss"), "{}", q[3].reason);
    let raw = encoding_rs::GBK.decode(&lines[3]).0;
    assert_eq!(
        q[3].raw.as_deref(),
        Some(raw.as_ref()),
        "the raw line, decoded"
    );
}

#[test]
fn an_amount_field_that_is_not_x_n12_is_kept_as_printed_with_one_warning() {
    let lines: Vec<Vec<u8>> = samples::a_lines()
        .into_iter()
        .take(2)
        .map(|l| l.set("优惠金额", "Q000000000001").bytes(Shape::Official))
        .collect();
    let parsed = parse(A, &file(&lines, "\r\n"));
    assert_eq!(parsed.records.len(), 2);
    assert_eq!(
        parsed.record_at(2).extra_value("优惠金额"),
        Some("Q000000000001")
    );
    let warned = warnings(&parsed);
    assert_eq!(warned.len(), 1);
    assert!(
        warned[0].reason.contains("优惠金额"),
        "{}",
        warned[0].reason
    );
}

#[test]
fn blank_optional_fields_are_left_empty() {
    let line = samples::a_lines()[0]
        .clone()
        .set("商户代码", "")
        .set("商户手续费", "")
        .set("帐号", "")
        .set("结算金额", "")
        .bytes(Shape::Official);
    let parsed = parse(A, &file(&[line], "\n"));
    let r = parsed.record_at(1);
    assert_eq!(r.id("account"), Some(MER), "from the file name");
    assert_eq!(r.fee, None);
    assert_eq!(r.party("payer"), None);
    assert_eq!(r.extra_value("结算金额"), None);
    assert_eq!(r.time, time("2026-01-02 10:15:30"));
}

#[test]
fn lf_and_crlf_read_alike() {
    let crlf = samples::a();
    let lf = file(&a_lines(), "\n");
    let (one, other) = (parse(A, &crlf), parse(A, &lf));
    assert_eq!(one.records, other.records);
    assert_eq!(one.issues, other.issues);
}

#[test]
fn zme_lines_in_a_zm_file_and_zm_lines_in_a_zme_file_are_skipped() {
    let mut lines = a_lines();
    lines.insert(
        1,
        zme_line(&["E22", "00010344", "00010000", "100007", "0102153000"]),
    );
    let parsed = parse(A, &file(&lines, "\n"));
    assert_eq!(parsed.records.len(), 5);
    let skip = &skipped(&parsed)[0];
    assert_eq!(skip.line, 2);
    assert!(skip.reason.contains("交易代码 E22"), "{}", skip.reason);
    assert!(
        warnings(&parsed)
            .iter()
            .any(|w| w.line == 2 && w.reason.contains("1 lines of 339 bytes")),
        "{:?}",
        parsed.issues
    );
    let parsed = parse("INN26010301ZME_777290058110048", &samples::a());
    assert!(parsed.records.is_empty());
    assert_eq!(skipped(&parsed).len(), 5);
    assert!(skipped(&parsed)[0].reason.contains("交易金额 000000010000"));
}

#[test]
fn a_file_that_is_not_zm_is_refused_unless_so_named() {
    for bytes in [
        &b""[..],
        b"Date,Amount\n2026-01-01,1.00\n",
        &samples::a()[..200],
    ] {
        let parsed = testing::parse(crate::qrecon_descriptor(), "bill.csv", bytes);
        assert_eq!(parsed.status, STATUS_FILE_ERROR);
        let message = parsed.message.unwrap_or_default();
        assert!(message.contains("not a UnionPay ZM/ZME file"), "{message}");
    }
    let empty = parse(A, b"");
    assert_eq!(
        (empty.rows_read, empty.issues.len()),
        (0, 0),
        "no transactions that day"
    );
}
