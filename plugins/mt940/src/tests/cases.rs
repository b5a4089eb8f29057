//! Hand-written cases for what the samples do not show (reversals, February 30, CP852,
//! MT942 with an envelope, …), and spot checks of sample values read off the source files.

use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Kind, Status};

use super::{date, dec, extra, issues, parse, parse_text, sample, skip_reason, warnings};

/// A statement around `lines` (`:61:`/`:86:` text), opening at 100,00 EUR and closing at
/// `closing`.
fn statement(lines: &str, closing: &str) -> String {
    format!(
        ":20:REF1\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C240101EUR100,00\n{lines}:62F:{closing}\n-\n"
    )
}

#[test]
fn reversals_are_signed_by_the_money() {
    let text = statement(
        ":61:2401020102RC25,00NTRFNONREF//B1\n:86:Storno Gutschrift\n\
         :61:2401020102RD10,00NTRFNONREF//B2\n:86:Storno Lastschrift\n",
        "C240102EUR85,00",
    );
    let parsed = parse_text(&text);
    assert!(warnings(&parsed).is_empty(), "{:?}", warnings(&parsed));
    let rc = parsed.record_at(5);
    assert_eq!(
        (rc.record_type.as_str(), rc.amount),
        ("debit", dec("-25.00"))
    );
    assert_eq!(
        (extra(rc, "mark"), extra(rc, "reversal")),
        (Some("RC"), Some("true"))
    );
    assert_eq!(rc.id("bank_ref"), Some("B1"));
    let rd = parsed.record_at(7);
    assert_eq!(
        (rd.record_type.as_str(), rd.amount),
        ("credit", dec("10.00"))
    );
    assert_eq!(
        (extra(rd, "mark"), extra(rd, "reversal")),
        (Some("RD"), Some("true"))
    );
    let plain = parse_text(&statement(":61:240102C1,NTRFNONREF\n", "C240102EUR101,"));
    assert_eq!(extra(parsed.record_at(5), "reversal"), Some("true"));
    assert_eq!(extra(plain.record_at(5), "reversal"), None);
}

#[test]
fn funds_codes_and_short_amounts() {
    let text = statement(
        ":61:2401020102CR500,NTRFNONREF\n:61:2401020102D0,NMSCNONREF\n:61:240102DR000000000025,00NCHKREF//BANK\n",
        "C240102EUR575,",
    );
    let parsed = parse_text(&text);
    assert!(warnings(&parsed).is_empty(), "{:?}", warnings(&parsed));
    let amounts: Vec<_> = parsed
        .records
        .iter()
        .map(|r| (r.amount, extra(r, "funds_code")))
        .collect();
    assert_eq!(
        amounts,
        [
            (dec("500"), Some("R")),
            (dec("0"), None),
            (dec("-25.00"), Some("R"))
        ]
    );
    let zero = parsed.record_at(6);
    assert_eq!(zero.record_type, "debit", "a zero debit is still a debit");
    let third = parsed.record_at(7);
    assert_eq!(
        (third.id("bank_ref"), extra(third, "customer_ref")),
        (Some("BANK"), Some("REF"))
    );
    assert_eq!(extra(third, "entry_date"), None);
}

#[test]
fn february_30_is_quarantined_with_the_field_named() {
    let text = statement(
        ":61:2402300230D1,00NTRFNONREF\n:86:x\n:61:2402280230D1,00NTRFNONREF\n:61:240228D1,00NTRFNONREF\n",
        "C240228EUR97,00",
    );
    let parsed = parse_text(&text);
    let quarantined = issues(&parsed, Outcome::Quarantined);
    let found: Vec<_> = quarantined
        .iter()
        .map(|i| (i.line, i.field.as_deref()))
        .collect();
    assert_eq!(found, [(5, Some("value date")), (7, Some("entry date"))]);
    assert!(
        quarantined[0].reason.contains("\"240230\""),
        "{}",
        quarantined[0].reason
    );
    assert_eq!(
        quarantined[0].raw.as_deref(),
        Some(":61:2402300230D1,00NTRFNONREF")
    );
    assert_eq!(
        skip_reason(&parsed, 6),
        "information to the account owner (:86:) of the statement line at line 5"
    );
    assert_eq!(parsed.records.len(), 1);
    let warning = warnings(&parsed).join("\n");
    assert!(
        warning.contains("2 quarantined lines are not in the sum"),
        "{warning}"
    );
}

