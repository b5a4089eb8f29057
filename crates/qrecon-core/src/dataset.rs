//! The records of one run, and the files they came from.

use crate::record::{Record, RecordId};

/// All records of a run, in input order, and the names of their files.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Input file names, as evidence renders them.
    pub files: Vec<String>,
    /// Every record.
    pub records: Vec<Record>,
}

impl Dataset {
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

    /// `file:line` of a source.
    pub fn evidence(&self, source: crate::record::Source) -> String {
        let file = self
            .files
            .get(source.file as usize)
            .map_or("?", String::as_str);
        format!("{file}:{}", source.line)
    }
}
