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
    is_header: |line| line.starts_with(crate::HEADER_START),
};

/// Values of a trade bill, good and bad, mostly behind the bill's backtick.
fn cell() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "2021-01-28 17:07:11",
        "2014-11-10 16：33：45",
        "2021-02-30 10:00:00",
        "wx81be3101902f7cb2",
        "1601959334",
        "0",
        "",
        " ",
        "4200000925202101284997714292",
        "S20210128170702357723",
        "NATIVE",
        "SUCCESS",
        "REFUND",
        "REVOKED",
        "PROCESSING",
        "CLOSED",
        "CNY",
        "0.01",
        "0.00",
        "0.00000",
        "-1.41000",
        "1,234.50",
        "12.3.4",
        "99999999999999999999999999999.99",
        "79228162514264337593543950335",
        "-79,228,162,514,264,337,593,543,950,335",
        "0.0000000000000000000000000001",
        "1.00%",
        "50300807172021020106006664916",
        "ORIGINAL",
        "面条, 大碗",
        "for testing",
        "`",
        "``",
        "\"quoted\"",
    ]);
    prop_oneof![
        6 => (known, any::<bool>()).prop_map(|(v, bare)| if bare { v.to_owned() } else { format!("`{v}") }),
        1 => "[ -~]{0,10}",
    ]
}

/// Lines of their own: blank, whitespace, summary headers and rows, a second header.
fn line() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
        "总交易单数,总交易额,总退款金额,总代金券或立减优惠退款金额,手续费总金额",
        "总交易单数",
        "`3,`0.03,`0.00,`0.00,`0.00000,`0.03,`0.00",
        "`2,`0.02,`0.0,`0.0,`0",
        "`x,`y",
        "3,0.03",
        "交易时间,公众账号ID,商户号,微信订单号,交易状态,手续费,总金额",
        "交易时间,公众账号ID,商户号",
    ]);
    prop_oneof![
        1 => "[ \t\r]{0,3}",
        3 => known.prop_map(str::to_owned),
    ]
}

qrecon_adapter_sdk::adapter_proptests!(FORMAT, SAMPLES, cell, line);
