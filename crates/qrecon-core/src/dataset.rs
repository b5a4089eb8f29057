//! The records of one run, the files they came from, and the text arena their strings live
//! in. Files are read into [`Chunk`]s in parallel and appended in input order.

use rustc_hash::FxHashMap;

use crate::record::{Record, RecordId, RecordIn, RecordType, Source};
use crate::text::{Str, Text};

/// Records merged per wave ([`Dataset::from_chunks`]).
const WAVE_RECORDS: usize = 256 * 1024;

/// All records of a run, in input order.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Input file names, as evidence renders them.
    pub files: Vec<String>,
    /// The strings.
    pub text: Text,
    /// Every record.
    pub records: Vec<Record>,
    /// Extra columns of every record (`Record::extra` is a range into this).
    pub extras: Vec<(Str, Str)>,
}

/// How many record ids `data` has (ids are `0..ids(data)`).
pub(crate) fn ids(data: &Dataset) -> u32 {
    u32::try_from(data.records.len()).unwrap_or(u32::MAX)
}

impl Dataset {
    /// An empty dataset over these files.
    pub fn new(files: Vec<String>) -> Self {
        Self {
            files,
            ..Self::default()
        }
    }

    /// The string behind a handle.
    pub fn str(&self, s: Str) -> Option<&str> {
        self.text.get(s)
    }

    /// The string behind a handle, or `""`.
    pub fn s(&self, s: Str) -> &str {
        self.text.get(s).unwrap_or_default()
    }

    /// The record with `id`.
    ///
    /// # Panics
    /// When `id` does not come from this dataset.
    pub fn get(&self, id: RecordId) -> &Record {
        &self.records[id.0 as usize]
    }

    /// Every record with its id.
    pub fn iter(&self) -> impl Iterator<Item = (RecordId, &Record)> {
        self.records
            .iter()
            .zip(0u32..)
            .map(|(r, i)| (RecordId(i), r))
    }

    /// A record's extra columns.
    pub fn extra(&self, r: &Record) -> impl Iterator<Item = (&str, &str)> {
        let (from, len) = r.extra;
        self.extras[from as usize..(from + len) as usize]
            .iter()
            .map(|(k, v)| (self.s(*k), self.s(*v)))
    }

    /// `file:line` of a source.
    pub fn evidence(&self, source: Source) -> String {
        let file = self
            .files
            .get(source.file as usize)
            .map_or("?", String::as_str);
        format!("{file}:{}", source.line)
    }

    /// Appends a chunk (records keep their order).
    ///
    /// # Panics
    /// When the run passes 4 Gi records or 4 GiB of text.
    pub fn append(&mut self, chunk: Chunk) {
        let base = self.text.append(&chunk.text);
        let extra_base = u32::try_from(self.extras.len()).expect("under 4 Gi extras");
        self.extras.extend(
            chunk
                .extras
                .iter()
                .map(|(k, v)| (k.rebased(base), v.rebased(base))),
        );
        self.records.reserve(chunk.records.len());
        for mut r in chunk.records {
            rebase(&mut r, base);
            r.extra.0 += extra_base;
            self.records.push(r);
        }
        assert!(
            u32::try_from(self.records.len()).is_ok(),
            "under 4 Gi records"
        );
    }

    /// A dataset of `chunks`, appended in order, with room reserved once. `freed` is called
    /// every so often once appended chunks are dropped (a host may return memory then).
    ///
    /// # Panics
    /// When the run passes 4 Gi records or 4 GiB of text.
    pub fn from_chunks(files: Vec<String>, chunks: Vec<Chunk>, freed: impl Fn()) -> Self {
        Self::from_chunks_in_waves(files, chunks, freed, WAVE_RECORDS)
    }

