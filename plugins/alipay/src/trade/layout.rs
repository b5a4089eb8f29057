//! The 业务明细 columns the adapter reads, and how its header looks.

use crate::columns::{Column, Layout};

/// The columns the adapter reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Col {
    TxnId,
    OrderId,
    BizType,
    Item,
    Finished,
    Payer,
    Received,
    Fee,
    RefundNo,
}

impl Column for Col {
    fn index(self) -> usize {
        self as usize
    }
}

/// Header name of each [`Col`], in [`Col`] order.
const NAMES: [&str; 9] = [
    "支付宝交易号",
    "商户订单号",
    "业务类型",
    "商品名称",
    "完成时间",
    "对方账户",
    "商家实收（元）",
    "服务费（元）",
    "退款批次号/请求号",
];

const _: () = assert!(
    Col::RefundNo as usize + 1 == NAMES.len(),
    "a name per column"
);

/// What the header looks like, for errors.
pub(crate) const EXPECTED: &str = "the 业务明细 header 支付宝交易号,商户订单号,业务类型,…";

/// The 业务明细 column table.
pub(crate) static LAYOUT: Layout<Col> = Layout {
    label: "业务明细",
    expected: EXPECTED,
    names: &NAMES,
    required: &[Col::TxnId, Col::BizType, Col::Finished, Col::Received],
    header_start: &["支付宝交易号", "商户订单号", "业务类型"],
};
