//! Sniffing: the personal bills score high from any head, every other sample scores 0, and
//! the merchant WeChat Pay adapters (built and loaded as the host loads them) leave them alone.

use std::path::{Path, PathBuf};

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

/// A README, format notes or a golden file: not an export.
fn is_doc(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    [".md", ".golden.tsv"].iter().any(|end| name.ends_with(end))
}

/// The workspace's plugin fixtures (other than this adapter's), its example exports, and the
/// shared fixtures beside the repository when they are there.
fn other_samples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mine = |p: &Path| {
        p.starts_with(root.join("plugins/wechat-personal"))
            || p.components().any(|c| c.as_os_str() == "wechat_personal")
    };
    let fixtures = |p: &Path| p.components().any(|c| c.as_os_str() == "fixtures");
    files(&root.join("plugins"))
        .into_iter()
        .filter(|p| fixtures(p))
        .chain(files(&root.join("examples/exports")))
        .chain(files(&root.join("../shared/fixtures")))
        .filter(|p| !mine(p) && !is_doc(p))
        .collect()
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

// Whether the merchant adapters leave these bills alone is checked with every built
// plugin loaded, in tests/e2e/fixtures.rs.
