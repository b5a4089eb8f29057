//! The mapping checked field by field against the fixtures' XML (line numbers are those of the
//! `<Ntry>` / `<TxDtls>` start tags in the files).

use qrecon_adapter_sdk::decode::OwnedRecord;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, Kind, NaiveDate, Status};

use super::{dec, expected_rows, fixture, fixture_text, issues, parse, warnings, xml_fixtures};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn load(name: &str) -> Parsed {
    parse(name, &fixture(name))
}

fn skip_reasons(parsed: &Parsed) -> Vec<(u64, &str)> {
    issues(parsed, Outcome::Skipped)
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect()
}

fn extra<'r>(r: &'r OwnedRecord, key: &str) -> Option<&'r str> {
    r.extra_value(key)
}

#[test]
fn every_readable_fixture_parses_without_quarantine_and_its_rows_are_explained() {
    for name in xml_fixtures() {
        if name.contains("doctype") {
            continue;
        }
        let parsed = load(&name);
        assert!(issues(&parsed, Outcome::Quarantined).is_empty(), "{name}");
        // Each entry, balance and statement is one row; the v08 batch adds one transaction.
        let extra_parts = u64::from(name == "qrecon_camt053_v08.xml");
        assert_eq!(
            parsed.rows_read,
            expected_rows(&fixture_text(&name), extra_parts),
            "{name}"
        );
        for r in &parsed.records {
            assert_eq!(
                (r.kind, r.provider.as_str()),
                (Kind::Bank, "bank"),
                "{name}"
            );
            let sign_ok = if r.record_type == "credit" {
                r.amount >= Decimal::ZERO
            } else {
                r.record_type == "debit" && r.amount <= Decimal::ZERO
            };
            assert!(
                sign_ok,
                "{name} line {}: {} {}",
                r.line, r.record_type, r.amount
            );
        }
    }
}

#[test]
fn genkgo_minimal_statement() {
    let p = load("genkgo_camt053.v2.minimal.xml");
    assert_eq!(p.records.len(), 1);
    let r = p.record_at(90);
    assert_eq!(
        (r.record_type.as_str(), r.amount, r.currency.as_str()),
        ("credit", dec("8.85"), "EUR")
    );
    assert_eq!(
        (r.status, r.status_raw.as_deref()),
        (Status::Success, Some("BOOK"))
    );
    assert_eq!(r.value_date, Some(date("2015-01-02")), "ValDt, not BookgDt");
    assert_eq!(r.time, None, "BookgDt is a plain date");
    assert_eq!(r.id("account"), Some("NL26VAYB8060476890"));
    assert_eq!(r.id("bank_ref"), None, "the entry has no AcctSvcrRef");
    assert_eq!(
        r.party("counterparty"),
        Some("NAME NAME"),
        "the debtor of a credit"
    );
    assert_eq!(r.party("memo"), Some("4654654654654654"), "CdtrRefInf/Ref");
    assert_eq!(extra(r, "bank_tx_code"), Some("544"));
    assert_eq!(extra(r, "counterparty_account"), Some("NL56AGDH9619008421"));
    assert_eq!(
        skip_reasons(&p),
        [
            (26, "statement header 253EURNL26VAYB8060476890"),
            (42, "balance OPBD 18.15 EUR on 2014-12-30"),
            (54, "balance CLBD -27.00 SEK on 2014-12-31"),
            (66, "balance OPAV 35.00 CHF on 2014-12-30"),
            (78, "balance CLAV -2700 JPY on 2014-12-31"),
        ]
    );
    assert!(
        warnings(&p).is_empty(),
        "OPBD and CLBD differ in currency: not checked"
    );
}

#[test]
fn genkgo_multi_statement_balances_chain() {
    let p = load("genkgo_camt053.v2.multi.statement.xml");
    let first = p.record_at(66);
    assert_eq!(
        (first.amount, extra(first, "end_to_end_id")),
        (dec("8.85"), Some("000000001"))
    );
    assert_eq!(
        first.party("counterparty"),
        None,
        "a credit naming only its creditor"
    );
    assert_eq!(extra(first, "creditor"), Some("Company Name 1"));
    assert_eq!(first.party("memo"), Some("Transaction Description 1"));
    let second = p.record_at(145);
    assert_eq!(
        (second.record_type.as_str(), second.amount),
        ("debit", dec("-7.00"))
    );
    assert_eq!(second.party("counterparty"), Some("Company Name 2"));
    assert_eq!(
        extra(second, "statement_id"),
        Some("254EURNL26VAYB8060476890")
    );
    assert!(
        warnings(&p).is_empty(),
        "18.15 + 8.85 = 27.00 and 27.00 - 7.00 = 20.00"
    );
}

