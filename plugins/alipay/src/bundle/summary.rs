//! The summary files of a bundle (`…_业务明细(汇总).csv`, `…_账务明细(汇总).csv`). Each of
//! their lines is skipped (they hold totals, not transactions); their `合计` row (or, without
//! one, the sum of their rows) is checked against the detail records of the same bundle, and
//! a figure that disagrees is a warning naming both numbers.
//!
//! The 业务汇总 columns are known (FORMATS.md §2): 门店编号, 门店名称, 交易订单总笔数,
//! 退款订单总笔数, 订单金额（元）, 商家实收（元）, …, 实收净额（元）, one row per store and a
//! `合计` row. The adapter checks 交易订单总笔数 against the payments, 退款订单总笔数 against
//! the refunds and 商家实收（元） against what the payments and refunds net to. The 账务汇总
//! layout is not documented: its columns are looked for by name (收入…笔 / 收入…元 /
//! 支出…笔 / 支出…元) and checked against the account log's income and expense rows; a
//! summary none of whose columns is known is a warning, not a guess.

use qrecon_adapter_sdk::text::{self, clean};
use qrecon_adapter_sdk::{Decimal, Emitter, FieldError};

use super::Details;
use crate::bill;
use crate::columns::key;
use crate::out::{Entry, Out};

/// Skip reason of a summary's data rows.
const ROW: &str = "summary row";
/// The first cell of a summary's grand-total row.
const TOTAL: &str = "合计";

/// One kind of summary file.
pub(crate) struct Kind {
    /// Its first line.
    pub(crate) title: &'static str,
    /// Its name in messages.
    label: &'static str,
    /// The detail file it sums up, in messages.
    detail: &'static str,
    /// The figures it may state.
    figures: &'static [Figure],
    /// Whether its header names every figure (else: at least one).
    names_every_figure: bool,
    /// Whether amounts are compared by magnitude (an expense printed `-12.00` or `12.00`).
    by_magnitude: bool,
    /// How many rows of the bundle's detail files of its kind were quarantined.
    quarantined: fn(&Details) -> u64,
}

/// One figure a summary states, and what the bundle's detail records make of it.
struct Figure {
    /// The figure in messages.
    label: &'static str,
    /// Whether a header name (as [`key`] gives it) is this figure's column.
    column: fn(&str) -> bool,
    /// A whole count rather than an amount.
    count: bool,
    /// What the detail records of the bundle make of it, with how to say so; `None` when the
    /// bundle holds no detail file of the summary's kind.
    parsed: fn(&Details) -> Option<(Decimal, String)>,
}

/// The 业务汇总 (`#支付宝业务汇总查询`, `…_业务明细(汇总).csv`).
pub(crate) const TRADE: Kind = Kind {
    title: "#支付宝业务汇总查询",
    label: "业务汇总",
    detail: "业务明细",
    names_every_figure: true,
    by_magnitude: false,
    quarantined: |d| d.trade.map_or(0, |t| t.quarantined),
    figures: &[
        Figure {
            label: "交易订单总笔数",
            column: |k| k == "交易订单总笔数",
            count: true,
            parsed: |d| {
                d.trade.map(|t| {
                    let n = t.payments.rows;
                    (Decimal::from(n), format!("{n} payments (交易 rows)"))
                })
            },
        },
        Figure {
            label: "退款订单总笔数",
            column: |k| k == "退款订单总笔数",
            count: true,
            parsed: |d| {
                d.trade.map(|t| {
                    let n = t.refunds.rows;
                    (Decimal::from(n), format!("{n} refunds (退款 rows)"))
                })
            },
        },
        Figure {
            label: "商家实收（元）",
            column: |k| k == "商家实收（元）",
            count: false,
            parsed: |d| {
                d.trade.map(|t| {
                    let (p, r) = (t.payments.amount, t.refunds.amount);
                    let net = p + r;
                    (
                        net,
                        format!(
                            "payments and refunds netting to {net} (payments {p}, refunds {r})"
                        ),
                    )
                })
            },
        },
    ],
};