/// A statement whose `:86:` holds `name`, encoded by the caller.
fn named(name: &[u8]) -> Vec<u8> {
    let mut bytes = b":20:R\r\n:25:HU42117730161111101800000000\r\n:60F:C240101HUF0,\r\n\
                      :61:240102C1000,NTRFNONREF\r\n:86:"
        .to_vec();
    bytes.extend_from_slice(name);
    bytes.extend_from_slice(b"\r\n:62F:C240102HUF1000,\r\n-");
    bytes
}

#[test]
fn cp852_and_windows_1252_bytes() {
    // "Kovács Péter Győr" in CP852 (á A0, é 82, ő 8B), as Raiffeisen Hungary writes it.
    let cp852 = named(b"Kov\xA0cs P\x82ter Gy\x8Br");
    let parsed = parse("hu.sta", &cp852);
    assert_eq!(parsed.record_at(4).party("memo"), Some("Kovács Péter Győr"));
    let w = warnings(&parsed);
    assert!(w.len() == 1 && w[0].contains("CP852"), "{w:?}");
    assert_eq!(issues(&parsed, Outcome::Warning)[0].line, 5);
    // "Müller Straße" in Latin-1 / Windows-1252, as German banks write it.
    let latin = named(b"M\xFCller Stra\xDFe \x80");
    let parsed = parse("de.sta", &latin);
    assert_eq!(parsed.record_at(4).party("memo"), Some("Müller Straße €"));
    assert!(warnings(&parsed)[0].contains("Windows-1252"));
    // The same text in UTF-8 reads the same, without a warning.
    let parsed = parse("utf8.sta", &named("Müller Straße €".as_bytes()));
    assert_eq!(parsed.record_at(4).party("memo"), Some("Müller Straße €"));
    assert!(warnings(&parsed).is_empty());
}

#[test]
fn soh_etx_and_a_missing_final_newline() {
    let bytes = b"\x01\r\n:20:R\r\n:25:A\r\n:60F:C240101EUR1,00\r\n:61:240102C1,00NTRFNONREF\r\n:62F:C240102EUR2,00\r\n-\x03";
    let parsed = parse("mbank.sta", bytes);
    assert_eq!(parsed.records.len(), 1);
    assert!(warnings(&parsed).is_empty(), "{:?}", warnings(&parsed));
    assert_eq!(skip_reason(&parsed, 1), "blank line");
    assert_eq!(skip_reason(&parsed, 7), "end of message (-)");
    let no_end = b":20:R\n:25:A\n:60F:C240101EUR1,00\n:61:240102C1,00NTRFNONREF\n:86:last line";
    let parsed = parse("x.sta", no_end);
    assert_eq!(parsed.record_at(4).party("memo"), Some("last line"));
}

#[test]
fn a_tag_cut_over_two_lines() {
    let text = statement(
        ":61:2401020102CR\n1,00N062NONREF\n:\n86:166?00GUTSCHR. UEBERWEISUNG?20SVWZ+Test?32Max Muster\n",
        "C240102EUR101,00",
    );
    let parsed = parse_text(&text);
    assert!(warnings(&parsed).is_empty(), "{:?}", warnings(&parsed));
    let r = parsed.record_at(5);
    assert_eq!(
        (r.amount, r.party("counterparty")),
        (dec("1.00"), Some("Max Muster"))
    );
    assert_eq!(extra(r, "svwz"), Some("Test"));
    assert_eq!(extra(r, "booking_text"), Some("GUTSCHR. UEBERWEISUNG"));
    assert_eq!(
        skip_reason(&parsed, 6),
        "continuation of the statement line (:61:) at line 5"
    );
    for line in [7, 8] {
        assert_eq!(
            skip_reason(&parsed, line),
            "information to the account owner (:86:) of the statement line at line 5"
        );
    }
}

