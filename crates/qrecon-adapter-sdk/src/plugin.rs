//! The host side of the calls: check a descriptor's compatibility, then sniff and parse
//! through it. Used by the `qrecon` host for loaded libraries and by [`crate::testing`]
//! in-process, so both go through the same C-ABI path.

use std::ffi::{CStr, c_char};

use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};

use crate::abi::{
    ABI_MAJOR, ABI_MINOR, MAGIC, PANIC_UNWIND, ParseRequest, ParseResult, PluginDescriptor,
    STATUS_FILE_ERROR, STATUS_OK, STATUS_PANIC,
};
use crate::decode::{OwnedIssue, OwnedRecord, decode_issues, decode_records};

/// Why a descriptor is refused. Every message names what was found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incompatible {
    /// The descriptor does not start with [`MAGIC`].
    BadMagic(u64),
    /// Different ABI major version.
    AbiMajor {
        /// The plugin's ABI major.
        plugin: u32,
        /// The plugin's ABI minor.
        plugin_minor: u32,
    },
    /// The descriptor is shorter than this host needs.
    TooSmall {
        /// The plugin's `struct_size`.
        plugin: u32,
        /// What this host needs.
        host: u32,
    },
    /// Built with `panic = "abort"`: a panic would kill the host.
    PanicAbort,
    /// A descriptor string is missing or not UTF-8.
    BadString(&'static str),
}

impl std::fmt::Display for Incompatible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Incompatible::BadMagic(m) => write!(
                f,
                "its descriptor does not start with the qrecon magic (found {m:#018x}, expected {MAGIC:#018x})"
            ),
            Incompatible::AbiMajor { plugin, plugin_minor } => write!(
                f,
                "it was built for adapter ABI {plugin}.{plugin_minor}, but this qrecon speaks ABI {ABI_MAJOR}.{ABI_MINOR}; rebuild it against qrecon-adapter-sdk {}",
                env!("CARGO_PKG_VERSION")
            ),
            Incompatible::TooSmall { plugin, host } => write!(
                f,
                "its descriptor is {plugin} bytes, this qrecon needs at least {host} (ABI {ABI_MAJOR}.{ABI_MINOR})"
            ),
            Incompatible::PanicAbort => f.write_str(
                "it was built with panic = \"abort\", so a bug in it would abort qrecon; build it with panic = \"unwind\"",
            ),
            Incompatible::BadString(field) => write!(f, "its descriptor's {field} is missing or not UTF-8"),
        }
    }
}

/// A descriptor that passed the compatibility check, with its strings read out.
#[derive(Clone, Copy)]
pub struct Plugin {
    descriptor: &'static PluginDescriptor,
    /// Adapter name.
    pub name: &'static str,
    /// Adapter version.
    pub version: &'static str,
    /// SDK version it was built with.
    pub sdk_version: &'static str,
    /// rustc that built it.
    pub rustc_version: &'static str,
    /// Comma-separated record kinds.
    pub kinds: &'static str,
    /// Comma-separated formats.
    pub formats: &'static str,
    /// One-line description.
    pub description: &'static str,
    /// ABI (major, minor) it reports.
    pub abi: (u32, u32),
}

/// Reads a `'static` C string from a descriptor.
///
/// # Safety
/// `ptr` must be null or point to a NUL-terminated string that lives forever.
unsafe fn static_str(
    ptr: *const c_char,
    field: &'static str,
) -> Result<&'static str, Incompatible> {
    if ptr.is_null() {
        return Err(Incompatible::BadString(field));
    }
    // SAFETY: non-null and NUL-terminated per the caller's contract.
    unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .map_err(|_| Incompatible::BadString(field))
}

/// The outcome of one parse call, records still as Arrow batches (what a host keeps).
#[derive(Debug)]
pub struct RawParsed {
    /// `STATUS_OK`, `STATUS_FILE_ERROR` or `STATUS_PANIC`.
    pub status: i32,
    /// The plugin's message for a file error or panic.
    pub message: Option<String>,
    /// Rows the plugin read.
    pub rows_read: u64,
    /// Record batches, in row order (columns checked with [`crate::decode::RecordColumns`]).
    pub batches: Vec<arrow_array::RecordBatch>,
    /// Issues, in report order.
    pub issues: Vec<OwnedIssue>,
}

/// The outcome of one parse call, records decoded.
#[derive(Debug)]
pub struct Parsed {
    /// `STATUS_OK`, `STATUS_FILE_ERROR` or `STATUS_PANIC`.
    pub status: i32,
    /// The plugin's message for a file error or panic.
    pub message: Option<String>,
    /// Rows the plugin read.
    pub rows_read: u64,
    /// Records, in row order.
    pub records: Vec<OwnedRecord>,
    /// Issues, in report order.
    pub issues: Vec<OwnedIssue>,
}

