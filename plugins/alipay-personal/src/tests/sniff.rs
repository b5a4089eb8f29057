//! Sniffing: the personal bills score high from any head, every other sample scores 0, and
//! the merchant Alipay adapter (built and loaded as the host loads it) leaves them alone.

use std::path::{Path, PathBuf};

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

/// Every file under `dir` (recursively).
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The workspace's plugin fixtures (other than this adapter's), its example exports, and the
/// shared fixtures beside the repository when they are there.
fn other_samples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for plugin in files(&root.join("plugins")) {
        let in_fixtures = plugin.components().any(|c| c.as_os_str() == "fixtures");
        let mine = plugin.starts_with(root.join("plugins/alipay-personal"));
        if in_fixtures && !mine && !is_doc(&plugin) {
            out.push(plugin);
        }
    }
    out.extend(files(&root.join("examples/exports")));
    out.extend(
        files(&root.join("../shared/fixtures"))
            .into_iter()
            .filter(|p| !p.components().any(|c| c.as_os_str() == MINE) && !is_doc(p)),
    );
    out
}

/// A README, format notes or a golden file: not an export.
fn is_doc(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    [".md", ".golden.tsv"].iter().any(|end| name.ends_with(end))
}

#[test]
fn every_other_sample_scores_zero() {
    let others = other_samples();
    assert!(others.len() > 10, "found the other samples: {others:?}");
    for path in others {
        let bytes = std::fs::read(&path).expect("read a sample");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let head = &bytes[..bytes.len().min(8 * 1024)];
        assert_eq!(kit::sniff(name, head), 0, "{}", path.display());
    }
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
