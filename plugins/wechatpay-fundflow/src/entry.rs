//! One data row of the bill as a canonical fund record: its sign, its type and its ids.

use std::collections::HashSet;

use qrecon_adapter_sdk::{Decimal, FieldError, Kind, Record, Status, text};

use crate::header::{
    AMOUNT, APPLICANT, BALANCE, BUSINESS_NAME, BUSINESS_NO, BUSINESS_TYPE, DIRECTION, FLOW_NO,
    MEMO, Row, TIME, VOUCHER,
};

/// The provider every record of this adapter belongs to.
const PROVIDER: &str = "wechatpay";
/// 业务类型 of a withdrawal to the merchant's bank.
pub(crate) const WITHDRAWAL: &str = "提现";
/// 业务类型 of a bounced withdrawal.
const RETURNED: &str = "退票";
/// How 备注 states the fee (`含手续费0.06元`).
const FEE_MARK: &str = "含手续费";
/// Columns copied into `extra` under their header names. 微信支付业务单号 and 业务凭证号 go
/// there only when the row's type does not already map them to an id field (see [`link`]).
const EXTRA: [&str; 4] = [FLOW_NO, BUSINESS_NAME, BALANCE, APPLICANT];

/// 收支类型: which way the money moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// 收入: toward the merchant.
    Income,
    /// 支出: away from the merchant.
    Expense,
}

impl Direction {
    fn parse(cell: &str) -> Result<Self, FieldError> {
        match cell {
            "收入" => Ok(Direction::Income),
            "支出" => Ok(Direction::Expense),
            other => Err(FieldError::new(DIRECTION, "收入 or 支出", other)),
        }
    }
}

/// A row read as a record, with the direction its amount came from.
pub(crate) struct Entry<'r> {
    /// The canonical record (its `fee` is left to the caller, see [`memo_fee`]).
    pub(crate) record: Record<'r>,
    /// 收入 or 支出.
    pub(crate) direction: Direction,
}

/// Reads one data row. `withdrawals` holds the ids (业务凭证号) of the file's 提现 lines.
pub(crate) fn read<'r>(
    line: u64,
    row: &Row<'r>,
    withdrawals: &HashSet<&str>,
) -> Result<Entry<'r>, FieldError> {
    let (time, utc_offset) = text::parse_datetime(TIME, row.get(TIME))?;
    let direction = Direction::parse(row.get(DIRECTION))?;
    let amount = signed_amount(row.get(AMOUNT), direction)?;
    let business_type = row.get(BUSINESS_TYPE);
    let kind = record_type(business_type, direction, row.opt(VOUCHER), withdrawals);
    let mut record = Record::new(line, Kind::Fund, kind, PROVIDER);
    record.time = Some(time);
    record.utc_offset_secs = utc_offset;
    record.amount = amount;
    record.status = Status::Success;
    record.status_raw = text::non_empty(business_type);
    record.memo = row.opt(MEMO);
    record.extra = EXTRA
        .iter()
        .filter_map(|&k| row.opt(k).map(|v| (k, v)))
        .collect();
    link(&mut record, row);
    Ok(Entry { record, direction })
}

/// The amount signed by 收支类型. The file prints it unsigned; a sign of its own is refused.
fn signed_amount(cell: &str, direction: Direction) -> Result<Decimal, FieldError> {
    let amount = text::parse_amount(AMOUNT, cell)?;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(FieldError::new(
            AMOUNT,
            "an unsigned amount (收支类型 gives the sign)",
            cell,
        ));
    }
    Ok(match direction {
        Direction::Income => amount.abs(),
        Direction::Expense => -amount.abs(),
    })
}

/// The record type for a 业务类型. An income line carrying a withdrawal's id, or typed 退票,
/// is that withdrawal returned; unknown types become `other` (the raw text stays in
/// `status_raw`).
fn record_type(
    business_type: &str,
    direction: Direction,
    voucher: Option<&str>,
    withdrawals: &HashSet<&str>,
) -> &'static str {
    let carries_withdrawal_id = voucher.is_some_and(|v| withdrawals.contains(v));
    if direction == Direction::Income && (carries_withdrawal_id || business_type == RETURNED) {
        return "withdrawal_return";
    }
    match business_type {
        "交易" => "income",
        "退款" => "refund",
        WITHDRAWAL => "withdrawal",
        t if t.contains("手续费") || t.contains("服务费") => "fee",
        t if t.contains("解冻") => "unfreeze",
        t if t.contains("冻结") => "freeze",
        _ => "other",
    }
}

/// Puts the row's ids where its type says they belong.
fn link<'r>(record: &mut Record<'r>, row: &Row<'r>) {
    let business_no = row.opt(BUSINESS_NO);
    let voucher = row.opt(VOUCHER);
    match record.record_type {
        "income" => {
            record.txn_id = business_no;
            record.order_id = voucher;
        }
        "refund" => {
            record.refund_id = business_no;
            if let Some(out_refund_no) = voucher {
                record.extra.push(("out_refund_no", out_refund_no));
            }
        }
        "withdrawal" | "withdrawal_return" => {
            record.payout_id = voucher;
            if business_no != voucher {
                record.extra.extend(business_no.map(|b| (BUSINESS_NO, b)));
            }
        }
        _ => {
            record.extra.extend(business_no.map(|b| (BUSINESS_NO, b)));
            record.extra.extend(voucher.map(|v| (VOUCHER, v)));
        }
    }
}

/// The fee stated in 备注 as `含手续费x元`, exactly as printed; `None` when 备注 states none.
pub(crate) fn memo_fee(memo: Option<&str>) -> Result<Option<Decimal>, FieldError> {
    let Some((_, rest)) = memo.and_then(|m| m.split_once(FEE_MARK)) else {
        return Ok(None);
    };
    let end = rest
        .find(['元', ';', '；', ',', '，'])
        .unwrap_or(rest.len());
    text::parse_amount(MEMO, &rest[..end]).map(Some)
}
