use crate::testkit::{
    assert_accounted, at_line, dec, extra, fixture, issues, parse, skipped, utf8,
};
use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, Kind, Status, testing};

const DAY: &str = "trade_20880211096256330156_20261109.csv";
const EMPTY_DAY: &str = "trade_20880211096256330156_20261111_empty.csv";
const PID: &str = "2088021109625633";

#[test]
fn a_day_of_payments_and_refunds() {
    let bytes = fixture(DAY);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "stored GBK like a real download"
    );
    let p = parse(DAY, &bytes);
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, &bytes);
    assert_eq!(p.records.len(), 8);
    assert!(
        issues(&p, Outcome::Quarantined).is_empty(),
        "{:?}",
        p.issues
    );
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert_eq!(skipped(&p, "preamble"), vec![1, 2, 3, 4]);
    assert_eq!(skipped(&p, "header"), vec![5]);
    assert_eq!(skipped(&p, "footer"), vec![14, 15, 16, 17]);
    let types: Vec<&str> = p.records.iter().map(|r| r.record_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "payment", "payment", "payment", "refund", "refund", "payment", "refund", "payment"
        ]
    );
    for r in &p.records {
        assert_eq!(r.kind, Kind::Txn);
        assert_eq!(r.provider, "alipay");
        assert_eq!(r.id("account"), Some(PID), "the PID without 0156");
        assert_eq!(r.party("payee_id"), Some(PID));
        assert_eq!(r.status, Status::Success);
        assert_eq!(r.currency, "CNY");
        assert_eq!(r.utc_offset_secs, None, "naive Beijing time");
    }

    let pay = at_line(&p, 6);
    assert_eq!(pay.record_type, "payment");
    assert_eq!(pay.id("txn_id"), Some("2026110922001404510500001234"));
    assert_eq!(pay.id("order_id"), Some("CG202611090001"));
    assert_eq!(pay.id("refund_id"), None);
    assert_eq!(pay.amount, dec("12.00"));
    assert_eq!(pay.fee, Some(dec("0.07")), "-0.07 printed is a fee of 0.07");
    assert_eq!(pay.time.expect("time").to_string(), "2026-11-09 10:00:05");
    assert_eq!(pay.status_raw.as_deref(), Some("交易"));
    assert_eq!(pay.party("payer"), Some("*津水(602***@qq.com)"));
    assert_eq!(pay.party("memo"), Some("牛肉面"));
    assert_eq!(extra(pay, "创建时间"), Some("2026-11-09 10:00:00"));
    assert_eq!(extra(pay, "订单金额（元）"), Some("12.00"));
    assert_eq!(
        extra(pay, "支付宝红包（元）"),
        None,
        "0.00 placeholders are left out"
    );
    assert_eq!(
        extra(pay, "商家实收（元）"),
        None,
        "mapped columns are not repeated"
    );
    assert_eq!(extra(pay, "支付宝交易号"), None);

    let store = at_line(&p, 7);
    assert_eq!(store.amount, dec("30.00"));
    assert_eq!(store.fee, Some(dec("0.18")));
    assert_eq!(store.party("memo"), Some("小笼包 两笼"));
    for (k, v) in [
        ("门店编号", "MD0001"),
        ("门店名称", "人民路店"),
        ("操作员", "收银员01"),
        ("终端号", "T01"),
        ("订单金额（元）", "36.00"),
        ("商家优惠（元）", "6.00"),
        ("券核销金额（元）", "6.00"),
        ("券名称", "满36减6券"),
        ("备注", "午市套餐"),
    ] {
        assert_eq!(extra(store, k), Some(v), "{k}");
    }

    let refund = at_line(&p, 9);
    assert_eq!(refund.record_type, "refund");
    assert_eq!(
        refund.id("txn_id"),
        Some("2026110922001404510500001234"),
        "the payment's"
    );
    assert_eq!(refund.id("order_id"), Some("CG202611090001"));
    assert_eq!(refund.id("refund_id"), Some("RF202611090001"));
    assert_eq!(refund.amount, dec("-5.00"));
    assert_eq!(refund.fee, Some(dec("-0.03")), "0.03 returned");
    assert_eq!(
        refund.time.expect("time").to_string(),
        "2026-11-09 15:30:00"
    );
    assert_eq!(refund.status_raw.as_deref(), Some("退款"));
    assert_eq!(extra(refund, "创建时间"), Some("2026-11-09 10:00:00"));
    assert_eq!(
        extra(refund, "退款批次号/请求号"),
        None,
        "mapped to refund_id"
    );

    let second = at_line(&p, 10);
    assert_eq!(second.id("refund_id"), Some("RF202611090002"));
    assert_eq!(second.amount, dec("-2.00"));
    assert_eq!(second.fee, Some(dec("-0.01")));

    let trailing_comma = at_line(&p, 11);
    assert_eq!(trailing_comma.amount, dec("1288.00"));
    assert_eq!(trailing_comma.fee, Some(dec("7.73")));
    assert_eq!(extra(trailing_comma, "备注"), Some("定金不退"));

    let full = at_line(&p, 12);
    assert_eq!(full.amount, dec("-25.00"));
    assert_eq!(full.fee, Some(dec("-0.15")));
    assert_eq!(extra(full, "支付宝红包（元）"), Some("-2.00"));

    let free = at_line(&p, 13);
    assert_eq!(free.amount, dec("0.01"));
    assert_eq!(free.fee, Some(Decimal::ZERO));
}

