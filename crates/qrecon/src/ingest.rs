//! Reading the inputs: each file is routed to an adapter (pinned in config, or by the best
//! sniff score), parsed through the plugin boundary, and its records resolved into the run's
//! time zone as a [`Chunk`]. Files are processed in parallel; results keep input order.

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_PANIC};
use qrecon_adapter_sdk::decode::{OwnedIssue, RecordColumns, RecordView};
use qrecon_adapter_sdk::plugin::RawParsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_core::{Chunk, Kind, Money, RecordIn, Status};
use rayon::prelude::*;

use crate::plan::InputFile;
use crate::plugins::{MAPPED_PREFIX, Registry};

/// The adapter a file was read with, as outputs name it.
#[derive(Clone, Debug)]
pub struct Used {
    pub name: String,
    pub version: String,
}

/// What reads a file: a plugin, or a mapping run in process.
enum Chosen<'r> {
    Plugin(&'r crate::plugins::Adapter),
    Mapped(&'r qrecon_mapped::Mapping),
}

impl Chosen<'_> {
    fn used(&self) -> Used {
        match self {
            Chosen::Plugin(a) => Used {
                name: a.plugin.name.to_owned(),
                version: a.plugin.version.to_owned(),
            },
            Chosen::Mapped(m) => Used {
                name: format!("{MAPPED_PREFIX}{}", m.name()),
                version: "mapping".to_owned(),
            },
        }
    }

    fn parse(&self, path: &str, bytes: &[u8]) -> RawParsed {
        match self {
            Chosen::Plugin(a) => a.plugin.parse_raw(path, bytes, 0),
            Chosen::Mapped(m) => parse_mapped(m, path, bytes),
        }
    }
}

/// Runs a mapping in process, with the plugins' guarantees: a panic is caught, and the file
/// error or the batches come back as a plugin's would.
fn parse_mapped(m: &qrecon_mapped::Mapping, path: &str, bytes: &[u8]) -> RawParsed {
    let failed = |status, message: String| RawParsed {
        status,
        message: Some(message),
        rows_read: 0,
        batches: Vec::new(),
        issues: Vec::new(),
    };
    let mut out = qrecon_adapter_sdk::Emitter::new(0);
    let input = qrecon_adapter_sdk::Input { path, bytes };
    let parsed =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| m.parse(&input, &mut out)));
    match parsed {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return failed(STATUS_FILE_ERROR, e.to_string()),
        Err(_) => return failed(STATUS_PANIC, "the mapping's reader panicked".to_owned()),
    }
    let emitted = match out.finish() {
        Ok(e) => e,
        Err(e) => return failed(STATUS_FILE_ERROR, format!("records: {e}")),
    };
    match qrecon_adapter_sdk::decode::decode_issues(&emitted.issues) {
        Ok(issues) => RawParsed {
            status: 0,
            message: None,
            rows_read: emitted.rows_read,
            batches: emitted.records,
            issues,
        },
        Err(e) => failed(STATUS_FILE_ERROR, format!("issues: {e}")),
    }
}

/// Bytes of a file's head given to `sniff`.
const HEAD_BYTES: usize = 8 * 1024;
/// The lowest sniff score that claims a file.
pub const MIN_SCORE: u8 = 50;

/// What became of one input file.
pub struct FileResult {
    pub input: InputFile,
    /// Each adapter's sniff score (absent when the adapter was pinned).
    pub scores: BTreeMap<String, i32>,
    pub outcome: FileOutcome,
}

/// Per currency: records, money in, money out.
pub type MoneyTotals = BTreeMap<String, (u64, Money, Money)>;

