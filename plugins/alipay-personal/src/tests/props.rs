//! Property tests: random bytes, the samples cut at every offset, and the samples with bytes
//! changed never panic, and every line is reported exactly once.

use proptest::prelude::*;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

use super::kit::{PC, V2023, gbk};
use super::layouts::V2021;

/// Parses `bytes`; the parse must succeed or refuse the file, and a successful one must report
/// every line once.
fn check(bytes: &[u8]) {
    let parsed = testing::parse(crate::qrecon_descriptor(), "p.csv", bytes);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "status {} ({:?})",
        parsed.status,
        parsed.message
    );
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(bytes);
    }
    let _ = testing::sniff(crate::qrecon_descriptor(), "p.csv", bytes);
}

fn samples() -> Vec<Vec<u8>> {
    vec![V2023.to_vec(), PC.to_vec(), gbk(V2021)]
}

#[test]
fn samples_cut_at_every_offset() {
    for sample in samples() {
        for end in 0..=sample.len() {
            check(&sample[..end]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check(&bytes);
    }

    #[test]
    fn samples_with_bytes_changed(
        which in 0usize..3,
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
    ) {
        let mut bytes = samples().swap_remove(which);
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        check(&bytes);
    }

    #[test]
    fn random_rows_after_a_real_header(rows in proptest::collection::vec("[支出收入不计,0-9.:\\- \t/_x\"]{0,80}", 0..20)) {
        let mut text = String::from("交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n");
        for row in rows {
            text.push_str(&row);
            text.push('\n');
        }
        check(text.as_bytes());
    }
}
