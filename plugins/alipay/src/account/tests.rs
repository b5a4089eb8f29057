use crate::testkit::{
    assert_accounted, at_line, dec, extra, fixture, issues, parse, skipped, utf8,
};
use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, Kind, Status, testing};

const CLASSIC: &str = "account_20880211096256330156_20261109.csv";
const REORDERED: &str = "account_20880211096256330156_20261110_reordered.csv";
const PID: &str = "2088021109625633";

fn types(p: &Parsed) -> Vec<&str> {
    p.records.iter().map(|r| r.record_type.as_str()).collect()
}

#[test]
fn classic_log_of_a_day() {
    let bytes = fixture(CLASSIC);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "stored GBK like a real download"
    );
    let p = parse(CLASSIC, &bytes);
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, &bytes);
    assert_eq!(p.records.len(), 13);
    assert!(
        issues(&p, Outcome::Quarantined).is_empty(),
        "{:?}",
        p.issues
    );
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert_eq!(skipped(&p, "preamble"), vec![1, 2, 3, 4]);
    assert_eq!(skipped(&p, "header"), vec![5]);
    assert_eq!(skipped(&p, "footer"), vec![19, 20, 21, 22]);
    assert_eq!(
        types(&p),
        [
            "income",
            "fee",
            "income",
            "fee",
            "refund",
            "fee",
            "freeze",
            "unfreeze",
            "withdrawal",
            "withdrawal_return",
            "other",
            "income",
            "fee"
        ]
    );
    for r in &p.records {
        assert_eq!(r.kind, Kind::Fund);
        assert_eq!(r.provider, "alipay");
        assert_eq!(r.id("account"), Some(PID), "the PID without 0156");
        assert_eq!(r.status, Status::Success);
        assert_eq!(r.utc_offset_secs, None, "naive Beijing time");
        assert_eq!(extra(r, "交易渠道"), Some("支付宝"));
        assert!(extra(r, "账户余额（元）").is_some());
    }
    let total: Decimal = p.records.iter().map(|r| r.amount).sum();
    assert_eq!(
        total,
        dec("1367.05"),
        "the balance moved from 500.00 to 1867.05"
    );

    let income = at_line(&p, 6);
    assert_eq!(income.amount, dec("12.00"));
    assert_eq!(income.id("txn_id"), Some("2026110922001404510500001234"));
    assert_eq!(income.id("order_id"), Some("CG202611090001"));
    assert_eq!(
        income.time.expect("time").to_string(),
        "2026-11-09 10:00:05"
    );
    assert_eq!(income.status_raw.as_deref(), Some("在线支付"));
    assert_eq!(
        income.party("memo"),
        Some("牛肉面"),
        "商品名称 when 备注 is empty"
    );
    assert_eq!(extra(income, "账务流水号"), Some("20261109000100001"));
    assert_eq!(extra(income, "对方账号"), Some("602***@qq.com"));
    assert_eq!(extra(income, "账户余额（元）"), Some("512.00"));
    assert_eq!(extra(income, "业务流水号"), None, "mapped to txn_id");
    assert_eq!(extra(income, "商品名称"), None, "mapped to memo");

    let fee = at_line(&p, 7);
    assert_eq!(fee.amount, dec("-0.07"));
    assert_eq!(fee.id("txn_id"), None, "a fee is not the transaction");
    assert_eq!(fee.id("order_id"), None);
    assert_eq!(
        extra(fee, "业务流水号"),
        Some("2026110922001404510500001234")
    );
    assert_eq!(extra(fee, "商户订单号"), Some("CG202611090001"));
    assert_eq!(fee.party("memo"), Some("交易服务费"));
    assert_eq!(extra(fee, "商品名称"), Some("服务费"));
    assert_eq!(fee.status_raw.as_deref(), Some("收费"));

    let refund = at_line(&p, 10);
    assert_eq!(refund.amount, dec("-5.00"));
    assert_eq!(
        refund.id("txn_id"),
        Some("2026110922001404510500001234"),
        "the payment's"
    );
    assert_eq!(refund.id("order_id"), Some("CG202611090001"));
    assert_eq!(
        refund.time.expect("time").to_string(),
        "2026-11-09 15:30:00"
    );

    let fee_back = at_line(&p, 11);
    assert_eq!(fee_back.record_type, "fee");
    assert_eq!(fee_back.amount, dec("0.03"));

    assert_eq!(at_line(&p, 12).amount, dec("-100.00"));
    assert_eq!(at_line(&p, 13).amount, dec("100.00"));
    assert_eq!(extra(at_line(&p, 12), "业务流水号"), Some("20261109FZ0001"));

    let withdrawal = at_line(&p, 14);
    assert_eq!(withdrawal.amount, dec("-500.00"));
    assert_eq!(
        withdrawal.id("payout_id"),
        Some("WD2088021109625633202611090001")
    );
    assert_eq!(withdrawal.id("txn_id"), None);
    assert_eq!(withdrawal.party("memo"), Some("提现到6222****3445"));
    let back = at_line(&p, 15);
    assert_eq!(back.amount, dec("500.00"));
    assert_eq!(back.id("payout_id"), Some("WD2088021109625633202611090001"));
    assert_eq!(back.status_raw.as_deref(), Some("提现"));

    let transfer = at_line(&p, 16);
    assert_eq!(transfer.record_type, "other");
    assert_eq!(
        transfer.status_raw.as_deref(),
        Some("转账"),
        "the raw type is kept"
    );
    assert_eq!(
        extra(transfer, "业务流水号"),
        Some("20261109200040011100880000001")
    );
}

