//! Sniffing through the C ABI: our fixtures (and their heads cut anywhere past the message
//! element) score ≥ 90; every other fixture of the project and of the shared sample folder
//! scores 0.

use std::path::{Path, PathBuf};

use qrecon_adapter_sdk::testing;

use super::{fixture, fixtures_dir, xml_fixtures};

fn sniff(name: &str, head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), name, head)
}

/// Every file below `dir`.
fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// The shared sample folder (`shared/fixtures`), looked for beside the repository.
fn shared_fixtures() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared").join("fixtures"))
        .find(|p| p.is_dir())
}

#[test]
fn our_fixtures_score_sure_even_cut_short() {
    for name in xml_fixtures() {
        let bytes = fixture(&name);
        assert!(sniff(&name, &bytes) >= 90, "{name}");
        let message = [
            "<BkToCstmrStmt",
            "<BkToCstmrAcctRpt",
            "<BkToCstmrDbtCdtNtfctn",
        ]
        .iter()
        .filter_map(|m| bytes.windows(m.len()).position(|w| w == m.as_bytes()))
        .min()
        .expect("a message element");
        for cut in (message + 10..bytes.len()).step_by(97) {
            assert!(sniff(&name, &bytes[..cut]) >= 90, "{name} cut at {cut}");
        }
    }
}

#[test]
fn every_other_fixture_scores_zero() {
    let mut others = Vec::new();
    let plugins = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("plugins");
    let ours = fixtures_dir().canonicalize().expect("fixtures");
    files(&plugins, &mut others);
    others.retain(|p| {
        let s = p.to_string_lossy();
        s.contains("/fixtures/") && !p.starts_with(&ours) && !s.contains("/target/")
    });
    let shared = shared_fixtures();
    if let Some(shared) = &shared {
        let mut found = Vec::new();
        files(shared, &mut found);
        others.extend(
            found
                .into_iter()
                .filter(|p| !p.to_string_lossy().contains("camt053")),
        );
    }
    assert!(others.len() >= 10, "other fixtures found: {others:?}");
    for path in &others {
        let bytes = std::fs::read(path).expect("readable");
        let head = &bytes[..bytes.len().min(8192)];
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert_eq!(sniff(&name, head), 0, "{}", path.display());
    }
    if let Some(shared) = shared {
        let mut ours = Vec::new();
        files(&shared.join("camt053"), &mut ours);
        for path in ours {
            let bytes = std::fs::read(&path).expect("readable");
            assert!(
                sniff("x.xml", &bytes[..bytes.len().min(4096)]) >= 90,
                "{}",
                path.display()
            );
        }
    }
}