#[test]
fn a_balance_mismatch_is_warned_with_the_numbers() {
    let text = statement(
        ":61:240102C5,00NTRFNONREF\n:61:240102D2,50NTRFNONREF\n",
        "C240102EUR103,00",
    );
    let parsed = parse_text(&text);
    let w = issues(&parsed, Outcome::Warning);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].line, 7, "at the closing balance");
    for part in [
        "\"REF1\"",
        "DE89370400440532013000",
        "100.00",
        "2 statement lines",
        "2.50",
        "102.50",
        "103.00",
        "difference 0.50",
        ":62F: line 7",
    ] {
        assert!(w[0].reason.contains(part), "{part} in {}", w[0].reason);
    }
    let ok = parse_text(&statement(
        ":61:240102C5,00NTRFNONREF\n:61:240102D2,50NTRFNONREF\n",
        "C240102EUR102,5",
    ));
    assert!(warnings(&ok).is_empty());
}

#[test]
fn an_unknown_tag_is_skipped_and_warned_about_once() {
    let text = statement(
        ":NS:22Kontoinhaber\n33more\n:61:240102C1,NTRFNONREF\n:99X:what\n",
        "C240102EUR101,",
    );
    let parsed = parse_text(&text);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(
        skip_reason(&parsed, 5),
        "unknown tag :NS: (not an MT940/MT942 field)"
    );
    assert_eq!(
        skip_reason(&parsed, 6),
        "unknown tag :NS: (not an MT940/MT942 field), continued from line 5"
    );
    assert_eq!(
        skip_reason(&parsed, 8),
        "unknown tag :99X: (not an MT940/MT942 field)"
    );
    let w = warnings(&parsed);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains(":NS:") && w[1].contains(":99X:"), "{w:?}");
}

#[test]
fn mt942_with_an_envelope_is_pending_and_its_sums_are_checked() {
    let text = "{1:F01BANKDEFFAXXX0000000000}{2:O942BANKDEFFXXXXN}{3:{108:MT942}}{4:\r\n\
                :20:INTRADAY1\r\n:25:DE89370400440532013000\r\n:28C:7/1\r\n:34F:EURD0,\r\n\
                :13D:2401021530+0100\r\n:61:2401020102C10,00NTRFNONREF//B1\r\n:86:Zahlung\r\n\
                :61:2401020102D2,50NMSCNONREF\r\n:90D:1EUR2,50\r\n:90C:1EUR10,00\r\n:86:Summary\r\n-}{5:{CHK:123456789ABC}}\r\n";
    let parsed = parse_text(text);
    assert!(warnings(&parsed).is_empty(), "{:?}", warnings(&parsed));
    assert_eq!(parsed.records.len(), 2);
    for r in &parsed.records {
        assert_eq!(
            (r.kind, r.status, r.currency.as_str()),
            (Kind::Bank, Status::Pending, "EUR")
        );
        assert_eq!(
            r.status_raw.as_deref(),
            Some("MT942 interim transaction report")
        );
        assert_eq!(extra(r, "message_type"), Some("MT942"));
    }
    assert!(skip_reason(&parsed, 1).starts_with("SWIFT envelope"));
    assert_eq!(
        skip_reason(&parsed, 12),
        "information to the account owner about the whole statement (a :86: not after a :61:) (:86:)"
    );
    assert!(skip_reason(&parsed, 13).starts_with("end of message and SWIFT trailer"));
    let wrong = text.replace(":90C:1EUR10,00", ":90C:2EUR12,00");
    let parsed = parse_text(&wrong);
    let w = warnings(&parsed).join("\n");
    assert!(w.contains(":90C: states 2 credit entries totalling 12.00 EUR, but the report has 1 credit line totalling 10.00"), "{w}");
}