#[test]
fn utf8_and_lf_read_like_the_gbk_download() {
    let bytes = fixture(DAY);
    let gbk = parse(DAY, &bytes);
    let text = utf8(&bytes);
    let as_utf8 = parse("utf8.csv", text.as_bytes());
    assert_eq!(as_utf8.records, gbk.records);
    assert_eq!(as_utf8.issues, gbk.issues);
    let lf = text.replace("\r\n", "\n");
    let as_lf = parse("lf.csv", lf.as_bytes());
    assert_eq!(as_lf.records, gbk.records);
    assert_accounted(&as_lf, lf.as_bytes());
    let bom = format!("\u{feff}{text}");
    assert_eq!(parse("bom.csv", bom.as_bytes()).records, gbk.records);
}

#[test]
fn an_empty_day_has_no_records_and_agreeing_totals() {
    let bytes = fixture(EMPTY_DAY);
    let p = parse(EMPTY_DAY, &bytes);
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert!(p.records.is_empty());
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert_accounted(&p, &bytes);
    assert_eq!(skipped(&p, "header"), vec![5]);
}

const HEADER: &str = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";
const PREAMBLE: &str = "#支付宝业务明细查询\n#账号：[20880211096256330156]\n#起始日期：[2026年11月09日 00:00:00]   终止日期：[2026年11月10日 00:00:00]\n#-----------------------------------------业务明细列表----------------------------------------";
const END: &str = "#-----------------------------------------业务明细列表结束------------------------------------";

/// One 25-cell row with the padding TABs of a real bill.
fn row(txn: &str, kind: &str, finished: &str, amount: &str, refund_no: &str, fee: &str) -> String {
    format!(
        "{txn}\t,O{txn}\t,{kind}\t,面,2026-11-09 09:00:00,{finished},,,,,*某(1***@qq.com),{amount},{amount},0.00,0.00,0.00,0.00,0.00,,0.00,0.00,{refund_no},{fee},0.00,"
    )
}

fn bill(rows: &[String], footer: &[&str]) -> String {
    let mut lines = vec![PREAMBLE.to_owned(), HEADER.to_owned()];
    lines.extend(rows.iter().cloned());
    lines.push(END.to_owned());
    lines.extend(footer.iter().map(|s| (*s).to_owned()));
    lines.join("\n") + "\n"
}

