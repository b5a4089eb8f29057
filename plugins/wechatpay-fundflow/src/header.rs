//! Columns found by name in a header line (the detail header or the summary header), and a
//! row's cells read through them with the bill's leading backtick stripped.

use std::borrow::Cow;

use qrecon_adapter_sdk::{FieldError, FileError, text};

/// 记账时间: when the entry was booked (naive Beijing time).
pub(crate) const TIME: &str = "记账时间";
/// 微信支付业务单号: the platform's id of the business (transaction or refund id).
pub(crate) const BUSINESS_NO: &str = "微信支付业务单号";
/// 资金流水单号: the ledger entry's own id.
pub(crate) const FLOW_NO: &str = "资金流水单号";
/// 业务名称: business name as WeChat Pay prints it.
pub(crate) const BUSINESS_NAME: &str = "业务名称";
/// 业务类型: 交易, 退款, 提现, 退票, fee and freeze types, …
pub(crate) const BUSINESS_TYPE: &str = "业务类型";
/// 收支类型: 收入 (income) or 支出 (expense).
pub(crate) const DIRECTION: &str = "收支类型";
/// 收支金额(元): the unsigned amount.
pub(crate) const AMOUNT: &str = "收支金额(元)";
/// 账户结余(元): the balance after the entry.
pub(crate) const BALANCE: &str = "账户结余(元)";
/// 资金变更提交申请人: who asked for the change.
pub(crate) const APPLICANT: &str = "资金变更提交申请人";
/// 备注: free text, e.g. `退款总金额0.01元;含手续费0.00元`.
pub(crate) const MEMO: &str = "备注";
/// 业务凭证号: `out_trade_no`, `out_refund_no` or the withdrawal's id.
pub(crate) const VOUCHER: &str = "业务凭证号";

/// Columns without which a row cannot become a record.
pub(crate) const REQUIRED: [&str; 4] = [TIME, BUSINESS_TYPE, DIRECTION, AMOUNT];

/// Whether `line` is the bill's detail header.
pub(crate) fn is_header(line: &str) -> bool {
    let line = text::clean(line);
    line.starts_with(TIME) && line.contains(FLOW_NO)
}

/// A cell's value: padding trimmed and the one leading backtick (anti-Excel) removed.
pub(crate) fn value(cell: &str) -> &str {
    let cell = text::clean(cell);
    text::clean(cell.strip_prefix('`').unwrap_or(cell))
}

/// The column names of a header line, in file order.
pub(crate) struct Header {
    line: u64,
    names: Vec<String>,
    /// Each name's first eight bytes as a number: a row looks up a dozen columns by name,
    /// and most names differ there, so one comparison tells them apart.
    keys: Vec<u64>,
}

fn key(name: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = name.len().min(8);
    b[..n].copy_from_slice(&name.as_bytes()[..n]);
    u64::from_le_bytes(b)
}

impl Header {
    /// Reads the header at `line`.
    pub(crate) fn read(line: u64, raw: &str) -> Result<Self, FileError> {
        let cells = text::split_csv(raw).map_err(|e| {
            FileError::at(
                line,
                format!("the header line cannot be split into cells: {e}"),
            )
        })?;
        let names: Vec<String> = cells.iter().map(|c| value(c).to_owned()).collect();
        let keys = names.iter().map(|n| key(n)).collect();
        Ok(Self { line, names, keys })
    }

    /// Fails, naming every missing column, unless the header has all of `required`.
    pub(crate) fn require(&self, required: &[&str]) -> Result<(), FileError> {
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| self.index(r).is_none())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(FileError::at(
            self.line,
            format!(
                "the fund-flow header lacks the column(s) {}",
                missing.join(", ")
            ),
        ))
    }

    /// The 1-based line of the header.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// Where the column `name` is, if the header has it.
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        let k = key(name);
        self.keys
            .iter()
            .zip(&self.names)
            .position(|(key, n)| *key == k && n == name)
    }

    /// The cells of one row read through this header; the row must have as many cells.
    pub(crate) fn row<'r>(&'r self, cells: &'r [Cow<'r, str>]) -> Result<Row<'r>, FieldError> {
        if cells.len() == self.names.len() {
            return Ok(Row {
                header: self,
                cells,
            });
        }
        Err(FieldError::row(format!(
            "expected {} cells as in the header (line {}), found {}",
            self.names.len(),
            self.line,
            cells.len()
        )))
    }
}

/// One row's cells, addressed by column name.
pub(crate) struct Row<'r> {
    header: &'r Header,
    cells: &'r [Cow<'r, str>],
}

impl<'r> Row<'r> {
    /// The value under `name`; `""` when the header has no such column.
    pub(crate) fn get(&self, name: &str) -> &'r str {
        let cells = self.cells;
        self.header
            .index(name)
            .and_then(|i| cells.get(i))
            .map_or("", |c| value(c))
    }

    /// The value under `name`, or `None` when it is empty or one of the exports' blanks.
    pub(crate) fn opt(&self, name: &str) -> Option<&'r str> {
        text::non_empty(self.get(name))
    }

    /// Whether the header has the column `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.header.index(name).is_some()
    }
}
