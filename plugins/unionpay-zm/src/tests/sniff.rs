//! Sniffing: the name first, then a head of ZM lines; every other fixture scores 0.

use qrecon_adapter_sdk::testing;

use super::builder::{Shape, file};
use super::samples;

fn sniff(name: &str, head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), name, head)
}

#[test]
fn the_name_is_enough() {
    for name in [
        samples::A,
        samples::C,
        "/data/2026/INN26010301ZM_777290058110048",
        "C:\\bills\\INN26010399ZME_777290058110048.txt",
    ] {
        assert_eq!(sniff(name, b""), 95, "{name}");
    }
    for name in [
        "INN2601ZM_1",
        "ZM_777290058110048",
        "INN26010301ZN_1",
        "bill.csv",
    ] {
        assert_eq!(sniff(name, b""), 0, "{name}");
    }
}

#[test]
fn a_head_of_zm_lines_scores_70() {
    for (_, bytes) in samples::all() {
        assert_eq!(sniff("download.txt", &bytes), 70);
        let cut = 700.min(bytes.len() - 5);
        assert_eq!(
            sniff("download.txt", &bytes[..cut]),
            70,
            "cut inside the second line"
        );
    }
    let a = samples::a();
    assert_eq!(sniff("x", &a[..300]), 0, "no whole line to judge");
    assert_eq!(sniff("x", &a[..607]), 70, "one whole line without its end");
    let mut mixed = a[..609].to_vec();
    mixed.extend_from_slice(b"Date,Amount\r\n");
    assert_eq!(sniff("x", &mixed), 0, "one line that is not ZM");
    let slipped = {
        let mut line = samples::a_lines()[0].bytes(Shape::Official);
        line.insert(50, b'X');
        line.pop();
        file(&[line], "\n")
    };
    assert_eq!(
        sniff("x", &slipped),
        0,
        "607 bytes, but the separators do not fit"
    );
    assert_eq!(sniff("x", b""), 0);
    assert_eq!(sniff("x", b"S22 \n"), 0);
}

#[test]
fn our_fixtures_score_at_least_90() {
    for path in testing::samples_in(&super::fixtures(), &[]) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).expect("fixture");
        assert!(sniff(name, &bytes) >= 90, "{name}");
    }
}

#[test]
fn every_other_sample_scores_0() {
    // The other adapters' samples in this repository (the shared samples' copies among them).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for folder in ["plugins", "crates"] {
        for entry in std::fs::read_dir(root.join(folder))
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry.file_name() != "unionpay-zm" {
                walk(&entry.path().join("fixtures"), &mut files);
            }
        }
    }
    assert!(
        files.len() > 20,
        "the shared fixtures are there: {}",
        files.len()
    );
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).expect("fixture");
        let head = &bytes[..bytes.len().min(4096)];
        assert_eq!(sniff(name, head), 0, "{}", path.display());
        assert_eq!(sniff(name, &bytes), 0, "{}", path.display());
    }
}

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}