#[test]
fn bad_rows_are_quarantined_and_the_rest_parse() {
    let rows = [
        row("T1", "交易", "2026-11-09 10:00:00", "10.00", "", "-0.06"),
        row("T2", "交易", "2026-11-31 10:00:00", "10.00", "", "-0.06"),
        row("T3", "交易", "2026-11-09 10:00:00", "1O.00", "", "-0.06"),
        "T4\t,OT4\t,交易\t,面,2026-11-09 09:00:00,2026-11-09 10:00:00,12.00".to_owned(),
        row("", "交易", "2026-11-09 10:00:00", "10.00", "", "-0.06"),
        row("T6", "冻结", "2026-11-09 10:00:00", "10.00", "", "0.00"),
        row("T1", "退款", "2026-11-09 11:00:00", "4.00", "R1", "0.02"),
        row("T1", "退款", "2026-11-09 12:00:00", "-4.00", "R2", "0.02"),
        row("T9", "交易", "", "10.00", "", "-0.06"),
        row("T10", "交易", "2026-11-09 10:00:00", "10.00", "", "-0.06x"),
    ];
    let text = bill(
        &rows,
        &[
            "#交易合计：1笔，商家实收共10.00元，商家优惠共0.00元",
            "#退款合计：1笔，商家实收退款共-4.00元，商家优惠退款共0.00元",
        ],
    );
    let p = parse("bad.csv", text.as_bytes());
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, text.as_bytes());
    assert_eq!(p.records.len(), 2);
    assert_eq!(at_line(&p, 6).id("txn_id"), Some("T1"));
    assert_eq!(at_line(&p, 13).id("refund_id"), Some("R2"));
    let q = issues(&p, Outcome::Quarantined);
    let at: Vec<(u64, Option<&str>)> = q.iter().map(|i| (i.line, i.field.as_deref())).collect();
    assert_eq!(
        at,
        [
            (7, Some("完成时间")),
            (8, Some("商家实收（元）")),
            (9, None),
            (10, Some("支付宝交易号")),
            (11, Some("业务类型")),
            (12, Some("商家实收（元）")),
            (14, Some("完成时间")),
            (15, Some("服务费（元）")),
        ]
    );
    assert!(
        q[0].reason.contains("2026-11-31 10:00:00"),
        "{}",
        q[0].reason
    );
    assert!(q[1].reason.contains("1O.00"), "{}", q[1].reason);
    assert!(q[2].reason.contains("expected 25 cells"), "{}", q[2].reason);
    assert!(q[4].reason.contains("交易 or 退款"), "{}", q[4].reason);
    assert!(q[4].reason.contains("冻结"), "{}", q[4].reason);
    assert!(
        q[5].reason.contains("negative amount on a 退款 row"),
        "{}",
        q[5].reason
    );
    assert_eq!(
        q[2].raw.as_deref(),
        Some(rows[3].as_str()),
        "the raw row is kept"
    );
    assert_eq!(q[0].raw.as_deref(), Some(rows[1].as_str()));
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
}

#[test]
fn disagreeing_totals_warn_on_their_footer_line() {
    let rows = [
        row("T1", "交易", "2026-11-09 10:00:00", "10.00", "", "-0.06"),
        row("T2", "交易", "2026-11-09 10:05:00", "20.00", "", "-0.12"),
        row("T1", "退款", "2026-11-09 11:00:00", "-4.00", "R1", "0.02"),
        row("T3", "交易", "bad", "5.00", "", "-0.03"),
    ];
    let text = bill(
        &rows,
        &[
            "#交易合计：3笔，商家实收共35.00元，商家优惠共0.00元",
            "#退款合计：1笔，商家实收退款共-4.00元，商家优惠退款共0.00元",
            "#导出时间：[2026年11月10日 05:46:49]",
        ],
    );
    let p = parse("totals.csv", text.as_bytes());
    assert_accounted(&p, text.as_bytes());
    assert_eq!(p.records.len(), 3);
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].line, 11, "on the 交易合计 line");
    assert!(
        w[0].reason.contains("states 3 rows and 商家实收 35.00")
            && w[0].reason.contains("rows are 2 summing to 30.00")
            && w[0].reason.contains("1 quarantined row is not counted"),
        "{}",
        w[0].reason
    );
}

