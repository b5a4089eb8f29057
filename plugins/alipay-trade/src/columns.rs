//! The 业务明细 header, and typed access to one row's cells. Columns are found by name once
//! per file; ASCII and full-width parentheses in a name are treated alike.

use std::borrow::Cow;

use qrecon_adapter_sdk::text::{self, clean, non_empty};
use qrecon_adapter_sdk::{Decimal, FieldError, FileError, NaiveDateTime};

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

/// Columns without which a row cannot become a record.
const REQUIRED: [Col; 4] = [Col::TxnId, Col::BizType, Col::Finished, Col::Received];

/// The first three names of the header, as the sniffer looks for them.
const HEADER_START: [&str; 3] = ["支付宝交易号", "商户订单号", "业务类型"];

/// A header name as looked up: padding trimmed, ASCII parentheses made full-width.
fn key(name: &str) -> String {
    clean(name).replace('(', "（").replace(')', "）")
}

/// The names of a header line (padding trimmed, trailing empty names dropped).
fn names_of(line: &str) -> Result<Vec<String>, FieldError> {
    let mut names: Vec<String> = text::split_csv(line)?
        .iter()
        .map(|c| clean(c).to_owned())
        .collect();
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    Ok(names)
}

/// Whether `line` is the 业务明细 header: it names every column the adapter needs.
pub(crate) fn is_header(line: &str) -> bool {
    names_of(line).is_ok_and(|names| {
        let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
        REQUIRED
            .iter()
            .all(|c| keys.iter().any(|k| k == NAMES[*c as usize]))
    })
}

/// Whether `line` starts like the header (`支付宝交易号,商户订单号,业务类型`), which is
/// enough for the sniffer even when the head cuts the header short.
pub(crate) fn starts_like_header(line: &str) -> bool {
    let mut cells = line.split(',').map(clean);
    HEADER_START.iter().all(|h| cells.next() == Some(*h))
}

/// A value that says nothing: the bill's zero placeholders in columns that do not apply.
fn placeholder(v: &str) -> bool {
    matches!(v, "0" | "0.0" | "0.00")
}

/// The detail header, with each known column's position.
pub(crate) struct Columns {
    line: u64,
    names: Vec<String>,
    pos: [Option<usize>; NAMES.len()],
}

impl Columns {
    /// Maps the header at `line_no`; the error names every missing column.
    pub(crate) fn from_header(line_no: u64, line: &str) -> Result<Self, FileError> {
        let names = names_of(line).map_err(|e| {
            FileError::at(
                line_no,
                format!("the header cannot be split into cells: {e}"),
            )
        })?;
        let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
        let pos = NAMES.map(|n| keys.iter().position(|k| k == n));
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|c| pos[**c as usize].is_none())
            .map(|c| NAMES[*c as usize])
            .collect();
        if !missing.is_empty() {
            return Err(FileError::at(
                line_no,
                format!(
                    "the 业务明细 header lacks the column(s) {}",
                    missing.join(", ")
                ),
            ));
        }
        Ok(Self {
            line: line_no,
            names,
            pos,
        })
    }

    /// Splits a data row into exactly one cell per header column. A `,` that ends the row
    /// (one empty cell more than the header has) is a terminator, not another cell.
    pub(crate) fn split<'r>(&self, raw: &'r str) -> Result<Vec<Cow<'r, str>>, FieldError> {
        let mut cells = text::split_csv(raw)?;
        if cells.len() == self.names.len() + 1 && cells.last().is_some_and(|c| clean(c).is_empty())
        {
            cells.pop();
        }
        if cells.len() == self.names.len() {
            Ok(cells)
        } else {
            Err(FieldError::row(format!(
                "expected {} cells as in the header (line {}), found {}",
                self.names.len(),
                self.line,
                cells.len()
            )))
        }
    }

    /// A row's cells (from [`Columns::split`]) read through this header.
    pub(crate) fn row<'r>(&'r self, cells: &'r [Cow<'r, str>]) -> Row<'r> {
        Row {
            columns: self,
            values: cells.iter().map(|c| clean(c)).collect(),
        }
    }
}

/// One row's cleaned values, addressed by [`Col`].
pub(crate) struct Row<'r> {
    columns: &'r Columns,
    values: Vec<&'r str>,
}

impl<'r> Row<'r> {
    /// The column's name as the file prints it (the canonical name if the file lacks it).
    pub(crate) fn name(&self, col: Col) -> &'r str {
        let columns = self.columns;
        columns.pos[col as usize].map_or(NAMES[col as usize], |i| columns.names[i].as_str())
    }

    /// The value of `col`; `None` when the header lacks the column or the cell is empty.
    pub(crate) fn get(&self, col: Col) -> Option<&'r str> {
        non_empty(self.values[self.columns.pos[col as usize]?])
    }

    /// The value of `col`, which must not be empty.
    pub(crate) fn required(&self, col: Col) -> Result<&'r str, FieldError> {
        self.get(col)
            .ok_or_else(|| FieldError::new(self.name(col), "a value", ""))
    }

    /// The amount in `col`; `None` when the cell is empty.
    pub(crate) fn amount(&self, col: Col) -> Result<Option<Decimal>, FieldError> {
        self.get(col)
            .map(|v| text::parse_amount(self.name(col), v))
            .transpose()
    }

    /// The wall-clock time in `col`, which must not be empty, with any stated UTC offset.
    pub(crate) fn time(&self, col: Col) -> Result<(NaiveDateTime, Option<i32>), FieldError> {
        text::parse_datetime(self.name(col), self.required(col)?)
    }

    /// Every column not in `mapped` that says something, under its header name; the bill's
    /// zero placeholders (`0.00` in amount columns that do not apply) are left out.
    pub(crate) fn extra(&self, mapped: &[Col]) -> Vec<(&'r str, &'r str)> {
        let columns = self.columns;
        let taken: Vec<usize> = mapped
            .iter()
            .filter_map(|c| columns.pos[*c as usize])
            .collect();
        columns
            .names
            .iter()
            .zip(&self.values)
            .enumerate()
            .filter(|(i, (name, _))| !taken.contains(i) && !name.is_empty())
            .filter_map(|(_, (name, v))| {
                let v = non_empty(v)?;
                (!placeholder(v)).then_some((name.as_str(), v))
            })
            .collect()
    }
}