#[test]
fn genkgo_v4_and_report() {
    let p = load("genkgo_camt053.v4.xml");
    let r = p.record_at(110);
    assert_eq!(
        r.id("account"),
        Some("NL26VAYB8060476890"),
        "Acct/Id/Othr/Id"
    );
    assert_eq!(r.id("bank_ref"), Some("AAAASESS-FP-CN_98765/01"));
    assert_eq!(extra(r, "bank_tx_code"), Some("PAYM/0001/0005"));
    assert_eq!(
        r.amount,
        dec("8.85"),
        "the entry's amount, not its TxDtls' 0 SEK"
    );
    assert_eq!(extra(r, "tx_amount"), Some("0 SEK"));

    let p = load("genkgo_camt052.v2.xml");
    let r = p.record_at(58);
    assert_eq!((r.amount, r.currency.as_str()), (dec("-200000"), "SEK"));
    assert_eq!(
        r.time.map(|t| t.to_string()).as_deref(),
        Some("2007-10-18 10:15:00")
    );
    assert_eq!(r.utc_offset_secs, Some(3600));
    assert_eq!(r.id("account"), Some("CH2801234000123456789"));
    assert_eq!(
        r.party("counterparty"),
        Some("Company Name"),
        "the creditor of a debit"
    );
    assert_eq!(r.party("memo"), Some("Credit"), "AddtlNtryInf");
    assert_eq!(extra(r, "bank_tx_code"), Some("PAYM/0001/0003"));
    assert_eq!(
        extra(r, "bank_tx_code_proprietary"),
        Some("XXXX+000+0000+000")
    );
    assert_eq!(extra(r, "msg_id"), Some("FINP-0055"), "from Btch");
    assert_eq!(extra(r, "batch_transactions"), Some("20"));
    assert_eq!(extra(r, "counterparty_bic"), Some("BANKCHZHXXX"));
    assert_eq!(
        skip_reasons(&p),
        [(30, "report header AAAASESS-FP-ACCR001")]
    );
}

#[test]
fn a_batch_booking_is_split_into_its_transactions() {
    let p = load("qrecon_camt053_v08.xml");
    assert!(
        p.records.iter().all(|r| r.line != 70),
        "no record for the batch entry itself"
    );
    let first = p.record_at(102);
    let second = p.record_at(135);
    assert_eq!(
        (first.amount, second.amount),
        (dec("564.05"), dec("100.00"))
    );
    assert_eq!(first.amount + second.amount, dec("664.05"));
    assert_eq!(
        first.party("counterparty"),
        Some("Müller & Söhne KG"),
        "references resolved"
    );
    assert_eq!(
        first.party("memo"),
        Some("Order 1001 QR payment 2026-06-01")
    );
    assert_eq!(
        first.id("bank_ref"),
        Some("QR-2026060100001-1"),
        "the TxDtls' own"
    );
    assert_eq!(
        extra(first, "entry_acct_svcr_ref"),
        Some("QR-2026060100001")
    );
    assert_eq!(extra(first, "end_to_end_id"), Some("E2E-ORDER-1001"));
    assert_eq!(extra(first, "tx_id"), Some("TX-1001"));
    assert_eq!(extra(first, "instr_id"), Some("INSTR-1001"));
    assert_eq!(extra(first, "counterparty_bic"), Some("BYLADEM1001"));
    assert_eq!(extra(first, "entry_amount"), Some("664.05 EUR"));
    assert_eq!(
        second.id("bank_ref"),
        Some("QR-2026060100001"),
        "the entry's"
    );
    assert_eq!(second.party("counterparty"), Some("Anna Schmidt"));
    assert_eq!(
        extra(second, "ultimate_debtor"),
        Some("Schmidt Family Trust")
    );
    assert_eq!(second.party("memo"), Some("RF18539007547034"));
    assert_eq!(
        extra(second, "uetr"),
        Some("8a562c67-ca16-48ba-b074-65581be6f001")
    );
    for r in [first, second] {
        assert_eq!(extra(r, "msg_id"), Some("BATCH-0601"));
        assert_eq!(extra(r, "pmt_inf_id"), Some("BATCH-0601-A"));
        assert_eq!(extra(r, "bank_tx_code"), Some("PMNT/RCDT/ESCT"));
        assert_eq!(r.value_date, Some(date("2026-06-01")));
    }
}

