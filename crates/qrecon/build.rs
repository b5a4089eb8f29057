//! Builds the default rule pack into the binary: every `rules/*.rhai` of the workspace, so
//! `qrecon run` without a `rules` setting uses the pack the repository ships and tests.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("../../rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the workspace's rules/ folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
        .collect();
    paths.sort();
    let mut out = String::from(
        "/// The default rule pack: `(path, text)` of every `rules/*.rhai`.\npub const DEFAULT_RULES: &[(&str, &str)] = &[\n",
    );
    for p in &paths {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 rule file name");
        let full = p.canonicalize().expect("rule file path");
        let _ = writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            format!("rules/{name}"),
            full.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_rules.rs");
    std::fs::write(dest, out).expect("write default_rules.rs");
}
