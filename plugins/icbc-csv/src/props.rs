//! Property tests through the exported C-ABI glue: random bytes; every sample of `fixtures/`
//! cut short (at every offset of the small ones, at random offsets of all), with bytes
//! changed, with random rows after its header, and with its amounts pushed to the edges of
//! the decimal range. None may panic or hang, and each file is either refused as a whole or
//! has every line reported exactly once (records + quarantined + skipped = lines).

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::Index;
use qrecon_adapter_sdk::abi::{STATUS_OK, STATUS_PANIC};
use qrecon_adapter_sdk::testing;

/// The samples of `fixtures/` (golden files and the README aside), by file name.
static SAMPLES: LazyLock<Vec<(String, Vec<u8>)>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let samples: Vec<(String, Vec<u8>)> = testing::samples_in(&dir, &[])
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("sample readable"))
        })
        .collect();
    assert!(!samples.is_empty(), "no samples in {}", dir.display());
    samples
});

/// Parses and sniffs through the C ABI: no panic, and the lines add up unless the file was
/// refused (which must say why).
fn check(name: &str, bytes: &[u8]) {
    let parsed = testing::parse(crate::qrecon_descriptor(), name, bytes);
    assert_ne!(parsed.status, STATUS_PANIC, "{name}: {:?}", parsed.message);
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(bytes);
    } else {
        assert!(parsed.message.is_some(), "{name}: a refused file says why");
    }
    let _ = testing::sniff(crate::qrecon_descriptor(), name, bytes);
}

/// A sample's text up to and including its header line (ending in a line end), and the
/// lines after it.
fn split_at_header(bytes: &[u8]) -> (String, Vec<String>) {
    let text = String::from_utf8_lossy(bytes);
    let mut head = String::new();
    let mut lines = text.split_inclusive('\n');
    for line in lines.by_ref() {
        head.push_str(line);
        if crate::columns::is_header(line.trim_end_matches(['\r', '\n'])) {
            break;
        }
    }
    if !head.ends_with('\n') {
        head.push('\n');
    }
    let rest = lines.map(|l| l.trim_end_matches(['\r', '\n']).to_owned());
    (head, rest.collect())
}

/// A line cut at the commas outside double quotes: close enough to every CSV here to change
/// a row cell by cell and join it back as it was.
fn cells_of(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    for c in line.chars() {
        if c == ',' && !quoted {
            cells.push(std::mem::take(&mut cell));
            continue;
        }
        if c == '"' {
            quoted = !quoted;
        }
        cell.push(c);
    }
    cells.push(cell);
    cells
}

/// Values of an ICBC statement, good and bad, bare or quoted and padded as ICBC pads them.
fn cell() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "2023-04-22",
        "2023-13-45",
        "2023/04/22",
        "",
        " ",
        "-",
        "消费",
        "工资",
        "银联在线支付",
        "XX旗舰店",
        "CHN",
        "钞",
        "汇",
        "0.01",
        "1,234.56",
        "-6,086.11",
        "12.3.4",
        "99999999999999999999999999999.99",
        "79228162514264337593543950335",
        "-79,228,162,514,264,337,593,543,950,335",
        "0.0000000000000000000000000001",
        "人民币",
        "美元",
        "USD",
        "xx,yyyy.zz",
        "1234****9876",
        "深圳市财付通支付科技有限公司",
        "人民币合计",
        "合计金额",
        "（收入）",
    ]);
    let padded = (known, 0..3u8, 0..24usize).prop_map(|(v, how, pad)| {
        let spaces = " ".repeat(pad);
        match how {
            0 => v.to_owned(),
            1 => format!("{v}{spaces}\t"),
            _ => format!("\"{v}{spaces}\t\""),
        }
    });
    prop_oneof![
        6 => padded,
        1 => "[ -~]{0,10}",
    ]
}

/// Lines of their own: blank, the separator, footers, preamble lines, a second header.
fn line() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        " ",
        "人民币合计,,,,,,,,,\"1,234.56          \t\",\"9,876.54          \t\",",
        "人民币合计,,,,,,,,\"2,000.00          \t\",\"13.40             \t\",",
        "合计金额,,,,,\"1234.56           \t\",\"6543.21           \t\",\t,\"1234.56           \t\",\"6543.21           \t\",",
        "美元合计,,,,,,,,\"1.00\",\"x\",",
        "合计",
        "\"合计金额,",
        "明细查询文件下载",
        "卡号: 1234****5678,\"卡别名: \"",
        "账号：",
        "子账户序号: 00000,子账户类别: 活期,\"子账户别名: \"",
        "交易日期,记账日期,摘要,交易场所,交易国家或地区简称,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名",
        "交易日期,交易金额(收入)",
    ]);
    prop_oneof![
        1 => "[ \t\r]{0,3}",
        3 => known.prop_map(str::to_owned),
    ]
}

/// How one random row after a sample's header is made.
#[derive(Debug, Clone)]
enum Row {
    /// Cells drawn at random; `fit` makes them as many as the header has.
    Cells { cells: Vec<String>, fit: bool },
    /// A line of the sample after its header, with some cells replaced.
    Edited {
        row: Index,
        edits: Vec<(Index, String)>,
    },
    /// A line of its own: blank, or one the format gives a meaning.
    Line(String),
}

fn row() -> impl Strategy<Value = Row> {
    prop_oneof![
        3 => (prop::collection::vec(cell(), 0..16), any::<bool>())
            .prop_map(|(cells, fit)| Row::Cells { cells, fit }),
        3 => (any::<Index>(), prop::collection::vec((any::<Index>(), cell()), 1..4))
            .prop_map(|(row, edits)| Row::Edited { row, edits }),
        1 => line().prop_map(Row::Line),
    ]
}

