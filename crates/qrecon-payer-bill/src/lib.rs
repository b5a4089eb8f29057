//! # Payer bills
//!
//! What the adapters of a payer's own bills share — the personal Alipay export
//! (支付宝交易明细) and the personal WeChat Pay bill (微信支付账单). Both turn each payment
//! the bill's owner made into a `payer_receipt` claim, record refunds on their payment's
//! claim, check the control totals the bill states, and report every other line as skipped
//! or quarantined with its reason. Each adapter keeps what is its platform's own: where the
//! header is, which columns and status words it has, and how a refund finds its payment
//! when the ids do not say.
//!
//! The pieces, in the order an adapter uses them:
//! - [`split_line`] cuts a CSV line as both platforms write it;
//! - [`frame`] reads the lines around the table (blank and dashes lines, control totals);
//! - [`header::Header`] maps the header's columns by name; [`row::Row`] reads a row through it;
//! - [`entry`] holds each line as read: a [`Payment`](entry::Payment), a
//!   [`Refund`](entry::Refund), or a line skipped or quarantined;
//! - [`totals::Totals`] checks the control totals against the rows;
//! - [`link`] links refunds to their payments;
//! - [`emit::emit`] reports the entries, each payment as a claim.
//!
//! With the `testing` feature, [`testing`] has the helpers the adapters' tests share.

pub mod emit;
pub mod entry;
pub mod frame;
pub mod header;
pub mod link;
pub mod row;
#[cfg(feature = "testing")]
pub mod testing;
pub mod totals;

use std::borrow::Cow;

use qrecon_adapter_sdk::FieldError;
use qrecon_adapter_sdk::text::{self, QuoteOpens};

/// Beijing time, which both platforms print: UTC+8, in seconds.
pub const BEIJING: i32 = 8 * 3600;

/// Splits one CSV line of a bill into cells: bare or quoted, padded with spaces and TABs; a
/// cell that starts with `"` is quoted (`""` inside is a quote), and padding between its
/// closing quote and the next comma is allowed (`"3985734"\t,`). A quote anywhere else is an
/// ordinary character. A quoted cell that never closes, or text other than padding after a
/// closing quote, is an error naming the cell.
pub fn split_line(line: &str) -> Result<Vec<Cow<'_, str>>, FieldError> {
    text::split_delimited(line, ',', QuoteOpens::AtCellStart)
}

/// The last part of a path (`/`- or `\`-separated), which claim ids may name; `input` when
/// the path ends in a separator.
pub fn file_name(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if name.is_empty() { "input" } else { name }.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_quoted_and_padded_cells() {
        let cells = split_line("a,\"b,c\"\t,\"q\"\"x\" ,d\"e\",").expect("valid");
        assert_eq!(cells, vec!["a", "b,c", "q\"x", "d\"e\"", ""]);
        assert_eq!(split_line("x\t,y").expect("valid"), vec!["x\t", "y"]);
        assert!(split_line("a,\"open").is_err());
        assert!(split_line("\"a\"b,c").is_err());
    }

    #[test]
    fn file_names_from_paths() {
        assert_eq!(file_name("exports/bill.csv"), "bill.csv");
        assert_eq!(file_name("C:\\bills\\b.csv"), "b.csv");
        assert_eq!(file_name("b.csv"), "b.csv");
        assert_eq!(file_name("dir/"), "input");
    }
}
