//! The downloaded `.csv.zip` bundle, built in the tests from the GBK fixtures with the `zip`
//! crate's writer (entry names GBK without the UTF-8 flag, as Alipay writes them).

use std::path::{Path, PathBuf};

use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::testing;

use crate::testkit::{Name, extra, fixture, issues, line_count, parse, skipped, zip_of};

const TRADE: &str = "trade_20880211096256330156_20261109.csv";
const TRADE_SUMMARY: &str = "trade_20880211096256330156_20261109_summary.csv";
const ACCOUNT: &str = "account_20880211096256330156_20261109.csv";
const ACCOUNT_SUMMARY: &str = "account_20880211096256330156_20261109_summary.csv";

/// The entries' names in a real bundle.
const TRADE_ENTRY: &str = "20880211096256330156_20261109_业务明细.csv";
const TRADE_SUMMARY_ENTRY: &str = "20880211096256330156_20261109_业务明细(汇总).csv";
const ACCOUNT_ENTRY: &str = "20880211096256330156_20261109_账务明细.csv";
const ACCOUNT_SUMMARY_ENTRY: &str = "20880211096256330156_20261109_账务明细(汇总).csv";
const BUNDLE: &str = "20880211096256330156_20261109.csv.zip";

/// The trade bundle as Alipay packs it: the summary first, then the detail file.
fn trade_bundle() -> Vec<u8> {
    zip_of(&[
        (Name::Gbk(TRADE_SUMMARY_ENTRY), &fixture(TRADE_SUMMARY)),
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
    ])
}

/// The account-log bundle, the detail file first.
fn account_bundle() -> Vec<u8> {
    zip_of(&[
        (Name::Gbk(ACCOUNT_ENTRY), &fixture(ACCOUNT)),
        (Name::Gbk(ACCOUNT_SUMMARY_ENTRY), &fixture(ACCOUNT_SUMMARY)),
    ])
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Asserts the records of `bundle` are those of the plain file `plain`, its lines moved down
/// by `offset`, each naming entry `entry` and its line there.
fn assert_same_records(bundle: &Parsed, plain: &Parsed, offset: u64, entry: &str) {
    assert_eq!(bundle.records.len(), plain.records.len());
    for (z, r) in bundle.records.iter().zip(&plain.records) {
        assert_eq!(z.line, r.line + offset);
        assert_eq!(extra(z, "zip_entry"), Some(entry));
        assert_eq!(extra(z, "zip_line"), Some(r.line.to_string().as_str()));
        let mut untagged = z.clone();
        untagged.line = r.line;
        untagged.extra.truncate(r.extra.len());
        assert_eq!(&untagged, r, "the record of line {}", r.line);
    }
}

#[test]
fn a_trade_bundle_reads_like_its_plain_files() {
    let zip = trade_bundle();
    let (gbk_name, _, _) = encoding_rs::GBK.encode(TRADE_SUMMARY_ENTRY);
    assert!(zip.windows(gbk_name.len()).any(|w| w == &*gbk_name));
    assert_eq!(
        u16::from_le_bytes([zip[6], zip[7]]) & 0x800,
        0,
        "no UTF-8 flag"
    );

    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, 0, "{:?}", p.message);
    let summary_lines = line_count(&fixture(TRADE_SUMMARY));
    assert_eq!(summary_lines, 10);
    p.assert_lines_once(summary_lines + line_count(&fixture(TRADE)));
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert!(issues(&p, Outcome::Quarantined).is_empty());
    assert_eq!(skipped(&p, "preamble"), [1, 2, 3, 4, 11, 12, 13, 14]);
    assert_eq!(skipped(&p, "header"), [5, 15]);
    assert_eq!(skipped(&p, "summary row"), [6, 7, 8]);
    assert_eq!(skipped(&p, "footer"), [9, 10, 24, 25, 26, 27]);

    let plain = parse(TRADE, &fixture(TRADE));
    assert_same_records(&p, &plain, summary_lines, TRADE_ENTRY);
    testing::assert_golden(&p, &fixtures().join("bundle_trade_20261109.golden"));
}