#[test]
fn several_enveloped_messages_in_one_file() {
    let message = |n: u32, open: &str, close: &str| {
        format!(
            "{{1:F01ASNBNL21XXXX0000000000}}{{2:O940ASNBNL21XXXXN}}{{3:{{108:{n}}}}}{{4:\n:20:{n}\n:25:NL81ASNB9999999999\n:28C:{n}/1\n:60F:C2401{n:02}EUR{open}\n:62F:C2401{n:02}EUR{close}\n-}}{{5:}}\n"
        )
    };
    let mut text = String::new();
    for n in 1..=3 {
        text.push_str(&message(n, "5,00", "5,00"));
    }
    text.push_str(&message(4, "5,00", "6,00"));
    let parsed = parse_text(&text);
    assert!(parsed.records.is_empty());
    let w = warnings(&parsed);
    assert_eq!(
        w.len(),
        1,
        "only the fourth empty day does not add up: {w:?}"
    );
    assert!(w[0].contains("statement \"4\""), "{}", w[0]);
}

#[test]
fn two_digit_years_follow_the_balance() {
    let text = ":20:R\n:25:A\n:60F:C991231EUR1,\n:61:9912310101C1,NTRFNONREF\n:61:000101C1,NTRFNONREF\n:62F:C000101EUR3,\n";
    let parsed = parse_text(text);
    assert!(warnings(&parsed).is_empty(), "{:?}", warnings(&parsed));
    let first = parsed.record_at(4);
    assert_eq!(first.value_date, Some(date("1999-12-31")));
    assert_eq!(
        extra(first, "entry_date"),
        Some("2000-01-01"),
        "booked in the next year"
    );
    assert_eq!(parsed.record_at(5).value_date, Some(date("2000-01-01")));
}

#[test]
fn an_unreadable_balance_is_warned_about_instead_of_checked() {
    let text = ":20:R\n:25:A\n:60F:C24013EUR1,00\n:61:240102C1,NTRFNONREF\n:62F:C240102EUR2,\n";
    let parsed = parse_text(text);
    let w = warnings(&parsed);
    assert_eq!(
        w.len(),
        1,
        "one warning, not a second about the missing balance: {w:?}"
    );
    assert!(
        w[0].contains("opening balance (:60F:) cannot be read"),
        "{}",
        w[0]
    );
    assert!(w[0].contains("control total is not checked"), "{}", w[0]);
    let feb30 = ":20:R\n:25:A\n:60F:C240230EUR1,00\n:61:240102C1,NTRFNONREF\n:62F:C240102EUR2,\n";
    let parsed = parse_text(feb30);
    let w = warnings(&parsed);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("\"240230\", which is not a calendar date"),
        "{}",
        w[0]
    );
}

#[test]
fn a_statement_without_a_currency_quarantines_its_lines() {
    let parsed = parse("s.sta", sample("self-provided_sparkassen.sta"));
    let q = issues(&parsed, Outcome::Quarantined);
    assert_eq!(
        (q.len(), q[0].line, q[0].field.as_deref()),
        (1, 1, Some("currency"))
    );
    assert_eq!(
        q[0].raw.as_deref(),
        Some(":61:1811261126CR\n30,00N062NONREF")
    );
}

#[test]
fn a_file_without_fields_is_refused() {
    let parsed = qrecon_adapter_sdk::testing::parse(
        crate::qrecon_descriptor(),
        "x.sta",
        b"Date,Amount\n2024-01-01,1.00\n",
    );
    assert_eq!(parsed.status, qrecon_adapter_sdk::abi::STATUS_FILE_ERROR);
    assert!(parsed.message.unwrap_or_default().contains(":20:"));
}