#[test]
fn status_codes_of_v08_and_booking_times_with_offsets() {
    let p = load("qrecon_camt053_v08.xml");
    let batch = p.record_at(102);
    assert_eq!(
        (batch.status, batch.status_raw.as_deref()),
        (Status::Success, Some("BOOK"))
    );
    assert_eq!(
        batch.time.map(|t| t.to_string()).as_deref(),
        Some("2026-06-01 07:15:00")
    );
    assert_eq!(batch.utc_offset_secs, Some(0), "Z");
    let debit = p.record_at(169);
    assert_eq!(
        debit.time.map(|t| t.to_string()).as_deref(),
        Some("2026-06-01 14:30:00")
    );
    assert_eq!(debit.utc_offset_secs, Some(7200), "+02:00");
    assert_eq!(debit.value_date, Some(date("2026-06-02")));
    let pending = p.record_at(327);
    assert_eq!(
        (pending.status, pending.status_raw.as_deref()),
        (Status::Pending, Some("PDNG"))
    );
    assert_eq!(
        pending.time.map(|t| t.to_string()).as_deref(),
        Some("2026-06-01 18:45:10.250")
    );
    let plain_date = p.record_at(241);
    assert_eq!((plain_date.time, plain_date.utc_offset_secs), (None, None));
    assert_eq!(
        plain_date.value_date,
        Some(date("2026-06-01")),
        "no ValDt: the booking date"
    );
    assert!(
        warnings(&p).is_empty(),
        "1000.00 + 664.05 - 250.12345 - 50.00 + 0.00 = 1363.92655 (the pending 75.00 is not \
         booked) and TxsSummry agrees: {:?}",
        warnings(&p)
    );
}

#[test]
fn five_decimals_and_charges_are_exact() {
    let p = load("qrecon_camt053_v08.xml");
    let r = p.record_at(169);
    assert_eq!(r.amount, dec("-250.12345"));
    assert_eq!(r.party("counterparty"), Some("Supplier AG"));
    assert_eq!(
        extra(r, "counterparty_account"),
        Some("0532013000"),
        "CdtrAcct/Id/Othr/Id"
    );
    assert_eq!(extra(r, "charges"), Some("1.50 EUR"), "TtlChrgsAndTaxAmt");
    assert_eq!(extra(r, "end_to_end_id"), None, "NOTPROVIDED is no id");
    assert_eq!(extra(r, "bank_tx_code"), Some("PMNT/ICDT/ESCT"));
    assert_eq!(extra(r, "bank_tx_code_proprietary"), Some("NTRF+116"));
    assert_eq!(extra(r, "purpose"), Some("SUPP"));
}

#[test]
fn a_reversal_keeps_its_sign_and_names_the_original_payer() {
    let p = load("qrecon_camt053_v08.xml");
    let r = p.record_at(241);
    assert_eq!((r.record_type.as_str(), r.amount), ("debit", dec("-50.00")));
    assert_eq!(extra(r, "reversal"), Some("true"));
    assert_eq!(extra(r, "return_reason"), Some("AC06"));
    assert_eq!(extra(r, "return_info"), Some("Account blocked"));
    assert_eq!(r.party("memo"), Some("reversal AC06: Order 990"));
    assert_eq!(
        r.party("counterparty"),
        Some("Peter Payer"),
        "the debtor of the reversed credit"
    );
    assert_eq!(extra(r, "counterparty_account"), Some("NL91ABNA0417164300"));
    assert_eq!(extra(r, "bank_tx_code"), Some("PMNT/RCDT/RRTN"));
}

#[test]
fn a_zero_amount_entry_is_a_record() {
    let p = load("qrecon_camt053_v08.xml");
    let r = p.record_at(303);
    assert_eq!(
        (r.amount, r.record_type.as_str()),
        (Decimal::ZERO, "credit")
    );
    assert_eq!(r.party("memo"), Some("Zero-amount account notice"));
    assert_eq!(extra(r, "entry_ref"), Some("0004"));
}

