//! The detail header of a trade bill, and typed access to one row's cells. Column positions
//! are looked up once per file, not once per cell.

use qrecon_adapter_sdk::text::{self, clean, non_empty};
use qrecon_adapter_sdk::{Decimal, FieldError, FileError, NaiveDateTime};

/// The columns the adapter reads, across all layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Col {
    Time,
    MchId,
    SubMchId,
    SubMchIdLegacy,
    TxnId,
    OrderId,
    Payer,
    State,
    Currency,
    Settlement,
    Total,
    Fee,
    Item,
    RefundAmount,
    RefundId,
    RefundState,
    RefundSucceeded,
    RefundApplied,
}

/// Header name of each [`Col`], in [`Col`] order.
const NAMES: [&str; 18] = [
    "交易时间",
    "商户号",
    "特约商户号",
    "子商户号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易状态",
    "货币种类",
    "应结订单金额",
    "总金额",
    "手续费",
    "商品名称",
    "退款金额",
    "微信退款单号",
    "退款状态",
    "退款成功时间",
    "退款申请时间",
];

/// Columns mapped to record fields; everything else goes to `extra`.
const MAPPED: [Col; 13] = [
    Col::Time,
    Col::MchId,
    Col::SubMchId,
    Col::SubMchIdLegacy,
    Col::TxnId,
    Col::OrderId,
    Col::Payer,
    Col::State,
    Col::Currency,
    Col::Fee,
    Col::Item,
    Col::RefundAmount,
    Col::RefundId,
];

/// Columns every layout has; a header without them is not a trade bill.
const REQUIRED: [Col; 5] = [Col::Time, Col::MchId, Col::TxnId, Col::State, Col::Fee];

/// The detail header, with each known column's position.
pub(crate) struct Columns {
    names: Vec<String>,
    pos: [Option<usize>; NAMES.len()],
    extra: Vec<usize>,
}

/// A value that says nothing: the bill's zero placeholders in columns that do not apply.
fn placeholder(v: &str) -> bool {
    matches!(v, "0" | "0.00" | "0.0" | "0.00000")
}

impl Columns {
    pub(crate) fn from_header(line_no: u64, line: &str) -> Result<Self, FileError> {
        let names: Vec<String> = line.split(',').map(|c| clean(c).to_owned()).collect();
        let pos = NAMES.map(|n| names.iter().position(|h| h == n));
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|c| pos[**c as usize].is_none())
            .map(|c| NAMES[*c as usize])
            .collect();
        if !missing.is_empty() {
            return Err(FileError::at(
                line_no,
                format!("trade-bill header lacks column(s) {}", missing.join(", ")),
            ));
        }
        if pos[Col::Settlement as usize].is_none() && pos[Col::Total as usize].is_none() {
            return Err(FileError::at(
                line_no,
                "trade-bill header has neither 应结订单金额 nor 总金额",
            ));
        }
        let mapped: Vec<usize> = MAPPED.iter().filter_map(|c| pos[*c as usize]).collect();
        let extra = (0..names.len())
            .filter(|i| !mapped.contains(i) && !names[*i].is_empty())
            .collect();
        Ok(Self { names, pos, extra })
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn cells<'a>(&'a self, mut values: Vec<&'a str>) -> Result<Cells<'a>, FieldError> {
        // A trailing empty value (a row ending in `,`) is tolerated.
        if values.len() == self.len() + 1 && values.last().is_some_and(|l| clean(l).is_empty()) {
            values.pop();
        }
        if values.len() != self.len() {
            return Err(FieldError::row(format!(
                "expected {} values as in the header, found {}",
                self.len(),
                values.len()
            )));
        }
        // Cleaned in place: no second vector per row.
        for v in &mut values {
            *v = clean(v);
        }
        Ok(Cells {
            columns: self,
            values,
        })
    }
}

/// One row's cleaned values.
pub(crate) struct Cells<'a> {
    columns: &'a Columns,
    values: Vec<&'a str>,
}

impl<'a> Cells<'a> {
    /// The value of `col`, `None` when the layout lacks the column or the cell is empty.
    pub(crate) fn get(&self, col: Col) -> Option<&'a str> {
        non_empty(self.values[self.columns.pos[col as usize]?])
    }

    pub(crate) fn has(&self, col: Col) -> bool {
        self.columns.pos[col as usize].is_some()
    }

    pub(crate) fn required(&self, col: Col) -> Result<&'a str, FieldError> {
        self.get(col)
            .ok_or_else(|| FieldError::new(NAMES[col as usize], "a value", ""))
    }

    pub(crate) fn amount(&self, col: Col) -> Result<Option<Decimal>, FieldError> {
        self.get(col)
            .map(|v| text::parse_amount(NAMES[col as usize], v))
            .transpose()
    }

    pub(crate) fn time(&self, col: Col) -> Result<NaiveDateTime, FieldError> {
        Ok(text::parse_datetime(NAMES[col as usize], self.required(col)?)?.0)
    }

    pub(crate) fn parse_time(&self, col: Col) -> Result<Option<NaiveDateTime>, FieldError> {
        self.get(col)
            .map(|v| text::parse_datetime(NAMES[col as usize], v).map(|t| t.0))
            .transpose()
    }

    /// 应结订单金额 (current layouts) or 总金额 (legacy layout).
    pub(crate) fn settlement_amount(&self) -> Result<Decimal, FieldError> {
        let col = if self.has(Col::Settlement) {
            Col::Settlement
        } else {
            Col::Total
        };
        self.amount(col)?
            .ok_or_else(|| FieldError::new(NAMES[col as usize], "an amount", ""))
    }

    /// The merchant's account: the sub-merchant (特约商户号 / 子商户号) when one is set
    /// (a service provider's bill), else the 商户号 itself.
    pub(crate) fn account(&self) -> Option<&'a str> {
        [Col::SubMchId, Col::SubMchIdLegacy]
            .iter()
            .find_map(|c| self.get(*c).filter(|v| *v != "0"))
            .or_else(|| self.get(Col::MchId))
    }

    /// Every unmapped column that says something, by its header name (zero placeholders in
    /// columns that do not apply to the row are left out).
    pub(crate) fn extra(&self) -> Vec<(&'a str, &'a str)> {
        self.columns
            .extra
            .iter()
            .filter_map(|i| {
                let v = non_empty(self.values[*i])?;
                (!placeholder(v)).then(|| (self.columns.names[*i].as_str(), v))
            })
            .collect()
    }
}