/// The outcome of one file.
pub enum FileOutcome {
    /// No adapter scored at least [`MIN_SCORE`] (or two tied at the top).
    Unrecognised(String),
    /// The file could not be read, or the adapter refused or panicked on it.
    Failed {
        adapter: Option<Used>,
        message: String,
    },
    /// Parsed; rows may have been quarantined.
    Parsed {
        adapter: Used,
        rows_read: u64,
        records: u64,
        kinds: BTreeMap<String, u64>,
        money: MoneyTotals,
        chunk: Option<Chunk>,
        issues: Vec<OwnedIssue>,
    },
}

/// Reads every input; record `file` indexes follow input order.
pub fn ingest(inputs: &[InputFile], registry: &Registry, tz: Tz) -> Vec<FileResult> {
    inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| ingest_one(u32::try_from(i).unwrap_or(u32::MAX), input, registry, tz))
        .collect()
}

fn ingest_one(index: u32, input: &InputFile, registry: &Registry, tz: Tz) -> FileResult {
    let mut result = FileResult {
        input: input.clone(),
        scores: BTreeMap::new(),
        outcome: FileOutcome::Unrecognised(String::new()),
    };
    let bytes = match read_file(&input.path) {
        Ok(b) => b,
        Err(e) => {
            result.outcome = FileOutcome::Failed {
                adapter: None,
                message: format!("cannot read the file: {e}"),
            };
            return result;
        }
    };
    let adapter = match route(input, &bytes, registry, &mut result.scores) {
        Ok(a) => a,
        Err(why) => {
            give_back(bytes);
            result.outcome = FileOutcome::Unrecognised(why);
            return result;
        }
    };
    let parsed = adapter.parse(&input.display, &bytes);
    give_back(bytes);
    result.outcome = if parsed.status == 0 {
        let mut conv = Converter {
            chunk: Chunk::new(index),
            tz,
            account: input.account.as_deref(),
            records: 0,
            kinds: BTreeMap::new(),
            money: BTreeMap::new(),
            offsets: DayOffsets::default(),
        };
        let mut issues = parsed.issues;
        for batch in &parsed.batches {
            conv.batch(batch, &mut issues);
        }
        FileOutcome::Parsed {
            adapter: adapter.used(),
            rows_read: parsed.rows_read,
            records: conv.records,
            kinds: conv.kinds,
            money: conv.money,
            chunk: Some(conv.chunk),
            issues,
        }
    } else {
        let what = if parsed.status == STATUS_PANIC {
            "panicked"
        } else {
            "refused the file"
        };
        let used = adapter.used();
        let message = format!(
            "adapter {} {what}: {}",
            used.name,
            parsed.message.unwrap_or_default()
        );
        FileOutcome::Failed {
            adapter: Some(used),
            message,
        }
    };
    result
}

std::thread_local! {
    /// The buffer this thread read its previous file into: reading the next one into it
    /// again takes pages already faulted in and cleared, not fresh ones for every file.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Buffers up to this size are kept for the next file; a larger one is freed.
const KEPT_BUFFER: usize = 64 << 20;

/// A file's bytes, read into this thread's buffer (taken out of it, so a nested read on the
/// same thread simply allocates).
fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = READ_BUFFER.take();
    buf.clear();
    let mut file = std::fs::File::open(path)?;
    if let Ok(meta) = file.metadata() {
        // As `std::fs::read` does: room for the whole file at once, and an error (not an
        // abort) when there is no memory for it.
        let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        buf.try_reserve_exact(size)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
    }
    file.read_to_end(&mut buf)?;
    Ok(buf)
}

/// Hands a file's buffer back for the next read on this thread.
fn give_back(buf: Vec<u8>) {
    if buf.capacity() <= KEPT_BUFFER {
        READ_BUFFER.set(buf);
    }
}

