//! Sniff scores: the samples by name and head, other formats and other platforms' workbooks
//! at 0.

use std::path::{Path, PathBuf};

use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::testing;

use super::{CCB, CCB_NAME, SAMPLES, sniff};
use crate::workbook::{OLE2_MAGIC, ZIP_MAGIC};

/// The host hands sniff the first 8 KiB.
const HEAD: usize = 8 * 1024;

fn head(bytes: &[u8]) -> &[u8] {
    bytes.get(..HEAD).unwrap_or(bytes)
}

/// The WeChat personal bill `.xlsx` (another adapter's format), where this checkout has it.
fn wechat_xlsx() -> Option<Vec<u8>> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../wechat-personal/fixtures/wechat_personal_v2026.xlsx"
    ))
    .ok()
}

#[test]
fn samples_score_by_name_and_head() {
    for (name, bytes) in SAMPLES {
        assert_eq!(
            sniff(name, head(bytes)),
            85,
            "{name}: a bank and a statement in the name"
        );
    }
    assert_eq!(
        sniff(CCB_NAME, CCB),
        95,
        "the whole file shows the CCB header"
    );
    assert_eq!(sniff("download.xls", CCB), 95, "the header alone is enough");
    assert_eq!(
        sniff("交易明细_1546_20250101_20250620.xls", head(CCB)),
        70,
        "CCB's own file name says statement, not bank"
    );
    assert_eq!(sniff("建设银行.XLS", head(CCB)), 70);
    assert_eq!(
        sniff("download.xls", head(CCB)),
        0,
        "nothing says bank statement"
    );
}

#[test]
fn a_head_cut_anywhere_is_sniffed_without_panicking() {
    for cut in (0..=HEAD).step_by(97) {
        let score = sniff(CCB_NAME, &CCB[..cut]);
        assert!(score == 0 || score == 85, "cut {cut}: {score}");
    }
    assert_eq!(sniff(CCB_NAME, &CCB[..7]), 0, "half a magic number");
}

#[test]
fn other_names_and_bytes_score_zero() {
    let ole2 = [OLE2_MAGIC, &[0; 64]].concat();
    let zip = [ZIP_MAGIC, &[0; 64]].concat();
    for (name, head) in [
        ("交易明细.csv", &b"\xe4\xba\xa4\xe6\x98\x93,\n"[..]),
        ("交易明细.xls", b"<html><table>"),
        ("交易明细.pdf", &ole2),
        ("accbook.xlsx", &zip),
        ("微信支付账单流水文件(20250101-20250630).xlsx", &zip),
        ("支付宝交易明细(20250101-20250630).xlsx", &zip),
        ("wechat_statement.xlsx", &zip),
        ("report.xlsx", &zip),
        ("", &ole2),
    ] {
        assert_eq!(sniff(name, head), 0, "{name}");
    }
    assert_eq!(sniff("ccb.xlsx", &zip), 70);
}

#[test]
fn the_wechat_personal_workbook_scores_zero_and_is_refused() {
    let Some(bytes) = wechat_xlsx() else {
        return;
    };
    assert_eq!(sniff("wechat_personal_v2026.xlsx", head(&bytes)), 0);
    assert_eq!(sniff("wechat_personal_v2026.xlsx", &bytes), 0);
    let parsed = testing::parse(crate::qrecon_descriptor(), "交易明细.xlsx", &bytes);
    assert_eq!(
        parsed.status, STATUS_FILE_ERROR,
        "no bank header in a WeChat bill"
    );
    let message = parsed.message.unwrap_or_default();
    assert!(
        message.contains("no known bank statement header"),
        "{message}"
    );
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn every_other_fixture_scores_zero() {
    let plugins = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    // The other adapters' samples in this repository (the shared samples' copies among them).
    let mut others: Vec<PathBuf> = files(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../crates/qrecon-mapped/fixtures"
    )));
    for plugin in std::fs::read_dir(plugins).into_iter().flatten().flatten() {
        if plugin.file_name() != "cn-bank-xls" {
            others.extend(files(&plugin.path().join("fixtures")));
        }
    }
    let mine = |p: &Path| p.components().any(|c| c.as_os_str() == "ccb");
    let mut checked = 0;
    for path in others.iter().filter(|p| !mine(p)) {
        let bytes = std::fs::read(path).unwrap_or_default();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert_eq!(sniff(name, head(&bytes)), 0, "{}", path.display());
        checked += 1;
    }
    assert!(checked > 20, "{checked} samples checked");
}