impl Plugin {
    /// Checks `descriptor` field by field, reading nothing past what each check allows.
    ///
    /// # Safety
    /// `descriptor` must point to memory readable for at least the magic, version and size
    /// fields, and live forever (a library that is never unloaded).
    pub unsafe fn check(descriptor: *const PluginDescriptor) -> Result<Self, Incompatible> {
        // SAFETY: the prefix (magic, abi_major, abi_minor, struct_size) is readable per contract.
        let d = unsafe { &*descriptor };
        if d.magic != MAGIC {
            return Err(Incompatible::BadMagic(d.magic));
        }
        if d.abi_major != ABI_MAJOR {
            return Err(Incompatible::AbiMajor {
                plugin: d.abi_major,
                plugin_minor: d.abi_minor,
            });
        }
        let needed = u32::try_from(size_of::<PluginDescriptor>()).unwrap_or(u32::MAX);
        if d.struct_size < needed {
            return Err(Incompatible::TooSmall {
                plugin: d.struct_size,
                host: needed,
            });
        }
        if d.panic_strategy != PANIC_UNWIND {
            return Err(Incompatible::PanicAbort);
        }
        // SAFETY: struct_size covers the whole struct, whose strings are 'static per the ABI.
        unsafe {
            Ok(Self {
                descriptor: d,
                name: static_str(d.name, "name")?,
                version: static_str(d.version, "version")?,
                sdk_version: static_str(d.sdk_version, "sdk_version")?,
                rustc_version: static_str(d.rustc_version, "rustc_version")?,
                kinds: static_str(d.kinds, "kinds")?,
                formats: static_str(d.formats, "formats")?,
                description: static_str(d.description, "description")?,
                abi: (d.abi_major, d.abi_minor),
            })
        }
    }

    /// Asks the adapter how likely it reads this file. `Err` when the adapter panicked.
    pub fn sniff(&self, file_name: &str, head: &[u8]) -> Result<u8, String> {
        // SAFETY: both slices outlive the call; `sniff` comes from a checked descriptor.
        let score = unsafe {
            (self.descriptor.sniff)(
                file_name.as_ptr(),
                file_name.len(),
                head.as_ptr(),
                head.len(),
            )
        };
        u8::try_from(score).map(|s| s.min(100)).map_err(|_| {
            format!(
                "adapter {} failed while sniffing (returned {score})",
                self.name
            )
        })
    }

    /// Parses one file through the plugin, records decoded into owned rows (for tests and
    /// small tools; a host keeps the batches with [`Plugin::parse_raw`]).
    pub fn parse(&self, path: &str, bytes: &[u8], batch_rows: usize) -> Parsed {
        let raw = self.parse_raw(path, bytes, batch_rows);
        let mut parsed = Parsed {
            status: raw.status,
            message: raw.message,
            rows_read: raw.rows_read,
            records: Vec::new(),
            issues: raw.issues,
        };
        for batch in &raw.batches {
            match decode_records(batch) {
                Ok(rows) => parsed.records.extend(rows),
                Err(e) => {
                    parsed.status = STATUS_FILE_ERROR;
                    parsed.message = Some(format!(
                        "adapter {} returned malformed data: {e}",
                        self.name
                    ));
                    parsed.records.clear();
                    break;
                }
            }
        }
        parsed
    }

