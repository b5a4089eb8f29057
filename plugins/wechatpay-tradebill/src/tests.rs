use qrecon_adapter_sdk::decode::OwnedRecord;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, Kind, Status, testing};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).expect("fixture exists")
}

fn parse(name: &str, bytes: &[u8]) -> Parsed {
    testing::parse(crate::qrecon_descriptor(), name, bytes)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("decimal")
}

fn count(p: &Parsed, outcome: Outcome) -> usize {
    p.issues_of(outcome).len()
}

fn assert_accounted(p: &Parsed, bytes: &[u8]) {
    p.assert_every_line_once(bytes);
}

fn by_txn<'a>(p: &'a Parsed, txn: &str) -> &'a OwnedRecord {
    p.records
        .iter()
        .find(|r| r.id("txn_id") == Some(txn))
        .expect("txn present")
}

#[test]
fn all_layout_real_sample() {
    let bytes = fixture("tradebill_ALL_gunsluo.csv");
    let p = parse("tradebill_ALL_gunsluo.csv", &bytes);
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_eq!(p.records.len(), 3);
    assert_eq!(count(&p, Outcome::Quarantined), 0);
    assert_eq!(count(&p, Outcome::Warning), 0, "{:?}", p.issues);
    assert_accounted(&p, &bytes);
    let r = by_txn(&p, "4200000925202101284997714292");
    assert_eq!(r.line, 2);
    assert_eq!(r.kind, Kind::Txn);
    assert_eq!(r.record_type, "payment");
    assert_eq!(r.provider, "wechatpay");
    assert_eq!(r.id("order_id"), Some("S20210128170702357723"));
    assert_eq!(r.id("account"), Some("1601959334"));
    assert_eq!(r.amount, dec("0.01"));
    assert_eq!(r.fee, Some(Decimal::ZERO));
    assert_eq!(r.status, Status::Success);
    assert_eq!(r.time.expect("time").to_string(), "2021-01-28 17:07:11");
    assert_eq!(r.utc_offset_secs, None, "naive Beijing time");
    assert_eq!(r.party("payer"), Some("ofyak5qR_1wYsC99CsWA6R9MJazA"));
    assert!(r.extra.iter().any(|(k, v)| k == "费率" && v == "1.00%"));
}

#[test]
fn refund_layout_real_sample() {
    let bytes = fixture("tradebill_REFUND_gunsluo.csv");
    let p = parse("tradebill_REFUND_gunsluo.csv", &bytes);
    assert_eq!(p.records.len(), 2);
    assert_eq!(count(&p, Outcome::Quarantined), 0);
    assert_eq!(count(&p, Outcome::Warning), 0, "{:?}", p.issues);
    assert_accounted(&p, &bytes);
    let r = by_txn(&p, "4200000846202101197461830397");
    assert_eq!(r.record_type, "refund");
    assert_eq!(r.amount, dec("-0.01"));
    assert_eq!(r.id("refund_id"), Some("50300907032021020105978998710"));
    assert_eq!(r.status, Status::Success);
    assert_eq!(
        r.time.expect("time").to_string(),
        "2021-02-01 14:00:50",
        "refund success time"
    );
    assert!(
        r.extra
            .iter()
            .any(|(k, v)| k == "商户退款单号" && v == "S20210201140044552846")
    );
}

#[test]
fn success_layout_real_sample() {
    let bytes = fixture("tradebill_SUCCESS_gunsluo.csv");
    let p = parse("tradebill_SUCCESS_gunsluo.csv", &bytes);
    assert_eq!(p.records.len(), 1);
    assert_accounted(&p, &bytes);
    let r = by_txn(&p, "4200000922202102014836880592");
    assert_eq!(r.amount, dec("0.01"));
    assert_eq!(r.id("order_id"), Some("S20210201143829466741"));
    assert_eq!(count(&p, Outcome::Warning), 0, "{:?}", p.issues);
}

