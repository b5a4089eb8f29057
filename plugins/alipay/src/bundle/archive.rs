//! The zip archive of a bundle, opened from the bytes the host passed, and its entries read
//! one at a time within limits: an entry, and the bundle as a whole, may unpack to at most
//! [`MAX_UNPACKED`] bytes, an entry larger than [`RATIO_FLOOR`] may not unpack to more than
//! [`MAX_RATIO`] times its packed size (a zip bomb), and an archive may hold at most
//! [`MAX_ENTRIES`] entries. The limits hold on what is actually unpacked, not only on the
//! sizes the archive declares.

use std::io::{Cursor, Read};

use qrecon_adapter_sdk::FileError;
use zip::{ExtraField, ZipArchive};

/// The most bytes an entry, and all entries together, may unpack to (512 MiB).
pub(crate) const MAX_UNPACKED: u64 = 512 << 20;
/// The most an entry may unpack to per packed byte, beyond [`RATIO_FLOOR`].
pub(crate) const MAX_RATIO: u64 = 100;
/// Entries up to this size (1 MiB) unpack to whatever ratio they like.
pub(crate) const RATIO_FLOOR: u64 = 1 << 20;
/// The most entries an archive may hold (a bundle holds two).
pub(crate) const MAX_ENTRIES: usize = 256;
/// The most memory reserved for an entry before it is unpacked (it grows as it unpacks).
const RESERVE: u64 = 16 << 20;

/// The language-encoding flag (bit 11): the entry's name is UTF-8.
pub(crate) const UTF8_FLAG: u16 = 0x800;
/// The encryption flag (bit 0).
pub(crate) const ENCRYPTED_FLAG: u16 = 0x1;

/// An entry's name as written: UTF-8 when flagged so, else GBK (as Alipay writes them).
pub(crate) fn decode_name(raw: &[u8], utf8: bool) -> String {
    if utf8 {
        String::from_utf8_lossy(raw).into_owned()
    } else {
        encoding_rs::GBK
            .decode_without_bom_handling(raw)
            .0
            .into_owned()
    }
}

/// One entry, unpacked.
pub(crate) struct Entry {
    /// Its name, decoded.
    pub(crate) name: String,
    /// Whether it is a folder.
    pub(crate) is_dir: bool,
    /// What it unpacks to.
    pub(crate) bytes: Vec<u8>,
}

/// What an entry declares about itself, read before unpacking it.
struct Header {
    name: String,
    is_dir: bool,
    size: u64,
    packed: u64,
}

/// An opened bundle.
pub(crate) struct Archive<'b> {
    zip: ZipArchive<Cursor<&'b [u8]>>,
    /// The archive's size: no entry holds more packed bytes than that, whatever it declares.
    len: u64,
    unpacked: u64,
}

impl<'b> Archive<'b> {
    /// Opens the archive in `bytes`; a damaged or truncated one is a file error.
    pub(crate) fn open(bytes: &'b [u8]) -> Result<Self, FileError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            FileError::new(format!(
                "not a readable zip archive (damaged or cut short?): {e}"
            ))
        })?;
        match zip.len() {
            0 => Err(FileError::new("the zip archive holds no files")),
            n if n > MAX_ENTRIES => Err(FileError::new(format!(
                "the zip archive holds {n} entries, more than the {MAX_ENTRIES} a bill bundle may"
            ))),
            _ => Ok(Self {
                zip,
                len: bytes.len() as u64,
                unpacked: 0,
            }),
        }
    }

    /// How many entries the archive holds.
    pub(crate) fn len(&self) -> usize {
        self.zip.len()
    }

    /// Unpacks entry `index` (0-based, in archive order) within the limits.
    pub(crate) fn entry(&mut self, index: usize) -> Result<Entry, FileError> {
        let header = self.header(index)?;
        if header.is_dir {
            return Ok(Entry {
                name: header.name,
                is_dir: true,
                bytes: Vec::new(),
            });
        }
        let budget = self.budget(&header)?;
        let bytes = self.unpack(index, &header, budget)?;
        self.unpacked += bytes.len() as u64;
        Ok(Entry {
            name: header.name,
            is_dir: false,
            bytes,
        })
    }

    /// What entry `index` declares, from the central directory, without unpacking it.
    fn header(&mut self, index: usize) -> Result<Header, FileError> {
        let file = self
            .zip
            .by_index_raw(index)
            .map_err(|e| FileError::new(format!("zip entry {} cannot be read: {e}", index + 1)))?;
        let utf8 = file.flags().as_u16() & UTF8_FLAG != 0
            || file
                .extra_data_fields()
                .any(|f| matches!(f, ExtraField::UnicodePath(_)));
        Ok(Header {
            name: decode_name(file.name_raw(), utf8),
            is_dir: file.is_dir(),
            size: file.size(),
            packed: file.compressed_size(),
        })
    }

    /// How many bytes entry `header` may unpack to; an entry that declares more is refused.
    fn budget(&self, header: &Header) -> Result<u64, FileError> {
        let left = MAX_UNPACKED.saturating_sub(self.unpacked);
        let packed = header.packed.min(self.len);
        let by_ratio = packed.saturating_mul(MAX_RATIO).max(RATIO_FLOOR);
        let name = &header.name;
        if header.size > MAX_UNPACKED {
            return Err(FileError::new(format!(
                "zip entry {name} unpacks to {} bytes, more than the limit of {} bytes (512 MiB)",
                header.size, MAX_UNPACKED
            )));
        }
        if header.size > by_ratio {
            return Err(FileError::new(format!(
                "zip entry {name} unpacks {} packed bytes to {}, more than {MAX_RATIO} times \
                 its size: refused as a zip bomb",
                header.packed, header.size
            )));
        }
        if header.size > left {
            return Err(FileError::new(format!(
                "zip entry {name} would bring the bundle past the limit of {MAX_UNPACKED} \
                 unpacked bytes (512 MiB)"
            )));
        }
        Ok(left.min(by_ratio))
    }

    /// Unpacks entry `index`, refusing it when it unpacks to more than `budget` bytes
    /// whatever it declares.
    fn unpack(&mut self, index: usize, header: &Header, budget: u64) -> Result<Vec<u8>, FileError> {
        let name = &header.name;
        let cannot = |e: &dyn std::fmt::Display| {
            FileError::new(format!("zip entry {name} cannot be unpacked: {e}"))
        };
        let file = self.zip.by_index(index).map_err(|e| cannot(&e))?;
        let capacity = usize::try_from(header.size.min(budget).min(RESERVE)).unwrap_or_default();
        let mut bytes = Vec::with_capacity(capacity);
        file.take(budget.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(&e))?;
        if bytes.len() as u64 > budget {
            return Err(FileError::new(format!(
                "zip entry {name} unpacks to more than {budget} bytes though it declares {}: \
                 refused",
                header.size
            )));
        }
        Ok(bytes)
    }
}