/// Values read off the sample files by hand.
#[test]
fn spot_checks_of_the_samples() {
    let parsed = parse("b.sta", sample("betterplace_sepa_snippet.sta"));
    let first = parsed.record_at(5);
    assert_eq!(
        (first.amount, first.currency.as_str()),
        (dec("50990.05"), "EUR")
    );
    assert_eq!(first.value_date, Some(date("2007-09-07")));
    assert_eq!(extra(first, "entry_date"), Some("2007-09-04"));
    assert_eq!(first.id("account"), Some("50880050/0194787400888"));
    assert_eq!(first.id("bank_ref"), Some("0724710333343453"));
    assert_eq!(first.party("counterparty"), Some("KARL KAUFMANN"));
    assert_eq!(
        extra(first, "counterparty_account"),
        Some("DE14508800500194785000")
    );
    assert_eq!(extra(first, "eref"), Some("EndToEndId TFNR 22 004 00001"));
    assert_eq!(parsed.record_at(53).amount, dec("-3572569.03"));

    let parsed = parse("m.sta", sample("mBank_with_newline_in_tnr.sta"));
    let r = parsed.record_at(6);
    assert_eq!(
        extra(r, "tnr"),
        Some("179301073837502.000001"),
        "TNR continued on the next line"
    );
    assert_eq!(r.party("counterparty"), Some("AAAAAA AAAAAA"));
    assert_eq!(r.id("bank_ref"), Some("MB170201323000"));

    let parsed = parse("r.sta", sample("jejik_rabobank.sta"));
    let r = parsed.record_at(6);
    assert_eq!(
        r.party("memo"),
        Some("Terugboeking NIET AKKOORD MET AFSCHRIJVING KOSTEN KINDEROPVANG JUNI 20095731"),
        "four :86: fields of one line"
    );
    assert_eq!(extra(r, "supplementary"), Some("W.P. Jansen"));
    assert_eq!(
        skip_reason(&parsed, 1),
        "message type line before a message (e.g. :940:)"
    );

    let parsed = parse("i.sta", sample("jejik_rabobank-iban.sta"));
    assert_eq!(
        parsed.record_at(6).party("counterparty"),
        Some("CONTRA ACCOUNT HOLDER")
    );
    assert_eq!(parsed.record_at(10).party("counterparty"), Some("JOHN DOE"));
    assert!(
        warnings(&parsed).is_empty(),
        "the balances chain: {:?}",
        warnings(&parsed)
    );

    let parsed = parse("ing.sta", sample("jejik_ing.sta"));
    assert_eq!(
        skip_reason(&parsed, 1),
        "non-SWIFT header line before a message (bank file header)"
    );
    assert_eq!(
        skip_reason(&parsed, 3),
        "non-SWIFT header line before a message (bank file header)"
    );
    assert_eq!(
        skip_reason(&parsed, 27),
        "information to the account owner about the whole statement (a :86: not after a :61:) (:86:)"
    );
    assert_eq!(
        skip_reason(&parsed, 28),
        "end of message (a line starting with -)"
    );

    let parsed = parse("p.sta", sample("jejik_postfinance.sta"));
    let r = parsed.record_at(19);
    assert_eq!((r.amount, r.currency.as_str()), (dec("-79.9"), "CHF"));
    assert_eq!(
        r.party("memo")
            .map(|m| m.contains("XXXXXXXXSTRASSE 111") && m.ends_with("SONNENGLAESER")),
        Some(true)
    );

    let parsed = parse("c.sta", sample("cmxl_mt940.sta"));
    assert_eq!(parsed.records.len(), 16);
    assert_eq!(
        parsed.record_at(53).party("counterparty"),
        Some("HUTA SZKLA TOPIC UL PRZEMYSLOWA 67 32-669 WROCLAW")
    );
    assert_eq!(
        extra(parsed.record_at(53), "supplementary"),
        Some("Card transaction")
    );
    assert!(warnings(&parsed).is_empty(), "all three statements add up");
}

#[test]
fn many_kinds_of_unknown_tag_are_summed_up() {
    let tags: Vec<String> = (10..35).map(|n| format!(":{n}Z:x")).collect();
    let tags = tags.join("\n") + "\n";
    let parsed = parse_text(&statement(
        &format!("{tags}:61:240102C1,NTRFNONREF\n"),
        "C240102EUR101,",
    ));
    let w = warnings(&parsed);
    assert_eq!(w.len(), 21, "{w:?}");
    assert!(
        w[20].starts_with("5 more kinds of unknown tag"),
        "{}",
        w[20]
    );
}