#[test]
fn legacy_24_column_layout_with_full_width_colons() {
    let bytes = fixture("tradebill_ALL_legacy24_wxjava.csv");
    let p = parse("tradebill_ALL_legacy24_wxjava.csv", &bytes);
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_eq!(p.records.len(), 2);
    assert_eq!(count(&p, Outcome::Quarantined), 0, "{:?}", p.issues);
    assert_eq!(count(&p, Outcome::Warning), 0, "{:?}", p.issues);
    assert_accounted(&p, &bytes);
    let r = by_txn(&p, "1001690740201411100005734289");
    assert_eq!(r.time.expect("time").to_string(), "2014-11-10 16:33:45");
    assert_eq!(r.amount, dec("0.01"));
    assert_eq!(r.id("account"), Some("10000100"));
    assert_eq!(r.memo_like(), Some("被扫支付测试"));
}

trait MemoLike {
    fn memo_like(&self) -> Option<&str>;
}

impl MemoLike for OwnedRecord {
    fn memo_like(&self) -> Option<&str> {
        self.party("memo")
    }
}

const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUMMARY: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

fn row(time: &str, txn: &str, state: &str, amount: &str, refund: &str, fee: &str) -> String {
    let (rid, rno, rstate) = if state == "REFUND" {
        ("503001", "R1", "SUCCESS")
    } else {
        ("0", "0", "")
    };
    format!(
        "`{time},`wx1,`1900000109,`0,`,`{txn},`O{txn},`openid,`NATIVE,`{state},`OTHERS,`CNY,`{amount},`0.00,`{rid},`{rno},`{refund},`0.00,`ORIGINAL,`{rstate},`面条, 大碗,`{{\"k\":\"v\"}},`{fee},`0.60%,`{amount},`{refund},`"
    )
}

#[test]
fn bad_rows_are_quarantined_and_totals_checked() {
    let lines = [
        HEADER.to_owned(),
        row(
            "2026-10-01 12:00:00",
            "4201",
            "SUCCESS",
            "1,234.50",
            "0.00",
            "7.41000",
        ),
        row(
            "2026-10-01 12:30:00",
            "4202",
            "SUCCESS",
            "12.3.4",
            "0.00",
            "0.07000",
        ),
        row(
            "2026-13-01 12:30:00",
            "4203",
            "SUCCESS",
            "1.00",
            "0.00",
            "0.01000",
        ),
        "`2026-10-01 13:00:00,`wx1,`too few".to_owned(),
        row(
            "2026-10-02 09:00:00",
            "4201",
            "REFUND",
            "0.00",
            "234.50",
            "-1.41000",
        ),
        SUMMARY.to_owned(),
        "`5,`1236.50,`234.50,`0.00,`6.08000,`1236.50,`234.50".to_owned(),
    ];
    let text = lines.join("\r\n") + "\r\n";
    let p = parse("bill.csv", text.as_bytes());
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, text.as_bytes());
    assert_eq!(p.records.len(), 2);
    let q: Vec<_> = p
        .issues
        .iter()
        .filter(|i| i.outcome == Outcome::Quarantined)
        .collect();
    assert_eq!(q.iter().map(|i| i.line).collect::<Vec<_>>(), vec![3, 4, 5]);
    assert_eq!(q[0].field.as_deref(), Some("应结订单金额"));
    assert!(q[0].reason.contains("12.3.4"), "{}", q[0].reason);
    assert_eq!(q[1].field.as_deref(), Some("交易时间"));
    assert!(
        q[2].reason.contains("expected 27 values"),
        "{}",
        q[2].reason
    );
    assert_eq!(
        q[2].raw.as_deref(),
        Some("`2026-10-01 13:00:00,`wx1,`too few")
    );
    let pay = p
        .records
        .iter()
        .find(|r| r.record_type == "payment")
        .expect("payment");
    assert_eq!(pay.amount, dec("1234.50"));
    assert_eq!(pay.fee, Some(dec("7.41")));
    assert_eq!(
        pay.party("memo"),
        Some("面条, 大碗"),
        "a comma inside a value is kept"
    );
    let refund = p
        .records
        .iter()
        .find(|r| r.record_type == "refund")
        .expect("refund");
    assert_eq!(refund.amount, dec("-234.50"));
    assert_eq!(refund.fee, Some(dec("-1.41")));
    let warnings: Vec<_> = p
        .issues
        .iter()
        .filter(|i| i.outcome == Outcome::Warning)
        .collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, 8);
    assert!(
        warnings[0]
            .reason
            .contains("总交易单数 says 5 but the rows add up to 2"),
        "{}",
        warnings[0].reason
    );
}