/// The 账务汇总 (`#支付宝账务汇总查询`, `…_账务明细(汇总).csv`).
pub(crate) const ACCOUNT: Kind = Kind {
    title: "#支付宝账务汇总查询",
    label: "账务汇总",
    detail: "账务明细",
    names_every_figure: false,
    by_magnitude: true,
    quarantined: |d| d.account.map_or(0, |a| a.quarantined),
    figures: &[
        Figure {
            label: "收入笔数",
            column: |k| k.contains("收入") && k.contains('笔'),
            count: true,
            parsed: |d| {
                d.account.map(|a| {
                    let n = a.income.rows;
                    (Decimal::from(n), format!("{n} income rows"))
                })
            },
        },
        Figure {
            label: "收入金额",
            column: |k| k.contains("收入") && k.contains('元') && !k.contains('笔'),
            count: false,
            parsed: |d| {
                d.account.map(|a| {
                    let x = a.income.amount;
                    (x, format!("income rows summing to {x}"))
                })
            },
        },
        Figure {
            label: "支出笔数",
            column: |k| k.contains("支出") && k.contains('笔'),
            count: true,
            parsed: |d| {
                d.account.map(|a| {
                    let n = a.expense.rows;
                    (Decimal::from(n), format!("{n} expense rows"))
                })
            },
        },
        Figure {
            label: "支出金额",
            column: |k| k.contains("支出") && k.contains('元') && !k.contains('笔'),
            count: false,
            parsed: |d| {
                d.account.map(|a| {
                    let x = a.expense.amount;
                    (
                        x,
                        format!("expense rows summing to {x} (compared by magnitude)"),
                    )
                })
            },
        },
    ],
};

/// The kinds of summary, as [`super::classify`] tries them.
pub(crate) const KINDS: [&Kind; 2] = [&TRADE, &ACCOUNT];

impl Kind {
    /// Whether `line` is this kind's header: it names a figure's column (for the 业务汇总,
    /// every figure's).
    pub(crate) fn is_header(&self, line: &str) -> bool {
        let keys = header_keys(line);
        let named = |f: &Figure| keys.iter().any(|k| (f.column)(k));
        if self.names_every_figure {
            self.figures.iter().all(named)
        } else {
            self.figures.iter().any(named)
        }
    }
}

/// The names of a header line, as looked up.
fn header_keys(line: &str) -> Vec<String> {
    text::split_csv(line)
        .map(|cells| cells.iter().map(|c| key(c)).collect())
        .unwrap_or_default()
}

