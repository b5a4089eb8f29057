//! The published samples against their golden files (`fixtures/<sample>.golden.tsv`), whose
//! every value was checked by hand against the sample. `QRECON_BLESS=1 cargo test -p
//! qrecon-adapter-alipay-personal golden` rewrites them, and the ignored `print_goldens`
//! prints them, for a reviewer to diff against the samples.

use qrecon_payer_bill::testing;

use super::kit::{self, PC, V2023};

/// The samples: (file name, bytes).
const SAMPLES: [(&str, &[u8]); 2] = [
    ("alipay_personal_v2023_gbk.csv", V2023),
    ("alipay_personal_legacy_pc_gbk.csv", PC),
];

#[test]
fn samples_match_their_golden_files() {
    for (name, bytes) in SAMPLES {
        let parsed = kit::parse(name, bytes);
        parsed.assert_every_line_once(bytes);
        let path = testing::golden_path(env!("CARGO_MANIFEST_DIR"), name);
        testing::assert_golden(&path, &kit::golden_text(&parsed), name);
    }
}

#[test]
#[ignore = "prints the golden text for a reviewer"]
fn print_goldens() {
    for (name, bytes) in SAMPLES {
        println!("==> {name}\n{}", kit::golden_text(&kit::parse(name, bytes)));
    }
}

/// The values of the samples' claims as the source files print them (written from the files,
/// not from the adapter's output), to back the golden files.
#[test]
fn sample_claims_hold_the_printed_values() {
    use qrecon_adapter_sdk::Status;

    let v2023 = kit::parse("alipay_personal_v2023_gbk.csv", V2023);
    let expected: [(u64, &str, &str, &str, Status, &str); 5] = [
        (
            26,
            "2023-02-12 21:32:14",
            "49.74",
            "202302xxxxxx0011000103xxxxxx",
            Status::Success,
            "xxxxxxxxxxxx",
        ),
        (
            27,
            "2023-02-08 14:16:52",
            "20.00",
            "2xxxxxxxxxxxxxx0",
            Status::Pending,
            "x4***6",
        ),
        (
            33,
            "2023-01-09 18:21:50",
            "50.00",
            "2023xxxxx88",
            Status::Revoked,
            "一卡通",
        ),
        (
            34,
            "2023-07-10 13:10:16",
            "9.90",
            "xxxx",
            Status::Success,
            "xxxx",
        ),
        (
            35,
            "2023-07-10 13:20:16",
            "82.00",
            "xxxx",
            Status::Success,
            "xxxx",
        ),
    ];
    assert_eq!(v2023.records.len(), expected.len());
    for (line, time, amount, txn, status, payee) in expected {
        let r = v2023.record_at(line);
        assert_eq!(
            r.time.map(|t| t.to_string()).as_deref(),
            Some(time),
            "line {line}"
        );
        assert_eq!(r.amount, kit::dec(amount), "line {line}");
        assert_eq!(r.id("txn_id"), Some(txn), "line {line}");
        assert_eq!(r.status, status, "line {line}");
        assert_eq!(r.party("payee_name"), Some(payee), "line {line}");
        assert_eq!(r.party("payer"), Some("xx@gmail.com"), "line {line}");
        assert_eq!(
            (r.record_type.as_str(), r.provider.as_str()),
            ("payer_receipt", "alipay")
        );
    }
    assert_eq!(
        v2023.record_at(27).party("payee_account"),
        Some("rim***@qq.com")
    );
    assert_eq!(v2023.record_at(33).extra_value("refund_lines"), Some("32"));

    let pc = kit::parse("alipay_personal_legacy_pc_gbk.csv", PC);
    let expected: [(u64, &str, &str, &str, Option<&str>); 4] = [
        (
            6,
            "2019-09-30 13:11:25",
            "27.00",
            "肯德基(张江高科餐厅)",
            None,
        ),
        (7, "2019-09-30 13:11:25", "27.00", "麦当劳", None),
        (
            10,
            "2021-02-06 10:01:43",
            "3000.00",
            "医院",
            Some("2725.42"),
        ),
        (
            12,
            "2020-11-01 19:04:45",
            "83.00",
            "肯德基会员官方旗舰店",
            Some("83.00"),
        ),
    ];
    assert_eq!(pc.records.len(), expected.len());
    for (line, paid_at, amount, payee, refunded) in expected {
        let r = pc.record_at(line);
        assert_eq!(
            r.time.map(|t| t.to_string()).as_deref(),
            Some(paid_at),
            "付款时间, line {line}"
        );
        assert_eq!(r.amount, kit::dec(amount), "line {line}");
        assert_eq!(r.party("payee_name"), Some(payee), "line {line}");
        assert_eq!(r.extra_value("refunded"), refunded, "line {line}");
        assert_eq!(r.party("payer"), Some("faker@faker.com"), "line {line}");
        assert_eq!(r.extra_value("用户"), Some("测试"), "line {line}");
    }
    assert_eq!(
        pc.record_at(12).status,
        Status::Revoked,
        "交易关闭 after its refund"
    );
    assert_eq!(pc.record_at(10).status, Status::Success, "partly refunded");
}
