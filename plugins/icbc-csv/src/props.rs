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
    is_header: crate::columns::is_header,
};

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

qrecon_adapter_sdk::adapter_proptests!(FORMAT, SAMPLES, cell, line);