/// What a summary states, read; checked once the whole bundle has been read.
pub(crate) struct Stated {
    kind: &'static Kind,
    entry: String,
    offset: u64,
    /// The line the figures come from (the `合计` row, or the header when they are the sum of
    /// the rows), where a disagreement is reported.
    line: u64,
    /// Each figure found, with its value or why it cannot be read.
    figures: Vec<(&'static Figure, Result<Decimal, String>)>,
    /// Why the summary is not checked at all, if it is not.
    unread: Option<String>,
}

/// Reports every line of the summary `lines` of `kind` as skipped and reads its figures.
pub(crate) fn read(
    kind: &'static Kind,
    lines: &[(u64, &str)],
    entry: Entry<'_>,
    out: &mut Out<'_>,
) -> Stated {
    let mut stated = Stated {
        kind,
        entry: entry.name.to_owned(),
        offset: entry.offset,
        line: lines.last().map_or(entry.offset, |&(no, _)| no),
        figures: Vec::new(),
        unread: None,
    };
    let Some(at) = bill::header_at(lines).filter(|&i| kind.is_header(lines[i].1)) else {
        skip_all(lines, out);
        stated.unread = Some(format!(
            "it has no {} header naming its figures",
            kind.label
        ));
        return stated;
    };
    let (header_no, header) = lines[at];
    bill::preamble(&lines[..at], out);
    out.skip(header_no, "header");
    let keys = header_keys(header);
    let rows = body(&lines[at + 1..], out);
    let (line, cells) = match rows.iter().rev().find(|(_, cells)| is_total(cells)) {
        Some((no, cells)) => (*no, vec![cells.clone()]),
        None => (header_no, rows.into_iter().map(|(_, c)| c).collect()),
    };
    stated.line = line;
    for figure in kind.figures {
        if let Some(col) = keys.iter().position(|k| (figure.column)(k)) {
            stated.figures.push((figure, value(figure, col, &cells)));
        }
    }
    stated
}

/// Reports every line of a summary without a header as skipped.
fn skip_all(lines: &[(u64, &str)], out: &mut Out<'_>) {
    for &(no, raw) in lines {
        let reason = if bill::is_blank(raw) {
            bill::BLANK
        } else if bill::is_comment(raw) {
            "preamble"
        } else {
            ROW
        };
        out.skip(no, reason);
    }
}

/// Reports the lines after the header as skipped and returns the data rows, split.
fn body(lines: &[(u64, &str)], out: &mut Out<'_>) -> Vec<(u64, Vec<String>)> {
    let mut rows = Vec::new();
    for &(no, raw) in lines {
        if bill::is_blank(raw) {
            out.skip(no, bill::BLANK);
        } else if bill::is_comment(raw) {
            out.skip(no, "footer");
        } else {
            out.skip(no, ROW);
            let cells = text::split_csv(raw)
                .map(|c| c.iter().map(|c| clean(c).to_owned()).collect())
                .unwrap_or_default();
            rows.push((no, cells));
        }
    }
    rows
}

/// Whether a row is the grand total: its first cell starts with `合计`, or one of its cells
/// (wherever the 门店编号 or 类型 column moved) is `合计` (no store or type is named so).
fn is_total(cells: &[String]) -> bool {
    cells.first().is_some_and(|c| c.starts_with(TOTAL)) || cells.iter().any(|c| c == TOTAL)
}

/// The figure in column `col`, summed over `rows` (one row: the `合计` row). An empty cell
/// is zero.
fn value(figure: &Figure, col: usize, rows: &[Vec<String>]) -> Result<Decimal, String> {
    let mut sum = Decimal::ZERO;
    for cells in rows {
        let cell = cells.get(col).map_or("", String::as_str);
        let Some(cell) = text::non_empty(cell) else {
            continue;
        };
        let parsed = if figure.count {
            text::parse_count(figure.label, cell).map(Decimal::from)
        } else {
            text::parse_amount(figure.label, cell)
        };
        sum += parsed.map_err(|e: FieldError| e.to_string())?;
    }
    Ok(sum)
}

impl Stated {
    /// Checks the figures against the bundle's detail records, warning on each that
    /// disagrees (or cannot be checked).
    pub(crate) fn check(&self, details: &Details, emitter: &mut Emitter) {
        let entry = Entry {
            name: &self.entry,
            offset: self.offset,
        };
        let mut out = Out::entry(emitter, entry);
        let label = self.kind.label;
        if let Some(why) = &self.unread {
            out.warn(
                self.line,
                &format!("the {label} summary is not checked: {why}"),
            );
            return;
        }
        if self.figures.is_empty() {
            out.warn(
                self.line,
                &format!("the {label} summary names no column the adapter knows; not checked"),
            );
        }
        for (figure, stated) in &self.figures {
            self.check_one(figure, stated, details, &mut out);
        }
    }

    fn check_one(
        &self,
        figure: &Figure,
        stated: &Result<Decimal, String>,
        details: &Details,
        out: &mut Out<'_>,
    ) {
        let (label, detail, what) = (self.kind.label, self.kind.detail, figure.label);
        let stated = match stated {
            Ok(v) => *v,
            Err(e) => {
                out.warn(
                    self.line,
                    &format!("{label} {what} cannot be read ({e}); not checked"),
                );
                return;
            }
        };
        let Some((parsed, says)) = (figure.parsed)(details) else {
            out.warn(
                self.line,
                &format!("{label} {what} is {stated}, but the bundle holds no {detail} to check it against"),
            );
            return;
        };
        let agrees = if self.kind.by_magnitude {
            stated.abs() == parsed.abs()
        } else {
            stated == parsed
        };
        if !agrees {
            out.warn(
                self.line,
                &format!(
                    "{label} {what} states {stated}, but the bundle's {detail} has {says}{}",
                    bill::uncounted((self.kind.quarantined)(details))
                ),
            );
        }
    }
}