#[test]
fn an_account_bundle_reads_like_its_plain_files() {
    let p = parse(BUNDLE, &account_bundle());
    assert_eq!(p.status, 0, "{:?}", p.message);
    let detail_lines = line_count(&fixture(ACCOUNT));
    p.assert_lines_once(detail_lines + line_count(&fixture(ACCOUNT_SUMMARY)));
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert_eq!(skipped(&p, "summary row").len(), 8);
    let plain = parse(ACCOUNT, &fixture(ACCOUNT));
    assert_same_records(&p, &plain, 0, ACCOUNT_ENTRY);
    testing::assert_golden(&p, &fixtures().join("bundle_account_20261109.golden"));
}

#[test]
fn both_bills_in_one_bundle_in_any_order() {
    let zip = zip_of(&[
        (Name::Gbk(ACCOUNT_SUMMARY_ENTRY), &fixture(ACCOUNT_SUMMARY)),
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
        (Name::Gbk(ACCOUNT_ENTRY), &fixture(ACCOUNT)),
        (Name::Gbk(TRADE_SUMMARY_ENTRY), &fixture(TRADE_SUMMARY)),
    ]);
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, 0, "{:?}", p.message);
    let lines: u64 = [ACCOUNT_SUMMARY, TRADE, ACCOUNT, TRADE_SUMMARY]
        .iter()
        .map(|f| line_count(&fixture(f)))
        .sum();
    p.assert_lines_once(lines);
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);
    assert_eq!(p.records.len(), 8 + 13);
    let first_account = p
        .records
        .iter()
        .find(|r| r.kind == qrecon_adapter_sdk::Kind::Fund);
    let first_account = first_account.expect("an account record");
    let offset = line_count(&fixture(ACCOUNT_SUMMARY)) + line_count(&fixture(TRADE));
    assert_eq!(first_account.line, offset + 6);
    assert_eq!(extra(first_account, "zip_line"), Some("6"));
}

#[test]
fn a_summary_that_disagrees_is_a_warning_naming_both_numbers() {
    let summary = crate::testkit::utf8(&fixture(TRADE_SUMMARY))
        .replace("合计,,5,3,1329.01,1323.01", "合计,,6,3,1329.01,1333.01");
    let zip = zip_of(&[
        (Name::Gbk(TRADE_SUMMARY_ENTRY), summary.as_bytes()),
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
    ]);
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, 0, "{:?}", p.message);
    p.assert_lines_once(10 + 17);
    assert_eq!(p.records.len(), 8, "a warning, never a failure");
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w.iter().all(|w| w.line == 8), "on the 合计 row: {w:?}");
    let at = format!("(zip entry {TRADE_SUMMARY_ENTRY}, line 8)");
    assert_eq!(
        w[0].reason,
        format!(
            "业务汇总 交易订单总笔数 states 6, but the bundle's 业务明细 has 5 payments (交易 rows) {at}"
        )
    );
    assert_eq!(
        w[1].reason,
        format!(
            "业务汇总 商家实收（元） states 1333.01, but the bundle's 业务明细 has payments and \
             refunds netting to 1323.01 (payments 1355.01, refunds -32.00) {at}"
        )
    );
}

#[test]
fn a_summary_without_a_total_row_is_checked_by_its_rows() {
    let text = crate::testkit::utf8(&fixture(TRADE_SUMMARY));
    let without_total: String = text
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("合计"))
        .collect();
    let zip = zip_of(&[
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
        (Name::Gbk(TRADE_SUMMARY_ENTRY), without_total.as_bytes()),
    ]);
    let p = parse(BUNDLE, &zip);
    p.assert_lines_once(17 + 9);
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);

    let wrong = without_total.replace("MD0001,人民路店,2,0", "MD0001,人民路店,2,1");
    let zip = zip_of(&[
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
        (Name::Gbk(TRADE_SUMMARY_ENTRY), wrong.as_bytes()),
    ]);
    let p = parse(BUNDLE, &zip);
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].line, 17 + 5, "on the summary's header");
    assert!(
        w[0].reason.contains("退款订单总笔数 states 4") && w[0].reason.contains("has 3 refunds")
    );
}

