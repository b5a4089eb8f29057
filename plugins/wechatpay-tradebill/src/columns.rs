//! The detail header of a trade bill, and typed access to one row's cells by column name.

use qrecon_adapter_sdk::text::{self, clean, non_empty};
use qrecon_adapter_sdk::{Decimal, FieldError, FileError, NaiveDateTime};

/// Columns every layout has; a header without them is not a trade bill.
const REQUIRED: [&str; 5] = ["交易时间", "商户号", "微信订单号", "交易状态", "手续费"];

/// Columns mapped to record fields (everything else goes to `extra`).
const MAPPED: [&str; 11] = [
    "交易时间",
    "商户号",
    "特约商户号",
    "子商户号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易状态",
    "货币种类",
    "商品名称",
    "手续费",
];

/// The detail header, in file order.
pub(crate) struct Columns {
    names: Vec<String>,
}

impl Columns {
    pub(crate) fn from_header(line_no: u64, line: &str) -> Result<Self, FileError> {
        let names: Vec<String> = line.split(',').map(|c| clean(c).to_owned()).collect();
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|r| !names.iter().any(|n| n == r))
            .collect();
        if !missing.is_empty() {
            return Err(FileError::at(
                line_no,
                format!("trade-bill header lacks column(s) {}", missing.join(", ")),
            ));
        }
        if !names.iter().any(|n| n == "应结订单金额" || n == "总金额") {
            return Err(FileError::at(
                line_no,
                "trade-bill header has neither 应结订单金额 nor 总金额",
            ));
        }
        Ok(Self { names })
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn cells<'a>(&'a self, values: &[&'a str]) -> Result<Cells<'a>, FieldError> {
        // A trailing empty value (a row ending in `,`) is tolerated.
        let values = match values {
            [rest @ .., last] if values.len() == self.len() + 1 && clean(last).is_empty() => rest,
            _ => values,
        };
        if values.len() != self.len() {
            return Err(FieldError::row(format!(
                "expected {} values as in the header, found {}",
                self.len(),
                values.len()
            )));
        }
        Ok(Cells {
            columns: self,
            values: values.iter().map(|v| clean(v)).collect(),
        })
    }
}

/// One row's cleaned values, addressed by column name.
pub(crate) struct Cells<'a> {
    columns: &'a Columns,
    values: Vec<&'a str>,
}

impl<'a> Cells<'a> {
    /// The value of `name`, `None` when the layout lacks the column or the cell is empty.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        let i = self.columns.names.iter().position(|n| n == name)?;
        non_empty(self.values[i])
    }

    pub(crate) fn required(&self, name: &str) -> Result<&'a str, FieldError> {
        self.get(name)
            .ok_or_else(|| FieldError::new(name, "a value", ""))
    }

    pub(crate) fn amount(&self, name: &str) -> Result<Option<Decimal>, FieldError> {
        self.get(name)
            .map(|v| text::parse_amount(name, v))
            .transpose()
    }

    pub(crate) fn time(&self, name: &str) -> Result<NaiveDateTime, FieldError> {
        Ok(text::parse_datetime(name, self.required(name)?)?.0)
    }

    /// 应结订单金额 (current layouts) or 总金额 (legacy layout).
    pub(crate) fn settlement_amount(&self) -> Result<Decimal, FieldError> {
        let name = if self.columns.names.iter().any(|n| n == "应结订单金额") {
            "应结订单金额"
        } else {
            "总金额"
        };
        self.amount(name)?
            .ok_or_else(|| FieldError::new(name, "an amount", ""))
    }

    /// The merchant's account: the sub-merchant (特约商户号 / 子商户号) when one is set
    /// (a service provider's bill), else the 商户号 itself.
    pub(crate) fn account(&self) -> Option<&'a str> {
        ["特约商户号", "子商户号"]
            .iter()
            .find_map(|n| self.get(n).filter(|v| *v != "0"))
            .or_else(|| self.get("商户号"))
    }

    /// Every unmapped, non-empty column, by its header name.
    pub(crate) fn extra(&self) -> Vec<(&'a str, &'a str)> {
        self.columns
            .names
            .iter()
            .zip(&self.values)
            .filter(|(n, v)| !MAPPED.contains(&n.as_str()) && non_empty(v).is_some())
            .map(|(n, v)| (n.as_str(), *v))
            .collect()
    }
}