    fn from_chunks_in_waves(
        files: Vec<String>,
        mut chunks: Vec<Chunk>,
        freed: impl Fn(),
        wave_records: usize,
    ) -> Self {
        use rayon::prelude::*;
        // Where each chunk's strings and extras will start is known before anything moves:
        // the chunks are rebased in parallel, then copied as they are.
        let (mut text, mut extras) = (0usize, 0usize);
        let bases: Vec<(u32, u32)> = chunks
            .iter()
            .map(|c| {
                let base = (
                    u32::try_from(text).expect("text arena under 4 GiB"),
                    u32::try_from(extras).expect("under 4 Gi extras"),
                );
                text += c.text.len();
                extras += c.extras.len();
                base
            })
            .collect();
        chunks
            .par_iter_mut()
            .zip(&bases)
            .for_each(|(c, (text_base, extra_base))| c.rebase(*text_base, *extra_base));
        let mut data = Self::new(files);
        data.records.reserve(chunks.iter().map(Chunk::len).sum());
        data.extras.reserve(extras);
        data.text.reserve(text);
        // Records are copied a wave of chunks at a time, in parallel (the copy is mostly
        // faulting in the fresh pages, which both cores can do); each wave's chunks are then
        // dropped, so at most one wave is held twice.
        let mut chunks = chunks.into_iter().peekable();
        while chunks.peek().is_some() {
            let mut wave = Vec::new();
            let mut records = 0usize;
            while let Some(chunk) = chunks.next_if(|_| records < wave_records) {
                records += chunk.len();
                wave.push(chunk);
            }
            let starts: Vec<usize> = wave
                .iter()
                .scan(0, |at, c| {
                    let start = *at;
                    *at += c.len();
                    Some(start)
                })
                .collect();
            let Dataset {
                text: arena,
                extras: all_extras,
                records: all_records,
                ..
            } = &mut data;
            rayon::join(
                || {
                    for chunk in &wave {
                        arena.append(&chunk.text);
                        all_extras.extend_from_slice(&chunk.extras);
                    }
                },
                || {
                    // Chunk `c` holds the wave's records from `starts[c]` on (an empty
                    // chunk starts where the next one does and is never chosen).
                    all_records.par_extend((0..records).into_par_iter().with_min_len(4096).map(
                        |i| {
                            let c = starts.partition_point(|&s| s <= i) - 1;
                            wave[c].records[i - starts[c]]
                        },
                    ));
                },
            );
            drop(wave);
            freed();
        }
        assert!(
            u32::try_from(data.records.len()).is_ok(),
            "under 4 Gi records"
        );
        data
    }

    /// Adds one record directly (tests, small tools).
    pub fn push(&mut self, file: u32, r: &RecordIn<'_>) -> RecordId {
        let mut chunk = Chunk::new(file);
        chunk.push(r);
        self.append(chunk);
        RecordId(u32::try_from(self.records.len() - 1).unwrap_or(u32::MAX))
    }
}

fn rebase(r: &mut Record, base: u32) {
    for s in [
        &mut r.provider,
        &mut r.account,
        &mut r.claim_id,
        &mut r.order_id,
        &mut r.txn_id,
        &mut r.refund_id,
        &mut r.payout_id,
        &mut r.bank_ref,
        &mut r.currency,
        &mut r.status_raw,
        &mut r.payee_id,
        &mut r.payee_name,
        &mut r.payee_account,
        &mut r.payer,
        &mut r.counterparty,
        &mut r.memo,
    ] {
        *s = s.rebased(base);
    }
}

/// The records of one file, built on their own (in parallel with other files).
#[derive(Debug, Default)]
pub struct Chunk {
    file: u32,
    text: Text,
    records: Vec<Record>,
    extras: Vec<(Str, Str)>,
    /// Repeated short strings (providers, currencies, column names) stored once.
    shared: FxHashMap<String, Str>,
    /// What the previous record had.
    recent: Box<Recent>,
}

/// The previous record's repeating fields ([`Slot`]) and extras: rows of one file mostly
/// repeat them, and a comparison is cheaper than a lookup.
#[derive(Debug, Default)]
struct Recent {
    last: [Str; Slot::COUNT],
    extras: Vec<(Str, Str)>,
}

/// The fields whose previous value a chunk remembers.
struct Slot;

impl Slot {
    const ACCOUNT: usize = 0;
    const PAYEE_ID: usize = 1;
    const PAYEE_NAME: usize = 2;
    const COUNTERPARTY: usize = 3;
    const MEMO: usize = 4;
    const PROVIDER: usize = 5;
    const CURRENCY: usize = 6;
    const STATUS_RAW: usize = 7;
    const COUNT: usize = 8;
}

