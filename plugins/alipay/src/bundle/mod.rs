//! The downloaded bundle (`<PID>0156_<date>.csv.zip`), read straight from its bytes. Each
//! entry is classified by its first line, not by its name or place in the archive: a detail
//! file (`#支付宝业务明细查询`, `#支付宝账务明细查询`) is read exactly like a plain file, a
//! summary (`#支付宝业务汇总查询`, `#支付宝账务汇总查询`) gives control totals for the detail
//! records of the bundle ([`summary`]), and any other entry has its lines skipped and a
//! warning. An entry without a title is told apart by its header, as a plain file is.
//!
//! The bundle's lines are numbered as if its entries were concatenated in archive order
//! (entry 1's lines are 1..n₁, entry 2's n₁+1.., …); see the crate doc.

mod archive;
mod head;
mod summary;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Emitter, FileError, text};

use crate::out::{Entry, Out};
use crate::{FORMATS, Format, Tally, account, bill, trade};

pub(crate) use head::sniff;

/// The longest first line an "other entry" warning quotes.
const QUOTE: usize = 60;

/// Whether `bytes` are a zip archive (one that starts with a file, or an empty one).
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(head::LOCAL_HEADER) || bytes.starts_with(b"PK\x05\x06")
}

/// What the detail files of a bundle add up to, for its summaries.
#[derive(Default)]
pub(crate) struct Details {
    /// The 业务明细 files' totals, if the bundle has one.
    trade: Option<trade::Totals>,
    /// The 账务明细 files' totals, if the bundle has one.
    account: Option<account::Totals>,
}

impl Details {
    /// Adds what one detail file adds up to.
    fn add(&mut self, tally: Tally) {
        match tally {
            Tally::Trade(t) => self.trade.get_or_insert_default().merge(&t),
            Tally::Account(a) => self.account.get_or_insert_default().merge(&a),
        }
    }
}

/// What an entry holds, as its first line (or its header) says.
enum Content {
    Detail(&'static Format),
    Summary(&'static summary::Kind),
    Other,
}

/// Reads the bundle in `bytes`, reporting every line of every entry to `emitter`.
pub(crate) fn parse(bytes: &[u8], emitter: &mut Emitter) -> Result<(), FileError> {
    let mut archive = archive::Archive::open(bytes)?;
    let mut read = Read::default();
    for index in 0..archive.len() {
        read.entry(&archive.entry(index)?, emitter)?;
    }
    if read.bills == 0 {
        return Err(FileError::new(format!(
            "the zip archive holds no Alipay bill (业务明细, 账务明细 or their 汇总); its entries: {}",
            read.others.join(", ")
        )));
    }
    for stated in &read.summaries {
        stated.check(&read.details, emitter);
    }
    Ok(())
}

/// What the entries read so far hold.
#[derive(Default)]
struct Read {
    /// Lines of the bundle so far.
    offset: u64,
    /// What the detail files add up to.
    details: Details,
    /// What the summaries state, checked at the end.
    summaries: Vec<summary::Stated>,
    /// Detail and summary files seen.
    bills: usize,
    /// Names of the other entries.
    others: Vec<String>,
}

impl Read {
    /// Reads one entry, its lines numbered after those of the entries before it.
    fn entry(&mut self, file: &archive::Entry, emitter: &mut Emitter) -> Result<(), FileError> {
        let text = text::decode(&file.bytes);
        let offset = self.offset;
        let lines: Vec<(u64, &str)> = text::lines(&text)
            .map(|(no, line)| (offset + no, line))
            .collect();
        let entry = Entry {
            name: &file.name,
            offset,
        };
        let mut out = Out::entry(emitter, entry);
        match classify(&lines) {
            Content::Detail(format) => {
                let tally = (format.parse)(&lines, &mut out).map_err(|e| in_entry(e, entry))?;
                self.details.add(tally);
                self.bills += 1;
            }
            Content::Summary(kind) => {
                self.summaries
                    .push(summary::read(kind, &lines, entry, &mut out));
                self.bills += 1;
            }
            Content::Other => {
                other(&lines, entry, file.is_dir, &mut out);
                self.others.push(file.name.clone());
            }
        }
        self.offset += lines.len() as u64;
        Ok(())
    }
}

/// What an entry's `lines` are: the format or summary its title names, else the one whose
/// header is where the header must be, else something else.
fn classify(lines: &[(u64, &str)]) -> Content {
    let first = bill::first_content(lines.iter().map(|&(_, l)| l));
    if let Some(format) = FORMATS.into_iter().find(|f| first == Some(f.title)) {
        return Content::Detail(format);
    }
    if let Some(kind) = summary::KINDS.into_iter().find(|k| first == Some(k.title)) {
        return Content::Summary(kind);
    }
    let Some(header) = bill::header_at(lines).map(|i| lines[i].1) else {
        return Content::Other;
    };
    if let Some(format) = FORMATS.into_iter().find(|f| (f.is_header)(header)) {
        return Content::Detail(format);
    }
    match summary::KINDS.into_iter().find(|k| k.is_header(header)) {
        Some(kind) => Content::Summary(kind),
        None => Content::Other,
    }
}

/// Reports every line of an entry that is not a bill as skipped, naming the entry, and warns.
fn other(lines: &[(u64, &str)], entry: Entry<'_>, is_dir: bool, out: &mut Out<'_>) {
    let name = entry.name;
    let reason = format!("zip entry {name} is not an Alipay bill");
    for &(no, _) in lines {
        out.skip(no, &reason);
    }
    let message = match lines.first() {
        _ if is_dir => format!("zip entry {name} is a folder; ignored"),
        None => format!("zip entry {name} is empty; ignored"),
        Some((_, first)) => {
            let quoted: String = first.chars().take(QUOTE).collect();
            format!(
                "zip entry {name} is not an Alipay bill (its first line is {quoted:?}); its {} \
                 lines are skipped",
                lines.len()
            )
        }
    };
    let at = lines.first().map_or(entry.offset.max(1), |&(no, _)| no);
    out.note(at, &message);
}

/// A detail entry's file error, saying which entry and which of its lines.
fn in_entry(e: FileError, entry: Entry<'_>) -> FileError {
    let FileError { line, message } = e;
    let message = match line {
        Some(line) => format!("{}: {message}", entry.at(line)),
        None => format!("zip entry {}: {message}", entry.name),
    };
    FileError { line, message }
}
