//! Sniffing: the personal bills score high from any head, every other sample scores 0, and
//! the merchant Alipay adapter (built and loaded as the host loads it) leaves them alone.

use std::path::Path;

use qrecon_payer_bill::testing;

use super::kit::{self, PC, V2023, gbk, utf8};
use super::layouts::V2021;

const MINE: &str = "alipay_personal";

#[test]
fn personal_bills_score_high_from_any_head() {
    let v2021 = gbk(V2021);
    for bytes in [V2023, PC, &v2021] {
        let text = utf8(bytes);
        for head in [
            bytes,
            &bytes[..bytes.len().min(300)],
            &bytes[..101],
            text.as_bytes(),
        ] {
            assert_eq!(kit::sniff("bill.csv", head), 95);
        }
        assert_eq!(
            kit::sniff("x", &text.as_bytes()[..200]),
            95,
            "a head cut inside a character"
        );
    }
    let header_only = "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n";
    assert_eq!(kit::sniff("x.csv", header_only.as_bytes()), 95);
    assert_eq!(kit::sniff("x.csv", b""), 0);
    assert_eq!(kit::sniff("x.csv", b"Date,Description,Amount\n"), 0);
}

/// Every sample that is not this adapter's scores 0: the workspace's plugin fixtures, its
/// example exports, and the shared fixtures beside the repository when they are there.
#[test]
fn every_other_sample_scores_zero() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let plugin = "plugins/alipay-personal";
    testing::assert_other_samples_score_zero(&root, plugin, MINE, kit::sniff);
}

#[test]
fn the_merchant_alipay_samples_score_zero_by_name() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../alipay/fixtures");
    for name in [
        "trade_20880211096256330156_20261109.csv",
        "trade_20880211096256330156_20261111_empty.csv",
        "account_20880211096256330156_20261109.csv",
        "account_20880211096256330156_20261110_reordered.csv",
    ] {
        let bytes = std::fs::read(dir.join(name)).expect("a merchant sample");
        assert_eq!(kit::sniff(name, &bytes), 0, "{name}");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        assert_eq!(kit::sniff(name, &gbk), 0, "{name} in GBK");
    }
}

// Whether the merchant adapters leave these bills alone is checked with every built
// plugin loaded, in tests/e2e/fixtures.rs.