    /// Parses one file through the plugin. Never panics on what the plugin returns: a
    /// malformed answer becomes a `STATUS_FILE_ERROR` with the reason.
    pub fn parse_raw(&self, path: &str, bytes: &[u8], batch_rows: usize) -> RawParsed {
        let request = ParseRequest {
            path: path.as_ptr(),
            path_len: path.len(),
            data: bytes.as_ptr(),
            data_len: bytes.len(),
            batch_rows,
        };
        let mut result = ParseResult::empty();
        // SAFETY: request borrows live data; result is a valid, empty ParseResult.
        let status = unsafe { (self.descriptor.parse)(&raw const request, &raw mut result) };
        let message = (!result.message.is_null()).then(|| {
            // SAFETY: the plugin set message/len to a byte buffer it owns until release.
            let bytes = unsafe { std::slice::from_raw_parts(result.message, result.message_len) };
            String::from_utf8_lossy(bytes).into_owned()
        });
        let records = std::mem::replace(&mut result.records, FFI_ArrowArrayStream::empty());
        let issues = std::mem::replace(&mut result.issues, FFI_ArrowArrayStream::empty());
        let rows_read = result.rows_read;
        // SAFETY: we hand back the result the plugin filled; its streams were taken above.
        unsafe { (self.descriptor.release_result)(&raw mut result) };
        let mut parsed = RawParsed {
            status,
            message,
            rows_read,
            batches: Vec::new(),
            issues: Vec::new(),
        };
        if status == STATUS_OK {
            // Importing runs arrow's code on whatever the plugin built; a panic in there is
            // the plugin's malformed data, not a reason to stop the host.
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_streams(records, issues, &mut parsed)
            }))
            .unwrap_or_else(|_| Err("reading its Arrow streams panicked".to_owned()));
            if let Err(e) = read {
                parsed.status = STATUS_FILE_ERROR;
                parsed.message = Some(format!(
                    "adapter {} returned malformed data: {e}",
                    self.name
                ));
                parsed.batches.clear();
            }
        } else if status != STATUS_PANIC && status != STATUS_FILE_ERROR {
            parsed.status = STATUS_FILE_ERROR;
            parsed.message = Some(format!(
                "adapter {} returned unknown status {status}",
                self.name
            ));
        }
        parsed
    }
}

