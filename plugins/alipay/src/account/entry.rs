//! One data row of the account log as a canonical `fund` record: its sign, its type and
//! where its ids go.

use std::collections::HashSet;

use qrecon_adapter_sdk::{Decimal, FieldError, Kind, Record, Status};

use super::layout::Col;
use crate::PROVIDER;

/// One row of a 账务明细.
type Row<'r> = crate::columns::Row<'r, Col>;

/// 业务类型 of a withdrawal to the merchant's bank card.
pub(crate) const WITHDRAWAL: &str = "提现";
/// 业务类型 an income line may carry when a withdrawal comes back.
const RETURNED: [&str; 2] = ["提现退回", "退票"];
/// Columns every record maps to fields of its own.
const FIELDS: [Col; 4] = [Col::Time, Col::Income, Col::Expense, Col::BizType];

/// Which way the money moved, as the income and expense columns say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// 收入金额 is not zero.
    Income,
    /// 支出金额 is not zero.
    Expense,
    /// Both are zero.
    Neither,
}

/// A row read as a record, with the direction its amount came from.
pub(crate) struct Entry<'r> {
    /// The canonical record.
    pub(crate) record: Record<'r>,
    /// 收入, 支出 or neither.
    pub(crate) direction: Direction,
}

/// Reads one data row. `withdrawals` holds the 业务流水号 of the file's 提现 lines.
pub(crate) fn read<'r>(
    row: &Row<'r>,
    line: u64,
    account: Option<&'r str>,
    withdrawals: &HashSet<&str>,
) -> Result<Entry<'r>, FieldError> {
    let (time, utc_offset) = row.time(Col::Time)?;
    let (amount, direction) = signed_amount(row)?;
    let biz_type = row.get(Col::BizType).unwrap_or_default();
    let biz_no = row.get(Col::BizNo);
    let returned = direction == Direction::Income
        && (biz_no.is_some_and(|n| withdrawals.contains(n)) || RETURNED.contains(&biz_type));
    let record_type = if returned {
        "withdrawal_return"
    } else {
        record_type(biz_type)
    };
    let mut record = Record::new(line, Kind::Fund, record_type, PROVIDER);
    record.account = account;
    record.time = Some(time);
    record.utc_offset_secs = utc_offset;
    record.amount = amount;
    record.status = Status::Success;
    record.status_raw = row.get(Col::BizType);
    let ids: &[Col] = match record_type {
        "income" | "refund" => {
            record.txn_id = biz_no;
            record.order_id = row.get(Col::OrderId);
            &[Col::BizNo, Col::OrderId]
        }
        "withdrawal" | "withdrawal_return" => {
            record.payout_id = biz_no;
            &[Col::BizNo]
        }
        _ => &[],
    };
    let memo = if row.get(Col::Memo).is_some() {
        Col::Memo
    } else {
        Col::Item
    };
    record.memo = row.get(memo);
    record.extra = row.extra(&[&FIELDS, ids, &[memo]]);
    Ok(Entry { record, direction })
}

/// 收入 − |支出| (an empty cell is zero). The expense may be printed `-11.93` or `11.93`
/// (either way money out); at most one of the two may be non-zero, and the income may not be
/// negative.
fn signed_amount(row: &Row<'_>) -> Result<(Decimal, Direction), FieldError> {
    let income = row.amount(Col::Income)?.unwrap_or_default();
    let expense = row.amount(Col::Expense)?.unwrap_or_default();
    if income < Decimal::ZERO {
        return Err(FieldError::new(
            row.name(Col::Income),
            "a non-negative amount",
            row.get(Col::Income).unwrap_or_default(),
        ));
    }
    if !income.is_zero() && !expense.is_zero() {
        return Err(FieldError::new(
            row.name(Col::Expense),
            &format!("0.00 when {} is {income}", row.name(Col::Income)),
            row.get(Col::Expense).unwrap_or_default(),
        ));
    }
    let direction = if !income.is_zero() {
        Direction::Income
    } else if !expense.is_zero() {
        Direction::Expense
    } else {
        Direction::Neither
    };
    Ok((income - expense.abs(), direction))
}

/// The record type for a 业务类型 (withdrawal returns are recognised before, by the caller).
/// An unknown type is `other`; its text stays in `status_raw`.
fn record_type(biz_type: &str) -> &'static str {
    match biz_type {
        "在线支付" | "交易付款" => "income",
        "收费" => "fee",
        t if t.contains("服务费") || t.contains("手续费") => "fee",
        "交易退款" | "退款" => "refund",
        WITHDRAWAL => "withdrawal",
        t if t.contains("解冻") => "unfreeze",
        t if t.contains("冻结") => "freeze",
        _ => "other",
    }
}
