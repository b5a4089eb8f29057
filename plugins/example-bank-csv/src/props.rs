//! Property tests through the exported C-ABI glue: random bytes; every sample of `fixtures/`
//! cut short (at every offset of the small ones, at random offsets of all), with bytes
//! changed, with random rows after its header, and with its amounts pushed to the edges of
//! the decimal range. None may panic or hang, and each file is either refused as a whole or
//! has every line reported exactly once (records + quarantined + skipped = lines).

//!
//! The inputs and the check are the SDK's shared ones (`qrecon_adapter_sdk::proptests`); this
//! module supplies what is the format's own: its header line, its cell values and lines.

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use qrecon_adapter_sdk::proptests::{self, Format, Sample};

/// The samples of `fixtures/` (golden files and the README aside), by file name.
static SAMPLES: LazyLock<Vec<Sample>> =
    LazyLock::new(|| proptests::samples(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")));

static FORMAT: Format = Format {
    descriptor: crate::qrecon_descriptor,
    is_header: |line| crate::Header::find(line).is_some(),
};

/// Values of a plain bank CSV, good and bad.
fn cell() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "2026-11-24",
        "2026-11-31",
        "24/11/2026",
        "",
        " ",
        "-",
        "1146.32",
        "-35.00",
        "\"1,286.70\"",
        "12.5x",
        "0",
        "-0",
        "99999999999999999999999999999.99",
        "79228162514264337593543950335",
        "-79,228,162,514,264,337,593,543,950,335",
        "0.0000000000000000000000000001",
        "CNY",
        "EUR",
        "财付通支付科技有限公司",
        "WD190000010920261123",
        "\"electricity, November\"",
        "\"unclosed",
        "\"x\"\"y\"",
        "\"q\"tail",
        "Hangzhou",
        "total",
        "\u{feff}",
        "\t",
    ]);
    prop_oneof![
        4 => known.prop_map(str::to_owned),
        1 => "[ -~]{0,10}",
    ]
}

/// Lines of their own: blank, whitespace, control totals, a second header.
fn line() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "total,2398.02",
        "total,0",
        "total,",
        "total,x",
        "total,\"1,000.00\"",
        "total",
        "Total,1.00",
        "date,amount",
        "date,amount,currency,counterparty,reference,memo,branch",
    ]);
    prop_oneof![
        1 => "[ \t\r]{0,3}",
        3 => known.prop_map(str::to_owned),
    ]
}

qrecon_adapter_sdk::adapter_proptests!(FORMAT, SAMPLES, cell, line);
