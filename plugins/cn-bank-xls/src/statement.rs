//! The walk over the chosen sheet: preamble rows, the header, data rows and footer rows, each
//! reported once by its sheet row number.

use qrecon_adapter_sdk::Emitter;

use crate::checks::Checks;
use crate::layout::{Columns, Layout, header_layout};
use crate::preamble::Preamble;
use crate::row::{self, Cells, Context};
use crate::value::Value;
use crate::workbook::Sheet;

/// Text that opens a footer row (in its first non-blank cell).
const FOOTER_MARKERS: &[&str] = &[
    "以上数据仅供参考",
    "具体内容请以柜台为准",
    "合计",
    "总计",
    "小计",
    "笔数",
    "打印",
    "温馨提示",
];

/// Reports every row of `sheet`, whose header of `layout` is at 0-based row `header_at`.
pub(crate) fn emit(sheet: &Sheet, header_at: usize, layout: &'static Layout, out: &mut Emitter) {
    let (above, rest) = sheet.rows.split_at(header_at.min(sheet.rows.len()));
    let Some((header, body)) = rest.split_first() else {
        return;
    };
    let preamble = preamble(above, out);
    let header_line = line_of(header_at);
    out.skip(header_line, "header");
    let width = body.iter().map(Vec::len).max().unwrap_or_default();
    let columns = Columns::new(layout, header, width);
    header_warnings(&columns, body, header_line, out);
    let ctx = Context {
        columns: &columns,
        account: preamble.account.as_deref(),
        currency: preamble.currency.as_deref(),
    };
    let mut walk = Walk {
        ctx: &ctx,
        checks: Checks::default(),
        ended: false,
    };
    for (i, cells) in body.iter().enumerate() {
        walk.row(line_of(header_at + 1 + i), cells, out);
    }
    walk.checks.finish(header_line, out);
}

/// The 1-based sheet row number of 0-based row `i`.
pub(crate) fn line_of(i: usize) -> u64 {
    u64::try_from(i).map_or(u64::MAX, |i| i.saturating_add(1))
}

/// Skips the rows above the header and reads the facts they state.
fn preamble(rows: &[Vec<Value>], out: &mut Emitter) -> Preamble {
    let mut preamble = Preamble::default();
    for (i, row) in rows.iter().enumerate() {
        if is_blank(row) {
            out.skip(line_of(i), "blank row");
        } else {
            preamble.read_row(row);
            out.skip(line_of(i), "preamble");
        }
    }
    preamble
}

fn is_blank(row: &[Value]) -> bool {
    row.iter().all(Value::is_blank)
}

/// Warns about columns the layout does not document, documented columns the header lacks,
/// and data under columns without a name.
fn header_warnings(columns: &Columns, body: &[Vec<Value>], line: u64, out: &mut Emitter) {
    let bank = columns.layout.bank;
    let unknown = columns.unknown();
    if !unknown.is_empty() {
        let message = format!(
            "columns {} are not part of the {bank} layout; their values are kept in extra \
             under their names",
            unknown.join(", ")
        );
        out.warn(line, &message);
    }
    let missing = columns.missing();
    if !missing.is_empty() {
        let message = format!(
            "the header lacks {} of the {bank} layout; the fields they fill are left empty",
            missing.join(", ")
        );
        out.warn(line, &message);
    }
    let unnamed: Vec<&str> = (0..columns.names.len())
        .filter(|&i| !columns.is_named(i))
        .filter(|&i| body.iter().any(|r| r.get(i).is_some_and(|v| !v.is_blank())))
        .map(|i| columns.name(i))
        .collect();
    if !unnamed.is_empty() {
        let message = format!(
            "columns {} have no name in the header; their values are kept in extra under the \
             column letter",
            unnamed.join(", ")
        );
        out.warn(line, &message);
    }
}

/// The state of the walk over the rows below the header.
struct Walk<'c> {
    ctx: &'c Context<'c>,
    checks: Checks,
    /// A footer row was seen: undated rows after it are footer too.
    ended: bool,
}

impl Walk<'_> {
    /// Reports one row below the header.
    fn row(&mut self, line: u64, row: &[Value], out: &mut Emitter) {
        let columns = self.ctx.columns;
        if is_blank(row) {
            return out.skip(line, "blank row");
        }
        if header_layout(row).is_some_and(|l| l.bank == columns.layout.bank) {
            return out.skip(line, "repeated header row");
        }
        let cells = Cells::new(row);
        let dated = columns
            .value_date()
            .is_some_and(|i| cells.value(i).date("").is_ok());
        if !dated && (self.ended || is_footer(&cells)) {
            self.ended = true;
            out.skip(line, "footer");
            return self.checks.footer(columns, line, &cells, out);
        }
        self.data(line, &cells, out);
    }

    fn data(&mut self, line: u64, cells: &Cells<'_>, out: &mut Emitter) {
        let memo = row::memo(self.ctx.columns, cells);
        match row::build(self.ctx, line, cells, memo.as_deref()) {
            Ok(parsed) => {
                self.checks
                    .add(line, (parsed.income, parsed.expense), parsed.balance);
                out.record(&parsed.record, &cells.raw());
            }
            Err(e) => {
                self.checks.quarantined();
                out.row(line, &cells.raw(), Err(e));
            }
        }
    }
}

/// Whether a row is a footer: its first non-blank cell opens with a footer marker or reads
/// `共N笔`.
fn is_footer(cells: &Cells<'_>) -> bool {
    let Some(first) = cells.texts.iter().find(|t| !t.is_empty()) else {
        return false;
    };
    let k = crate::layout::key(first);
    FOOTER_MARKERS.iter().any(|m| k.contains(m)) || (k.starts_with('共') && k.contains('笔'))
}
