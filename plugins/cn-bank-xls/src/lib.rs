//! # Chinese bank statement spreadsheet adapter (`.xls` / `.xlsx`)
//!
//! Reads the statement workbooks Chinese banks let customers download, with calamine:
//! - **CCB (中国建设银行) 交易明细** `.xls` (BIFF8, as personal online banking produces it);
//! - **BOC (中国银行) 交易流水明细单**, **CMB (招商银行) 交易流水** and **BOCOM (交通银行)
//!   交易明细** debit-card layouts, as `.xlsx` or `.xls`. Their column sets are the ones
//!   documented for these banks' exports; no native spreadsheet sample of them is public, so
//!   their tests use workbooks generated from those column lists.
//!
//! ## Layout
//! A statement sheet has preamble rows (a title such as `China Construction Bank`, and
//! `label：value` facts such as `账　　号：` | `6217…`, `币　　种：` | `人民币`, with the value
//! in the same or the next cell), blank rows, the header row, the data rows, and footer rows
//! (`以上数据仅供参考|具体内容请以柜台为准`, `合计`, `共N笔`). The header is found by its content:
//! it is the first row naming all the required columns of a known layout (CCB 记账日, 交易日期,
//! 支出, 收入; BOC 记账日期, 币别, 金额; CMB 记账日期, 交易金额, 联机余额; BOCOM 交易日期, 借贷,
//! 交易金额), in any order and position; columns are then mapped by name, padding, inner and
//! ideographic spaces and a `(元)` unit ignored. The layout also fixes how amounts are
//! signed: separate 支出/收入 columns (CCB), one signed amount (BOC 金额, CMB 交易金额) or an
//! unsigned 交易金额 with a 借贷 column (BOCOM, `借 Dr` out / `贷 Cr` in).
//!
//! ## Cells
//! Money is exact. A number cell holds a double; it becomes a decimal through the double's
//! shortest round-trip text (`format!("{f}")`, never an exponent): the cell `16.78` is
//! 16.78, not 16.780000000000001. When that text has more than two decimal places the cell
//! is not an amount as banks print one and the row is quarantined, never rounded. Text cells
//! are parsed exactly (`1,234.56`, `¥12.00`, `-3.00`). Dates come from text (`20250101`,
//! `2025-01-01`, `2025/01/01`, `2025.01.01`, `2025年01月01日`, optionally with a time), from
//! `yyyymmdd` numbers, or from Excel serial dates (date cells or plain numbers, 1900 system);
//! times from text (`18:53:19`, `185319`) or day fractions.
//!
//! Before calamine opens an `.xls`, the compound file and its BIFF records are checked for
//! what would make the reader allocate without bound (a `DIMENSIONS` record or cell
//! positions spanning more than 4 Mi cells, a sector chain that loops); such a file is
//! refused instead of aborting the host. `.xlsx` sheets are read cell by cell into rows of
//! at most 256 columns and 1 048 576 rows.
//!
//! ## Which sheet
//! The first visible worksheet holding a known header, else the first hidden one. Rows are
//! numbered as the spreadsheet numbers them, from 1 (empty rows included), within that sheet.
//! Any other worksheet with data draws a warning naming it and its row count, since its rows
//! are not read. A workbook with no known header in any worksheet is refused.
//!
//! ## Sniffing
//! An `.xls`/`.xlsx` name with the OLE2 or zip magic, not named after WeChat or Alipay,
//! scores 95 when the head shows a known layout's title or header, 85 when the name names a
//! bank and a statement (`ccb_交易明细.xls`), 70 when it names one of them
//! (`交易明细_1546_20250101_20250620.xls`), 0 otherwise. An `.xls` keeps its strings after its
//! style tables, usually beyond the host's 8 KiB head, and an `.xlsx` deflates them, so real
//! files are mostly sniffed by name.
//!
//! ## Mapping
//! Each data row becomes one [`Kind::Bank`](qrecon_adapter_sdk::Kind::Bank) record from
//! provider `bank`, with status success:
//! - amount = income − expense (or the signed amount, or the amount signed by 借贷); record
//!   type `credit` for money in, `debit` for money out (a zero amount is a debit unless its
//!   income or direction says in);
//! - value date = 记账日 / 记账日期, else 交易日期; time = 交易日期 (else the value date) at
//!   交易时间 / 记账时间 (or the time a date cell carries), left empty without a time;
//! - account = the row's 借记卡号 column, else the preamble's 账号/卡号;
//! - currency = the row's 币种/币别/货币, else the preamble's 币种, else CNY; 人民币 becomes
//!   `CNY` (and other currency names their ISO code); an unknown currency quarantines the row;
//! - counterparty = 对方户名 / 对方账户名 / 对手信息, else 交易地点;
//! - memo = 摘要 / 交易摘要 / 交易名称 followed by 附言 / 用途 / 客户摘要 / 备注, joined by a space;
//! - `bank_ref` = 交易流水号 / 流水号 / 日志号 when the layout has one;
//! - every other non-blank column goes into `extra` under its printed header name (or its
//!   column letter when the header leaves it unnamed): 账户余额/余额, 对方账号, 交易地点, 渠道, …
//!   A number cell's text there is its shortest round-trip form (`2176.91`).
//!
//! 交易日期 and the time column stay out of `extra` when they make the time; so do the
//! columns mapped to fields. Placeholders (`-`, `--`, `/`, `-------------------`) count as
//! empty. A row with a bad date,
//! time, amount, direction or currency is quarantined with its cells' texts, TAB-separated, as
//! its raw text. Warnings: a column the layout does not document, a documented column the
//! header lacks, data under an unnamed column, a footer total that disagrees with the rows, a
//! balance that does not follow from the row before (the rows are read oldest first or newest
//! first, whichever the balances agree with), and worksheets left unread.