fn route<'r>(
    input: &InputFile,
    bytes: &[u8],
    registry: &'r Registry,
    scores: &mut BTreeMap<String, i32>,
) -> Result<Chosen<'r>, String> {
    let chosen = |name: &str| {
        registry
            .get(name)
            .map(Chosen::Plugin)
            .or_else(|| registry.mapping(name).map(|m| Chosen::Mapped(m)))
    };
    if let Some(name) = &input.adapter {
        return chosen(name).ok_or_else(|| format!("the pinned adapter {name} is not loaded"));
    }
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    let name = input
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    for a in &registry.adapters {
        let score = a.plugin.sniff(name, head).map_or(-1, i32::from);
        scores.insert(a.plugin.name.to_owned(), score);
    }
    for m in &registry.mapped {
        let score = std::panic::catch_unwind(|| m.sniff(name, head)).map_or(-1, i32::from);
        scores.insert(format!("{MAPPED_PREFIX}{}", m.name()), score);
    }
    let best = scores.values().copied().max().unwrap_or(-1);
    let top: Vec<&String> = scores
        .iter()
        .filter(|(_, s)| **s == best)
        .map(|(n, _)| n)
        .collect();
    if best < i32::from(MIN_SCORE) {
        return Err(format!("no adapter scored at least {MIN_SCORE}"));
    }
    if top.len() > 1 {
        let names: Vec<&str> = top.iter().map(|s| s.as_str()).collect();
        return Err(format!(
            "adapters {} claim it equally ({best}); pin one in qrecon.yaml",
            names.join(" and ")
        ));
    }
    chosen(top[0]).ok_or_else(|| "internal: scored adapter vanished".to_owned())
}

fn resolve_time(
    naive: NaiveDateTime,
    offset: Option<i32>,
    tz: Tz,
) -> Option<chrono::DateTime<FixedOffset>> {
    if let Some(secs) = offset {
        return FixedOffset::east_opt(secs)?
            .from_local_datetime(&naive)
            .single();
    }
    let local = tz.from_local_datetime(&naive);
    local
        .earliest()
        .or_else(|| local.latest())
        .map(|t| t.fixed_offset())
}

/// The zone's offset for whole days: when a day starts and ends on the same offset it has no
/// transition, so every time that day shares it (most records of a file share a few days).
#[derive(Default)]
struct DayOffsets(Vec<(chrono::NaiveDate, Option<FixedOffset>)>);

impl DayOffsets {
    fn resolve(
        &mut self,
        naive: NaiveDateTime,
        offset: Option<i32>,
        tz: Tz,
    ) -> Option<chrono::DateTime<FixedOffset>> {
        if offset.is_some() {
            return resolve_time(naive, offset, tz);
        }
        let day = naive.date();
        let whole_day = if let Some((_, o)) = self.0.iter().find(|(d, _)| *d == day) {
            *o
        } else {
            let at = |h, m, s| {
                day.and_hms_opt(h, m, s)
                    .and_then(|t| resolve_time(t, None, tz))
                    .map(|t| *t.offset())
            };
            let o = at(0, 0, 0).filter(|o| Some(*o) == at(23, 59, 59));
            if self.0.len() > 64 {
                self.0.clear();
            }
            self.0.push((day, o));
            o
        };
        match whole_day {
            Some(o) => o.from_local_datetime(&naive).single(),
            None => resolve_time(naive, None, tz),
        }
    }
}

/// Turns wire batches into the core's records, counting as it goes.
struct Converter<'a> {
    chunk: Chunk,
    tz: Tz,
    account: Option<&'a str>,
    records: u64,
    kinds: BTreeMap<String, u64>,
    money: MoneyTotals,
    offsets: DayOffsets,
}

impl<'a> Converter<'a> {
    /// Counts a record under `kind/type` without building the key each time.
    fn count_kind(&mut self, kind: &str, rtype: &str) {
        let same = |k: &String| {
            k.len() == kind.len() + 1 + rtype.len() && k.starts_with(kind) && k.ends_with(rtype)
        };
        match self.kinds.iter_mut().find(|(k, _)| same(k)) {
            Some((_, n)) => *n += 1,
            None => {
                self.kinds.insert(format!("{kind}/{rtype}"), 1);
            }
        }
    }