#[test]
fn a_report_with_pending_info_and_a_batch_that_does_not_add_up() {
    let p = load("qrecon_camt052_v08_report.xml");
    assert_eq!(p.records.len(), 4);
    let booked = p.record_at(47);
    assert_eq!(booked.id("account"), Some("7000123456"));
    assert_eq!(booked.party("counterparty"), Some("Hans Muster"));
    assert_eq!(booked.party("memo"), Some("QR-bill payment"), "AddtlTxInf");
    let pending = p.record_at(81);
    assert_eq!(
        (pending.status, pending.amount),
        (Status::Pending, dec("-30.00"))
    );
    assert_eq!(pending.value_date, Some(date("2026-06-03")));
    assert_eq!(pending.time, None, "no booking date yet");
    let info = p.record_at(92);
    assert_eq!(
        (info.status, info.status_raw.as_deref()),
        (Status::Unknown, Some("INFO"))
    );
    let batch = p.record_at(103);
    assert_eq!(batch.amount, dec("-300.00"), "kept whole");
    assert_eq!(extra(batch, "transactions"), Some("2"));
    assert_eq!(batch.party("memo"), Some("Salary batch"));
    assert!(p.records.iter().all(|r| r.line != 117 && r.line != 124));
    let w = warnings(&p);
    assert_eq!(w.len(), 1, "{w:?}");
    for part in ["line 103", "-290.00", "-300.00", "kept as one record"] {
        assert!(w[0].contains(part), "{part} in {}", w[0]);
    }
    let skipped = skip_reasons(&p);
    assert_eq!(skipped[0], (12, "report header QRECON-RPT-2026-06-02-12"));
    assert_eq!(skipped.len(), 3, "the header and two ITBD balances");
}

#[test]
fn a_notification_without_declaration() {
    let p = load("qrecon_camt054_v04_notification.xml");
    assert_eq!(
        skip_reasons(&p),
        [(10, "notification header QRECON-NTF-0603-1")]
    );
    let credit = p.record_at(18);
    assert_eq!(
        (credit.amount, credit.utc_offset_secs),
        (dec("42.50"), Some(7200))
    );
    assert_eq!(
        credit.party("counterparty"),
        Some("John Doe"),
        "Dbtr/Nm in .04"
    );
    assert_eq!(extra(credit, "ultimate_debtor"), Some("Doe Holdings"));
    assert_eq!(extra(credit, "instructed_amount"), Some("46.00 USD"));
    assert_eq!(extra(credit, "counterparty_account"), Some("US-ACCT-1234"));
    assert_eq!(credit.party("memo"), Some("RF712348231"));
    let returned = p.record_at(85);
    assert_eq!(
        (returned.amount, returned.value_date),
        (dec("-19.99"), Some(date("2026-06-01")))
    );
    assert_eq!(
        returned.party("counterparty"),
        Some("Eva Example"),
        "a return: the original debtor"
    );
    assert_eq!(extra(returned, "return_reason"), Some("MD06"));
    assert_eq!(extra(returned, "mandate_id"), Some("MANDATE-0815"));
    assert_eq!(
        extra(returned, "charges"),
        Some("3.00 EUR"),
        "Chrgs/Rcrd/Amt"
    );
    assert_eq!(extra(returned, "reversal"), None);
    assert!(warnings(&p).is_empty());
}

#[test]
fn a_statement_without_entries() {
    let p = load("qrecon_camt053_v02_no_entries.xml");
    assert!(p.records.is_empty());
    assert_eq!(p.rows_read, 3);
    assert_eq!(
        skip_reasons(&p)[1],
        (18, "balance PRCD 500.00 EUR on 2026-05-31")
    );
    assert!(
        warnings(&p).is_empty(),
        "PRCD 500.00 + nothing = CLBD 500.00; 0 entries"
    );
}

#[test]
fn balances_and_summary_that_do_not_add_up_are_warned_about() {
    let p = load("qrecon_camt053_v03_balance_mismatch.xml");
    assert_eq!(p.records.len(), 1, "the file still reads");
    let w = issues(&p, Outcome::Warning);
    let lines: Vec<u64> = w.iter().map(|i| i.line).collect();
    assert_eq!(
        lines,
        [31, 45, 54],
        "at CLBD, NbOfNtries and TtlCdtNtries/Sum"
    );
    for (i, parts) in [
        ["100.00", "40.00", "140.00", "150.00"],
        ["NbOfNtries", "says 2", "give 1", "TxsSummry"],
        ["TtlCdtNtries/Sum", "45.00", "40.00", "TxsSummry"],
    ]
    .iter()
    .enumerate()
    {
        assert!(
            w[i].reason.contains("statement QRECON-STMT-MISMATCH"),
            "{}",
            w[i].reason
        );
        for part in parts {
            assert!(w[i].reason.contains(part), "{part} in {}", w[i].reason);
        }
    }
}
