//! The one adapter for both files: which format a file is read as, and what it refuses.

use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::{Kind, testing};

use crate::testkit::{fixture, parse};

#[test]
fn each_format_is_parsed_by_the_one_adapter() {
    let d = crate::qrecon_descriptor();
    let plugin = testing::plugin(d);
    assert_eq!((plugin.name, plugin.kinds), ("alipay", "txn,fund"));
    for (name, title, kind, records) in [
        (
            "trade_20880211096256330156_20261109.csv",
            "#支付宝业务明细查询",
            Kind::Txn,
            8,
        ),
        (
            "account_20880211096256330156_20261109.csv",
            "#支付宝账务明细查询",
            Kind::Fund,
            13,
        ),
        (
            "account_20880211096256330156_20261110_reordered.csv",
            "#支付宝账务明细查询",
            Kind::Fund,
            6,
        ),
    ] {
        let bytes = fixture(name);
        assert_eq!(testing::sniff(d, name, &bytes), 98, "{name}");
        let p = parse(name, &bytes);
        assert_eq!(p.status, 0, "{name}: {:?}", p.message);
        p.assert_every_line_once(&bytes);
        assert_eq!(p.records.len(), records, "{name}");
        assert!(p.records.iter().all(|r| r.kind == kind), "{name}");

        let (text, _, _) = encoding_rs::GBK.decode(&bytes);
        assert!(text.starts_with(title), "{name}");
        let untitled = text.replacen(title, "#", 1);
        let p_untitled = parse("untitled.csv", untitled.as_bytes());
        assert_eq!(
            p_untitled.records, p.records,
            "{name}: without the title the header says which"
        );
        assert_eq!(p_untitled.issues, p.issues, "{name}");
    }
}

#[test]
fn a_wechat_pay_bill_is_refused_naming_both_headers() {
    let wechat = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n\
        `2026-11-23 08:20:09,`wx2421b1c4370ec43b,`1900000109,`0,`,`4200002826202611230007310037,`CG202611230001,`oUpF8uMuAJO_M2pxb1Q9zNjWeS01,`NATIVE,`SUCCESS,`OTHERS,`CNY,`32.00,`0.00,`0,`0,`0.00,`0.00,`,`,`小笼包,`,`0.19000,`0.60%,`32.00,`0.00,`\n";
    let d = crate::qrecon_descriptor();
    assert_eq!(testing::sniff(d, "wechat.csv", wechat.as_bytes()), 0);
    let p = parse("wechat.csv", wechat.as_bytes());
    assert_eq!(p.status, STATUS_FILE_ERROR);
    assert!(p.records.is_empty());
    let message = p.message.expect("message");
    for part in [
        "line 1",
        "expected an Alipay bill with the 业务明细 header 支付宝交易号,商户订单号,业务类型,…",
        "or the 账务明细 header naming 发生时间, 收入金额（+元）, 支出金额（-元） and 业务类型",
        "found \"交易时间,公众账号ID,商户号,",
    ] {
        assert!(message.contains(part), "{part:?} in {message}");
    }

    let p = parse("nothing.csv", b"#\n\n");
    assert_eq!(p.status, STATUS_FILE_ERROR);
    let message = p.message.expect("message");
    assert!(
        message.contains("no header found; expected an Alipay bill with the 业务明细 header"),
        "{message}"
    );
}

#[test]
fn the_title_says_which_header_to_expect() {
    let account_header = "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注";
    let text = format!("#支付宝业务明细查询\n#账号：[20880211096256330156]\n{account_header}\n");
    let p = parse("mixed.csv", text.as_bytes());
    assert_eq!(p.status, STATUS_FILE_ERROR);
    let message = p.message.expect("message");
    assert!(
        message.contains("line 3") && message.contains("expected the 业务明细 header"),
        "{message}"
    );
}
