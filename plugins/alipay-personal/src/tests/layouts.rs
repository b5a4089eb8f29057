//! The layouts without a sample here, built from the format's description (FORMATS.md §1b),
//! and the samples re-encoded (UTF-8, a BOM, `\r\n`).

use qrecon_adapter_sdk::Status;
use qrecon_adapter_sdk::schema::Outcome;

use super::kit::{self, PC, V2023, dec, gbk, skip_reason, utf8};

/// A v2021 app export: the banner, the header first (another column order), the rows, a
/// dashes line and the summary block as a footer; 收/支 `其他` for neutral rows, and refunds
/// as `其他` and as `收入`. Its control totals agree with its rows.
pub(crate) const V2021: &str = concat!(
    "------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------\n",
    "收/支,交易对方,对方账号,商品说明,收/付款方式,金额,交易状态,交易分类,交易订单号,商家订单号,交易时间,\n",
    "支出                ,晨光面馆            ,chen***@163.com     ,牛肉面              ,余额宝              ,18.00               ,交易成功            ,餐饮美食            ,2021061522001401231234567890\t,T2021061512345\t,2021-06-15 12:03:04 ,\n",
    "其他                ,晨光面馆            ,chen***@163.com     ,退款-牛肉面         ,余额宝              ,18.00               ,退款成功            ,退款                ,2021061522001401231234567890_2021061600001\t,T2021061512345\t,2021-06-16 09:00:00 ,\n",
    "支出,老王烧烤,/,烤串,招商银行(1234),45.50,交易成功,餐饮美食,2021061722001401239999999999\t,/\t,2021-06-17 20:11:00,\n",
    "收入,老王烧烤,/,退款-烤串,招商银行(1234),5.50,退款成功,退款,2021061722001401239999999999_1\t,/\t,2021-06-18 10:00:00,\n",
    "收入,张三,zhang***@qq.com,转账,余额,100.00,交易成功,转账红包,2021061920001001230000000001\t,\t,2021-06-19 08:00:00,\n",
    "其他,余额宝,/,余额宝-自动转入,余额,200.00,交易成功,投资理财,2021062020001001230000000002\t,\t,2021-06-20 09:00:00,\n",
    "支出,便利店,/,饮料,余额,6.00,等待付款,日用百货,2021062122001401230000000003\t,\t,2021-06-21 07:30:00,\n",
    "------------------------------------------------------------------------------------\n",
    "导出信息：\n",
    "姓名：张*\n",
    "支付宝账户：zhang***@163.com\n",
    "起始时间：[2021-06-01 00:00:00]    终止时间：[2021-06-30 23:59:59]\n",
    "导出交易类型：[全部]\n",
    "导出时间：[2021-07-01 10:00:00]\n",
    "共7笔记录\n",
    "收入：2笔,105.50元\n",
    "支出：3笔,69.50元\n",
    "其他：2笔,218.00元\n",
    "特别提示：\n",
    "1.本回单内容可表明支付宝受理了相应支付交易申请；\n",
);

