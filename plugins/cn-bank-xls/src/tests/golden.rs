//! Golden tests: each sample against `fixtures/<sample>.golden.tsv`, and the values of every
//! record checked against the source cells by hand.
//!
//! To see the golden text of every sample: `cargo test -p qrecon-adapter-cn-bank-xls
//! print_goldens -- --ignored --nocapture`; to rewrite the files after a deliberate change, run
//! the tests with `CN_BANK_XLS_BLESS=1` and review the diff.

use std::path::Path;

use qrecon_adapter_sdk::NaiveDate;
use qrecon_adapter_sdk::decode::OwnedRecord;
use qrecon_adapter_sdk::schema::Outcome;

use super::book::{self, SheetSpec};
use super::{
    BOC, BOC_NAME, BOCOM, BOCOM_NAME, CCB, CCB_NAME, CMB, CMB_NAME, SAMPLES, assert_every_row_once,
    dec, golden_text, issues, parse, skip_reason,
};

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

/// The generated fixtures and the sheets they are written from.
fn generated() -> [(&'static str, Vec<SheetSpec>); 3] {
    [
        (BOC_NAME, book::boc()),
        (CMB_NAME, book::cmb()),
        (BOCOM_NAME, book::bocom()),
    ]
}

/// Writes the generated `.xlsx` fixtures: `cargo test -p qrecon-adapter-cn-bank-xls
/// write_fixtures -- --ignored`.
#[test]
#[ignore = "writes fixtures/; run by hand after changing tests/book.rs"]
fn write_fixtures() {
    for (name, sheets) in generated() {
        std::fs::write(fixtures().join(name), book::xlsx(&sheets)).expect("fixture written");
    }
}

#[test]
#[ignore = "prints the golden text of every sample"]
fn print_goldens() {
    for (name, bytes) in SAMPLES {
        println!(
            "==> {name}.golden.tsv\n{}",
            golden_text(&parse(name, bytes))
        );
    }
}

#[test]
fn committed_xlsx_fixtures_are_what_the_generator_writes() {
    for (name, sheets) in generated() {
        let committed = std::fs::read(fixtures().join(name)).expect("fixture present");
        let fresh = parse(name, &book::xlsx(&sheets));
        let stored = parse(name, &committed);
        assert_eq!(
            stored.records, fresh.records,
            "{name}: regenerate with write_fixtures"
        );
        assert_eq!(stored.issues, fresh.issues, "{name}");
    }
}

#[test]
fn every_sample_matches_its_golden_file() {
    let bless = std::env::var_os("CN_BANK_XLS_BLESS").is_some();
    for (name, bytes) in SAMPLES {
        let parsed = parse(name, bytes);
        assert_every_row_once(&parsed);
        let actual = golden_text(&parsed);
        let path = fixtures().join(format!("{name}.golden.tsv"));
        if bless {
            std::fs::write(&path, &actual).expect("golden written");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{name} differs from {}; the parse gives:\n{actual}",
            path.display()
        );
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// The fields of a record that the source states, as the source prints them.
fn fields(r: &OwnedRecord) -> (String, String, String, String, String) {
    (
        r.record_type.clone(),
        r.amount.normalize().to_string(),
        r.time.map(|t| t.to_string()).unwrap_or_default(),
        r.party("counterparty").unwrap_or_default().to_owned(),
        r.party("memo").unwrap_or_default().to_owned(),
    )
}

fn strings(t: (&str, &str, &str, &str, &str)) -> (String, String, String, String, String) {
    (t.0.into(), t.1.into(), t.2.into(), t.3.into(), t.4.into())
}

#[test]
fn ccb_records_carry_the_source_values() {
    let parsed = parse(CCB_NAME, CCB);
    assert_eq!(parsed.records.len(), 6);
    assert!(issues(&parsed, Outcome::Quarantined).is_empty());
    assert_eq!(parsed.rows_read, 13);
    for (line, reason) in [
        (1, "preamble"),
        (4, "preamble"),
        (5, "blank row"),
        (6, "header"),
        (13, "footer"),
    ] {
        assert_eq!(skip_reason(&parsed, line), reason, "row {line}");
    }
    // Rows 7–12 as the sheet has them: 交易日期 交易时间 | 支出 | 收入 0 | 对方户名 | 摘要.
    let expected = [
        (
            7,
            (
                "debit",
                "-67",
                "2025-01-01 18:53:19",
                "中***融科技有限公司",
                "消费",
            ),
        ),
        (
            8,
            ("debit", "-16.78", "2025-01-02 19:12:59", "**微超", "消费"),
        ),
        (
            9,
            (
                "debit",
                "-20",
                "2025-01-02 21:43:48",
                "高***技术有限公司",
                "消费",
            ),
        ),
        (
            10,
            (
                "debit",
                "-515.02",
                "2025-01-05 17:12:28",
                "中***网络有限公司",
                "无卡自助交易",
            ),
        ),
        (
            11,
            (
                "debit",
                "-18.06",
                "2025-01-06 09:36:05",
                "高***技术有限公司",
                "消费",
            ),
        ),
        (
            12,
            ("debit", "-66.4", "2025-01-06 12:03:39", "**微超", "消费"),
        ),
    ];
    for (line, want) in expected {
        let r = parsed.record_at(line);
        assert_eq!(fields(r), strings(want), "row {line}");
        assert_eq!(
            r.id("account"),
            Some("xxxxx*********xxxx"),
            "账　　号 of the preamble"
        );
        assert_eq!(r.currency, "CNY", "人民币");
        assert_eq!(r.provider, "bank");
    }
    let first = parsed.record_at(7);
    assert_eq!(
        first.value_date,
        Some(date("2025-01-01")),
        "记账日 20250101"
    );
    assert_eq!(first.extra_value("账户余额"), Some("2176.91"));
    assert_eq!(first.extra_value("对方账号"), Some("20883313166*****0156"));
    assert_eq!(
        first.extra_value("交易地点"),
        Some("支付宝-支付宝外部商户-中移动金融科技有限公司")
    );
    assert_eq!(first.extra_value("收入"), None, "mapped to the amount");
    assert_eq!(first.extra_value("交易日期"), None, "in the time");
    assert_eq!(
        parsed.record_at(10).extra_value("交易地点"),
        Some("中国铁路网络有限公司（云闪付APP）")
    );
    assert_eq!(
        parsed.record_at(12).extra_value("账户余额"),
        Some("1494.65")
    );
}

#[test]
fn ccb_balances_break_once_where_the_publisher_edited_them() {
    // 2140.13 (row 9) − 515.02 (row 10) = 1625.11, but row 10 says 1579.11; every other
    // balance follows from the one before.
    let parsed = parse(CCB_NAME, CCB);
    let warnings = issues(&parsed, Outcome::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 10);
    for text in ["1579.11", "1625.11", "row 9", "oldest first"] {
        assert!(
            warnings[0].reason.contains(text),
            "{text} in {}",
            warnings[0].reason
        );
    }
}

#[test]
fn boc_records_carry_the_source_values() {
    let parsed = parse(BOC_NAME, BOC);
    assert_eq!(parsed.records.len(), 8);
    assert!(issues(&parsed, Outcome::Quarantined).is_empty());
    assert!(
        issues(&parsed, Outcome::Warning).is_empty(),
        "balances chain newest first"
    );
    assert_eq!(skip_reason(&parsed, 1), "preamble");
    assert_eq!(skip_reason(&parsed, 2), "header");
    let expected = [
        (
            3,
            ("debit", "-71.89", "2025-08-22 17:57:17", "张三", "无卡支付"),
        ),
        (
            4,
            (
                "debit",
                "-326",
                "2025-08-22 12:24:20",
                "支付宝-李四",
                "网上快捷支付 支付宝-李四",
            ),
        ),
        (
            5,
            (
                "credit",
                "50",
                "2025-08-22 12:23:04",
                "支付宝-李四",
                "网上快捷退款 支付宝-李四",
            ),
        ),
        (
            6,
            (
                "debit",
                "-50",
                "2025-08-22 12:22:50",
                "支付宝-李四",
                "网上快捷支付 支付宝-李四",
            ),
        ),
        (
            7,
            (
                "debit",
                "-60",
                "2025-08-19 10:52:29",
                "支付宝-郑六",
                "网上快捷支付 支付宝-郑六",
            ),
        ),
        (
            8,
            ("debit", "-206.8", "2025-08-14 13:43:29", "张三", "无卡支付"),
        ),
        (
            9,
            ("debit", "-68.14", "2025-08-14 13:43:07", "张三", "无卡支付"),
        ),
        (
            10,
            (
                "debit",
                "-2600",
                "2025-08-12 16:49:29",
                "上海十企业管理顾问有限公司",
                "跨行转账 数据有限公司",
            ),
        ),
    ];
    for (line, want) in expected {
        let r = parsed.record_at(line);
        assert_eq!(fields(r), strings(want), "row {line}");
        assert_eq!(r.id("account"), Some("3167"), "借记卡号");
        assert_eq!(r.currency, "CNY");
    }
    let first = parsed.record_at(3);
    assert_eq!(first.value_date, Some(date("2025-08-22")), "a date cell");
    assert_eq!(first.extra_value("余额"), Some("3240.28"));
    assert_eq!(first.extra_value("渠道"), Some("卡组织线上/无卡交易"));
    assert_eq!(first.extra_value("对方卡号/账号"), Some("6226******5669"));
    assert_eq!(
        first.extra_value("网点名称"),
        None,
        "a run of dashes is empty"
    );
    assert_eq!(first.extra_value("对方开户行"), None);
    let transfer = parsed.record_at(10);
    assert_eq!(transfer.extra_value("对方开户行"), Some("浙江泰隆商业银行"));
    assert_eq!(
        transfer.extra_value("网点名称"),
        Some("------------------- 张三17670961139美金"),
        "dashes followed by text are text"
    );
}

#[test]
fn cmb_records_carry_the_source_values() {
    let parsed = parse(CMB_NAME, CMB);
    assert_eq!(parsed.records.len(), 5);
    assert!(issues(&parsed, Outcome::Quarantined).is_empty());
    assert_eq!(skip_reason(&parsed, 1), "header");
    let expected = [
        (
            2,
            (
                "credit",
                "1234",
                "",
                "北京住房公积金管理中心1111111111",
                "代发住房公积金 01月01日约定提取",
            ),
        ),
        (
            3,
            ("debit", "-1000", "", "张三 66666666666666", "转账汇款 转账"),
        ),
        (
            4,
            (
                "debit",
                "-3",
                "",
                "国网电力有限公司99999999999999",
                "一网通支付 供电",
            ),
        ),
        (
            5,
            (
                "debit",
                "-1000",
                "",
                "",
                "银联ATM取款 银联 ATM 取款，中国银行",
            ),
        ),
        (
            6,
            (
                "debit",
                "-10.14",
                "",
                "抖音电商商家888888888",
                "快捷支付 抖音支付-抖音电商商家",
            ),
        ),
    ];
    for (line, want) in expected {
        let r = parsed.record_at(line);
        assert_eq!(fields(r), strings(want), "row {line}");
        assert_eq!(r.id("account"), None, "the layout names no account");
        assert_eq!(r.currency, "CNY", "货币 CNY");
    }
    assert_eq!(parsed.record_at(2).value_date, Some(date("2024-01-01")));
    assert_eq!(parsed.record_at(4).value_date, Some(date("2024-01-27")));
    assert_eq!(
        parsed.record_at(2).extra_value("联机余额"),
        Some("1,271.66")
    );
    // The publisher's balances chain only from row 2 to row 3.
    let warned: Vec<u64> = issues(&parsed, Outcome::Warning)
        .iter()
        .map(|w| w.line)
        .collect();
    assert_eq!(warned, [4, 5, 6]);
}

#[test]
fn bocom_records_carry_the_source_values() {
    let parsed = parse(BOCOM_NAME, BOCOM);
    assert_eq!(parsed.records.len(), 6);
    assert!(issues(&parsed, Outcome::Quarantined).is_empty());
    let expected = [
        (
            2,
            (
                "credit",
                "1.23",
                "2025-01-01 00:00:00",
                "应付个人活期储蓄存款利息",
                "",
            ),
        ),
        (3, ("debit", "-3.21", "2024-02-02 13:15:12", "哈哈", "")),
        (
            4,
            (
                "credit",
                "0.02",
                "2024-03-03 09:20:43",
                "应付个人活期储蓄存款利息",
                "",
            ),
        ),
        (
            5,
            (
                "credit",
                "10",
                "2024-04-04 11:46:44",
                "哈哈",
                "银联入账(哈哈/其它)转账",
            ),
        ),
        (6, ("debit", "-10", "2024-05-05 12:48:15", "网上国网", "")),
        (
            7,
            (
                "debit",
                "-100.79",
                "2024-06-06 11:30:54",
                "京东肯特瑞基金销售有限公司",
                "网上支付 基金理财产品申购 订单编号20250123123213213131321313131 肯特瑞小金库网银平台 交易流水号20250123123213213131321313131",
            ),
        ),
    ];
    for (line, want) in expected {
        assert_eq!(fields(parsed.record_at(line)), strings(want), "row {line}");
    }
    let first = parsed.record_at(2);
    assert_eq!(first.value_date, Some(date("2025-01-01")), "交易日期");
    assert_eq!(first.extra_value("序号"), Some("1"));
    assert_eq!(first.extra_value("交易类型"), Some("存款利息"));
    assert_eq!(first.extra_value("余额"), Some("1334.63"));
    assert_eq!(first.extra_value("交易地点"), Some("批处理"));
    assert_eq!(first.extra_value("借贷"), None, "it signed the amount");
    assert_eq!(dec("1.23"), first.amount);
}
