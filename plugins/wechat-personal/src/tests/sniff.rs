//! Sniffing: the personal bills score high from any head, every other sample scores 0, and
//! the merchant WeChat Pay adapters (built and loaded as the host loads them) leave them alone.

use std::path::Path;

use qrecon_payer_bill::testing;

use super::kit::{self, CSV, XLSX};

#[test]
fn personal_bills_score_high_from_any_head() {
    let bytes = CSV.as_bytes();
    for head in [bytes, &bytes[..100], &bytes[..1000], &bytes[..25]] {
        assert_eq!(kit::sniff("bill.csv", head), 95);
    }
    let (gb18030, _, _) = encoding_rs::GB18030.encode(CSV);
    assert_eq!(kit::sniff("bill.csv", &gb18030[..200]), 95);
    let header_only = "\u{feff}交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\r\n";
    assert_eq!(kit::sniff("x.csv", header_only.as_bytes()), 95);
    for name in [
        "wechat_personal_v2026.xlsx",
        "微信支付账单(20250101-20250331).xlsx",
        "WeChat.XLSX",
    ] {
        assert_eq!(kit::sniff(name, &XLSX[..4096]), 95, "{name}");
        assert_eq!(
            kit::sniff(name, &XLSX[..64]),
            95,
            "{name}: the first local header"
        );
    }
    assert_eq!(
        kit::sniff("bill.xlsx", &XLSX[..4096]),
        0,
        "a workbook not named after WeChat"
    );
    assert_eq!(
        kit::sniff("wechat.csv", &XLSX[..4096]),
        0,
        "not named .xlsx"
    );
    assert_eq!(
        kit::sniff("wechat.xlsx", b"PK\x03\x04garbage"),
        0,
        "no workbook parts"
    );
    assert_eq!(kit::sniff("x.csv", b""), 0);
}

/// Every sample that is not this adapter's scores 0: the workspace's plugin fixtures, its
/// example exports, and the shared fixtures beside the repository when they are there.
#[test]
fn every_other_sample_scores_zero() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let plugin = "plugins/wechat-personal";
    testing::assert_other_samples_score_zero(&root, plugin, "wechat_personal", kit::sniff);
}

// Whether the merchant adapters leave these bills alone is checked with every built
// plugin loaded, in tests/e2e/fixtures.rs.