mod cfb;
mod checks;
mod guard;
mod layout;
mod preamble;
mod row;
mod sniff;
mod statement;
mod value;
mod workbook;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input};

use crate::layout::{LAYOUTS, Layout, header_layout};
use crate::workbook::Sheet;

/// The Chinese bank statement spreadsheet adapter.
#[derive(Default)]
pub struct CnBankXls;

impl Adapter for CnBankXls {
    fn sniff(&self, file_name: &str, head: &[u8]) -> u8 {
        sniff::score(file_name, head)
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let sheets = workbook::read(input.bytes)?;
        let Some((chosen, header_at, layout)) = choose(&sheets) else {
            return Err(no_header(&sheets));
        };
        let Some(sheet) = sheets.get(chosen) else {
            return Err(no_header(&sheets));
        };
        let header_line = statement::line_of(header_at);
        sheet_warnings(&sheets, chosen, header_line, out);
        statement::emit(sheet, header_at, layout, out);
        Ok(())
    }
}

/// The sheet to read (index), its header row (0-based) and layout: the first visible
/// worksheet with a known header, else the first hidden one.
fn choose(sheets: &[Sheet]) -> Option<(usize, usize, &'static Layout)> {
    let visible = sheets.iter().enumerate().filter(|(_, s)| !s.hidden);
    let hidden = sheets.iter().enumerate().filter(|(_, s)| s.hidden);
    visible.chain(hidden).find_map(|(i, sheet)| {
        sheet
            .rows
            .iter()
            .enumerate()
            .find_map(|(r, row)| header_layout(row).map(|layout| (i, r, layout)))
    })
}

fn no_header(sheets: &[Sheet]) -> FileError {
    let names: Vec<String> = sheets
        .iter()
        .map(|s| match &s.error {
            Some(e) => format!("{:?} (unreadable: {e})", s.name),
            None => format!("{:?}", s.name),
        })
        .collect();
    let layouts: Vec<String> = LAYOUTS
        .iter()
        .map(|l| format!("{} ({})", l.bank, l.required.join("/")))
        .collect();
    FileError::new(format!(
        "no known bank statement header in worksheet(s) {}: expected a row naming the columns \
         of one of {}",
        if names.is_empty() {
            "(none)".to_owned()
        } else {
            names.join(", ")
        },
        layouts.join("; ")
    ))
}

/// Warns about worksheets with data that are not read, and cells out of reach.
fn sheet_warnings(sheets: &[Sheet], chosen: usize, line: u64, out: &mut Emitter) {
    for (i, sheet) in sheets.iter().enumerate() {
        if i == chosen {
            if sheet.cut_cells > 0 {
                let message = format!(
                    "{} cells right of column IV or below row 1048576 of sheet {:?} were not read",
                    sheet.cut_cells, sheet.name
                );
                out.warn(line, &message);
            }
            continue;
        }
        if let Some(e) = &sheet.error {
            let message = format!("sheet {:?} cannot be read and is skipped: {e}", sheet.name);
            out.warn(line, &message);
            continue;
        }
        let used = sheet.used_rows();
        if used > 0 {
            let message = format!(
                "sheet {:?} ({used} rows with data) is not read: only one sheet is, the first \
                 with a known statement header",
                sheet.name
            );
            out.warn(line, &message);
        }
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: CnBankXls,
    name: "cn-bank-xls",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "bank",
    formats: "Chinese bank statement spreadsheets (.xls/.xlsx): CCB 交易明细, BOC 交易流水明细单, CMB 交易流水, BOCOM 交易明细",
    description: "Chinese bank statement workbooks (.xls BIFF8 or .xlsx): CCB (建设银行) 交易明细, and the BOC (中国银行), CMB (招商银行) and BOCOM (交通银行) debit-card layouts",
}
