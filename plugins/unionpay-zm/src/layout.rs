//! The fixed-width layouts: field names and byte widths, which layout a line follows (by its
//! byte length), and cutting a line into its fields at byte offsets.

use qrecon_adapter_sdk::FieldError;

/// One field of a layout.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// The field's name in the UnionPay file-interface specification.
    pub name: &'static str,
    /// Width in bytes (GBK: a Chinese character takes two).
    pub width: usize,
    /// An `X+n12` amount: a sign or C/D byte, then fen.
    pub money: bool,
}

const fn text(name: &'static str, width: usize) -> Field {
    Field {
        name,
        width,
        money: false,
    }
}

const fn money(name: &'static str, width: usize) -> Field {
    Field {
        name,
        width,
        money: true,
    }
}

/// The 41 fields every known ZM layout starts with (the official ACP SDK, its older
/// `…,1,131` form and the newer dax-pay form agree on them byte for byte).
pub(crate) const COMMON: [Field; 41] = [
    text("交易代码", 3),
    text("代理机构标识码", 11),
    text("发送机构标识码", 11),
    text("系统跟踪号", 6),
    text("交易传输时间", 10),
    text("帐号", 19),
    text("交易金额", 12),
    text("商户类别", 4),
    text("终端类型", 2),
    text("查询流水号", 21),
    text("支付方式(旧)", 2),
    text("商户订单号", 32),
    text("支付卡类型", 2),
    text("原始交易系统跟踪号", 6),
    text("原始交易日期时间", 10),
    money("商户手续费", 13),
    money("结算金额", 13),
    text("支付方式", 4),
    text("集团商户代码", 15),
    text("交易类型", 2),
    text("交易子类", 2),
    text("业务类型", 6),
    text("帐号类型", 2),
    text("账单类型", 4),
    text("账单号码", 32),
    text("交互方式", 1),
    text("原交易查询流水号", 21),
    text("商户代码", 15),
    text("分账入账方式", 1),
    text("二级商户代码", 15),
    text("二级商户简称", 32),
    money("二级商户分账入账金额", 13),
    money("清算净额", 13),
    text("终端号", 8),
    text("商户自定义域", 32),
    money("优惠金额", 13),
    money("发票金额", 13),
    money("分期付款附加手续费", 12),
    text("分期付款期数", 2),
    text("交易介质", 1),
    text("原始交易订单号", 32),
];

/// The tail of the official SDK layout (`parseZMFile`: `…,1,32,98`).
pub(crate) const TAIL_OFFICIAL: [Field; 1] = [text("保留使用", 98)];

/// The tail of the newer layout (dax-pay: `…,1,32,13,2,1,12,67`).
pub(crate) const TAIL_NEWER: [Field; 5] = [
    money("清算金额", 13),
    text("服务点输入方式码", 2),
    text("移动支付产品标志", 1),
    text("检索参考号", 12),
    text("保留使用", 67),
];

/// Positions in [`COMMON`] of the fields the mapping reads by name.
pub(crate) mod at {
    pub const CODE: usize = 0;
    pub const TIME: usize = 4;
    pub const CARD: usize = 5;
    pub const AMOUNT: usize = 6;
    pub const QUERY_ID: usize = 9;
    pub const ORDER_ID: usize = 11;
    pub const FEE: usize = 15;
    pub const ORIG_QUERY_ID: usize = 26;
    pub const MER_ID: usize = 27;
    pub const MER_RESERVED: usize = 34;
    pub const ORIG_ORDER_ID: usize = 40;
}

/// Bytes taken by the first `n` of `widths`, each with the separator after it.
const fn span(widths: &[usize], n: usize) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < n && i < widths.len() {
        total += widths[i] + 1;
        i += 1;
    }
    total
}

/// The widths of a list of fields.
const fn widths<const N: usize>(fields: &[Field; N]) -> [usize; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = fields[i].width;
        i += 1;
    }
    out
}

const COMMON_WIDTHS: [usize; 41] = widths(&COMMON);

/// Where [`COMMON`] ends, with the separator after its last field.
pub(crate) const COMMON_LEN: usize = span(&COMMON_WIDTHS, COMMON.len());
/// A line of the official SDK layout: 607 bytes.
pub(crate) const OFFICIAL_LEN: usize =
    COMMON_LEN + span(&widths(&TAIL_OFFICIAL), TAIL_OFFICIAL.len()) - 1;
/// A line of the newer layout: 608 bytes.
pub(crate) const NEWER_LEN: usize = COMMON_LEN + span(&widths(&TAIL_NEWER), TAIL_NEWER.len()) - 1;
/// The shortest line of an unknown length that is still read: through 商户代码 (308 bytes).
pub(crate) const CORE_LEN: usize = span(&COMMON_WIDTHS, at::MER_ID + 1) - 1;

