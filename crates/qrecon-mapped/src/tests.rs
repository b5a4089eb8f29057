//! Mappings on the published samples in `fixtures/` (with the example mappings the project
//! ships), on drifted copies of them, and on random input.

use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord, decode_issues, decode_records};
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::text::{self, QuoteOpens};
use qrecon_adapter_sdk::{Decimal, Emitter, Input, NaiveDate};

use crate::Mapping;

const HSBC_DEBIT_MAP: &str =
    include_str!("../../../examples/mappings/hsbchk-debit.qrecon-map.yaml");
const HSBC_CREDIT_MAP: &str =
    include_str!("../../../examples/mappings/hsbchk-credit.qrecon-map.yaml");
const TD_MAP: &str = include_str!("../../../examples/mappings/td-chequing.qrecon-map.yaml");
const HSBC_DEBIT: &str = include_str!("../fixtures/hsbchk_debit.csv");
const HSBC_CREDIT: &str = include_str!("../fixtures/hsbchk_credit.csv");
const TD: &str = include_str!("../fixtures/td_chequing.csv");

struct Parsed {
    records: Vec<OwnedRecord>,
    issues: Vec<OwnedIssue>,
    rows_read: u64,
}

impl Parsed {
    fn of(&self, outcome: Outcome) -> Vec<&OwnedIssue> {
        self.issues
            .iter()
            .filter(|i| i.outcome == outcome)
            .collect()
    }

    /// Every line of `text` reported once (warnings aside).
    fn assert_every_line_once(&self, text: &str) {
        self.assert_lines_once(qrecon_adapter_sdk::text::lines(text).count() as u64);
    }

    /// Every line 1..=n reported once (warnings aside).
    fn assert_lines_once(&self, n: u64) {
        let mut seen: Vec<u64> = self.records.iter().map(|r| r.line).collect();
        seen.extend(
            self.issues
                .iter()
                .filter(|i| i.outcome != Outcome::Warning)
                .map(|i| i.line),
        );
        seen.sort_unstable();
        assert_eq!(seen, (1..=n).collect::<Vec<_>>());
        assert_eq!(self.rows_read, n);
    }

    /// One line per record: line, type, value date, amount, currency, counterparty, memo,
    /// extra — the golden form.
    fn golden(&self) -> String {
        let mut out = String::new();
        for r in &self.records {
            let extra: Vec<String> = r.extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out += &[
                r.line.to_string(),
                r.record_type.clone(),
                r.value_date.map(|d| d.to_string()).unwrap_or_default(),
                r.amount.to_string(),
                r.currency.clone(),
                r.party("counterparty").unwrap_or_default().to_owned(),
                r.party("memo").unwrap_or_default().to_owned(),
                extra.join("|"),
            ]
            .join("\t");
            out.push('\n');
        }
        out
    }
}

/// Compares with a golden file under `fixtures/`; `QRECON_BLESS=1` rewrites it instead (then
/// read the diff against the source file before committing it).
fn assert_golden(actual: &str, file: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(file);
    if std::env::var_os("QRECON_BLESS").is_some() {
        std::fs::write(&path, actual).expect("golden file written");
    }
    let expected = std::fs::read_to_string(&path).expect("golden file");
    assert_eq!(actual, expected, "{file}");
}

fn mapping(yaml: &str) -> Mapping {
    Mapping::from_yaml(yaml).unwrap_or_else(|e| panic!("mapping: {e}"))
}

