//! Messages: the fields of one statement (MT940) or interim report (MT942), gathered from
//! `:20:` (or the first field, or an envelope) to the end of the message, then emitted.
//!
//! A new message starts at `:20:`, after an end of message (`-`), at a SWIFT envelope, and
//! at an opening balance that follows a statement's lines or closing balance (files that
//! leave out `:20:` and `-` between statements). Each `:61:` takes the `:86:` fields right
//! after it; a `:86:` anywhere else is information about the statement as a whole and is
//! skipped. Every header and balance line is skipped with its meaning; balances are kept
//! for the control totals ([`crate::totals`]).

use chrono::NaiveDate;
use qrecon_adapter_sdk::Emitter;

use crate::balance::{self, Balance, EntrySum};
use crate::fields::{Field, Item};

/// The SWIFT message type (block 2 of the envelope, or guessed from the fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MessageType {
    /// Customer statement (also MT950, the bank-to-bank statement of the same layout).
    Mt940,
    /// Interim transaction report.
    Mt942,
    /// Another message type: read as a statement, with a warning.
    Other(u16),
}

impl MessageType {
    /// From the text after `{2:`: `O940…` (output) or `I940…` (input).
    pub(crate) fn from_block2(s: &str) -> Option<Self> {
        if !s.starts_with(['O', 'I']) {
            return None;
        }
        let digits = s
            .get(1..4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
        Some(match digits.parse::<u16>().ok()? {
            940 | 950 => MessageType::Mt940,
            942 => MessageType::Mt942,
            n => MessageType::Other(n),
        })
    }

    /// `MT940`, `MT942`.
    pub(crate) fn name(self) -> String {
        match self {
            MessageType::Mt940 => "MT940".to_owned(),
            MessageType::Mt942 => "MT942".to_owned(),
            MessageType::Other(n) => format!("MT{n}"),
        }
    }
}

/// One `:61:` and the `:86:` fields after it.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'t> {
    /// The `:61:` field.
    pub(crate) line: Field<'t>,
    /// Its `:86:` fields.
    pub(crate) info: Vec<Field<'t>>,
}

/// The fields of one message.
#[derive(Debug, Default, Clone)]
pub(crate) struct Statement<'t> {
    /// First line of the message, once a field was seen.
    pub(crate) start: Option<u64>,
    /// The type its envelope names.
    pub(crate) envelope: Option<MessageType>,
    /// Whether an MT942 field (`:13D:`, `:34F:`, `:90D:`, `:90C:`) was seen.
    pub(crate) interim: bool,
    /// `:20:`.
    pub(crate) reference: Option<&'t str>,
    /// `:21:`.
    pub(crate) related: Option<&'t str>,
    /// `:25:`.
    pub(crate) account: Option<&'t str>,
    /// `:28C:` / `:28:`.
    pub(crate) number: Option<&'t str>,
    /// `:60F:` / `:60M:`.
    pub(crate) opening: Option<Balance<'t>>,
    /// `:62F:` / `:62M:`.
    pub(crate) closing: Option<Balance<'t>>,
    /// A balance could not be read (already warned about).
    pub(crate) unreadable_balance: bool,
    /// `:34F:`'s currency.
    pub(crate) floor_currency: Option<&'t str>,
    /// `:13D:`'s date.
    pub(crate) date_time: Option<NaiveDate>,
    /// The statement lines.
    pub(crate) entries: Vec<Entry<'t>>,
    /// `:90D:` / `:90C:`.
    pub(crate) sums: Vec<EntrySum<'t>>,
    /// Whether the last field was a `:61:` or one of its `:86:`.
    attach: bool,
}

impl Statement<'_> {
    /// The first line of the message (0 before any field).
    pub(crate) fn first_line(&self) -> u64 {
        self.start.unwrap_or_default()
    }

    /// The message type: the envelope's, else MT942 when MT942 fields and no opening
    /// balance were seen, else MT940.
    pub(crate) fn message_type(&self) -> MessageType {
        self.envelope
            .unwrap_or(if self.interim && self.opening.is_none() {
                MessageType::Mt942
            } else {
                MessageType::Mt940
            })
    }

    /// The currency: the opening balance's, else the closing balance's, else `:34F:`'s.
    pub(crate) fn currency(&self) -> Option<&str> {
        self.opening
            .as_ref()
            .map(|b| b.currency)
            .or_else(|| self.closing.as_ref().map(|b| b.currency))
            .or(self.floor_currency)
    }

    /// The date two-digit years are placed near: the opening balance's, else `:13D:`'s,
    /// else the closing balance's.
    pub(crate) fn reference_date(&self) -> Option<NaiveDate> {
        self.opening
            .as_ref()
            .and_then(|b| b.date)
            .or(self.date_time)
            .or_else(|| self.closing.as_ref().and_then(|b| b.date))
    }
}

