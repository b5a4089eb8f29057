//! The header: found by its content, columns mapped by name (ASCII and full-width
//! parentheses alike). A CSV row with more cells than the header — ASCII commas inside a
//! counterparty or product name are not quoted by WeChat — has its extra cells joined back
//! into the text columns when the rest then lines up.

use qrecon_adapter_sdk::{Emitter, FieldError, FileError, text};
use qrecon_payer_bill::header::Header;

pub(crate) const TIME: &str = "交易时间";
pub(crate) const KIND: &str = "交易类型";
const COUNTERPARTY: &str = "交易对方";
const MEMO: &str = "商品";
pub(crate) const DIRECTION: &str = "收/支";
const AMOUNTS: [&str; 2] = ["金额（元）", "金额"];
const METHOD: &str = "支付方式";
const STATUS: &str = "当前状态";
const TXN_ID: &str = "交易单号";
const ORDER_ID: &str = "商户单号";
const REMARK: &str = "备注";

/// The 收/支 values a row can have: income, expense, neutral.
pub(crate) const DIRECTIONS: [&str; 5] = ["收入", "支出", "/", "不计收支", "其他"];

/// The most extra cells a row may have for them to be joined back (more is not a comma slip).
const MAX_EXTRA: usize = 8;

/// Whether `names` (a line's cells) are the WeChat bill header: 交易时间, 交易类型, 收/支, an
/// amount, and 当前状态 or 交易单号.
pub(crate) fn is_header(names: &[String]) -> bool {
    let header = Header::new(names);
    let has = |name: &str| header.has(name);
    [TIME, KIND, DIRECTION].iter().all(|n| has(n))
        && AMOUNTS.iter().any(|a| has(a))
        && (has(STATUS) || has(TXN_ID))
}

/// The header of one bill, with each known column's position.
pub(crate) struct Columns {
    /// The header's line.
    pub(crate) line: u64,
    /// The header's names.
    pub(crate) header: Header,
    pub(crate) time: usize,
    pub(crate) kind: usize,
    pub(crate) direction: usize,
    pub(crate) amount: usize,
    pub(crate) counterparty: Option<usize>,
    pub(crate) memo: Option<usize>,
    pub(crate) status: Option<usize>,
    pub(crate) txn_id: Option<usize>,
    pub(crate) order_id: Option<usize>,
    pub(crate) remark: Option<usize>,
}

/// A data row's cells, one per header column.
pub(crate) struct Aligned {
    pub(crate) cells: Vec<String>,
    /// How extra cells were joined back, for a warning.
    pub(crate) joined: Option<String>,
}

impl Columns {
    /// Maps the header at line `no`; columns the format does not have, and missing columns
    /// that change what the records say, are warned about.
    pub(crate) fn from_header(
        no: u64,
        names: &[String],
        out: &mut Emitter,
    ) -> Result<Self, FileError> {
        let header = Header::new(names);
        let find = |options: &[&str]| header.find(options);
        let required = |options: &[&str]| {
            find(options).ok_or_else(|| {
                FileError::at(
                    no,
                    format!("the header has no {} column", options.join("/")),
                )
            })
        };
        let columns = Self {
            line: no,
            time: required(&[TIME])?,
            kind: required(&[KIND])?,
            direction: required(&[DIRECTION])?,
            amount: required(&AMOUNTS)?,
            counterparty: find(&[COUNTERPARTY]),
            memo: find(&[MEMO]),
            status: find(&[STATUS]),
            txn_id: find(&[TXN_ID]),
            order_id: find(&[ORDER_ID]),
            remark: find(&[REMARK]),
            header,
        };
        columns.warn_about_drift(out);
        Ok(columns)
    }

    /// Warns about unknown columns (kept in `extra`) and missing ones that matter.
    fn warn_about_drift(&self, out: &mut Emitter) {
        let named = [
            TIME,
            KIND,
            COUNTERPARTY,
            MEMO,
            DIRECTION,
            METHOD,
            STATUS,
            TXN_ID,
            ORDER_ID,
            REMARK,
        ];
        let known = |k: &str| named.contains(&k) || AMOUNTS.contains(&k);
        self.header.warn_unknown(self.line, known, out);
        if self.txn_id.is_none() {
            out.warn(
                self.line,
                "the header has no 交易单号 column: claims get ids made from the file name and line",
            );
        }
        if self.status.is_none() {
            out.warn(
                self.line,
                "the header has no 当前状态 column: every claim's status is unknown",
            );
        }
    }

    /// The header name of column `i`.
    pub(crate) fn name(&self, i: usize) -> &str {
        self.header.name(i)
    }

    /// The number of columns.
    pub(crate) fn width(&self) -> usize {
        self.header.names().len()
    }

    /// A CSV row's cells, one per header column: trailing empty cells beyond the header are
    /// dropped; extra cells are joined back into 交易对方, 商品 or 备注 when the row then lines
    /// up (see [`Columns::rejoin`]); too few cells, or extra ones that cannot be placed, are an
    /// error.
    pub(crate) fn align(&self, mut cells: Vec<String>) -> Result<Aligned, FieldError> {
        let n = self.width();
        self.header.drop_terminators(&mut cells);
        if cells.len() == n {
            return Ok(Aligned {
                cells,
                joined: None,
            });
        }
        let found = cells.len();
        let count_error = |why: &str| self.header.count_error(self.line, found, why);
        if found < n || found - n > MAX_EXTRA {
            return Err(count_error(""));
        }
        self.rejoin(&cells).ok_or_else(|| {
            count_error(
                "; joining the extra cells into 交易对方, 商品 or 备注 does not make 交易时间, 收/支, the amount and the ids read",
            )
        })
    }

