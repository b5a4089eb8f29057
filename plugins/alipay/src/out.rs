//! Where the formats report their lines: the host's [`Emitter`], seen through the file the
//! lines come from. For a plain CSV file that is the Emitter as it is; for an entry of a zip
//! bundle every record also names the entry (`extra` `zip_entry`, `zip_line`) and every
//! quarantine reason and warning ends with where in the entry it was found.

use qrecon_adapter_sdk::{Emitter, FieldError, Record};

/// An entry of a zip bundle, as the lines it holds are numbered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry<'n> {
    /// The entry's name, decoded.
    pub(crate) name: &'n str,
    /// How many lines the entries before it hold: its line `n` is the bundle's `offset + n`.
    pub(crate) offset: u64,
}

impl Entry<'_> {
    /// Line `line` of the bundle as a line of this entry.
    pub(crate) fn line(&self, line: u64) -> u64 {
        line.saturating_sub(self.offset)
    }

    /// Where line `line` of the bundle is, for a message: `zip entry <name>, line <n>`.
    pub(crate) fn at(&self, line: u64) -> String {
        format!("zip entry {}, line {}", self.name, self.line(line))
    }
}

/// The [`Emitter`] of a parse, and the zip entry being read, if any.
pub(crate) struct Out<'e> {
    emitter: &'e mut Emitter,
    entry: Option<Entry<'e>>,
}

impl<'e> Out<'e> {
    /// Reports the lines of a plain file: straight to `emitter`.
    pub(crate) fn file(emitter: &'e mut Emitter) -> Self {
        Self {
            emitter,
            entry: None,
        }
    }

    /// Reports the lines of `entry` of a bundle, numbered as lines of the bundle.
    pub(crate) fn entry(emitter: &'e mut Emitter, entry: Entry<'e>) -> Self {
        Self {
            emitter,
            entry: Some(entry),
        }
    }

    /// Reports a row that became `record`; returns whether it did cross the boundary (a
    /// record the schema refuses is quarantined by the Emitter instead).
    pub(crate) fn record(&mut self, record: &Record<'_>, raw: &str) -> bool {
        let before = self.emitter.records();
        match self.entry {
            None => self.emitter.record(record, raw),
            Some(entry) => {
                let zip_line = entry.line(record.line).to_string();
                let mut tagged = record.clone();
                tagged.extra.push(("zip_entry", entry.name));
                tagged.extra.push(("zip_line", &zip_line));
                self.emitter.record(&tagged, raw);
            }
        }
        self.emitter.records() > before
    }

    /// Reports a row that cannot be read, with why.
    pub(crate) fn quarantine(&mut self, line: u64, raw: &str, mut error: FieldError) {
        error.reason.push_str(&self.suffix(line));
        self.emitter.row(line, raw, Err(error));
    }

    /// Reports a line that is not data, with why.
    pub(crate) fn skip(&mut self, line: u64, reason: &str) {
        self.emitter.skip(line, reason);
    }

    /// Tells the host something about the file at `line`.
    pub(crate) fn warn(&mut self, line: u64, message: &str) {
        let suffix = self.suffix(line);
        if suffix.is_empty() {
            self.emitter.warn(line, message);
        } else {
            self.emitter.warn(line, &format!("{message}{suffix}"));
        }
    }

    /// Tells the host something about the file at `line`, in a message that says where it is.
    pub(crate) fn note(&mut self, line: u64, message: &str) {
        self.emitter.warn(line, message);
    }

    /// ` (zip entry <name>, line <n>)` in a bundle, nothing for a plain file.
    fn suffix(&self, line: u64) -> String {
        self.entry
            .map(|e| format!(" ({})", e.at(line)))
            .unwrap_or_default()
    }
}
