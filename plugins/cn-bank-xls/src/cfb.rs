//! Just enough of MS-CFB (the OLE2 compound file an `.xls` is) to find the `Workbook` stream
//! the way calamine finds it, and to tell whether a sector chain calamine would follow loops.
//!
//! calamine follows the directory chain without a length bound and other chains up to a
//! length the file states, so a chain that loops makes it run (and allocate) until memory
//! runs out. Every chain read here stops after as many links as the file has sectors: a
//! longer chain loops.

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Ids from here on are markers, not sectors (DIFAT chains end below it).
const RESERVED: u32 = 0xFFFF_FFFA;
/// FAT sector ids are below the DIFSECT marker.
const DIF_SECTOR: u32 = 0xFFFF_FFFC;
/// Streams shorter than this live in the mini stream (calamine's fixed cutoff).
const MINI_CUTOFF: usize = 4096;
/// A mini sector's size.
const MINI_SECTOR: usize = 64;
/// A directory entry's size.
const DIR_ENTRY: usize = 128;

/// Why a stream could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// A chain calamine would follow loops.
    Loop,
    /// The file is damaged some other way (calamine reports that itself) or has no workbook.
    Broken,
}

pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).filter_map(|w| u32_at(w, 0))
}

/// The `Workbook` (BIFF8) or, failing that, `Book` (BIFF5) stream of the compound file.
pub(crate) fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, Fault> {
    let cfb = Cfb::new(bytes)?;
    let directory = cfb.chain(field(cfb.header, 48)?, None)?;
    let entries: Vec<Entry> = directory
        .chunks_exact(DIR_ENTRY)
        .map(|e| cfb.entry(e))
        .collect();
    let root = entries.first().ok_or(Fault::Broken)?;
    // calamine loads the mini stream on opening whenever the file has a mini FAT.
    let mini_fat_len = usize::try_from(field(cfb.header, 64)?).map_err(|_| Fault::Broken)?;
    let mini = if mini_fat_len > 0 {
        let table_len = mini_fat_len.saturating_mul(cfb.size);
        let table = cfb.chain(field(cfb.header, 60)?, Some(table_len))?;
        Some((
            words(&table).collect::<Vec<u32>>(),
            cfb.chain(root.start, Some(root.len))?,
        ))
    } else {
        None
    };
    let named = |name: &str| entries.iter().find(|e| e.name.eq_ignore_ascii_case(name));
    let found = named("Workbook")
        .or_else(|| named("Book"))
        .ok_or(Fault::Broken)?;
    if found.len >= MINI_CUTOFF {
        return cfb.chain(found.start, Some(found.len));
    }
    let (table, container) = mini.ok_or(Fault::Broken)?;
    mini_chain(&table, &container, found.start, found.len)
}

/// The 32-bit header field at `at`.
fn field(header: &[u8], at: usize) -> Result<u32, Fault> {
    u32_at(header, at).ok_or(Fault::Broken)
}

/// A directory entry: its name, first sector and length.
struct Entry {
    name: String,
    start: u32,
    len: usize,
}