/// The text of `row` below a header of `width` cells, the sample's own lines being `rest`.
fn render(row: &Row, width: usize, rest: &[String]) -> String {
    match row {
        Row::Cells { cells, fit } => {
            let mut cells = cells.clone();
            if *fit {
                cells.resize(width, String::new());
            }
            cells.join(",")
        }
        Row::Edited { row, edits } if !rest.is_empty() => {
            let mut cells = cells_of(row.get::<String>(rest));
            for (at, value) in edits {
                let i = at.index(cells.len());
                cells[i].clone_from(value);
            }
            cells.join(",")
        }
        Row::Edited { edits, .. } => edits
            .iter()
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(","),
        Row::Line(s) => s.clone(),
    }
}

/// An amount at an edge, or `None` to keep the sample's: the largest and smallest a
/// `Decimal` holds (with and without grouping), the finest fraction, the most qrecon keeps
/// and one unit more, signed zeros, too many digits.
fn edge_amount() -> impl Strategy<Value = Option<&'static str>> {
    let edges = prop::sample::select(vec![
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "79,228,162,514,264,337,593,543,950,335",
        "7922816251426433759354395033.5",
        "0.0000000000000000000000000001",
        "92233720368547.75807",
        "92233720368547.75808",
        "-92233720368547.75808",
        "0.000001",
        "-0",
        "+0.00",
        "79228162514264337593543950336",
        "1.00000000000000000000000000000",
    ]);
    prop_oneof![
        3 => Just(None),
        2 => edges.prop_map(Some),
    ]
}

/// Where the number in a cell is (its backtick, quotes and padding aside), if it holds one.
fn number_span(cell: &str) -> Option<(usize, usize)> {
    let start = cell.len() - cell.trim_start_matches(['`', '"', ' ', '\t']).len();
    let end = cell.trim_end_matches(['"', ' ', '\t']).len();
    let number = cell.get(start..end)?;
    let digits = number.strip_prefix('-').unwrap_or(number);
    let is_number = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
    is_number.then_some((start, end))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        check("prop.csv", &bytes);
    }

    #[test]
    fn samples_cut_at_random_offsets(sample in any::<Index>(), at in any::<Index>()) {
        let (name, bytes) = sample.get(&SAMPLES);
        check(name, &bytes[..at.index(bytes.len() + 1)]);
    }

    /// Any byte anywhere, or (`ascii`) an ASCII byte in place of an ASCII one, which keeps a
    /// UTF-8 sample UTF-8 and so reaches past its header more often.
    #[test]
    fn samples_with_bytes_changed(
        sample in any::<Index>(),
        changes in prop::collection::vec((any::<Index>(), any::<u8>()), 1..8),
        ascii in any::<bool>(),
    ) {
        let (name, bytes) = sample.get(&SAMPLES);
        let mut bytes = bytes.clone();
        let ascii_at: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i].is_ascii()).collect();
        for (at, byte) in changes {
            if ascii && !ascii_at.is_empty() {
                bytes[*at.get(&ascii_at)] = byte & 0x7f;
            } else {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
        }
        check(name, &bytes);
    }

    #[test]
    fn random_rows_after_a_sample_header(
        sample in any::<Index>(),
        rows in prop::collection::vec(row(), 0..24),
        crlf in any::<bool>(),
        final_end in any::<bool>(),
    ) {
        let (name, bytes) = sample.get(&SAMPLES);
        let (mut text, rest) = split_at_header(bytes);
        let width = text.lines().last().map_or(0, |h| cells_of(h).len());
        let end = if crlf { "\r\n" } else { "\n" };
        let body: Vec<String> = rows.iter().map(|r| render(r, width, &rest)).collect();
        text.push_str(&body.join(end));
        if final_end && !body.is_empty() {
            text.push_str(end);
        }
        check(name, text.as_bytes());
    }

    /// Every number of a sample after its header (amounts, counts, ids) in turn kept or
    /// replaced by the next of `amounts`: rows that are otherwise well formed, so the sums
    /// and control totals see the extremes.
    #[test]
    fn sample_amounts_at_the_edges(
        sample in any::<Index>(),
        amounts in prop::collection::vec(edge_amount(), 1..32),
    ) {
        let (name, bytes) = sample.get(&SAMPLES);
        let (mut text, rest) = split_at_header(bytes);
        let mut next = amounts.iter().cycle();
        for line in &rest {
            let cells: Vec<String> = cells_of(line)
                .into_iter()
                .map(|cell| {
                    let Some((start, end)) = number_span(&cell) else {
                        return cell;
                    };
                    match next.next() {
                        Some(Some(amount)) => format!("{}{amount}{}", &cell[..start], &cell[end..]),
                        _ => cell,
                    }
                })
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        check(name, text.as_bytes());
    }
}

/// Samples up to this size are cut at every offset; longer ones at every offset of their
/// first `SMALL` bytes (preamble, header, first rows) and around every later line end, which
/// keeps the run short (`samples_cut_at_random_offsets` covers the rest).
const SMALL: usize = 2048;

#[test]
fn every_sample_cut_at_every_offset() {
    for (name, bytes) in SAMPLES.iter() {
        for cut in 0..=bytes.len() {
            let near_line_end =
                bytes[cut.saturating_sub(2)..(cut + 2).min(bytes.len())].contains(&b'\n');
            if cut <= SMALL || near_line_end {
                check(name, &bytes[..cut]);
            }
        }
    }
}