    fn batch(
        &mut self,
        batch: &qrecon_adapter_sdk::arrow_array::RecordBatch,
        issues: &mut Vec<OwnedIssue>,
    ) {
        let Ok(cols) = RecordColumns::new(batch) else {
            return;
        };
        // Room for the batch: its rows, their extras and (at most) every string it carries.
        self.chunk.reserve(
            cols.len(),
            cols.extras_len(),
            batch.get_array_memory_size() / 2,
        );
        // One vector carries every row's extra columns in turn.
        let mut extra = Vec::new();
        for i in 0..cols.len() {
            let row = cols.row_reusing(i, std::mem::take(&mut extra));
            match row.and_then(|v| self.record(v, &mut extra)) {
                Ok(()) => {}
                Err(reason) => issues.push(OwnedIssue {
                    line: cols.row(i).map_or(0, |v| v.line),
                    outcome: Outcome::Quarantined,
                    field: None,
                    reason,
                    raw: None,
                }),
            }
        }
    }

    /// Adds one row; its extras vector is handed back in `spare` for the next row.
    fn record<'b>(
        &mut self,
        v: RecordView<'b>,
        spare: &mut Vec<(&'b str, &'b str)>,
    ) -> Result<(), String>
    where
        'a: 'b,
    {
        let money = |units: i128, what: &str| {
            Money::from_scaled(units).ok_or_else(|| format!("{what} is out of range"))
        };
        let amount = money(v.amount_units, "amount")?;
        let fee = v.fee_units.map(|f| money(f, "fee")).transpose()?;
        let mut ids = v.ids;
        if ids[0].is_none() {
            ids[0] = self.account;
        }
        let r = RecordIn {
            line: v.line,
            kind: kind(v.kind),
            rtype: v.record_type,
            status: status(v.status),
            provider: v.provider,
            ids,
            time: v
                .time
                .and_then(|t| self.offsets.resolve(t, v.utc_offset_secs, self.tz)),
            value_date: v.value_date,
            amount,
            currency: v.currency,
            fee,
            status_raw: v.status_raw,
            parties: v.parties,
            extra: v.extra,
        };
        self.chunk.push(&r);
        *spare = r.extra;
        self.records += 1;
        self.count_kind(v.kind.as_str(), v.record_type);
        if !self.money.contains_key(v.currency) {
            self.money
                .insert(v.currency.to_owned(), (0, Money::ZERO, Money::ZERO));
        }
        let Some(e) = self.money.get_mut(v.currency) else {
            return Ok(());
        };
        e.0 += 1;
        if amount.is_negative() {
            e.2 += amount;
        } else {
            e.1 += amount;
        }
        Ok(())
    }
}

fn kind(k: qrecon_adapter_sdk::Kind) -> Kind {
    match k {
        qrecon_adapter_sdk::Kind::Claim => Kind::Claim,
        qrecon_adapter_sdk::Kind::Txn => Kind::Txn,
        qrecon_adapter_sdk::Kind::Fund => Kind::Fund,
        qrecon_adapter_sdk::Kind::Payout => Kind::Payout,
        qrecon_adapter_sdk::Kind::Bank => Kind::Bank,
    }
}

fn status(s: qrecon_adapter_sdk::Status) -> Status {
    match s {
        qrecon_adapter_sdk::Status::Success => Status::Success,
        qrecon_adapter_sdk::Status::Pending => Status::Pending,
        qrecon_adapter_sdk::Status::Failed => Status::Failed,
        qrecon_adapter_sdk::Status::Revoked => Status::Revoked,
        qrecon_adapter_sdk::Status::Unknown => Status::Unknown,
    }
}

/// Issues of one outcome.
pub fn count(issues: &[OwnedIssue], outcome: Outcome) -> u64 {
    issues.iter().filter(|i| i.outcome == outcome).count() as u64
}
