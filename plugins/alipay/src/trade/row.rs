//! One data row of the trade bill as a canonical `txn` record.

use qrecon_adapter_sdk::{Decimal, FieldError, Kind, Record, Status};

use super::layout::Col;
use super::totals::Totals;
use crate::PROVIDER;
use crate::out::Out;

/// The 业务明细 header of one file, and one of its rows.
type Columns = crate::columns::Columns<Col>;
type Row<'r> = crate::columns::Row<'r, Col>;

/// 业务类型 of a payment row.
const PAYMENT: &str = "交易";
/// 业务类型 of a refund row.
const REFUND: &str = "退款";

/// Columns a payment row maps to record fields; the rest go to `extra`.
const PAYMENT_FIELDS: [Col; 8] = [
    Col::TxnId,
    Col::OrderId,
    Col::BizType,
    Col::Item,
    Col::Finished,
    Col::Payer,
    Col::Received,
    Col::Fee,
];

/// Columns a refund row maps to record fields: a payment's, and the refund's request number.
const REFUND_FIELDS: [Col; 9] = [
    Col::TxnId,
    Col::OrderId,
    Col::BizType,
    Col::Item,
    Col::Finished,
    Col::Payer,
    Col::Received,
    Col::Fee,
    Col::RefundNo,
];

/// Parses the data row `raw` at line `no` and reports it as a record or quarantined.
pub(crate) fn emit(
    columns: &Columns,
    account: Option<&str>,
    (no, raw): (u64, &str),
    totals: &mut Totals,
    out: &mut Out<'_>,
) {
    let cells = match columns.split(raw) {
        Ok(cells) => cells,
        Err(e) => {
            totals.quarantined();
            out.quarantine(no, raw, e);
            return;
        }
    };
    match read(&columns.row(&cells), no, account) {
        Ok(record) => {
            if out.record(&record, raw) {
                totals.add(&record);
            } else {
                totals.quarantined();
            }
        }
        Err(e) => {
            totals.quarantined();
            out.quarantine(no, raw, e);
        }
    }
}

/// Reads one row: `交易` → payment, `退款` → refund, anything else is an error.
fn read<'r>(row: &Row<'r>, line: u64, account: Option<&'r str>) -> Result<Record<'r>, FieldError> {
    let txn_id = row.required(Col::TxnId)?;
    let biz_type = row.get(Col::BizType).unwrap_or_default();
    let refund = match biz_type {
        PAYMENT => false,
        REFUND => true,
        other => {
            return Err(FieldError::new(
                row.name(Col::BizType),
                "交易 or 退款",
                other,
            ));
        }
    };
    let (time, utc_offset) = row.time(Col::Finished)?;
    let amount = received(row, refund)?;
    let mut record = Record::new(
        line,
        Kind::Txn,
        if refund { "refund" } else { "payment" },
        PROVIDER,
    );
    record.account = account;
    record.payee_id = account;
    record.txn_id = Some(txn_id);
    record.order_id = row.get(Col::OrderId);
    record.time = Some(time);
    record.utc_offset_secs = utc_offset;
    record.amount = amount;
    record.fee = row.amount(Col::Fee)?.map(deduction);
    record.status = Status::Success;
    record.status_raw = Some(biz_type);
    record.payer = row.get(Col::Payer);
    record.memo = row.get(Col::Item);
    if refund {
        record.refund_id = row.get(Col::RefundNo);
        record.extra = extra(row, &REFUND_FIELDS);
    } else {
        record.extra = extra(row, &PAYMENT_FIELDS);
    }
    Ok(record)
}

/// Every column not in `mapped` that says something, under its header name; the bill's zero
/// placeholders (`0.00` in amount columns that do not apply) are left out.
fn extra<'r>(row: &Row<'r>, mapped: &[Col]) -> Vec<(&'r str, &'r str)> {
    let mut extra = row.extra(&[mapped]);
    extra.retain(|(_, v)| !placeholder(v));
    extra
}

/// A value that says nothing: the bill's zero placeholders in columns that do not apply.
fn placeholder(v: &str) -> bool {
    matches!(v, "0" | "0.0" | "0.00")
}

/// 商家实收（元）, signed as the bill prints it: not negative on a payment, not positive on a
/// refund (a row that breaks this is not what the bill says it is, so it is quarantined).
fn received(row: &Row<'_>, refund: bool) -> Result<Decimal, FieldError> {
    let cell = row.required(Col::Received)?;
    let amount = row.amount(Col::Received)?.unwrap_or_default();
    if refund && amount > Decimal::ZERO {
        return Err(FieldError::new(
            row.name(Col::Received),
            "a negative amount on a 退款 row",
            cell,
        ));
    }
    if !refund && amount < Decimal::ZERO {
        return Err(FieldError::new(
            row.name(Col::Received),
            "a non-negative amount on a 交易 row",
            cell,
        ));
    }
    Ok(amount)
}

/// The fee charged to the merchant from 服务费（元）, which the bill prints as a deduction:
/// `-0.07` on a payment is a fee of 0.07; `0.03` on a refund is 0.03 returned (fee −0.03).
fn deduction(printed: Decimal) -> Decimal {
    if printed.is_zero() {
        Decimal::ZERO
    } else {
        -printed
    }
}