fn read(m: &Mapping, path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Emitter::new(0);
    m.parse(&Input { path, bytes }, &mut out)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let emitted = out.finish().expect("batches");
    let mut records = Vec::new();
    for b in &emitted.records {
        records.extend(decode_records(b).expect("records decode"));
    }
    Parsed {
        records,
        issues: decode_issues(&emitted.issues).expect("issues decode"),
        rows_read: emitted.rows_read,
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

#[test]
fn hsbc_debit_matches_its_golden_file_and_its_running_balance() {
    let r = read(
        &mapping(HSBC_DEBIT_MAP),
        "hsbchk_debit.csv",
        HSBC_DEBIT.as_bytes(),
    );
    r.assert_every_line_once(HSBC_DEBIT);
    assert!(r.of(Outcome::Quarantined).is_empty());
    assert_golden(&r.golden(), "hsbchk_debit.golden.tsv");
    // Independent of the golden file: each row's balance is the next (older) row's balance
    // plus this row's amount, as the bank printed them (for the first six rows: after them
    // the sample's anonymised balances stop adding up).
    let balances: Vec<Decimal> = r
        .records
        .iter()
        .map(|x| dec(&x.extra_value("Balance").expect("balance").replace(',', "")))
        .collect();
    for i in 0..5 {
        assert_eq!(
            balances[i],
            balances[i + 1] + r.records[i].amount,
            "line {}",
            r.records[i].line
        );
    }
    assert_eq!(r.records[0].value_date, Some(date(2025, 3, 24)));
    assert_eq!(r.records[0].record_type, "debit");
    assert_eq!(r.records[2].amount, dec("500.00"));
    assert_eq!(r.records[2].record_type, "credit");
}

#[test]
fn hsbc_credit_matches_its_golden_file() {
    let r = read(
        &mapping(HSBC_CREDIT_MAP),
        "hsbchk_credit.csv",
        HSBC_CREDIT.as_bytes(),
    );
    r.assert_every_line_once(HSBC_CREDIT);
    assert!(r.of(Outcome::Quarantined).is_empty());
    assert_golden(&r.golden(), "hsbchk_credit.golden.tsv");
    let yahui = &r.records[1];
    assert_eq!(yahui.party("counterparty"), Some("YAHUI CATERING CO.,LTD."));
    assert_eq!(yahui.amount, dec("-18.00"));
    assert_eq!(r.records[0].amount, dec("-1099.14"));
    assert_eq!(r.records[3].currency, "HKD");
    // The direction column agrees with the sign on every row of the sample.
    for x in &r.records {
        let dir = x.extra_value("Credit / Debit").expect("direction");
        assert_eq!(dir == "CREDIT", x.amount > Decimal::ZERO, "line {}", x.line);
    }
}

#[test]
fn td_without_a_header_matches_its_golden_file() {
    let r = read(&mapping(TD_MAP), "td_chequing.csv", TD.as_bytes());
    r.assert_every_line_once(TD);
    assert!(r.of(Outcome::Quarantined).is_empty());
    assert_golden(&r.golden(), "td_chequing.golden.tsv");
    assert_eq!(r.records[0].amount, dec("-1.96"));
    assert_eq!(r.records[3].amount, dec("0.01"));
    assert_eq!(r.records[8].value_date, Some(date(2023, 5, 3)));
    assert_eq!(r.records[8].currency, "CAD");
}

#[test]
fn each_mapping_claims_its_own_files_only() {
    let maps = [
        ("hsbchk_debit.csv", mapping(HSBC_DEBIT_MAP), HSBC_DEBIT),
        ("hsbchk_credit.csv", mapping(HSBC_CREDIT_MAP), HSBC_CREDIT),
        ("td_chequing.csv", mapping(TD_MAP), TD),
    ];
    for (name, m, _) in &maps {
        for (file, _, bytes) in &maps {
            let score = m.sniff(file, bytes.as_bytes());
            let expected = if name == file { 60 } else { 0 };
            if name == file {
                assert!(score >= expected, "{} on its own file: {score}", m.name());
            } else {
                assert_eq!(score, 0, "{} on {file}", m.name());
            }
        }
    }
    // The headerless TD mapping claims only files named as TD names them.
    assert_eq!(mapping(TD_MAP).sniff("statement.csv", TD.as_bytes()), 0);
    assert_eq!(
        mapping(TD_MAP).sniff("accountactivity.csv", TD.as_bytes()),
        60
    );
}

#[test]
fn a_moved_header_an_extra_column_and_a_missing_optional_column_still_read() {
    // Two preamble lines, a new column after the date, and Billing currency gone.
    let rows: Vec<String> = HSBC_DEBIT
        .lines()
        .map(|l| {
            let mut cells: Vec<String> = text::split_delimited(l, ',', QuoteOpens::AfterPadding)
                .expect("the sample splits")
                .into_iter()
                .map(|c| format!("\"{}\"", c.trim()))
                .collect();
            cells.remove(3);
            cells.insert(
                1,
                if cells[0] == "\"Date\"" {
                    "Channel"
                } else {
                    "ONLINE"
                }
                .to_owned(),
            );
            cells.join(",")
        })
        .collect();
    let drifted = format!("Account 012-345678-001\n\n{}\n", rows.join("\n"));
    let m = mapping(&HSBC_DEBIT_MAP.replace(", Billing currency", ""));
    assert_eq!(m.sniff("x.csv", drifted.as_bytes()), 90);
    let r = read(&m, "x.csv", drifted.as_bytes());
    r.assert_every_line_once(&drifted);
    assert_eq!(r.records.len(), 10);
    assert!(r.of(Outcome::Quarantined).is_empty());
    let warnings = r.of(Outcome::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .reason
            .contains("\"Billing currency\" (currency)")
    );
    assert_eq!(r.records[0].extra_value("Channel"), Some("ONLINE"));
    assert_eq!(
        r.records[0].currency, "CNY",
        "the default when the column is gone"
    );
    assert_eq!(r.records[0].amount, dec("-1.00"));
}

#[test]
fn bad_rows_are_quarantined_with_the_field_and_what_was_expected() {
    let text = "Date,Description,Billing amount,Billing currency,Balance,Balance currency\n\
                31/02/2025,X,\"-1.00\",HKD,1.00,HKD\n\
                01/03/2025,X,abc,HKD,1.00,HKD\n\
                01/03/2025,X,1.00,HKD\n\
                01/03/2025,\"open,1.00,HKD,1.00,HKD\n\
                01/03/2025,Y,2.00,HKD,1.00,HKD\n";
    let r = read(&mapping(HSBC_DEBIT_MAP), "x.csv", text.as_bytes());
    r.assert_lines_once(6);
    let q = r.of(Outcome::Quarantined);
    assert_eq!(q.iter().map(|i| i.line).collect::<Vec<_>>(), [2, 3, 4, 5]);
    assert_eq!(q[0].field.as_deref(), Some("Date"));
    assert!(
        q[0].reason.contains("a date written %d/%m/%Y"),
        "{}",
        q[0].reason
    );
    assert_eq!(q[1].field.as_deref(), Some("Billing amount"));
    assert!(
        q[1].reason.contains("an amount like 1,234.56"),
        "{}",
        q[1].reason
    );
    assert!(q[2].reason.contains("expected 6 cells"), "{}", q[2].reason);
    assert!(q[3].reason.contains("not closed"), "{}", q[3].reason);
    assert_eq!(
        q[0].raw.as_deref(),
        Some("31/02/2025,X,\"-1.00\",HKD,1.00,HKD")
    );
    assert_eq!(r.records.len(), 1);
}

#[test]
fn pending_rows_comments_and_footers_are_skipped_with_their_reason() {
    let text = HSBC_CREDIT.replacen(
        ",POSTED,MCDONALDS,CHINA,CHN,DEBIT",
        ",PENDING,MCDONALDS,CHINA,CHN,DEBIT",
        1,
    ) + "\n# exported by a test\nTotal,,,,,,,,,\nanything after the footer\n";
    let m = mapping(&format!(
        "{HSBC_CREDIT_MAP}skip_lines_starting_with: [\"#\"]\nfooter_starts_with: [Total]\n"
    ));
    let r = read(&m, "x.csv", text.as_bytes());
    r.assert_every_line_once(&text);
    assert_eq!(r.records.len(), 10);
    let skipped: Vec<(u64, &str)> = r
        .of(Outcome::Skipped)
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (1, "header"),
            (4, "pending, not booked (Transaction status = PENDING)"),
            (13, "comment line"),
            (14, "footer"),
            (15, "footer"),
        ]
    );
}

