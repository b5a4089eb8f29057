//! The fixtures: what the samples build, their golden files, and the widths they are laid
//! out in.

use qrecon_adapter_sdk::testing;

use super::builder::{NEWER_WIDTHS, OFFICIAL_WIDTHS, ZME_WIDTHS};
use super::samples;
use super::{fixtures, parse, quarantined};
use crate::layout::{
    COMMON, COMMON_LEN, CORE_LEN, NEWER_LEN, OFFICIAL_LEN, TAIL_NEWER, TAIL_OFFICIAL, ZME_LEN,
};

#[test]
fn fixtures_are_what_the_samples_build() {
    for (name, bytes) in samples::all() {
        let path = fixtures().join(name);
        if std::env::var_os("QRECON_BLESS").is_some() {
            std::fs::write(&path, &bytes).expect("write the fixture");
        }
        let on_disk = std::fs::read(&path).expect("read the fixture");
        assert!(
            on_disk == bytes,
            "{name} differs from what samples.rs builds"
        );
    }
}

#[test]
fn samples_match_their_golden_files() {
    let checked = testing::check_samples(crate::qrecon_descriptor(), &fixtures(), &[]);
    assert_eq!(checked.len(), 3, "{checked:?}");
}

#[test]
fn samples_read_every_line_and_quarantine_none() {
    for (name, bytes) in samples::all() {
        let parsed = parse(name, &bytes);
        assert!(
            quarantined(&parsed).is_empty(),
            "{name}: {:?}",
            parsed.issues
        );
    }
}

#[test]
fn the_tables_have_the_sdk_widths() {
    let official: Vec<usize> = COMMON
        .iter()
        .chain(&TAIL_OFFICIAL)
        .map(|f| f.width)
        .collect();
    assert_eq!(official, OFFICIAL_WIDTHS);
    let newer: Vec<usize> = COMMON.iter().chain(&TAIL_NEWER).map(|f| f.width).collect();
    assert_eq!(newer, NEWER_WIDTHS);
    let sum = |w: &[usize]| w.iter().sum::<usize>() + w.len() - 1;
    assert_eq!((OFFICIAL_LEN, sum(&OFFICIAL_WIDTHS)), (607, 607));
    assert_eq!((NEWER_LEN, sum(&NEWER_WIDTHS)), (608, 608));
    assert_eq!((ZME_LEN, sum(&ZME_WIDTHS)), (339, 339));
    assert_eq!(COMMON_LEN, 509, "41 fields and their separators");
    assert_eq!(CORE_LEN, 308, "through 商户代码");
    // The older SDK's `…,1,131` is the same bytes as the official `…,1,32,98`.
    let mut older = OFFICIAL_WIDTHS[..40].to_vec();
    older.push(131);
    assert_eq!(sum(&older), OFFICIAL_LEN);
}

/// Prints the golden text of every sample, for a reviewer to regenerate and read
/// (`cargo test -p qrecon-adapter-unionpay-zm print_golden -- --ignored --nocapture`).
#[test]
#[ignore = "prints, checks nothing"]
fn print_golden() {
    for (name, bytes) in samples::all() {
        println!("== {name}\n{}", testing::golden_text(&parse(name, &bytes)));
    }
}