#[test]
fn an_account_summary_that_disagrees_and_one_with_unknown_columns() {
    let summary = crate::testkit::utf8(&fixture(ACCOUNT_SUMMARY));
    let wrong = summary.replace("合计,7,1980.03,6,-612.98", "合计,7,1980.03,6,612.99");
    let zip = zip_of(&[
        (Name::Gbk(ACCOUNT_ENTRY), &fixture(ACCOUNT)),
        (Name::Gbk(ACCOUNT_SUMMARY_ENTRY), wrong.as_bytes()),
    ]);
    let p = parse(BUNDLE, &zip);
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].reason.starts_with(
            "账务汇总 支出金额 states 612.99, but the bundle's 账务明细 has expense rows summing to 612.98"
        ),
        "{}",
        w[0].reason
    );

    let unknown = summary.replace(
        "类型,收入笔数,收入金额（+元）,支出笔数,支出金额（-元）",
        "类型,a,b,c,d",
    );
    let zip = zip_of(&[
        (Name::Gbk(ACCOUNT_ENTRY), &fixture(ACCOUNT)),
        (Name::Gbk(ACCOUNT_SUMMARY_ENTRY), unknown.as_bytes()),
    ]);
    let p = parse(BUNDLE, &zip);
    p.assert_lines_once(22 + 15);
    assert_eq!(p.records.len(), 13);
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].reason
            .contains("账务汇总 summary is not checked: it has no 账务汇总 header"),
        "{}",
        w[0].reason
    );
}

#[test]
fn a_summary_without_its_detail_file_is_a_warning() {
    let zip = zip_of(&[
        (Name::Gbk(TRADE_SUMMARY_ENTRY), &fixture(TRADE_SUMMARY)),
        (Name::Gbk(ACCOUNT_ENTRY), &fixture(ACCOUNT)),
    ]);
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, 0, "{:?}", p.message);
    let w = issues(&p, Outcome::Warning);
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w.iter().all(|w| {
        w.reason
            .contains("the bundle holds no 业务明细 to check it against")
    }));
}

#[test]
fn an_unknown_entry_is_skipped_naming_it_and_warned_about() {
    let readme = "这是说明\r\nnot a bill\r\n".as_bytes();
    let zip = zip_of(&[
        (Name::Gbk("说明.txt"), readme),
        (Name::Utf8("folder/"), b""),
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
        (Name::Utf8("empty.csv"), b""),
    ]);
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, 0, "{:?}", p.message);
    p.assert_lines_once(2 + 17);
    assert_eq!(
        skipped(&p, "zip entry 说明.txt is not an Alipay bill"),
        [1, 2]
    );
    assert_eq!(p.records.len(), 8);
    assert_eq!(p.records[0].line, 2 + 6);
    let w: Vec<(u64, &str)> = issues(&p, Outcome::Warning)
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(
        w,
        [
            (
                1,
                "zip entry 说明.txt is not an Alipay bill (its first line is \"这是说明\"); its 2 lines are skipped"
            ),
            (2, "zip entry folder/ is a folder; ignored"),
            (19, "zip entry empty.csv is empty; ignored"),
        ]
    );
}

#[test]
fn utf8_flagged_names_and_untitled_entries() {
    let text = crate::testkit::utf8(&fixture(TRADE));
    let untitled = text.replacen("#支付宝业务明细查询", "#", 1);
    let zip = zip_of(&[(Name::Utf8(TRADE_ENTRY), untitled.as_bytes())]);
    assert_ne!(
        u16::from_le_bytes([zip[6], zip[7]]) & 0x800,
        0,
        "the writer flags it"
    );
    let p = parse("x.zip", &zip);
    assert_eq!(p.status, 0, "{:?}", p.message);
    p.assert_lines_once(17);
    let plain = parse(TRADE, &fixture(TRADE));
    assert_same_records(&p, &plain, 0, TRADE_ENTRY);
}