#[test]
fn newer_log_with_reordered_and_appended_columns() {
    let bytes = fixture(REORDERED);
    let p = parse(REORDERED, &bytes);
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, &bytes);
    assert!(
        issues(&p, Outcome::Quarantined).is_empty(),
        "{:?}",
        p.issues
    );
    assert!(
        issues(&p, Outcome::Warning).is_empty(),
        "totals padded with commas agree: {:?}",
        p.issues
    );
    assert_eq!(skipped(&p, "footer"), vec![12, 13, 14, 15]);
    assert_eq!(
        types(&p),
        ["income", "fee", "refund", "fee", "withdrawal", "other"]
    );
    let income = at_line(&p, 6);
    assert_eq!(income.status_raw.as_deref(), Some("交易付款"));
    assert_eq!(income.id("txn_id"), Some("2026111022001404510500002001"));
    assert_eq!(
        income.time.expect("time").to_string(),
        "2026-11-10 09:15:20"
    );
    for (k, v) in [
        ("业务描述", "当面付"),
        ("业务账单来源", "商户"),
        ("业务基础订单号", "2026111022001404510500002001"),
        ("业务订单号", "CG202611100001"),
    ] {
        assert_eq!(extra(income, k), Some(v), "{k}");
    }
    let fee = at_line(&p, 7);
    assert_eq!(fee.amount, dec("-0.17"), "an unsigned expense is money out");
    assert_eq!(
        fee.party("memo"),
        Some("服务费[2026111022001404510500002001]")
    );
    let refund = at_line(&p, 8);
    assert_eq!(refund.amount, dec("-28.00"));
    assert_eq!(refund.party("memo"), Some("顾客退单"));
    assert_eq!(extra(refund, "业务订单号"), Some("RF202611100001"));
    let withdrawal = at_line(&p, 10);
    assert_eq!(withdrawal.amount, dec("-1867.05"));
    assert_eq!(
        withdrawal.id("payout_id"),
        Some("WD2088021109625633202611100001")
    );
    assert_eq!(
        extra(withdrawal, "账户余额（元）"),
        Some("0.00"),
        "a zero balance is kept"
    );
    let other = at_line(&p, 11);
    assert_eq!(other.status_raw.as_deref(), Some("营销补贴"));
    assert_eq!(other.amount, dec("0.88"));
}

