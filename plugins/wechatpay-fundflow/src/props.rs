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

/// Values of a fund-flow bill, good and bad, mostly behind the bill's backtick.
fn cell() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "2021-02-01 13:54:01",
        "2024-13-01 10:00:00",
        "2024-03-01T10:00:00+08:00",
        "50300806962021020105978994968",
        "4200000920202101197964319284",
        "",
        " ",
        "-",
        "交易",
        "退款",
        "提现",
        "退票",
        "技术服务费",
        "资金冻结",
        "资金解冻",
        "营销补贴",
        "收入",
        "支出",
        "转入",
        "0.01",
        "-1.00",
        "1,234.56",
        "1.0.0",
        "99999999999999999999999999999.99",
        "79228162514264337593543950335",
        "-79,228,162,514,264,337,593,543,950,335",
        "0.0000000000000000000000000001",
        "1601959334API",
        "退款总金额0.01元;含手续费0.00元",
        "含手续费0.60元",
        "含手续费元",
        "含手续费x",
        "含手续费-0.06",
        "含手续费",
        "WD-20240301",
        "S20210201135356381941",
        "`",
        "\"2024-03-01 10:06:00",
        "\"a, b\"",
    ]);
    prop_oneof![
        6 => (known, any::<bool>()).prop_map(|(v, bare)| if bare { v.to_owned() } else { format!("`{v}") }),
        1 => "[ -~]{0,10}",
    ]
}

/// Lines of their own: blank, whitespace, summary headers and rows, a second header.
fn line() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额",
        "资金流水总笔数,收入金额",
        "资金流水总笔数",
        "`3,`1,`0.01,`2,`0.02",
        "`0,`0,`0.00,`0,`0.00",
        "`x,`y",
        "`1,`2,`3",
        "\"unclosed,`1",
        "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号",
        "记账时间,资金流水单号",
    ]);
    prop_oneof![
        1 => "[ \t\r]{0,3}",
        3 => known.prop_map(str::to_owned),
    ]
}

qrecon_adapter_sdk::adapter_proptests!(FORMAT, SAMPLES, cell, line);
