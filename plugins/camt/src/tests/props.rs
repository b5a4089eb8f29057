//! Property tests: random bytes, the fixtures cut at every offset or with bytes flipped, and
//! random element trees built from camt's vocabulary never panic, and whenever a file parses
//! its row count adds up (records + quarantined + skipped = rows read).

use proptest::prelude::*;
use qrecon_adapter_sdk::abi::{STATUS_OK, STATUS_PANIC};
use qrecon_adapter_sdk::plugin::Parsed;

use super::{assert_consistent, fixture, run, xml_fixtures};

/// Parses and checks what must hold whatever the input.
fn check(bytes: &[u8]) -> Parsed {
    let parsed = run("prop.xml", bytes);
    assert_ne!(parsed.status, STATUS_PANIC, "{:?}", parsed.message);
    if parsed.status == STATUS_OK {
        assert_consistent(&parsed);
    } else {
        assert!(parsed.message.is_some(), "a file error says why");
    }
    let _ = qrecon_adapter_sdk::testing::sniff(crate::qrecon_descriptor(), "prop.xml", bytes);
    parsed
}

#[test]
fn every_fixture_cut_at_every_offset() {
    for name in xml_fixtures() {
        let bytes = fixture(&name);
        for cut in 0..bytes.len() {
            check(&bytes[..cut]);
        }
    }
}

const NAMES: &[&str] = &[
    "Ntry",
    "NtryDtls",
    "TxDtls",
    "Btch",
    "Amt",
    "CdtDbtInd",
    "RvslInd",
    "Sts",
    "Cd",
    "Prtry",
    "BookgDt",
    "ValDt",
    "Dt",
    "DtTm",
    "AcctSvcrRef",
    "Refs",
    "EndToEndId",
    "AmtDtls",
    "TxAmt",
    "RltdPties",
    "Dbtr",
    "Cdtr",
    "Pty",
    "Nm",
    "RmtInf",
    "Ustrd",
    "Strd",
    "CdtrRefInf",
    "Ref",
    "RtrInf",
    "Rsn",
    "Chrgs",
    "Rcrd",
    "BkTxCd",
    "Domn",
    "Fmly",
    "SubFmlyCd",
    "Bal",
    "Tp",
    "CdOrPrtry",
    "TxsSummry",
    "TtlNtries",
    "NbOfNtries",
    "Sum",
    "Foo",
];

const VALUES: &[&str] = &[
    "CRDT",
    "DBIT",
    "BOOK",
    "PDNG",
    "INFO",
    "true",
    "false",
    "1.00",
    "0",
    "99.12345",
    "1.234567",
    "-3",
    "2026-06-01",
    "2026-06-01T10:00:00+02:00",
    "2026-13-01",
    "x",
    "",
    "&amp;",
    "&#xFC;",
    "OPBD",
    "CLBD",
    "NOTPROVIDED",
];

/// A random element built from camt's names, values and the currency attribute.
fn element() -> impl Strategy<Value = String> {
    let leaf = (0..NAMES.len(), 0..VALUES.len(), any::<bool>()).prop_map(|(n, v, ccy)| {
        let attr = if ccy { " Ccy=\"EUR\"" } else { "" };
        format!("<{0}{attr}>{1}</{0}>", NAMES[n], VALUES[v])
    });
    leaf.prop_recursive(5, 64, 6, |inner| {
        (0..NAMES.len(), prop::collection::vec(inner, 0..6))
            .prop_map(|(n, kids)| format!("<{0}>\n{1}\n</{0}>", NAMES[n], kids.join("\n")))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn random_markup_never_panics(text in "[<>/a-zA-Z &;#x0-9=\"\n:!?\\[\\]-]{0,600}") {
        check(format!("<Document><BkToCstmrStmt><Stmt>{text}").as_bytes());
        check(text.as_bytes());
    }

    #[test]
    fn flipped_bytes_never_panic(
        which in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let names = xml_fixtures();
        let name: &String = which.get(names.as_slice());
        let mut bytes = fixture(name);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        check(&bytes);
    }

    #[test]
    fn random_camt_trees_parse_and_add_up(entries in prop::collection::vec(element(), 0..6)) {
        let text = format!(
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\
             <Stmt><Id>P</Id>\n{}\n</Stmt></BkToCstmrStmt></Document>",
            entries.join("\n")
        );
        let parsed = check(text.as_bytes());
        prop_assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
        let top_level_rows = entries
            .iter()
            .filter(|e| e.starts_with("<Ntry>") || e.starts_with("<Ntry ") || e.starts_with("<Bal>") || e.starts_with("<Bal "))
            .count() as u64;
        prop_assert!(parsed.rows_read > top_level_rows, "the header is a row too");
    }
}