#[test]
fn v2021_layout_header_first_footer_last() {
    let bytes = gbk(V2021);
    let parsed = kit::parse("alipay_record_2021.csv", &bytes);
    parsed.assert_every_line_once(&bytes);
    assert!(parsed.issues_of(Outcome::Quarantined).is_empty());
    assert_eq!(kit::warnings(&parsed), [], "the totals agree with the rows");
    let lines: Vec<u64> = parsed.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 5, 9]);

    let noodles = parsed.record_at(3);
    assert_eq!(
        noodles.id("claim_id"),
        Some("alipay-personal:2021061522001401231234567890")
    );
    assert_eq!(noodles.id("txn_id"), Some("2021061522001401231234567890"));
    assert_eq!(noodles.id("order_id"), Some("T2021061512345"));
    assert_eq!(noodles.amount, dec("18.00"));
    assert_eq!(
        noodles.time.map(|t| t.to_string()).as_deref(),
        Some("2021-06-15 12:03:04")
    );
    assert_eq!(noodles.utc_offset_secs, Some(28800));
    assert_eq!(noodles.party("payee_name"), Some("晨光面馆"));
    assert_eq!(noodles.party("payee_account"), Some("chen***@163.com"));
    assert_eq!(noodles.party("payer"), Some("zhang***@163.com"));
    assert_eq!(noodles.party("memo"), Some("牛肉面"));
    assert_eq!(noodles.status, Status::Success);
    assert_eq!(noodles.extra_value("refunded"), Some("18.00"));
    assert_eq!(noodles.extra_value("refund_lines"), Some("4"));
    assert_eq!(noodles.extra_value("姓名"), Some("张*"));
    assert_eq!(noodles.extra_value("交易分类"), Some("餐饮美食"));
    assert_eq!(noodles.extra_value("收/付款方式"), Some("余额宝"));

    let grill = parsed.record_at(5);
    assert_eq!((grill.amount, grill.id("order_id")), (dec("45.50"), None));
    assert_eq!(
        grill.extra_value("refunded"),
        Some("5.50"),
        "a refund marked 收入"
    );
    assert_eq!(parsed.record_at(9).status, Status::Pending);

    assert_eq!(skip_reason(&parsed, 1), "preamble");
    assert_eq!(skip_reason(&parsed, 2), "header");
    assert_eq!(
        skip_reason(&parsed, 4),
        "refund of the payment at line 3 (recorded on its claim)"
    );
    assert_eq!(
        skip_reason(&parsed, 6),
        "refund of the payment at line 5 (recorded on its claim)"
    );
    assert!(skip_reason(&parsed, 7).starts_with("income (收/支 收入, 转账红包"));
    assert!(skip_reason(&parsed, 8).starts_with("neutral (收/支 其他, 投资理财"));
    assert_eq!(
        skip_reason(&parsed, 10),
        "footer: the dashes line that ends the rows"
    );
    assert_eq!(skip_reason(&parsed, 17), "footer");
}

#[test]
fn v2021_totals_that_disagree_are_warned_about() {
    let text = V2021
        .replace("支出：3笔,69.50元", "支出：3笔,70.00元")
        .replace("共7笔记录", "共8笔记录");
    let parsed = kit::parse("x.csv", &gbk(&text));
    assert!(kit::warned(&parsed, 17, &["共8笔记录", "7 data rows"]));
    assert!(kit::warned(
        &parsed,
        19,
        &["支出", "70.00", "3 summing to 69.50"]
    ));
    assert_eq!(kit::warnings(&parsed).len(), 2);
}

#[test]
fn samples_read_the_same_as_utf8_with_a_bom_and_crlf() {
    let v2021 = gbk(V2021);
    for (name, bytes) in [("v2023.csv", V2023), ("pc.csv", PC), ("v2021.csv", &v2021)] {
        let gbk_parse = kit::parse(name, bytes);
        let text = utf8(bytes);
        for variant in [
            text.clone(),
            format!("\u{feff}{text}"),
            text.replace('\n', "\r\n"),
        ] {
            let other = kit::parse(name, variant.as_bytes());
            assert_eq!(other.records, gbk_parse.records, "{name}");
            assert_eq!(other.issues, gbk_parse.issues, "{name}");
            assert_eq!(other.rows_read, gbk_parse.rows_read, "{name}");
        }
    }
}

#[test]
fn a_file_without_the_header_is_refused() {
    let parsed = qrecon_adapter_sdk::testing::parse(
        crate::qrecon_descriptor(),
        "x.csv",
        "支付宝交易记录明细查询\n账号:[a@b.c]\n".as_bytes(),
    );
    assert_eq!(parsed.status, qrecon_adapter_sdk::abi::STATUS_FILE_ERROR);
    let message = parsed.message.expect("a message");
    assert!(
        message.contains("收/支") && message.contains("交易订单号"),
        "{message}"
    );
}