#[test]
fn utf8_and_lf_read_like_the_gbk_download() {
    for name in [CLASSIC, REORDERED] {
        let bytes = fixture(name);
        let gbk = parse(name, &bytes);
        let text = utf8(&bytes);
        let as_utf8 = parse("utf8.csv", text.as_bytes());
        assert_eq!(as_utf8.records, gbk.records, "{name}");
        assert_eq!(as_utf8.issues, gbk.issues, "{name}");
        let lf = text.replace("\r\n", "\n");
        let as_lf = parse("lf.csv", lf.as_bytes());
        assert_eq!(as_lf.records, gbk.records, "{name}");
        assert_accounted(&as_lf, lf.as_bytes());
    }
}

const HEADER: &str = "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注";
const PREAMBLE: &str = "#支付宝账务明细查询\n#账号：[20880211096256330156]\n#起始日期：[2026年11月09日 00:00:00]   终止日期：[2026年11月10日 00:00:00]\n#-----------------------------------------账务明细列表----------------------------------------";
const END: &str = "#-----------------------------------------账务明细列表结束------------------------------------";

/// One classic 12-cell row with the padding TABs of a real log.
fn row(biz_no: &str, time: &str, income: &str, expense: &str, kind: &str) -> String {
    format!("L{biz_no}\t,{biz_no}\t,\t,品,{time},,{income},{expense},0.00,支付宝,{kind},")
}

fn log(rows: &[String], footer: &[&str]) -> String {
    let mut lines = vec![PREAMBLE.to_owned(), HEADER.to_owned()];
    lines.extend(rows.iter().cloned());
    lines.push(END.to_owned());
    lines.extend(footer.iter().map(|s| (*s).to_owned()));
    lines.join("\r\n") + "\r\n"
}

#[test]
fn withdrawal_returns_are_found_by_id_and_by_type() {
    let t = "2026-11-10 13:00:00";
    let rows = [
        row("WD1", t, "30.00", "0.00", "其他"),
        row("WD1", t, "0.00", "-30.00", "提现"),
        row("WD1", t, "0.00", "-2.00", "提现手续费"),
        row("WD2", t, "12.00", "0.00", "提现退回"),
        row("WD3", t, "8.00", "0.00", "退票"),
        row("WD4", t, "0.00", "-8.00", "退票"),
        row("WD5", t, "0.00", "-1.00", "提现"),
    ];
    let text = log(
        &rows,
        &["#支出合计：4笔，共-41.00元", "#收入合计：3笔，共50.00元"],
    );
    let p = parse("returns.csv", text.as_bytes());
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, text.as_bytes());
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert_eq!(
        types(&p),
        [
            "withdrawal_return",
            "withdrawal",
            "fee",
            "withdrawal_return",
            "withdrawal_return",
            "other",
            "withdrawal"
        ],
        "an income line carrying a 提现 line's id is a return even before the 提现 line"
    );
    for line in [6, 7, 9, 10] {
        let r = at_line(&p, line);
        assert!(
            r.id("payout_id").is_some_and(|id| id.starts_with("WD")),
            "{line}"
        );
    }
    assert_eq!(at_line(&p, 6).id("payout_id"), Some("WD1"));
    assert_eq!(at_line(&p, 6).status_raw.as_deref(), Some("其他"));
    assert_eq!(at_line(&p, 8).id("payout_id"), None, "a fee links nothing");
    assert_eq!(extra(at_line(&p, 8), "业务流水号"), Some("WD1"));
}

