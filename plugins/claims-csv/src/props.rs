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
    is_header: crate::header::is_header,
};

/// Cell values a claims file holds, good and bad.
fn cell() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "C-0001",
        "C-0002",
        "",
        " ",
        "-",
        "order",
        "complaint",
        "payer_receipt",
        "Refund",
        "wechatpay",
        "alipay",
        "2024-03-01 10:00:00",
        "2024-03-01T10:05:00+08:00",
        "2024-03-02T04:30:00Z",
        "2024-02-30 10:00:00",
        "2024-03-01T25:00:00+99:00",
        "99.40",
        "\"1,280.00\"",
        "0.00",
        "-5",
        "1e5",
        "99999999999999999999999999999.99",
        "79228162514264337593543950335",
        "-79,228,162,514,264,337,593,543,950,335",
        "0.0000000000000000000000000001",
        "CNY",
        "\"a, b\"",
        "\"unclosed",
        "\"x\"\"y\"",
        "\"q\"tail",
        "示例餐厅",
        "\u{feff}",
        "\t",
    ]);
    prop_oneof![
        4 => known.prop_map(str::to_owned),
        1 => "[ -~]{0,10}",
    ]
}

/// Lines of their own: blank, whitespace, a second header, a header short of a column.
fn line() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "claim_id,source,provider,paid_at,amount,currency,order_id,txn_id,payer,payee_seen,note",
        "claim_id,paid_at,amount",
        "claim_id,amount,note",
    ]);
    prop_oneof![
        1 => "[ \t\r]{0,3}",
        3 => known.prop_map(str::to_owned),
    ]
}

qrecon_adapter_sdk::adapter_proptests!(FORMAT, SAMPLES, cell, line);
