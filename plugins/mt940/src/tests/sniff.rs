//! Sniffing: every sample of the format scores 95, also cut short; every other export in the
//! repository and in the shared sample folder scores 0.

use std::path::{Path, PathBuf};

use super::{SAMPLES, sniff};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("target") {
                files(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

/// A README, notes or a golden file: not an export.
fn is_doc(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    [".md", ".golden.tsv", ".golden.txt"]
        .iter()
        .any(|end| name.ends_with(end))
}

/// The shared sample folder, looked for beside the repository.
fn shared_fixtures() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared").join("fixtures"))
        .find(|p| p.is_dir())
}

/// Every export that is not an MT940: other plugins' fixtures, the repository's examples,
/// the shared samples outside `mt940/`, and the `WoLpH` `.yml` files beside ours.
fn others() -> Vec<PathBuf> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The workspace root as a plain path: `crate_dir/../..` would start with `crate_dir`.
    let root = crate_dir
        .parent()
        .and_then(Path::parent)
        .expect("the crate sits in plugins/ of the workspace");
    let mut found = Vec::new();
    files(&root.join("plugins"), &mut found);
    files(&root.join("examples"), &mut found);
    let mut out: Vec<PathBuf> = found
        .into_iter()
        .filter(|p| {
            let in_fixtures = p
                .components()
                .any(|c| c.as_os_str() == "fixtures" || c.as_os_str() == "examples");
            in_fixtures && !p.starts_with(crate_dir) && !is_doc(p)
        })
        .collect();
    if let Some(shared) = shared_fixtures() {
        let mut shared_files = Vec::new();
        files(&shared, &mut shared_files);
        out.extend(shared_files.into_iter().filter(|p| {
            !is_doc(p) && !p.starts_with(shared.join("mt940")) && !p.ends_with("LICENSES.md")
        }));
    }
    files(&crate_dir.join("fixtures"), &mut out);
    out.retain(|p| !is_doc(p) && !p.to_string_lossy().ends_with(".sta"));
    out
}

#[test]
fn every_sample_scores_sure_even_cut_short() {
    for (name, bytes) in SAMPLES {
        assert_eq!(sniff(name, bytes), 95, "{name}");
        for cut in [100, 150, 200, 400, 1000] {
            let head = &bytes[..bytes.len().min(cut)];
            assert_eq!(sniff(name, head), 95, "{name} cut at {cut}");
        }
    }
}

#[test]
fn every_other_export_scores_zero() {
    let others = others();
    assert!(others.len() >= 10, "found the other exports: {others:?}");
    for path in &others {
        let bytes = std::fs::read(path).expect("readable");
        let head = &bytes[..bytes.len().min(8192)];
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert_eq!(sniff(&name, head), 0, "{}", path.display());
    }
}

#[test]
fn envelopes_and_structure() {
    assert_eq!(
        sniff(
            "x",
            b"{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{4:\r\n"
        ),
        95
    );
    assert_eq!(sniff("x", b"{1:F01X}{2:I942BANKDEFFXXXXN}"), 95);
    assert_eq!(sniff("x", b":20:REF\r\n:25:NL71RABO0123456789\r\n"), 95);
    assert_eq!(
        sniff("x", b"\x01\r\n:20:REF\r\n:25:X\r\n"),
        95,
        "SOH before the message"
    );
    assert_eq!(sniff("x", b":60F:C100101EUR1,00\n"), 95);
    assert_eq!(sniff("x", b":61:1001010101D1,00NTRFNONREF\n"), 95);
    // Not MT940.
    assert_eq!(sniff("x", b""), 0);
    assert_eq!(sniff("x", b":20:REF\n"), 0, ":20: alone");
    assert_eq!(sniff("x", b":60F:yesterday\n"), 0);
    assert_eq!(sniff("x", b":61:20240101,paid\n"), 0);
    assert_eq!(sniff("x", b"{1:F01X}{2:O103BANK}"), 0, "a payment message");
    assert_eq!(sniff("x", b"Date,Amount\n:20:,:25:\n"), 0);
    let late = format!("{}:20:A\n:25:B\n", "header line\n".repeat(12));
    assert_eq!(sniff("x", late.as_bytes()), 0, "tags far from the start");
}
