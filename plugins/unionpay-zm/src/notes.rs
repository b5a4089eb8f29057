//! File-level remarks, each told once: an unknown 交易代码, lines of an unknown length,
//! ZME (差错) lines, an amount field that is not `X+n12`, a file name without a date.

use std::collections::BTreeSet;

use qrecon_adapter_sdk::Emitter;

use crate::layout::{NEWER_LEN, OFFICIAL_LEN, ZME_LEN};

/// How many distinct unknown lengths a warning lists.
const LENGTHS_LISTED: usize = 5;

/// Lines of one kind: the first one's number and how many.
#[derive(Clone, Copy, Default)]
struct Seen {
    first: u64,
    count: u64,
}

impl Seen {
    fn add(&mut self, line: u64) {
        if self.count == 0 {
            self.first = line;
        }
        self.count += 1;
    }
}

/// What the file-level warnings say, collected while the lines are read.
#[derive(Default)]
pub(crate) struct Notes {
    codes: BTreeSet<String>,
    bad_money: BTreeSet<&'static str>,
    odd: Seen,
    odd_lengths: BTreeSet<usize>,
    errors: Seen,
    undated: Seen,
}

impl Notes {
    /// An unknown 交易代码 at `line`: warned about the first time it is seen.
    pub(crate) fn unknown_code(&mut self, line: u64, code: &str, out: &mut Emitter) {
        if self.codes.insert(code.to_owned()) {
            out.warn(
                line,
                &format!(
                    "交易代码 {code} is not a known code (S22 消费 = payment, S30 退货 = refund): \
                     its lines are records of type other, with 交易金额 unsigned as printed"
                ),
            );
        }
    }

    /// An amount field kept as raw text because it is not `X+n12`: warned about once a field.
    pub(crate) fn bad_money(
        &mut self,
        line: u64,
        field: &'static str,
        text: &str,
        out: &mut Emitter,
    ) {
        if self.bad_money.insert(field) {
            out.warn(
                line,
                &format!(
                    "{field} {text:?} is not an X+n12 amount (C, D, + or - then fen): such values \
                     are kept in extra as printed"
                ),
            );
        }
    }

    /// A line of a length no known layout has, read by the common fields.
    pub(crate) fn odd_length(&mut self, line: u64, len: usize) {
        self.odd.add(line);
        self.odd_lengths.insert(len);
    }

    /// A ZME (差错) line, skipped.
    pub(crate) fn error_line(&mut self, line: u64) {
        self.errors.add(line);
    }

    /// A record whose time has no year to take, for want of a settlement date.
    pub(crate) fn undated(&mut self, line: u64) {
        self.undated.add(line);
    }

    /// Tells what was collected. `settle_digits` are the file name's `yyMMdd`, if it has them.
    pub(crate) fn finish(self, error_file: bool, settle_digits: Option<&str>, out: &mut Emitter) {
        if self.odd.count > 0 {
            out.warn(self.odd.first, &self.odd_message());
        }
        if self.errors.count > 0 {
            out.warn(
                self.errors.first,
                &errors_message(self.errors.count, error_file),
            );
        }
        if self.undated.count > 0 {
            out.warn(
                self.undated.first,
                &undated_message(self.undated.count, settle_digits),
            );
        }
    }

    fn odd_message(&self) -> String {
        let mut lengths: Vec<String> = self
            .odd_lengths
            .iter()
            .take(LENGTHS_LISTED)
            .map(ToString::to_string)
            .collect();
        if self.odd_lengths.len() > LENGTHS_LISTED {
            lengths.push("…".to_owned());
        }
        format!(
            "{} lines are of a length no known ZM layout has ({} bytes; known: {OFFICIAL_LEN} for \
             the official SDK layout, {NEWER_LEN} for the newer one with 清算金额): only the 41 \
             fields all layouts share were read (a field the line ends inside as far as it goes), \
             and any bytes after them are kept in extra as unread_tail",
            self.odd.count,
            lengths.join(", ")
        )
    }
}

fn errors_message(count: u64, error_file: bool) -> String {
    let what = if error_file {
        format!("this is a ZME error file (差错): its {count} lines are")
    } else {
        format!("{count} lines of {ZME_LEN} bytes, the ZME error-file layout (差错), are")
    };
    format!(
        "{what} skipped, not read as transactions: the ZME layout (22 fields, {ZME_LEN} bytes in \
         the official SDK) is not published field by field, so check these lines by hand"
    )
}

fn undated_message(count: u64, settle_digits: Option<&str>) -> String {
    let why = match settle_digits {
        Some(digits) => format!("the file name's settlement date {digits} (yyMMdd) is not a date"),
        None => "the file name carries no settlement date (INN{yyMMdd}{NN}ZM_{merId})".to_owned(),
    };
    format!(
        "{why}, and 交易传输时间 (MMDDhhmmss) has no year: the time of {count} records is left \
         empty (the raw value stays in extra)"
    )
}