/// The official SDK's ZME (差错) widths (`parseZMEFile`). Beyond the first seven, which are
/// ZM's, the fields are not published by name.
const ZME_WIDTHS: [usize; 22] = [
    3, 11, 11, 6, 10, 19, 12, 4, 2, 2, 6, 10, 4, 12, 13, 13, 15, 15, 1, 12, 2, 135,
];
/// A line of the ZME layout: 339 bytes.
pub(crate) const ZME_LEN: usize = span(&ZME_WIDTHS, ZME_WIDTHS.len()) - 1;

/// Which layout a ZM line follows, told by its byte length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// 607 bytes: the official SDK layout (the older `…,1,131` form is the same bytes).
    Official,
    /// 608 bytes: the newer layout, whose tail starts with 清算金额.
    Newer,
    /// Any other length of at least [`CORE_LEN`]: only [`COMMON`] is read.
    Unknown,
}

impl Layout {
    /// The layout of a line of `len` bytes.
    pub(crate) fn of_len(len: usize) -> Self {
        match len {
            OFFICIAL_LEN => Self::Official,
            NEWER_LEN => Self::Newer,
            _ => Self::Unknown,
        }
    }

    /// The fields after [`COMMON`].
    pub(crate) fn tail(self) -> &'static [Field] {
        match self {
            Self::Official => &TAIL_OFFICIAL,
            Self::Newer => &TAIL_NEWER,
            Self::Unknown => &[],
        }
    }
}

/// A line cut into fields: each field's bytes, and for an unknown layout the bytes after
/// the common fields.
pub(crate) struct Cut<'l> {
    pub fields: Vec<(&'static Field, &'l [u8])>,
    pub rest: &'l [u8],
}

/// Cuts `line` at the byte widths of `layout`. A field the line ends inside is read as far
/// as it goes (trailing spaces a tool trimmed); a field past the end is empty. Every
/// separator inside the line must be a space: anything else means the widths do not fit.
pub(crate) fn cut(line: &[u8], layout: Layout) -> Result<Cut<'_>, FieldError> {
    let all = COMMON.iter().chain(layout.tail());
    let count = COMMON.len() + layout.tail().len();
    let mut fields = Vec::with_capacity(count);
    let mut start = 0;
    for (i, field) in all.enumerate() {
        let end = start + field.width;
        let bytes = line.get(start..end.min(line.len())).unwrap_or_default();
        fields.push((field, bytes));
        // After the last field of a known layout the line ends; an unknown one goes on.
        let last = i + 1 == count && layout != Layout::Unknown;
        match line.get(end) {
            Some(b' ') | None => {}
            Some(_) if last => {}
            Some(other) => return Err(bad_separator(field, end, *other)),
        }
        start = end + 1;
    }
    let rest = line.get(start.min(line.len())..).unwrap_or_default();
    Ok(Cut { fields, rest })
}

fn bad_separator(field: &Field, at: usize, found: u8) -> FieldError {
    FieldError {
        field: field.name.to_owned(),
        reason: format!(
            "expected a space (the field separator) after it at byte {}, found {}: the line \
             does not follow the ZM byte widths",
            at + 1,
            describe(found)
        ),
    }
}

/// A byte as a reader wants to see it: ASCII as itself, anything else in hex.
fn describe(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("{:?}", char::from(b))
    } else {
        format!("byte 0x{b:02X}")
    }
}

/// Whether `line` opens like a ZM/ZME data line: a 3-character upper-case/digit 交易代码
/// and the separator after it.
pub(crate) fn opens_like_data(line: &[u8]) -> bool {
    match line {
        [a, b, c, b' ', ..] => [a, b, c]
            .iter()
            .all(|x| x.is_ascii_uppercase() || x.is_ascii_digit()),
        _ => false,
    }
}

/// Whether every separator of the fields in [`COMMON`] that `line` holds is a space.
pub(crate) fn common_separators_fit(line: &[u8]) -> bool {
    let mut end = 0;
    COMMON.iter().all(|f| {
        end += f.width;
        let fits = line.get(end).is_none_or(|b| *b == b' ');
        end += 1;
        fits
    })
}

/// The first seven fields (交易代码 … 交易金额), which ZM and ZME lines share.
pub(crate) fn shared_head(line: &[u8]) -> Option<[&[u8]; 7]> {
    let mut out: [&[u8]; 7] = [&[]; 7];
    let mut start = 0;
    for (slot, field) in out.iter_mut().zip(&COMMON) {
        *slot = line.get(start..start + field.width)?;
        start += field.width + 1;
    }
    Some(out)
}
