//! The C-ABI boundary itself: the only types that cross between the host and a plugin.
//!
//! Everything here is `#[repr(C)]` and made of C types, so a plugin may be built by another
//! rustc, another arrow-rs, or another language. Layout rules:
//! - the entry symbol [`ENTRY_SYMBOL`] returns a `'static` [`PluginDescriptor`];
//! - the host reads `magic`, `abi_major`, `abi_minor` and `struct_size` first and calls nothing
//!   until they match; a new minor version only appends fields, so a host reads the prefix it
//!   knows (`struct_size` tells how long the plugin's struct is);
//! - strings the plugin hands out in its descriptor are `'static`, NUL-terminated UTF-8;
//! - records and row issues cross as Arrow C streams, released through their own callbacks;
//! - a [`ParseResult`]'s `message` is owned by the plugin and freed by its `release_result`.

use std::ffi::c_char;

use arrow_array::ffi_stream::FFI_ArrowArrayStream;

/// Major version of this ABI. A host and a plugin work together only when these are equal.
pub const ABI_MAJOR: u32 = 1;
/// Minor version of this ABI. A newer minor only appends fields to [`PluginDescriptor`].
pub const ABI_MINOR: u32 = 0;
/// The first field of every descriptor: `b"QRECONAD"` read as a little-endian `u64`.
pub const MAGIC: u64 = u64::from_le_bytes(*b"QRECONAD");
/// Name of the one exported entry symbol; it carries the ABI major version.
pub const ENTRY_SYMBOL: &str = "qrecon_adapter_v1";
/// Prefix of the entry symbol for every ABI major version (`qrecon_adapter_v<N>`).
pub const ENTRY_SYMBOL_PREFIX: &str = "qrecon_adapter_v";

/// `panic_strategy` value: the plugin was built with `panic = "unwind"`, so it can catch panics.
pub const PANIC_UNWIND: u32 = 0;
/// `panic_strategy` value: the plugin was built with `panic = "abort"`; the host refuses it.
pub const PANIC_ABORT: u32 = 1;

/// `ParseResult::status`: the file was parsed; rows may still have been quarantined.
pub const STATUS_OK: i32 = 0;
/// `ParseResult::status`: the adapter refused the whole file (`message` says why).
pub const STATUS_FILE_ERROR: i32 = 1;
/// `ParseResult::status`: the adapter panicked; the panic was caught inside the plugin.
pub const STATUS_PANIC: i32 = 2;

/// Signature of the entry symbol.
pub type EntryFn = unsafe extern "C" fn() -> *const PluginDescriptor;

/// Scores how likely the adapter reads this file, 0–100; negative means the call failed.
///
/// `name` is the file name (UTF-8, not NUL-terminated); `head` the first bytes of the file.
pub type SniffFn =
    unsafe extern "C" fn(name: *const u8, name_len: usize, head: *const u8, head_len: usize) -> i32;

/// Parses one whole file into `out`. Returns `out.status` as well.
pub type ParseFn = unsafe extern "C" fn(request: *const ParseRequest, out: *mut ParseResult) -> i32;

/// Frees what the plugin allocated inside a [`ParseResult`] (its message and any stream the
/// host did not take).
pub type ReleaseResultFn = unsafe extern "C" fn(result: *mut ParseResult);

/// What the plugin tells the host about itself. Lives for the whole life of the library.
#[repr(C)]
pub struct PluginDescriptor {
    /// Always [`MAGIC`].
    pub magic: u64,
    /// [`ABI_MAJOR`] of the SDK the plugin was built with.
    pub abi_major: u32,
    /// [`ABI_MINOR`] of the SDK the plugin was built with.
    pub abi_minor: u32,
    /// `size_of::<PluginDescriptor>()` as the plugin saw it.
    pub struct_size: u32,
    /// [`PANIC_UNWIND`] or [`PANIC_ABORT`].
    pub panic_strategy: u32,
    /// SDK crate version, e.g. `0.1.0`.
    pub sdk_version: *const c_char,
    /// `rustc --version` of the compiler that built the plugin (informational).
    pub rustc_version: *const c_char,
    /// Adapter name, unique among loaded adapters, e.g. `wechatpay-tradebill`.
    pub name: *const c_char,
    /// Adapter version.
    pub version: *const c_char,
    /// Comma-separated record kinds it emits (`claim,txn,fund,bank`).
    pub kinds: *const c_char,
    /// Comma-separated formats it reads.
    pub formats: *const c_char,
    /// One-line description.
    pub description: *const c_char,
    /// See [`SniffFn`].
    pub sniff: SniffFn,
    /// See [`ParseFn`].
    pub parse: ParseFn,
    /// See [`ReleaseResultFn`].
    pub release_result: ReleaseResultFn,
}

// SAFETY: the descriptor only holds pointers to immutable 'static data and plain functions.
unsafe impl Sync for PluginDescriptor {}

/// One file to parse. Borrowed from the host for the duration of the call.
#[repr(C)]
pub struct ParseRequest {
    /// File path as the user named it (UTF-8).
    pub path: *const u8,
    /// Length of `path` in bytes.
    pub path_len: usize,
    /// The whole file.
    pub data: *const u8,
    /// Length of `data` in bytes.
    pub data_len: usize,
    /// Rows per record batch the host would like (0 = adapter's choice).
    pub batch_rows: usize,
}

/// What a parse produced. The host zero-initialises it with [`ParseResult::empty`].
#[repr(C)]
pub struct ParseResult {
    /// One of the `STATUS_*` constants.
    pub status: i32,
    /// Rows the adapter read (each is parsed, quarantined or skipped).
    pub rows_read: u64,
    /// Canonical records ([`crate::schema::record_schema`]).
    pub records: FFI_ArrowArrayStream,
    /// Quarantined rows, skipped rows and warnings ([`crate::schema::issue_schema`]).
    pub issues: FFI_ArrowArrayStream,
    /// File-level error or panic message (UTF-8, not NUL-terminated), owned by the plugin.
    pub message: *mut u8,
    /// Length of `message`.
    pub message_len: usize,
    /// Capacity of `message`'s allocation (for the plugin's own release).
    pub message_cap: usize,
}

impl ParseResult {
    /// An empty result for the host to pass to `parse`.
    pub fn empty() -> Self {
        Self {
            status: STATUS_OK,
            rows_read: 0,
            records: FFI_ArrowArrayStream::empty(),
            issues: FFI_ArrowArrayStream::empty(),
            message: std::ptr::null_mut(),
            message_len: 0,
            message_cap: 0,
        }
    }
}