#[test]
fn direction_columns_and_other_number_formats() {
    let yaml = "name: de\nencoding: windows-1252\ndelimiter: \";\"\n\
                header: { contains: [Buchungstag, Betrag, Soll/Haben] }\n\
                fields:\n  value_date: { column: Buchungstag, format: \"%d.%m.%Y\" }\n\
                \x20 amount: { column: Betrag, direction: { column: Soll/Haben, credit: [H], debit: [S] } }\n\
                \x20 counterparty: { column: Empfänger }\n\
                numbers: { decimal: \",\", thousands: \".\" }\n";
    let m = mapping(yaml);
    // Latin-1 bytes: "Empfänger", "Müller".
    let mut bytes = b"Buchungstag;Empf\xe4nger;Betrag;Soll/Haben\n".to_vec();
    bytes.extend_from_slice(
        b"02.01.2026;M\xfcller GmbH;1.234,50;H\n03.01.2026;Strom;89,10;S\n04.01.2026;X;1,00;?\n",
    );
    let r = read(&m, "umsatz.csv", &bytes);
    r.assert_lines_once(4);
    assert_eq!(r.records[0].amount, dec("1234.50"));
    assert_eq!(r.records[0].party("counterparty"), Some("Müller GmbH"));
    assert_eq!(r.records[1].amount, dec("-89.10"));
    assert_eq!(r.records[1].record_type, "debit");
    let q = r.of(Outcome::Quarantined);
    assert_eq!(q[0].field.as_deref(), Some("Soll/Haben"));
    assert!(q[0].reason.contains("one of H, S"), "{}", q[0].reason);
}

