//! The 账务明细 columns the adapter reads, and how its header looks.

use crate::columns::{Column, Layout};

/// The columns the adapter reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Col {
    BizNo,
    OrderId,
    Item,
    Time,
    Income,
    Expense,
    BizType,
    Memo,
}

impl Column for Col {
    fn index(self) -> usize {
        self as usize
    }
}

/// Header name of each [`Col`], in [`Col`] order.
const NAMES: [&str; 8] = [
    "业务流水号",
    "商户订单号",
    "商品名称",
    "发生时间",
    "收入金额（+元）",
    "支出金额（-元）",
    "业务类型",
    "备注",
];

const _: () = assert!(Col::Memo as usize + 1 == NAMES.len(), "a name per column");

/// What the header looks like, for errors.
pub(crate) const EXPECTED: &str =
    "the 账务明细 header naming 发生时间, 收入金额（+元）, 支出金额（-元） and 业务类型";

/// The 账务明细 column table. Column order differs between accounts, and newer files append
/// columns; the header is found by its required columns, in any order.
pub(crate) static LAYOUT: Layout<Col> = Layout {
    label: "账务明细",
    expected: EXPECTED,
    names: &NAMES,
    required: &[Col::Time, Col::Income, Col::Expense, Col::BizType],
    header_start: &["账务流水号", "业务流水号"],
};