/// The tags this adapter reads.
const KNOWN_TAGS: [&str; 18] = [
    "20", "21", "25", "28C", "28", "60F", "60M", "61", "86", "62F", "62M", "64", "65", "13D", "13",
    "34F", "90D", "90C",
];

/// Whether `tag` is an MT940/MT942 field this adapter reads. Others (the non-SWIFT `:NS:`
/// included) are skipped and warned about.
fn is_known(tag: &str) -> bool {
    KNOWN_TAGS.contains(&tag)
}

/// File-level remarks collected while reading, warned about once at the end.
#[derive(Debug, Default)]
pub(crate) struct Remarks {
    /// Unknown tags: `(tag, first line, fields)`.
    pub(crate) unknown_tags: Vec<(String, u64, usize)>,
    /// Transaction types not starting with N, F or S: `(type, first line)`.
    pub(crate) odd_types: Vec<(String, u64)>,
    /// First line of text continuing a single-line field.
    pub(crate) stray_text: Option<u64>,
    /// Distinct unknown tags and odd types beyond [`Remarks::MAX`], not listed one by one:
    /// how many, and the line of the first.
    pub(crate) more: (usize, u64),
}

impl Remarks {
    /// How many distinct unknown tags, and odd transaction types, get a warning each.
    pub(crate) const MAX: usize = 20;

    /// Counts one more kind beyond [`Remarks::MAX`], seen at `line`.
    pub(crate) fn note_more(&mut self, line: u64) {
        if self.more.0 == 0 {
            self.more.1 = line;
        }
        self.more.0 += 1;
    }
}

/// Reads items in file order and emits each message when it ends.
pub(crate) struct Reader<'t, 'o> {
    out: &'o mut Emitter,
    current: Statement<'t>,
    remarks: Remarks,
}

impl<'t, 'o> Reader<'t, 'o> {
    /// A reader emitting to `out`.
    pub(crate) fn new(out: &'o mut Emitter) -> Self {
        Self {
            out,
            current: Statement::default(),
            remarks: Remarks::default(),
        }
    }

    /// Takes the next item of the file.
    pub(crate) fn item(&mut self, item: Item<'t>) {
        match item {
            Item::Blank(no) => self.out.skip(no, "blank line"),
            Item::Header(no, reason) => self.out.skip(no, reason),
            Item::Envelope(no, kind) => {
                self.flush();
                self.current.envelope = kind;
                self.out.skip(
                    no,
                    "SWIFT envelope: basic, application and user header blocks ({1:…}{2:…}{3:…}{4:)",
                );
            }
            Item::EnvelopeType(kind) => {
                self.flush();
                self.current.envelope = kind;
            }
            Item::End(no, reason) => {
                self.flush();
                self.out.skip(no, reason);
            }
            Item::Field(field) => self.field(field),
        }
    }

    /// Emits the last message and the file-level remarks.
    pub(crate) fn finish(mut self) {
        self.flush();
        crate::totals::remarks(&self.remarks, self.out);
    }

    fn field(&mut self, field: Field<'t>) {
        let tag = field.tag;
        if tag == "61" {
            self.start_if_new(field.line());
            self.current.entries.push(Entry {
                line: field,
                info: Vec::new(),
            });
            self.current.attach = true;
            return;
        }
        if tag == "86"
            && self.current.attach
            && let Some(entry) = self.current.entries.last_mut()
        {
            entry.info.push(field);
            return;
        }
        self.header_field(&field);
        self.current.attach = false;
    }

    /// Marks the message as started at `line` when this is its first field.
    fn start_if_new(&mut self, line: u64) {
        self.current.start.get_or_insert(line);
    }

    /// A field other than a statement line and its information.
    fn header_field(&mut self, field: &Field<'t>) {
        let tag = field.tag;
        let text = field.first().trim();
        let starts_new = match tag {
            "20" => self.current.start.is_some(),
            "60F" | "60M" => {
                self.current.opening.is_some()
                    || self.current.closing.is_some()
                    || !self.current.entries.is_empty()
            }
            _ => false,
        };
        if starts_new {
            self.flush();
        }
        self.start_if_new(field.line());
        let meaning = self.read_header(tag, field.line(), text);
        self.skip_lines(field, &meaning);
    }

