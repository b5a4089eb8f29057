//! The safe side of the SDK: the [`Adapter`] trait an adapter author implements, and the
//! [`Emitter`] it reports every row to.

use std::borrow::Cow;
use std::fmt;

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;

use crate::record::Record;
use crate::schema::{IssueBatchBuilder, Outcome, RecordBatchBuilder};
use crate::text;

/// Rows per record batch when the host expresses no preference.
pub const DEFAULT_BATCH_ROWS: usize = 32 * 1024;

/// A data-source adapter. Implement this, then export it with [`crate::export_adapter!`].
pub trait Adapter: Default + Send + Sync + 'static {
    /// Scores 0–100 how likely this adapter reads the file (`head` = its first bytes).
    /// 0 = certainly not; 100 = certainly (e.g. an exact header line).
    fn sniff(&self, file_name: &str, head: &[u8]) -> u8;

    /// Parses the whole file, reporting every row to `out` exactly once: as a record, as
    /// quarantined (with the reason), or as skipped (with the reason). Return an error only
    /// when the file as a whole cannot be read (wrong format, undecodable); a bad row is
    /// quarantined, never a reason to fail the file.
    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError>;
}

/// The file handed to [`Adapter::parse`]. The host owns the bytes.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The path as the user named it.
    pub path: &'a str,
    /// The whole file.
    pub bytes: &'a [u8],
}

impl<'a> Input<'a> {
    /// The file as text: UTF-8 (a BOM is dropped) or, failing that, GB18030 (a superset of GBK).
    pub fn text(&self) -> Cow<'a, str> {
        text::decode(self.bytes)
    }
}

/// The file as a whole cannot be read by this adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// 1-based line where the problem was found, if any.
    pub line: Option<u64>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl FileError {
    /// A file-level error without a position.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            line: None,
            message: message.into(),
        }
    }

    /// A file-level error at `line`.
    pub fn at(line: u64, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// Why one field of a row could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The column as the file names it.
    pub field: String,
    /// What was wrong and what was expected.
    pub reason: String,
}

impl FieldError {
    /// `field` had `found` where `expected` was expected.
    pub fn new(field: impl Into<String>, expected: &str, found: &str) -> Self {
        Self {
            field: field.into(),
            reason: format!("expected {expected}, found {found:?}"),
        }
    }

    /// A problem with the row as a whole (for example its column count).
    pub fn row(reason: impl Into<String>) -> Self {
        Self {
            field: String::new(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "field {}: {}", self.field, self.reason)
        }
    }
}

/// Collects what an adapter makes of each row and turns it into Arrow batches.
pub struct Emitter {
    builder: RecordBatchBuilder,
    batches: Vec<RecordBatch>,
    issues: IssueBatchBuilder,
    batch_rows: usize,
    rows_read: u64,
    records: u64,
    error: Option<ArrowError>,
    /// The input's length, and what its batches held so far (for [`Emitter::for_input`]).
    input_len: usize,
    held: crate::schema::Sizes,
}

thread_local! {
    /// What the last file parsed on this thread held, with its length: this library's next
    /// file is sized from it. Each plugin library has its own.
    static LAST_FILE: std::cell::Cell<(usize, crate::schema::Sizes)> =
        std::cell::Cell::new((0, crate::schema::Sizes::default()));
}

impl Emitter {
    /// An emitter that cuts a batch every `batch_rows` records (0 = the default).
    pub fn new(batch_rows: usize) -> Self {
        Self {
            builder: RecordBatchBuilder::default(),
            batches: Vec::new(),
            issues: IssueBatchBuilder::default(),
            batch_rows: if batch_rows == 0 {
                DEFAULT_BATCH_ROWS
            } else {
                batch_rows
            },
            rows_read: 0,
            records: 0,
            error: None,
            input_len: 0,
            held: crate::schema::Sizes::default(),
        }
    }

    /// An emitter for an input of `input_len` bytes, its first batch sized as the last file
    /// this library parsed on this thread would be at that length (builders that grow by
    /// doubling copy everything they hold at each step).
    pub fn for_input(batch_rows: usize, input_len: usize) -> Self {
        let mut e = Self::new(batch_rows);
        let (last_len, last) = LAST_FILE.with(std::cell::Cell::get);
        let sizes = last.scaled(last_len, input_len, e.batch_rows);
        e.builder = RecordBatchBuilder::with_sizes(&sizes);
        e.input_len = input_len;
        e
    }

    /// Reports one row that became a record. `raw` is the row's text, kept if the record
    /// cannot cross the boundary exactly (then the row is quarantined instead).
    pub fn record(&mut self, record: &Record<'_>, raw: &str) {
        match self.builder.push(record) {
            Ok(()) => {
                self.rows_read += 1;
                self.records += 1;
                if self.builder.len() >= self.batch_rows {
                    self.cut_batch();
                }
            }
            Err(e) => self.quarantine(record.line, Some(e.field), &e.reason, raw),
        }
    }

    /// Reports a row as a record or, when `result` is an error, as quarantined.
    pub fn row(&mut self, line: u64, raw: &str, result: Result<Record<'_>, FieldError>) {
        match result {
            Ok(record) => self.record(&record, raw),
            Err(e) => {
                let field = (!e.field.is_empty()).then_some(e.field.as_str());
                self.quarantine(line, field, &e.reason, raw);
            }
        }
    }

    /// Reports a row that cannot be parsed. It is kept, with its raw text, in quarantine.
    pub fn quarantine(&mut self, line: u64, field: Option<&str>, reason: &str, raw: &str) {
        self.rows_read += 1;
        let reason = match field {
            Some(f) => format!("field {f}: {reason}"),
            None => reason.to_owned(),
        };
        self.issues
            .push(line, Outcome::Quarantined, field, &reason, Some(raw));
    }

    /// Reports a row that is not data (header, preamble, summary, blank), with the reason.
    pub fn skip(&mut self, line: u64, reason: &str) {
        self.rows_read += 1;
        self.issues.push(line, Outcome::Skipped, None, reason, None);
    }

    /// Tells the host something about the file (not a row): e.g. a control total disagrees.
    pub fn warn(&mut self, line: u64, message: &str) {
        self.issues
            .push(line, Outcome::Warning, None, message, None);
    }

    /// Rows reported so far (records + quarantined + skipped).
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Records reported so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    fn cut_batch(&mut self) {
        let sizes = self.builder.sizes();
        self.held.add(&sizes);
        match self.builder.finish() {
            Ok(batch) => self.batches.push(batch),
            Err(e) => self.error = Some(e),
        }
    }

    /// Finishes: the record batches, the issue batch and the row count.
    pub fn finish(mut self) -> Result<Emitted, ArrowError> {
        if !self.builder.is_empty() {
            self.cut_batch();
        }
        if self.input_len > 0 && self.held.rows > 0 {
            LAST_FILE.with(|last| last.set((self.input_len, self.held)));
        }
        if let Some(e) = self.error {
            return Err(e);
        }
        Ok(Emitted {
            records: self.batches,
            issues: self.issues.finish()?,
            rows_read: self.rows_read,
        })
    }
}

/// Everything an [`Emitter`] collected.
pub struct Emitted {
    /// Record batches in row order.
    pub records: Vec<RecordBatch>,
    /// One batch of issues in report order.
    pub issues: RecordBatch,
    /// Rows reported.
    pub rows_read: u64,
}
