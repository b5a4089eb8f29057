//! Golden files: every `fixtures/*.xml` has a `fixtures/*.golden.tsv` holding what the adapter
//! makes of it (records with every field, then every issue). The values in them were checked
//! by hand against the XML; the fixtures README says what each file tests. To see the text a
//! golden should hold (for a new fixture, or after a deliberate change), run
//! `cargo test -p qrecon-adapter-camt print_goldens -- --ignored --nocapture` and compare
//! it with the source before copying it over.

use super::{fixture, fixtures_dir, golden, run, xml_fixtures};

fn golden_path(xml: &str) -> std::path::PathBuf {
    fixtures_dir().join(xml.replace(".xml", ".golden.tsv"))
}

#[test]
fn every_fixture_matches_its_golden_file() {
    let fixtures = xml_fixtures();
    assert!(fixtures.len() >= 10, "{fixtures:?}");
    for name in &fixtures {
        let got = golden(&run(name, &fixture(name)));
        let path = golden_path(name);
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing; see print_goldens", path.display()));
        assert_eq!(got, want, "{name} differs from {}", path.display());
    }
}

#[test]
fn no_golden_file_is_orphaned() {
    let fixtures = xml_fixtures();
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(stem) = name.strip_suffix(".golden.tsv") {
            assert!(
                fixtures.contains(&format!("{stem}.xml")),
                "{name} has no fixture"
            );
        }
    }
}

/// Prints the golden text of every fixture (see the module doc).
#[test]
#[ignore = "prints the golden files for a reviewer; run with --ignored --nocapture"]
fn print_goldens() {
    for name in xml_fixtures() {
        println!("==> {}", golden_path(&name).display());
        print!("{}", golden(&run(&name, &fixture(&name))));
    }
}