#[test]
fn unknown_types_become_other_and_never_stop_the_file() {
    let t = "2026-11-10 13:00:00";
    let rows = [
        row("X1", t, "1.00", "0.00", "保证金"),
        row("X2", t, "0.00", "-1.00", ""),
        row("X3", t, "0.00", "0.00", "奇怪的类型"),
        row("X4", t, "1.00", "0.00", "在线支付"),
    ];
    let text = log(
        &rows,
        &["#支出合计：1笔，共-1.00元", "#收入合计：2笔，共2.00元"],
    );
    let p = parse("unknown.csv", text.as_bytes());
    assert_accounted(&p, text.as_bytes());
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert_eq!(types(&p), ["other", "other", "other", "income"]);
    assert_eq!(at_line(&p, 6).status_raw.as_deref(), Some("保证金"));
    assert_eq!(at_line(&p, 7).status_raw, None);
    let zero = at_line(&p, 8);
    assert_eq!(
        zero.amount,
        Decimal::ZERO,
        "both zero: amount 0, in neither total"
    );
    assert_eq!(zero.status_raw.as_deref(), Some("奇怪的类型"));
}

#[test]
fn bad_rows_are_quarantined_and_the_rest_parse() {
    let t = "2026-11-10 13:00:00";
    let rows = [
        row("B1", t, "10.00", "0.00", "在线支付"),
        row("B2", "2026/11/10 25:00", "10.00", "0.00", "在线支付"),
        row("B3", t, "1O.00", "0.00", "在线支付"),
        row("B4", t, "10.00", "-1.00", "在线支付"),
        row("B5", t, "-10.00", "0.00", "在线支付"),
        "LB6\t,B6\t,\t,品,2026-11-10 13:00:00,,1.00".to_owned(),
        row("B7", "", "10.00", "0.00", "在线支付"),
        row("B8", t, "0.00", "-0.06", "收费"),
    ];
    let text = log(
        &rows,
        &["#支出合计：1笔，共-0.06元", "#收入合计：1笔，共10.00元"],
    );
    let p = parse("bad.csv", text.as_bytes());
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, text.as_bytes());
    assert_eq!(p.records.len(), 2);
    assert_eq!(at_line(&p, 6).id("txn_id"), Some("B1"));
    assert_eq!(at_line(&p, 13).record_type, "fee");
    let q = issues(&p, Outcome::Quarantined);
    let at: Vec<(u64, Option<&str>)> = q.iter().map(|i| (i.line, i.field.as_deref())).collect();
    assert_eq!(
        at,
        [
            (7, Some("发生时间")),
            (8, Some("收入金额（+元）")),
            (9, Some("支出金额（-元）")),
            (10, Some("收入金额（+元）")),
            (11, None),
            (12, Some("发生时间")),
        ]
    );
    assert!(q[0].reason.contains("2026/11/10 25:00"), "{}", q[0].reason);
    assert!(q[1].reason.contains("1O.00"), "{}", q[1].reason);
    assert!(
        q[2].reason.contains("0.00 when 收入金额（+元） is 10.00"),
        "{}",
        q[2].reason
    );
    assert!(q[3].reason.contains("non-negative"), "{}", q[3].reason);
    assert!(q[4].reason.contains("expected 12 cells"), "{}", q[4].reason);
    assert_eq!(
        q[4].raw.as_deref(),
        Some(rows[5].as_str()),
        "the raw row is kept"
    );
    assert_eq!(q[2].raw.as_deref(), Some(rows[3].as_str()));
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
}