/// The header, the FAT and the sector geometry.
struct Cfb<'a> {
    bytes: &'a [u8],
    header: &'a [u8],
    size: usize,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, Fault> {
        let header = bytes.get(..512).ok_or(Fault::Broken)?;
        let size = match u16_at(header, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(Fault::Broken),
        };
        let mut cfb = Cfb {
            bytes,
            header,
            size,
            fat: Vec::new(),
        };
        cfb.fat = cfb.load_fat()?;
        Ok(cfb)
    }

    /// How many sectors the file holds: a chain with more links loops.
    fn sectors(&self) -> usize {
        self.bytes.len() / self.size + 1
    }

    /// Sector `id`; the file's last sector may be short, as calamine reads it.
    fn sector(&self, id: u32) -> Result<&'a [u8], Fault> {
        let id = usize::try_from(id).map_err(|_| Fault::Broken)?;
        let start = id
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.size))
            .ok_or(Fault::Broken)?;
        let end = start.saturating_add(self.size).min(self.bytes.len());
        self.bytes.get(start..end).ok_or(Fault::Broken)
    }

    /// The FAT: the sectors the header's 109 DIFAT entries and the DIFAT chain name.
    fn load_fat(&self) -> Result<Vec<u32>, Fault> {
        let mut difat: Vec<u32> = words(self.header.get(76..512).unwrap_or_default()).collect();
        let mut next = u32_at(self.header, 68).ok_or(Fault::Broken)?;
        let mut links = 0;
        while next < RESERVED {
            links += 1;
            if links > self.sectors() {
                return Err(Fault::Broken); // calamine refuses a DIFAT chain this long
            }
            difat.extend(words(self.sector(next)?));
            next = difat.pop().ok_or(Fault::Broken)?;
        }
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|id| *id < DIF_SECTOR) {
            fat.extend(words(self.sector(id)?));
        }
        Ok(fat)
    }

    /// The sector chain from `start` in the FAT, cut at `len` bytes when given.
    fn chain(&self, start: u32, len: Option<usize>) -> Result<Vec<u8>, Fault> {
        let mut out = Vec::new();
        let mut id = start;
        for _ in 0..=self.sectors() {
            if id == END_OF_CHAIN || len.is_some_and(|l| out.len() >= l) {
                out.truncate(len.unwrap_or(usize::MAX));
                return Ok(out);
            }
            out.extend_from_slice(self.sector(id)?);
            let at = usize::try_from(id).map_err(|_| Fault::Broken)?;
            id = *self.fat.get(at).ok_or(Fault::Broken)?;
        }
        Err(Fault::Loop)
    }

    /// A directory entry as calamine reads it (name up to the first NUL; a 32-bit length
    /// in 512-byte-sector files, 64-bit in 4096-byte ones).
    fn entry(&self, raw: &[u8]) -> Entry {
        let units: Vec<u16> = raw
            .get(..64)
            .unwrap_or_default()
            .chunks_exact(2)
            .filter_map(|u| u16_at(u, 0))
            .take_while(|u| *u != 0)
            .collect();
        let len = if self.size == 512 {
            u32_at(raw, 120).map(u64::from)
        } else {
            u64_at(raw, 120)
        };
        Entry {
            name: String::from_utf16_lossy(&units),
            start: u32_at(raw, 116).unwrap_or(END_OF_CHAIN),
            len: len
                .and_then(|l| usize::try_from(l).ok())
                .unwrap_or(usize::MAX),
        }
    }
}

/// A stream in the mini stream: 64-byte sectors of `container`, chained by `table`.
fn mini_chain(table: &[u32], container: &[u8], start: u32, len: usize) -> Result<Vec<u8>, Fault> {
    let mut out = Vec::new();
    let mut id = start;
    while id != END_OF_CHAIN && out.len() < len {
        let at = usize::try_from(id).map_err(|_| Fault::Broken)?;
        let from = at.checked_mul(MINI_SECTOR).ok_or(Fault::Broken)?;
        let sector = container
            .get(from..from + MINI_SECTOR)
            .ok_or(Fault::Broken)?;
        out.extend_from_slice(sector);
        id = *table.get(at).ok_or(Fault::Broken)?;
    }
    out.truncate(len);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CCB: &[u8] = include_bytes!("../fixtures/ccb_debit_交易明细.xls");

    #[test]
    fn the_samples_workbook_stream_is_found() {
        let stream = workbook_stream(CCB).expect("the Workbook stream");
        assert_eq!(u16_at(&stream, 0), Some(0x0809), "it opens with BOF");
        assert!(stream.len() > 4096);
    }

    #[test]
    fn a_looping_directory_chain_is_a_loop() {
        let mut bytes = CCB.to_vec();
        let dir = u32_at(&bytes, 48).expect("directory start");
        let fat_sector = u32_at(&bytes, 76).expect("first FAT sector");
        // Make the directory's first sector point to itself in the FAT.
        let at = (usize::try_from(fat_sector).expect("id") + 1) * 512
            + 4 * usize::try_from(dir).expect("id");
        bytes[at..at + 4].copy_from_slice(&dir.to_le_bytes());
        assert_eq!(workbook_stream(&bytes), Err(Fault::Loop));
    }

    #[test]
    fn damage_is_broken() {
        assert_eq!(workbook_stream(&CCB[..600]), Err(Fault::Broken));
        assert_eq!(workbook_stream(b""), Err(Fault::Broken));
    }
}
