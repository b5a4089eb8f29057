//! The header: found by its content, columns mapped by name (the three layouts order them
//! differently, and ASCII and full-width parentheses are treated alike).

use std::borrow::Cow;

use qrecon_adapter_sdk::{Emitter, FieldError, FileError};
use qrecon_payer_bill::header::Header;

/// 收/支: the direction of a row.
pub(crate) const DIRECTION: &str = "收/支";
/// The transaction number: 交易订单号 (app layouts) or 交易号 (PC layout).
const TXN_IDS: [&str; 2] = ["交易订单号", "交易号"];
/// The merchant's order number.
const ORDER_IDS: [&str; 2] = ["商家订单号", "商户订单号"];
/// The time of the app layouts.
const TIME: &str = "交易时间";
/// The PC layout's payment time, used when it is filled.
const PAID_AT: &str = "付款时间";
/// The PC layout's creation time, used when 付款时间 is empty.
const CREATED_AT: &str = "交易创建时间";
const COUNTERPARTY: &str = "交易对方";
const COUNTERPARTY_ACCOUNTS: [&str; 2] = ["对方账号", "对方账户"];
const MEMOS: [&str; 2] = ["商品说明", "商品名称"];
const AMOUNTS: [&str; 2] = ["金额", "金额（元）"];
const STATUS: &str = "交易状态";
const CATEGORY: &str = "交易分类";
const FUND_STATUS: &str = "资金状态";
const REFUNDED: &str = "成功退款（元）";
/// Columns the layouts have that go into `extra` as they are.
const OTHER_KNOWN: [&str; 6] = [
    "收/付款方式",
    "备注",
    "最近修改时间",
    "交易来源地",
    "类型",
    "服务费（元）",
];

/// The header a line would be (its cells' names; none when it cannot be split).
fn header_of(line: &str) -> Header {
    Header::new(&qrecon_payer_bill::split_line(line).unwrap_or_default())
}

/// Whether `line` is the header of one of the layouts: it names 收/支, an amount, a time
/// and a transaction number or status.
pub(crate) fn is_header(line: &str) -> bool {
    if !line.contains(DIRECTION) {
        return false; // most lines: spared the split
    }
    let header = header_of(line);
    let has = |name: &str| header.has(name);
    has(DIRECTION)
        && AMOUNTS.iter().any(|a| has(a))
        && [TIME, PAID_AT, CREATED_AT].iter().any(|t| has(t))
        && (TXN_IDS.iter().any(|t| has(t)) || has(STATUS))
}

/// The header of one file, with each known column's position.
pub(crate) struct Columns {
    /// The header's line.
    pub(crate) line: u64,
    /// The header's names.
    pub(crate) header: Header,
    pub(crate) direction: usize,
    pub(crate) amount: usize,
    pub(crate) time: Option<usize>,
    pub(crate) paid_at: Option<usize>,
    pub(crate) created_at: Option<usize>,
    pub(crate) txn_id: Option<usize>,
    pub(crate) order_id: Option<usize>,
    pub(crate) counterparty: Option<usize>,
    pub(crate) counterparty_account: Option<usize>,
    pub(crate) memo: Option<usize>,
    pub(crate) status: Option<usize>,
    pub(crate) category: Option<usize>,
    pub(crate) fund_status: Option<usize>,
    pub(crate) refunded: Option<usize>,
}

impl Columns {
    /// Maps the header at line `no`. Columns the layouts do not have, and missing columns that
    /// change what the records say, are warned about.
    pub(crate) fn from_header(no: u64, line: &str, out: &mut Emitter) -> Result<Self, FileError> {
        let header = header_of(line);
        let find = |options: &[&str]| header.find(options);
        let required = |name: &str| {
            find(&[name])
                .ok_or_else(|| FileError::at(no, format!("the header has no {name} column")))
        };
        let columns = Self {
            line: no,
            direction: required(DIRECTION)?,
            amount: find(&AMOUNTS)
                .ok_or_else(|| FileError::at(no, "the header has no 金额 column"))?,
            time: find(&[TIME]),
            paid_at: find(&[PAID_AT]),
            created_at: find(&[CREATED_AT]),
            txn_id: find(&TXN_IDS),
            order_id: find(&ORDER_IDS),
            counterparty: find(&[COUNTERPARTY]),
            counterparty_account: find(&COUNTERPARTY_ACCOUNTS),
            memo: find(&MEMOS),
            status: find(&[STATUS]),
            category: find(&[CATEGORY]),
            fund_status: find(&[FUND_STATUS]),
            refunded: find(&[REFUNDED]),
            header,
        };
        columns.warn_about_drift(out);
        Ok(columns)
    }

    /// Warns about unknown columns (kept in `extra`) and missing ones that matter.
    fn warn_about_drift(&self, out: &mut Emitter) {
        let known = |k: &str| {
            [DIRECTION, TIME, PAID_AT, CREATED_AT, COUNTERPARTY, STATUS]
                .into_iter()
                .chain([CATEGORY, FUND_STATUS, REFUNDED])
                .chain(TXN_IDS)
                .chain(ORDER_IDS)
                .chain(COUNTERPARTY_ACCOUNTS)
                .chain(MEMOS)
                .chain(AMOUNTS)
                .chain(OTHER_KNOWN)
                .any(|n| n == k)
        };
        self.header.warn_unknown(self.line, known, out);
        if self.txn_id.is_none() {
            out.warn(
                self.line,
                "the header has no 交易订单号 or 交易号 column: claims get ids made from the file name and line, and refunds cannot be linked by id",
            );
        }
        if self.status.is_none() {
            out.warn(
                self.line,
                "the header has no 交易状态 column: every claim's status is unknown",
            );
        }
    }

    /// Splits a data row into exactly one cell per header column. The `,` that ends every row
    /// (one empty cell more than the header has) is a terminator, not another cell.
    pub(crate) fn split<'r>(&self, raw: &'r str) -> Result<Vec<Cow<'r, str>>, FieldError> {
        let mut cells = qrecon_payer_bill::split_line(raw)?;
        self.header.drop_terminators(&mut cells);
        if cells.len() == self.header.names().len() {
            Ok(cells)
        } else {
            Err(self.header.count_error(self.line, cells.len(), ""))
        }
    }
}