impl Chunk {
    /// A chunk for input file `file`.
    pub fn new(file: u32) -> Self {
        Self {
            file,
            ..Self::default()
        }
    }

    /// Makes room for `records` more records with `extras` extra columns and `text` bytes of
    /// strings (a batch's worth: growing by doubling copies everything again and again).
    pub fn reserve(&mut self, records: usize, extras: usize, text: usize) {
        self.records.reserve(records);
        self.extras.reserve(extras);
        self.text.reserve(text);
    }

    /// Records so far.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Moves every handle by `text` bytes and every extras range by `extras` entries: where
    /// the chunk's strings and extras start in the dataset it is merged into.
    fn rebase(&mut self, text: u32, extras: u32) {
        for r in &mut self.records {
            rebase(r, text);
            r.extra.0 += extras;
        }
        for (k, v) in &mut self.extras {
            *k = k.rebased(text);
            *v = v.rebased(text);
        }
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// A string that usually repeats: shared when short, stored when long.
    fn short(&mut self, s: Option<&str>) -> Str {
        match s {
            Some(v) if !v.is_empty() && v.len() <= 24 => self.shared(v),
            other => self.text.push(other),
        }
    }

    /// `s` through `store`, unless it is the value `slot` had in the previous record.
    fn repeat(
        &mut self,
        slot: usize,
        s: Option<&str>,
        store: fn(&mut Self, Option<&str>) -> Str,
    ) -> Str {
        let prev = self.recent.last[slot];
        if s.is_some_and(|s| self.text.holds(prev, s)) {
            return prev;
        }
        let h = store(self, s);
        self.recent.last[slot] = h;
        h
    }

    fn shared_opt(&mut self, s: Option<&str>) -> Str {
        s.map_or(Str::NONE, |s| self.shared(s))
    }

    fn status_text(&mut self, s: Option<&str>) -> Str {
        match s {
            Some(s) if s.len() <= 16 => self.shared(s),
            other => self.text.push(other),
        }
    }

    /// The extra column at `index` of the record being pushed.
    fn extra(&mut self, index: usize, key: &str, value: &str) -> (Str, Str) {
        let (prev_key, prev_value) = self.recent.extras.get(index).copied().unwrap_or_default();
        let key = if self.text.holds(prev_key, key) {
            prev_key
        } else {
            self.shared(key)
        };
        // Values that repeat (app ids, trade types, rates) mostly repeat the previous row's;
        // the others (amounts, order notes) are stored, not looked up.
        let value = if self.text.holds(prev_value, value) {
            prev_value
        } else {
            self.text.push(Some(value))
        };
        (key, value)
    }

    fn shared(&mut self, s: &str) -> Str {
        if let Some(h) = self.shared.get(s) {
            return *h;
        }
        let h = self.text.push(Some(s));
        self.shared.insert(s.to_owned(), h);
        h
    }

    /// Adds a record.
    ///
    /// # Panics
    /// When the chunk passes 4 Gi extras.
    pub fn push(&mut self, r: &RecordIn<'_>) {
        let [
            account_in,
            claim_id,
            order_id,
            txn_id,
            refund_id,
            payout_id,
            bank_ref,
        ] = r.ids;
        let t = &mut self.text;
        let [claim_id, order_id, txn_id, refund_id, payout_id, bank_ref] =
            [claim_id, order_id, txn_id, refund_id, payout_id, bank_ref].map(|s| t.push(s));
        let [
            payee_id,
            payee_name,
            payee_account,
            payer,
            counterparty,
            memo,
        ] = r.parties;
        let (payee_account, payer) = (t.push(payee_account), t.push(payer));
        // Accounts, payee names, counterparties and item names repeat: one copy each.
        let account = self.repeat(Slot::ACCOUNT, account_in, Self::short);
        let payee_id = self.repeat(Slot::PAYEE_ID, payee_id, Self::short);
        let payee_name = self.repeat(Slot::PAYEE_NAME, payee_name, Self::short);
        let counterparty = self.repeat(Slot::COUNTERPARTY, counterparty, Self::short);
        let memo = self.repeat(Slot::MEMO, memo, |c, s| c.text.push(s));
        let extra_start = u32::try_from(self.extras.len()).expect("under 4 Gi extras");
        for (i, (k, v)) in r.extra.iter().enumerate() {
            let pair = self.extra(i, k, v);
            self.extras.push(pair);
        }
        let extra_len = u32::try_from(r.extra.len()).expect("few extras");
        self.recent.extras.clear();
        self.recent
            .extras
            .extend_from_slice(&self.extras[extra_start as usize..]);
        let rtype = RecordType::parse(r.rtype);
        let record = Record {
            source: Source {
                file: self.file,
                line: u32::try_from(r.line).unwrap_or(u32::MAX),
            },
            kind: r.kind,
            rtype,
            status: r.status,
            provider: self.repeat(Slot::PROVIDER, Some(r.provider), Self::shared_opt),
            account,
            claim_id,
            order_id,
            txn_id,
            refund_id,
            payout_id,
            bank_ref,
            time: r.time,
            value_date: r.value_date,
            amount: r.amount,
            currency: self.repeat(Slot::CURRENCY, Some(r.currency), Self::shared_opt),
            fee: r.fee,
            status_raw: self.repeat(Slot::STATUS_RAW, r.status_raw, Self::status_text),
            payee_id,
            payee_name,
            payee_account,
            payer,
            counterparty,
            memo,
            extra: (extra_start, extra_len),
        };
        self.records.push(record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::record::Kind;

    #[test]
    fn chunks_append_with_their_strings() {
        let mut data = Dataset::new(vec!["a.csv".into(), "b.csv".into()]);
        let mut a = Chunk::new(0);
        let mut r = RecordIn::new(2, Kind::Txn, "payment", "wechatpay", Money::cents(100));
        r.ids[3] = Some("4200001");
        r.extra = vec![("费率", "0.60%")];
        a.push(&r);
        let mut b = Chunk::new(1);
        r.ids[3] = Some("4200002");
        r.line = 7;
        b.push(&r);
        data.append(a);
        data.append(b);
        let second = data.get(RecordId(1));
        assert_eq!(data.str(second.txn_id), Some("4200002"));
        assert_eq!(data.s(second.provider), "wechatpay");
        assert_eq!(
            data.extra(second).collect::<Vec<_>>(),
            vec![("费率", "0.60%")]
        );
        assert_eq!(data.evidence(second.source), "b.csv:7");
        assert_eq!(data.str(second.order_id), None);
    }

    /// Chunks of `sizes` records each; record `i` of the run has txn id `T<i>` and line `i`.
    fn chunks(sizes: &[usize]) -> Vec<Chunk> {
        let mut n = 0u64;
        let mut out = Vec::new();
        for (file, size) in (0u32..).zip(sizes) {
            let mut c = Chunk::new(file);
            for _ in 0..*size {
                let id = format!("T{n}");
                let mut r = RecordIn::new(n, Kind::Txn, "payment", "wechatpay", Money::cents(1));
                r.ids[3] = Some(&id);
                r.extra = vec![("k", id.as_str())];
                c.push(&r);
                n += 1;
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn merging_in_waves_keeps_every_record_in_order_with_its_strings() {
        let sizes = [3, 0, 1, 2, 0, 5, 0];
        let files: Vec<String> = (0..sizes.len()).map(|i| format!("f{i}")).collect();
        let mut one_by_one = Dataset::new(files.clone());
        for c in chunks(&sizes) {
            one_by_one.append(c);
        }
        for wave in [1, 2, 4, 100] {
            let freed = std::cell::Cell::new(0);
            let merged = Dataset::from_chunks_in_waves(
                files.clone(),
                chunks(&sizes),
                || freed.set(freed.get() + 1),
                wave,
            );
            assert_eq!(merged.records.len(), 11, "wave {wave}");
            assert!(freed.get() >= 1);
            for (id, r) in merged.iter() {
                let i = id.0;
                assert_eq!(merged.str(r.txn_id), Some(format!("T{i}").as_str()));
                assert_eq!(u64::from(r.source.line), u64::from(i));
                assert_eq!(
                    merged.extra(r).collect::<Vec<_>>(),
                    vec![("k", format!("T{i}").as_str())]
                );
                let same = one_by_one.get(id);
                assert_eq!(r.source, same.source, "wave {wave}, record {i}");
            }
        }
    }
}