    /// Joins the extra cells of `cells` back into the text columns. Every way of sharing them
    /// out is tried; a way is valid when the row then lines up ([`Columns::lines_up`]). Ways that
    /// would put a lone `/` (an empty cell of its own) inside a joined text are dropped when
    /// another way is valid; of the rest, the one giving most to 交易对方 (where such commas
    /// are seen), then to 商品, wins. The warning says when another way was valid too.
    fn rejoin(&self, cells: &[String]) -> Option<Aligned> {
        let text_columns: Vec<usize> = [self.counterparty, self.memo, self.remark]
            .into_iter()
            .flatten()
            .collect();
        let extra = cells.len().checked_sub(self.width())?;
        let mut valid: Vec<(Vec<usize>, Vec<String>, bool)> = Vec::new();
        for shares in shares(extra, text_columns.len()) {
            let merged = merge(cells, &text_columns, &shares);
            if self.lines_up(&merged) {
                let lone_slash = joined_lone_slash(cells, &text_columns, &shares);
                valid.push((shares, merged, lone_slash));
            }
        }
        let plausible = valid.iter().any(|(_, _, slash)| !slash);
        valid.retain(|(_, _, slash)| !plausible || !slash);
        let others = valid.len().saturating_sub(1);
        let (shares, merged, _) = valid.into_iter().next()?;
        let into: Vec<&str> = text_columns
            .iter()
            .zip(&shares)
            .filter(|(_, n)| **n > 0)
            .map(|(i, _)| self.name(*i))
            .collect();
        let note = format!(
            "{extra} more cell(s) than the header (ASCII commas in a text that is not quoted), joined back into {}{}",
            into.join(" and "),
            if others > 0 {
                "; another column could have held them too"
            } else {
                ""
            }
        );
        Some(Aligned {
            cells: merged,
            joined: Some(note),
        })
    }

    /// Whether a row's anchors read: 交易时间, 收/支 and the amount, and 交易单号 and 商户单号
    /// look like ids (or `/`), which places the cells after the text columns too.
    fn lines_up(&self, cells: &[String]) -> bool {
        let cell = |i: usize| cells.get(i).map_or("", |c| text::clean(c));
        let id_or_none = |i: Option<usize>| i.is_none_or(|i| id_like(cell(i)));
        text::parse_datetime(TIME, cell(self.time)).is_ok()
            && DIRECTIONS.contains(&cell(self.direction))
            && text::parse_amount("", cell(self.amount)).is_ok()
            && id_or_none(self.txn_id)
            && id_or_none(self.order_id)
    }
}

/// Whether a cell reads as an id: letters, digits, `-` and `_` (backticks around it allowed),
/// or empty / `/`.
fn id_like(cell: &str) -> bool {
    let id = cell.trim_matches('`');
    text::non_empty(id).is_none_or(|id| {
        id.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// Every way of sharing `extra` cells among `columns` columns, most to the first first.
fn shares(extra: usize, columns: usize) -> Vec<Vec<usize>> {
    if columns == 0 {
        return Vec::new();
    }
    if columns == 1 {
        return vec![vec![extra]];
    }
    let mut out = Vec::new();
    for first in (0..=extra).rev() {
        for mut rest in shares(extra - first, columns - 1) {
            rest.insert(0, first);
            out.push(rest);
        }
    }
    out
}

/// `cells` with `shares[k]` extra cells joined (with `,`) into text column `text_columns[k]`.
fn merge(cells: &[String], text_columns: &[usize], shares: &[usize]) -> Vec<String> {
    let mut out = Vec::with_capacity(cells.len());
    let mut from = 0;
    for (i, cell) in cells.iter().enumerate() {
        if i < from {
            continue;
        }
        let column = out.len();
        let take = text_columns
            .iter()
            .position(|c| *c == column)
            .and_then(|k| shares.get(k))
            .copied()
            .unwrap_or(0);
        let end = (i + take + 1).min(cells.len());
        out.push(
            cells
                .get(i..end)
                .map_or_else(|| cell.clone(), |piece| piece.join(",")),
        );
        from = end;
    }
    out
}

/// Whether a way of sharing puts a lone `/` inside a joined text.
fn joined_lone_slash(cells: &[String], text_columns: &[usize], shares: &[usize]) -> bool {
    let mut at = 0;
    let mut column = 0;
    while at < cells.len() {
        let take = text_columns
            .iter()
            .position(|c| *c == column)
            .and_then(|k| shares.get(k))
            .copied()
            .unwrap_or(0);
        if take > 0
            && cells
                .get(at..=at + take)
                .is_some_and(|piece| piece.iter().any(|c| text::clean(c) == "/"))
        {
            return true;
        }
        at += take + 1;
        column += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_of_extra_cells() {
        assert_eq!(shares(2, 2), vec![vec![2, 0], vec![1, 1], vec![0, 2]]);
        assert_eq!(shares(1, 3).len(), 3);
        assert_eq!(shares(0, 3), vec![vec![0, 0, 0]]);
        assert!(shares(1, 0).is_empty());
    }

    #[test]
    fn merging_joins_into_the_chosen_columns() {
        let cells: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(merge(&cells, &[1, 2], &[1, 0]), ["a", "b,c", "d", "e"]);
        assert_eq!(merge(&cells, &[1, 2], &[0, 1]), ["a", "b", "c,d", "e"]);
        assert_eq!(merge(&cells, &[1, 2], &[1, 1]), ["a", "b,c", "d,e"]);
        let slash: Vec<String> = ["a", "b", "c", "/", "e"].map(String::from).to_vec();
        assert!(joined_lone_slash(&slash, &[1, 2], &[0, 1]));
        assert!(!joined_lone_slash(&slash, &[1, 2], &[1, 0]));
    }
}