#[test]
fn a_bad_row_in_an_entry_says_where_it_is() {
    let text =
        crate::testkit::utf8(&fixture(TRADE)).replace("2026-11-09 10:00:05", "2026-11-31 10:00:05");
    let zip = zip_of(&[
        (Name::Gbk(TRADE_SUMMARY_ENTRY), &fixture(TRADE_SUMMARY)),
        (Name::Gbk(TRADE_ENTRY), text.as_bytes()),
    ]);
    let p = parse(BUNDLE, &zip);
    p.assert_lines_once(27);
    let q = issues(&p, Outcome::Quarantined);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].line, 16);
    assert!(
        q[0].reason
            .ends_with(&format!("(zip entry {TRADE_ENTRY}, line 6)")),
        "{}",
        q[0].reason
    );
    let w = issues(&p, Outcome::Warning);
    assert!(
        w.iter()
            .any(|w| w.line == 8 && w.reason.contains("1 quarantined row is not counted")),
        "the summary and the footer both disagree now: {w:?}"
    );
}

#[test]
fn a_detail_entry_that_cannot_be_read_fails_the_bundle_naming_it() {
    let text = crate::testkit::utf8(&fixture(TRADE)).replace("支付宝交易号,", "交易号,");
    let zip = zip_of(&[
        (Name::Gbk(TRADE_SUMMARY_ENTRY), &fixture(TRADE_SUMMARY)),
        (Name::Gbk(TRADE_ENTRY), text.as_bytes()),
    ]);
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, STATUS_FILE_ERROR);
    let message = p.message.expect("message");
    assert!(
        message.contains(&format!(
            "line 15: zip entry {TRADE_ENTRY}, line 5: expected the 业务明细 header"
        )),
        "{message}"
    );
}

#[test]
fn a_zip_without_a_bill_is_a_file_error() {
    let zip = zip_of(&[
        (Name::Utf8("a.txt"), b"hello\n"),
        (Name::Utf8("b.csv"), b"x,y\n1,2\n"),
    ]);
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, STATUS_FILE_ERROR);
    let message = p.message.expect("message");
    assert!(
        message.contains("holds no Alipay bill") && message.contains("a.txt, b.csv"),
        "{message}"
    );
    let empty = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()))
        .finish()
        .expect("an empty zip")
        .into_inner();
    let p = parse(BUNDLE, &empty);
    assert_eq!(p.status, STATUS_FILE_ERROR);
    assert!(p.message.expect("message").contains("holds no files"));
}

#[test]
fn a_corrupt_archive_is_a_file_error() {
    let mut garbage = b"PK\x03\x04".to_vec();
    garbage.extend((0..500u32).map(|i| u8::try_from(i * 7 % 251).unwrap_or_default()));
    let p = parse(BUNDLE, &garbage);
    assert_eq!(p.status, STATUS_FILE_ERROR);
    assert!(
        p.message
            .expect("message")
            .contains("not a readable zip archive")
    );

    // Damage the deflated data of the detail entry: it no longer unpacks (or fails its CRC).
    let mut zip = trade_bundle();
    let (name, _, _) = encoding_rs::GBK.encode(TRADE_ENTRY);
    let at = zip
        .windows(name.len())
        .position(|w| w == &*name)
        .expect("its local header");
    for b in &mut zip[at + name.len() + 40..at + name.len() + 60] {
        *b ^= 0x5A;
    }
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, STATUS_FILE_ERROR);
    let message = p.message.expect("message");
    assert!(
        message.contains(&format!("zip entry {TRADE_ENTRY} cannot be unpacked")),
        "{message}"
    );
}

