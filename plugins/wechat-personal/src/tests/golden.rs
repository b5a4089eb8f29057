//! The published samples against their golden files (`fixtures/<sample>.golden.tsv`), whose
//! every value was checked by hand against the sample. `QRECON_BLESS=1 cargo test -p
//! qrecon-adapter-wechat-personal golden` rewrites them, and the ignored `print_goldens`
//! prints them, for a reviewer to diff against the samples.

use qrecon_payer_bill::testing;

use super::kit::{self, CSV, XLSX};

/// The samples: (file name, bytes, lines).
fn samples() -> [(&'static str, &'static [u8], u64); 2] {
    [
        ("wechat_personal_utf8.csv", CSV.as_bytes(), 44),
        ("wechat_personal_v2026.xlsx", XLSX, 45),
    ]
}

#[test]
fn samples_match_their_golden_files() {
    for (name, bytes, lines) in samples() {
        let parsed = kit::parse(name, bytes);
        parsed.assert_lines_once(lines);
        let path = testing::golden_path(env!("CARGO_MANIFEST_DIR"), name);
        testing::assert_golden(&path, &kit::golden_text(&parsed), name);
    }
}

#[test]
#[ignore = "prints the golden text for a reviewer"]
fn print_goldens() {
    for (name, bytes, _) in samples() {
        println!("==> {name}\n{}", kit::golden_text(&kit::parse(name, bytes)));
    }
}

/// The CSV sample's payments as the file prints them (written from the file, not from the
/// adapter's output), to back the golden files; the XLSX sample holds the same ones a row down.
#[test]
fn sample_claims_hold_the_printed_values() {
    use qrecon_adapter_sdk::Status;

    /// (line, 交易时间, 金额, 交易对方, 交易单号, 商品).
    type Printed<'a> = (u64, &'a str, &'a str, &'a str, &'a str, Option<&'a str>);
    let expected: [Printed<'_>; 11] = [
        (
            18,
            "2019-09-26 12:45:27",
            "28.16",
            "云膳过桥米线(传奇广场店)",
            "3985734",
            Some("总共消费:28.16"),
        ),
        (
            20,
            "2021-01-17 18:03:35",
            "12.00",
            "某餐厅",
            "3985734",
            Some("收款方备注:二维码收款"),
        ),
        (
            21,
            "2021-01-22 12:34:56",
            "500.00",
            "房东",
            "3985734",
            Some("转账备注:微信转账"),
        ),
        (
            34,
            "2021-10-19 16:08:00",
            "2243.46",
            "哈哈",
            "42000011202110191201583411",
            Some("亲属卡"),
        ),
        (
            35,
            "2021-12-15 00:06:35",
            "12.00",
            "某餐厅",
            "3985734",
            Some("测试 T+1"),
        ),
        (
            36,
            "2021-12-15 23:51:35",
            "12.00",
            "某餐厅",
            "3985734",
            Some("测试 T-1"),
        ),
        (
            39,
            "2022-09-24 02:24:20",
            "36.99",
            "YingDev",
            "100010810122092400064222561891707533",
            None,
        ),
        (
            41,
            "2023-07-09 13:25:22",
            "9.90",
            "美团平台商户",
            "123456",
            Some("美团订单-12345"),
        ),
        (
            42,
            "2023-07-09 13:30:22",
            "50.0",
            "美团平台商户",
            "123456",
            Some("美团订单-54321"),
        ),
        (
            43,
            "2024-06-07 23:40:27",
            "0.01",
            "腾讯公益慈善基金会",
            "4200002168202406076349888061",
            Some("焕新乐园"),
        ),
        (
            44,
            "2024-06-07 23:40:27",
            "0.01",
            "测试",
            "4200002168202406076349888061",
            Some("ignore-invalid-tx-types"),
        ),
    ];
    for (name, bytes, shift) in [("w.csv", CSV.as_bytes(), 0), ("w.xlsx", XLSX, 1)] {
        let parsed = kit::parse(name, bytes);
        assert_eq!(parsed.records.len(), expected.len(), "{name}");
        for (line, time, amount, payee, txn, memo) in expected {
            let r = parsed.record_at(line + shift);
            assert_eq!(
                r.time.map(|t| t.to_string()).as_deref(),
                Some(time),
                "{name} {line}"
            );
            assert_eq!(r.utc_offset_secs, Some(28800));
            assert_eq!(r.amount, kit::dec(amount), "{name} {line}");
            assert_eq!(r.party("payee_name"), Some(payee), "{name} {line}");
            assert_eq!(r.id("txn_id"), Some(txn), "{name} {line}");
            assert_eq!(r.party("memo"), memo, "{name} {line}");
            assert_eq!(r.party("payer"), Some("测试"), "{name} {line}");
            assert_eq!(r.status, Status::Success, "{name} {line}");
            assert_eq!(
                (r.record_type.as_str(), r.provider.as_str()),
                ("payer_receipt", "wechatpay")
            );
        }
        assert_eq!(
            parsed.record_at(34 + shift).id("order_id"),
            Some("XSFF-SD2021101916055813620")
        );
        assert_eq!(
            parsed.record_at(18 + shift).extra_value("支付方式"),
            Some("中国银行(1234)")
        );
    }
}