fn read_streams(
    records: FFI_ArrowArrayStream,
    issues: FFI_ArrowArrayStream,
    parsed: &mut RawParsed,
) -> Result<(), String> {
    let records =
        ArrowArrayStreamReader::try_new(records).map_err(|e| format!("records stream: {e}"))?;
    for batch in records {
        let batch = batch.map_err(|e| format!("records stream: {e}"))?;
        crate::decode::check_record_batch(&batch).map_err(|e| format!("records: {e}"))?;
        parsed.batches.push(batch);
    }
    let issues =
        ArrowArrayStreamReader::try_new(issues).map_err(|e| format!("issues stream: {e}"))?;
    for batch in issues {
        let batch = batch.map_err(|e| format!("issues stream: {e}"))?;
        crate::decode::check_wire_batch(&batch, &["line", "outcome", "reason"])
            .map_err(|e| format!("issues: {e}"))?;
        parsed.issues.extend(decode_issues(&batch)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::PANIC_ABORT;

    unsafe extern "C" fn sniff(_: *const u8, _: usize, _: *const u8, _: usize) -> i32 {
        0
    }
    unsafe extern "C" fn parse(_: *const ParseRequest, _: *mut ParseResult) -> i32 {
        STATUS_FILE_ERROR
    }
    unsafe extern "C" fn release(_: *mut ParseResult) {}

    fn descriptor() -> PluginDescriptor {
        PluginDescriptor {
            magic: MAGIC,
            abi_major: ABI_MAJOR,
            abi_minor: ABI_MINOR,
            struct_size: u32::try_from(size_of::<PluginDescriptor>()).expect("small"),
            panic_strategy: PANIC_UNWIND,
            sdk_version: c"0.1.0".as_ptr(),
            rustc_version: c"rustc".as_ptr(),
            name: c"t".as_ptr(),
            version: c"1".as_ptr(),
            kinds: c"txn".as_ptr(),
            formats: c"f".as_ptr(),
            description: c"d".as_ptr(),
            sniff,
            parse,
            release_result: release,
        }
    }

    fn check(d: PluginDescriptor) -> Result<Plugin, Incompatible> {
        let leaked: &'static PluginDescriptor = Box::leak(Box::new(d));
        // SAFETY: a leaked, fully initialised descriptor.
        unsafe { Plugin::check(leaked) }
    }

    #[test]
    fn a_good_descriptor_passes() {
        let p = check(descriptor()).expect("compatible");
        assert_eq!(
            (p.name, p.kinds, p.abi),
            ("t", "txn", (ABI_MAJOR, ABI_MINOR))
        );
    }

    #[test]
    fn each_mismatch_is_refused_with_both_sides() {
        let e = check(PluginDescriptor {
            magic: 7,
            ..descriptor()
        })
        .err()
        .expect("bad magic");
        assert!(e.to_string().contains("magic"));
        let e = check(PluginDescriptor {
            abi_major: 9,
            abi_minor: 3,
            ..descriptor()
        })
        .err()
        .expect("major");
        assert!(
            e.to_string().contains("ABI 9.3") && e.to_string().contains("ABI 1.0"),
            "{e}"
        );
        let e = check(PluginDescriptor {
            struct_size: 16,
            ..descriptor()
        })
        .err()
        .expect("size");
        assert!(e.to_string().contains("16 bytes"), "{e}");
        let e = check(PluginDescriptor {
            panic_strategy: PANIC_ABORT,
            ..descriptor()
        })
        .err()
        .expect("abort");
        assert!(e.to_string().contains("panic = \"abort\""), "{e}");
        let e = check(PluginDescriptor {
            name: std::ptr::null(),
            ..descriptor()
        })
        .err()
        .expect("name");
        assert_eq!(e, Incompatible::BadString("name"));
    }

    /// A batch of one good record with column `name` replaced by `array`.
    fn batch_with(name: &str, array: arrow_array::ArrayRef) -> arrow_array::RecordBatch {
        let mut b = crate::schema::RecordBatchBuilder::default();
        let r = crate::Record::new(1, crate::Kind::Bank, "credit", "bank");
        b.push(&r).expect("a good record");
        let good = b.finish().expect("a batch");
        let mut columns = good.columns().to_vec();
        let at = good
            .schema()
            .index_of(name)
            .expect("a column of the schema");
        columns[at] = array;
        // Every field nullable, as a careless plugin could declare them.
        let fields: Vec<arrow_schema::Field> = good
            .schema()
            .fields()
            .iter()
            .map(|f| f.as_ref().clone().with_nullable(true))
            .collect();
        let schema = std::sync::Arc::new(arrow_schema::Schema::new(fields));
        arrow_array::RecordBatch::try_new(schema, columns).expect("types still match")
    }

    thread_local! {
        static ANSWER: std::cell::RefCell<Option<arrow_array::RecordBatch>> =
            const { std::cell::RefCell::new(None) };
    }

    unsafe extern "C" fn parse_answering(_: *const ParseRequest, out: *mut ParseResult) -> i32 {
        let batch = ANSWER
            .with(|a| a.borrow_mut().take())
            .expect("an answer set");
        let schema = batch.schema();
        let records = arrow_array::RecordBatchIterator::new([Ok(batch)], schema);
        let issues = arrow_array::RecordBatchIterator::new(
            std::iter::empty(),
            crate::schema::issue_schema(),
        );
        // SAFETY: the host passes a valid, empty result.
        unsafe {
            (*out).records = FFI_ArrowArrayStream::new(Box::new(records));
            (*out).issues = FFI_ArrowArrayStream::new(Box::new(issues));
        }
        STATUS_OK
    }

    fn answered_with(batch: arrow_array::RecordBatch) -> RawParsed {
        let p = check(PluginDescriptor {
            parse: parse_answering,
            ..descriptor()
        })
        .expect("compatible");
        ANSWER.with(|a| *a.borrow_mut() = Some(batch));
        p.parse_raw("x", b"", 0)
    }

    #[test]
    fn strings_that_are_not_utf8_are_malformed_data() {
        let offsets = arrow_buffer::OffsetBuffer::new(vec![0, 2].into());
        let values = arrow_buffer::Buffer::from_vec(vec![0xFF_u8, 0xFE]);
        // SAFETY: deliberately invalid (not UTF-8) — what a broken plugin could send; the
        // array is only handed to the boundary check, never read as text here.
        let bad = unsafe { arrow_array::StringArray::new_unchecked(offsets, values, None) };
        let parsed = answered_with(batch_with("provider", std::sync::Arc::new(bad)));
        assert_eq!(parsed.status, STATUS_FILE_ERROR);
        let message = parsed.message.expect("a reason");
        assert!(
            message.contains("provider") && message.contains("malformed"),
            "{message}"
        );
        assert!(parsed.batches.is_empty());
    }

    #[test]
    fn a_null_in_a_required_column_is_malformed_data() {
        let null: arrow_array::ArrayRef =
            std::sync::Arc::new(arrow_array::StringArray::from(vec![None::<&str>]));
        let parsed = answered_with(batch_with("kind", null));
        assert_eq!(parsed.status, STATUS_FILE_ERROR);
        let message = parsed.message.expect("a reason");
        assert!(message.contains("\"kind\" must have a value"), "{message}");
    }

    #[test]
    fn a_good_answer_passes_the_checks() {
        let ok: arrow_array::ArrayRef =
            std::sync::Arc::new(arrow_array::StringArray::from(vec!["bank"]));
        let parsed = answered_with(batch_with("provider", ok));
        assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
        assert_eq!(parsed.batches.len(), 1);
    }

    #[test]
    fn a_malformed_parse_answer_is_a_file_error() {
        let p = check(descriptor()).expect("compatible");
        let parsed = p.parse("x", b"", 0);
        assert_eq!(parsed.status, STATUS_FILE_ERROR);
        assert!(parsed.records.is_empty());
    }
}