#[test]
fn a_truncated_archive_is_a_file_error() {
    let zip = trade_bundle();
    for end in 0..zip.len() {
        let p = parse(BUNDLE, &zip[..end]);
        assert_eq!(p.status, STATUS_FILE_ERROR, "cut at {end}: {:?}", p.message);
    }
}

/// The central-directory header of the entry named `name` (GBK) in `zip`.
fn central_header(zip: &[u8], name: &str) -> usize {
    let (name, _, _) = encoding_rs::GBK.encode(name);
    let at = zip
        .windows(name.len())
        .rposition(|w| w == &*name)
        .expect("the central directory names it");
    at - 46
}

#[test]
fn an_entry_over_the_size_limit_is_refused() {
    let mut zip = trade_bundle();
    let cd = central_header(&zip, TRADE_ENTRY);
    assert_eq!(&zip[cd..cd + 4], b"PK\x01\x02");
    zip[cd + 24..cd + 28].copy_from_slice(&(600u32 << 20).to_le_bytes());
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, STATUS_FILE_ERROR);
    let message = p.message.expect("message");
    assert!(
        message.contains(&format!(
            "zip entry {TRADE_ENTRY} unpacks to 629145600 bytes, more than the limit"
        )),
        "{message}"
    );
}

#[test]
fn a_zip_bomb_is_refused() {
    let mut bomb = crate::testkit::utf8(&fixture(TRADE));
    bomb.push_str(&",".repeat(3 << 20));
    let zip = zip_of(&[(Name::Gbk(TRADE_ENTRY), bomb.as_bytes())]);
    assert!(zip.len() < 64 << 10, "{} bytes", zip.len());
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, STATUS_FILE_ERROR);
    let message = p.message.expect("message");
    assert!(message.contains("refused as a zip bomb"), "{message}");
}

#[test]
fn an_entry_that_unpacks_to_more_than_it_declares_is_refused() {
    let mut zip = trade_bundle();
    let cd = central_header(&zip, TRADE_ENTRY);
    zip[cd + 24..cd + 28].copy_from_slice(&100u32.to_le_bytes());
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, STATUS_FILE_ERROR, "{:?}", p.message);
    let message = p.message.expect("message");
    assert!(
        message.contains(&format!("zip entry {TRADE_ENTRY} cannot be unpacked")),
        "{message}"
    );
}

#[test]
fn sniff_claims_bundles() {
    let d = crate::qrecon_descriptor();
    let zip = trade_bundle();
    assert_eq!(testing::sniff(d, BUNDLE, &zip), 95);
    assert_eq!(
        testing::sniff(d, "download.zip", &zip),
        95,
        "by its first entry's name"
    );
    let name_end = 30 + encoding_rs::GBK.encode(TRADE_SUMMARY_ENTRY).0.len();
    assert_eq!(
        testing::sniff(d, "download.zip", &zip[..name_end]),
        95,
        "the head holds the name"
    );
    assert_eq!(
        testing::sniff(d, "download.zip", &zip[..name_end - 1]),
        0,
        "the name is cut off"
    );
    assert_eq!(
        testing::sniff(d, BUNDLE, &zip[..4]),
        95,
        "by the bundle's name"
    );
    let account = account_bundle();
    assert_eq!(testing::sniff(d, "a.zip", &account), 95);
    let flagged = zip_of(&[(Name::Utf8(TRADE_SUMMARY_ENTRY), b"#\n")]);
    assert_eq!(testing::sniff(d, "a.zip", &flagged), 95, "a UTF-8 name");

    let other = zip_of(&[(Name::Utf8("report.csv"), b"a,b\n")]);
    assert_eq!(testing::sniff(d, "report.zip", &other), 0);
    assert_eq!(testing::sniff(d, "report.CSV.ZIP", &other), 95);
    let not_csv = zip_of(&[(
        Name::Gbk("20880211096256330156_20261109_业务明细.xlsx"),
        b"x",
    )]);
    assert_eq!(testing::sniff(d, "a.zip", &not_csv), 0);
    let mut encrypted = zip_of(&[(Name::Gbk("支付宝交易明细(20260101-20260331).csv"), b"x")]);
    assert_eq!(testing::sniff(d, "a.zip", &encrypted), 95);
    encrypted[6] |= 1;
    assert_eq!(
        testing::sniff(d, "a.zip", &encrypted),
        0,
        "a password-protected export"
    );
    assert_eq!(
        testing::sniff(d, BUNDLE, "#支付宝业务明细查询".as_bytes()),
        98,
        "a CSV by that name"
    );
}