/// Found by the property test: the control totals' running sums overflowed a `Decimal` (a
/// panic) when rows held amounts at the edge of its range.
#[test]
fn amounts_at_the_edge_of_the_decimal_range_never_overflow() {
    const MAX: &str = "79228162514264337593543950335";
    let lines = [
        HEADER.to_owned(),
        row(
            "2026-10-01 12:00:00",
            "4201",
            "SUCCESS",
            MAX,
            "0.00",
            "0.00",
        ),
        row(
            "2026-10-01 12:30:00",
            "4202",
            "SUCCESS",
            MAX,
            "0.00",
            "0.00",
        ),
        row(
            "2026-10-01 13:00:00",
            "4203",
            "SUCCESS",
            "1.00",
            "0.00",
            MAX,
        ),
        row(
            "2026-10-01 13:30:00",
            "4204",
            "SUCCESS",
            "1.00",
            "0.00",
            MAX,
        ),
        row(
            "2026-10-01 14:00:00",
            "4205",
            "SUCCESS",
            "1.00",
            "0.00",
            "0.01",
        ),
        SUMMARY.to_owned(),
        "`5,`1.00,`0.00,`0.00,`0.01,`1.00,`0.00".to_owned(),
    ];
    let text = lines.join("\n") + "\n";
    let p = parse("edge.csv", text.as_bytes());
    assert_eq!(p.status, 0, "{:?}", p.message);
    assert_accounted(&p, text.as_bytes());
    assert_eq!(p.records.len(), 1);
    let q: Vec<u64> = p
        .issues_of(Outcome::Quarantined)
        .iter()
        .map(|i| i.line)
        .collect();
    assert_eq!(
        q,
        vec![2, 3, 4, 5],
        "the SDK refuses amounts beyond its range"
    );
    let warnings = p.issues_of(Outcome::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 8);
    assert!(
        warnings[0].reason.contains("the rows' sum is out of range"),
        "{}",
        warnings[0].reason
    );
}

#[test]
fn gbk_bill_reads_like_utf8() {
    let bytes = fixture("tradebill_ALL_gunsluo.csv");
    let text = String::from_utf8(bytes).expect("utf8");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let p = parse("gbk.csv", &gbk);
    assert_eq!(p.records.len(), 3);
    assert_eq!(count(&p, Outcome::Quarantined), 0);
}

#[test]
fn sniff_claims_trade_bills_only() {
    let d = crate::qrecon_descriptor();
    for f in [
        "tradebill_ALL_gunsluo.csv",
        "tradebill_REFUND_gunsluo.csv",
        "tradebill_SUCCESS_gunsluo.csv",
        "tradebill_ALL_legacy24_wxjava.csv",
    ] {
        assert!(testing::sniff(d, f, &fixture(f)) >= 90, "{f}");
    }
    assert_eq!(
        testing::sniff(
            d,
            "x.csv",
            "记账时间,微信支付业务单号,资金流水单号".as_bytes()
        ),
        0
    );
    assert_eq!(testing::sniff(d, "x.csv", b"claim_id,paid_at,amount"), 0);
    assert_eq!(testing::sniff(d, "x.csv", b""), 0);
}

#[test]
fn not_a_trade_bill_is_a_file_error() {
    let p = parse("x.csv", "hello,world\n1,2\n".as_bytes());
    assert_eq!(p.status, qrecon_adapter_sdk::abi::STATUS_FILE_ERROR);
    assert!(p.message.expect("message").contains("line 1"));
}