    /// Stores what a header field says and returns its meaning (the skip reason).
    fn read_header(&mut self, tag: &'t str, line: u64, text: &'t str) -> String {
        let s = &mut self.current;
        let meaning = match tag {
            "20" => {
                s.reference = Some(text);
                "transaction reference number"
            }
            "21" => {
                s.related = Some(text);
                "related reference"
            }
            "25" => {
                s.account = Some(text);
                "account identification"
            }
            "28C" | "28" => {
                s.number = Some(text);
                "statement number / sequence number"
            }
            "60F" | "60M" | "62F" | "62M" => return self.read_balance(tag, line, text),
            "64" => "closing available balance",
            "65" => "forward available balance",
            "13D" | "13" => {
                s.interim = true;
                s.date_time = balance::date_time_date(text);
                "date/time indication (MT942)"
            }
            "34F" => {
                s.interim = true;
                s.floor_currency = s.floor_currency.or(balance::floor_limit_currency(text));
                "floor limit indicator (MT942)"
            }
            "90D" | "90C" => return self.read_sum(tag, line, text),
            "86" => {
                "information to the account owner about the whole statement (a :86: not after a :61:)"
            }
            _ => return self.unknown(tag, line),
        };
        format!("{meaning} (:{tag}:)")
    }

    fn read_balance(&mut self, tag: &'t str, line: u64, text: &'t str) -> String {
        let opening = tag.starts_with("60");
        let meaning = match tag {
            "60F" => "opening balance",
            "60M" => "intermediate opening balance",
            "62F" => "closing balance",
            _ => "intermediate closing balance",
        };
        match balance::balance(tag, line, text) {
            Ok(b) => {
                if b.date.is_none() {
                    self.out.warn(
                        line,
                        &format!(
                            "the {meaning} (:{tag}:) is dated {:?}, which is not a calendar date",
                            b.date_raw
                        ),
                    );
                }
                let slot = if opening {
                    &mut self.current.opening
                } else {
                    &mut self.current.closing
                };
                *slot = Some(b);
            }
            Err(e) => {
                self.current.unreadable_balance = true;
                self.out.warn(
                    line,
                    &format!("the {meaning} (:{tag}:) cannot be read: {e}; the statement's control total is not checked"),
                );
            }
        }
        format!("{meaning} (:{tag}:)")
    }

    fn read_sum(&mut self, tag: &'t str, line: u64, text: &'t str) -> String {
        self.current.interim = true;
        let meaning = if tag == "90D" {
            "number and sum of debit entries"
        } else {
            "number and sum of credit entries"
        };
        match balance::entry_sum(tag, line, text) {
            Ok(sum) => self.current.sums.push(sum),
            Err(e) => self.out.warn(
                line,
                &format!("the {meaning} (:{tag}:) cannot be read: {e}"),
            ),
        }
        format!("{meaning} (:{tag}:)")
    }

    fn unknown(&mut self, tag: &str, line: u64) -> String {
        let remarks = &mut self.remarks;
        let known = remarks.unknown_tags.len();
        match remarks.unknown_tags.iter_mut().find(|(t, _, _)| t == tag) {
            Some(seen) => seen.2 += 1,
            None if known < Remarks::MAX => remarks.unknown_tags.push((tag.to_owned(), line, 1)),
            None => remarks.note_more(line),
        }
        format!("unknown tag :{tag}: (not an MT940/MT942 field)")
    }

    /// Skips a header field's lines: the first with its meaning, the rest as its
    /// continuation (statement-level `:86:`, unknown tags, a tag cut over two lines) or as
    /// text after a single-line field.
    fn skip_lines(&mut self, field: &Field<'_>, meaning: &str) {
        let start = field.line();
        let multi_line = field.tag == "86" || !is_known(field.tag);
        let split = field.lines.first().is_some_and(|(_, t)| t.is_empty());
        for (i, &(no, _)) in field.lines.iter().enumerate() {
            if i == 0 {
                self.out.skip(no, meaning);
            } else if multi_line || (i == 1 && split) {
                self.out
                    .skip(no, &format!("{meaning}, continued from line {start}"));
            } else {
                self.remarks.stray_text.get_or_insert(no);
                self.out.skip(
                    no,
                    &format!("text after the {meaning} at line {start}, not part of any field"),
                );
            }
        }
    }

    /// Emits the current message, if any, and starts afresh.
    fn flush(&mut self) {
        let statement = std::mem::take(&mut self.current);
        if statement.start.is_some() {
            crate::entry::emit_statement(&statement, &mut self.remarks, self.out);
        }
    }
}