#[test]
fn footers_padded_with_commas_and_missing_totals() {
    let rows = [row(
        "T1",
        "交易",
        "2026-11-09 10:00:00",
        "10.00",
        "",
        "-0.06",
    )];
    let padded = bill(
        &rows,
        &[
            "#交易合计：1笔，商家实收共10.00元，商家优惠共0.00元,,,,,,,",
            "#退款合计：0笔，商家实收退款共0.00元，商家优惠退款共0.00元,,,,,,,",
        ],
    );
    let p = parse("padded.csv", padded.as_bytes());
    assert_accounted(&p, padded.as_bytes());
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);

    let wrong = padded.replace("1笔", "2笔");
    let p = parse("wrong.csv", wrong.as_bytes());
    assert_eq!(issues(&p, Outcome::Warning).len(), 1);

    let unreadable = padded.replace("1笔", "一笔");
    let p = parse("unreadable.csv", unreadable.as_bytes());
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1);
    assert!(w[0].reason.contains("cannot be read"), "{}", w[0].reason);

    let none = bill(&rows, &[]);
    let p = parse("none.csv", none.as_bytes());
    assert_accounted(&p, none.as_bytes());
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].line, 7, "on the last line");
    assert!(w[0].reason.contains("no control totals"), "{}", w[0].reason);
}

#[test]
fn columns_are_found_by_name() {
    let text = "#支付宝业务明细查询\r\n#账号：[2088021109625633]\r\n\r\n\
        业务类型,完成时间,商家实收(元),支付宝交易号,服务费(元),退款批次号/请求号,备注,\r\n\
        退款\t,2026-11-09 11:00:00,-4.00,T1\t,0.02,R1,,\r\n\
        交易\t,2026-11-09 10:00:00,10.00,T1\t,-0.06,,首单\r\n\
        ,,,,,,\r\n\
        #交易合计：1笔，商家实收共10.00元\r\n\
        #退款合计：1笔，商家实收退款共-4.00元\r\n";
    let p = parse("reordered.csv", text.as_bytes());
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, text.as_bytes());
    assert_eq!(skipped(&p, "blank line"), vec![3, 7]);
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    let refund = at_line(&p, 5);
    assert_eq!(refund.record_type, "refund");
    assert_eq!(refund.id("account"), Some(PID), "a 16-digit value is kept");
    assert_eq!(refund.id("refund_id"), Some("R1"));
    assert_eq!(refund.id("order_id"), None);
    assert_eq!(refund.party("memo"), None);
    assert_eq!(refund.fee, Some(dec("-0.02")));
    let pay = at_line(&p, 6);
    assert_eq!(pay.amount, dec("10.00"));
    assert_eq!(extra(pay, "备注"), Some("首单"));
}

#[test]
fn a_file_without_the_header_is_a_file_error() {
    let p = parse("x.csv", "hello,world\n1,2\n".as_bytes());
    assert_eq!(p.status, STATUS_FILE_ERROR);
    assert!(p.message.expect("message").contains("line 1"));
    let p = parse("x.csv", "#支付宝业务明细查询\n#账号：[1]\n".as_bytes());
    assert_eq!(p.status, STATUS_FILE_ERROR);
    assert!(p.message.expect("message").contains("no header"));
    let summary = "#支付宝业务汇总查询\n门店编号,门店名称,交易订单总笔数,退款订单总笔数\n";
    let p = parse("summary.csv", summary.as_bytes());
    assert_eq!(
        p.status, STATUS_FILE_ERROR,
        "the 汇总 file is not the detail file"
    );
}

#[test]
fn sniff_claims_trade_bills() {
    let d = crate::qrecon_descriptor();
    for name in [DAY, EMPTY_DAY] {
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
    let (gbk_header, _, _) = encoding_rs::GBK.encode("支付宝交易号,商户订单号,业务类型,商品");
    assert_eq!(testing::sniff(d, "x.csv", &gbk_header), 98);
    for other in [
        "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号",
        "明细查询文件下载\n卡号: 1234****5678",
        "记账时间,微信支付业务单号,资金流水单号",
        "",
    ] {
        assert_eq!(testing::sniff(d, "x.csv", other.as_bytes()), 0, "{other}");
    }
}