#[test]
fn a_file_without_its_header_is_refused_and_a_required_column_must_exist() {
    let m = mapping(HSBC_DEBIT_MAP);
    let mut out = Emitter::new(0);
    let e = m
        .parse(
            &Input {
                path: "x.csv",
                bytes: TD.as_bytes(),
            },
            &mut out,
        )
        .expect_err("no header");
    assert!(
        e.message.contains("no header row naming Date, Description"),
        "{e}"
    );
    let m = mapping(&HSBC_DEBIT_MAP.replace("column: Description", "column: Details"));
    let mut out = Emitter::new(0);
    let parsed = m.parse(
        &Input {
            path: "x.csv",
            bytes: HSBC_DEBIT.as_bytes(),
        },
        &mut out,
    );
    assert!(parsed.is_ok(), "memo is optional");
    let m = mapping(&HSBC_DEBIT_MAP.replace(
        "amount: { column: Billing amount }",
        "amount: { column: Amount }",
    ));
    let mut out = Emitter::new(0);
    let e = m
        .parse(
            &Input {
                path: "x.csv",
                bytes: HSBC_DEBIT.as_bytes(),
            },
            &mut out,
        )
        .expect_err("amount is required");
    assert_eq!(e.line, Some(1));
    assert!(
        e.message
            .contains("column \"Amount\" (amount) is not in the header"),
        "{e}"
    );
}

#[test]
fn mapping_mistakes_name_their_line_and_what_was_expected() {
    let cases = [
        (
            "name: x\nheader: { contains: [A] }\nfields:\n  amount: { column: A }\n  value_date: { column: A }\n",
            5,
            "expected a `format`",
        ),
        (
            "name: x\nheader: { contains: [A] }\nfields:\n  amount: { column: A }\n",
            3,
            "expected value_date or time",
        ),
        (
            "name: x\nencoding: klingon\nheader: { contains: [A] }\nfields:\n  amount: { column: A }\n  time: { column: A, format: \"%F %T\" }\n",
            2,
            "expected an encoding label",
        ),
        (
            "name: x\nheader: {}\nfields:\n  amount: { column: A }\n  time: { column: A, format: \"%F %T\" }\n",
            2,
            "header: expected",
        ),
        (
            "name: x\nheader: { contains: [A] }\nfields:\n  amount: { credit: A }\n  time: { column: A, format: \"%F %T\" }\n",
            4,
            "both `credit` and `debit`",
        ),
        (
            "name: x\nheader: { contains: [A] }\nfields:\n  amount: { column: A }\n  time: { column: A, format: \"%F %T\" }\ncolour: red\n",
            6,
            "unknown field `colour`",
        ),
        (
            "name: x\ndelimiter: \";;\"\nheader: { contains: [A] }\nfields:\n  amount: { column: A }\n  time: { column: A, format: \"%F %T\" }\n",
            2,
            "expected one character",
        ),
    ];
    for (yaml, line, wanted) in cases {
        let e = Mapping::from_yaml(yaml).expect_err(yaml);
        assert_eq!(e.line, Some(line), "{yaml}\n{e}");
        assert!(e.message.contains(wanted), "{yaml}\n{e}");
    }
}

mod random {
    use proptest::prelude::*;

    use super::*;

    fn count(m: &Mapping, bytes: &[u8]) {
        let _ = m.sniff("td_x.csv", bytes);
        let mut out = Emitter::new(0);
        if m.parse(&Input { path: "x", bytes }, &mut out).is_ok() {
            let lines = qrecon_adapter_sdk::text::lines(&String::from_utf8_lossy(bytes)).count();
            assert_eq!(out.rows_read(), lines as u64);
        }
        let _ = out.finish();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for yaml in [HSBC_DEBIT_MAP, HSBC_CREDIT_MAP, TD_MAP] {
                count(&mapping(yaml), &bytes);
            }
        }

        #[test]
        fn truncated_and_flipped_samples_never_panic(cut in 0usize..2000, flip in 0usize..2000, byte in any::<u8>()) {
            for (yaml, sample) in [(HSBC_DEBIT_MAP, HSBC_DEBIT), (HSBC_CREDIT_MAP, HSBC_CREDIT), (TD_MAP, TD)] {
                let mut bytes = sample.as_bytes().to_vec();
                if !bytes.is_empty() {
                    let at = flip % bytes.len();
                    bytes[at] = byte;
                }
                bytes.truncate(cut.min(bytes.len()));
                count(&mapping(yaml), &bytes);
            }
        }
    }
}