#[test]
fn disagreeing_totals_warn_on_their_footer_line() {
    let t = "2026-11-10 13:00:00";
    let rows = [
        row("S1", t, "10.00", "0.00", "在线支付"),
        row("S2", t, "0.00", "0.06", "收费"),
        row("S3", t, "0.00", "-5.00", "交易退款"),
        row("S4", "yesterday", "7.00", "0.00", "在线支付"),
    ];
    let text = log(
        &rows,
        &[
            "#支出合计：2笔，共-5.06元,,,,,,,",
            "#收入合计：2笔，共17.00元,,,,,,,",
            "#导出时间：[2026年11月11日 05:46:49],,,,,,,",
        ],
    );
    let p = parse("totals.csv", text.as_bytes());
    assert_accounted(&p, text.as_bytes());
    assert_eq!(p.records.len(), 3);
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].line, 12, "on the 收入合计 line");
    assert!(
        w[0].reason.contains("收入合计 states 2 rows and 17.00")
            && w[0].reason.contains("rows are 1 summing to 10.00")
            && w[0].reason.contains("1 quarantined row is not counted"),
        "{}",
        w[0].reason
    );

    let unsigned = text.replace("共-5.06元", "共5.06元");
    assert_eq!(
        issues(
            &parse("unsigned.csv", unsigned.as_bytes()),
            Outcome::Warning
        )
        .len(),
        1,
        "an unsigned expense total is compared by magnitude"
    );
    let wrong = text.replace("共-5.06元", "共-5.60元");
    let p = parse("wrong.csv", wrong.as_bytes());
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 2);
    assert_eq!(w[0].line, 11);
    assert!(
        w[0].reason.contains("支出合计 states 2 rows and -5.60")
            && w[0].reason.contains("rows are 2 summing to -5.06"),
        "{}",
        w[0].reason
    );
    let unreadable = text.replace("2笔，共-5.06元", "两笔，共-5.06元");
    let p = parse("unreadable.csv", unreadable.as_bytes());
    assert!(
        issues(&p, Outcome::Warning)
            .iter()
            .any(|w| w.line == 11 && w.reason.contains("cannot be read")),
        "{:?}",
        p.issues
    );

    let none = log(&rows[..1], &[]);
    let p = parse("none.csv", none.as_bytes());
    assert_accounted(&p, none.as_bytes());
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].line, 7, "on the last line");
    assert!(w[0].reason.contains("no control totals"), "{}", w[0].reason);
}

#[test]
fn a_file_without_the_header_is_a_file_error() {
    let p = parse("x.csv", "hello,world\n1,2\n".as_bytes());
    assert_eq!(p.status, STATUS_FILE_ERROR);
    assert!(p.message.expect("message").contains("line 1"));
    let p = parse("x.csv", "#支付宝账务明细查询\n#账号：[1]\n\n".as_bytes());
    assert_eq!(p.status, STATUS_FILE_ERROR);
    assert!(p.message.expect("message").contains("no header"));
    let missing = "#支付宝账务明细查询\n账务流水号,业务流水号,发生时间,收入金额（+元）\n";
    let p = parse("x.csv", missing.as_bytes());
    assert_eq!(
        p.status, STATUS_FILE_ERROR,
        "a header without the amounts is not one"
    );
}

#[test]
fn sniff_claims_account_logs() {
    let d = crate::qrecon_descriptor();
    for name in [CLASSIC, REORDERED] {
        let bytes = fixture(name);
        assert_eq!(testing::sniff(d, name, &bytes), 98, "{name}");
        assert_eq!(
            testing::sniff(d, name, utf8(&bytes).as_bytes()),
            98,
            "{name}"
        );
        assert_eq!(
            testing::sniff(d, name, &bytes[..41]),
            98,
            "a head cut mid-character"
        );
    }
    assert_eq!(testing::sniff(d, "x.csv", HEADER.as_bytes()), 98);
    let (gbk_start, _, _) = encoding_rs::GBK.encode("账务流水号,业务流水号,商户订单号,商");
    assert_eq!(testing::sniff(d, "x.csv", &gbk_start), 98);
    let reordered = "发生时间,业务类型,收入金额(+元),支出金额(-元),账务流水号";
    assert_eq!(testing::sniff(d, "x.csv", reordered.as_bytes()), 98);
    for other in [
        "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号",
        "明细查询文件下载\n卡号: 1234****5678",
        "记账时间,微信支付业务单号,资金流水单号",
        "",
    ] {
        assert_eq!(testing::sniff(d, "x.csv", other.as_bytes()), 0, "{other}");
    }
}