/// The other adapters' samples kept in this repository (the copies of the shared sample
/// folder among them), so the check runs the same on a clean clone.
fn other_samples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut found = Vec::new();
    for folder in ["plugins", "crates"] {
        for entry in std::fs::read_dir(root.join(folder))
            .into_iter()
            .flatten()
            .flatten()
        {
            let fixtures = entry.path().join("fixtures");
            if entry.file_name() != "alipay" && fixtures.is_dir() {
                files(&fixtures, &mut found);
            }
        }
    }
    // Golden files, READMEs and other notes are not samples.
    let notes = ["golden", "tsv", "md"];
    found.retain(|p| {
        !p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| notes.iter().any(|n| e.eq_ignore_ascii_case(n)))
    });
    found
}

fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn every_other_sample_scores_zero_and_ours_score_sure() {
    let d = crate::qrecon_descriptor();
    let others = other_samples();
    assert!(others.len() > 20, "{} files", others.len());
    for path in others {
        let bytes = std::fs::read(&path).expect("a fixture");
        let head = &bytes[..bytes.len().min(8 << 10)];
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert_eq!(testing::sniff(d, name, head), 0, "{}", path.display());
    }
    for name in [
        TRADE,
        ACCOUNT,
        "account_20880211096256330156_20261110_reordered.csv",
    ] {
        assert!(testing::sniff(d, name, &fixture(name)) >= 90, "{name}");
    }
    assert!(testing::sniff(d, BUNDLE, &trade_bundle()) >= 90);
}

#[test]
fn a_drifted_summary_is_read_by_its_column_names() {
    let text = crate::testkit::utf8(&fixture(TRADE_SUMMARY));
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // A blank line before the header, columns reordered and an unknown column appended.
    let moved = |l: &str| {
        let c: Vec<&str> = l.split(',').collect();
        let mut out = vec![c[5], c[0], c[3], c[2], c[1]];
        out.extend(&c[4..5]);
        out.extend(&c[6..]);
        out.push(if l.starts_with('门') {
            "新列（元）"
        } else {
            "1"
        });
        out.join(",")
    };
    for l in &mut lines[4..8] {
        *l = moved(l);
    }
    lines.insert(4, String::new());
    let drifted = lines.join("\r\n") + "\r\n";
    let zip = zip_of(&[
        (Name::Gbk(TRADE_SUMMARY_ENTRY), drifted.as_bytes()),
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
    ]);
    let p = parse(BUNDLE, &zip);
    assert_eq!(p.status, 0, "{:?}", p.message);
    p.assert_lines_once(11 + 17);
    assert_eq!(skipped(&p, "blank line"), [5]);
    assert_eq!(skipped(&p, "header"), [6, 16]);
    assert!(issues(&p, Outcome::Warning).is_empty(), "{:?}", p.issues);

    let wrong = drifted.replace("1323.01,合计", "1323.02,合计");
    assert_ne!(wrong, drifted);
    let zip = zip_of(&[
        (Name::Gbk(TRADE_SUMMARY_ENTRY), wrong.as_bytes()),
        (Name::Gbk(TRADE_ENTRY), &fixture(TRADE)),
    ]);
    let w = issues(&parse(BUNDLE, &zip), Outcome::Warning)
        .iter()
        .map(|w| w.reason.clone())
        .collect::<Vec<_>>();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("商家实收（元） states 1323.02"), "{w:?}");
}
