//! The plugin side of the boundary: the glue [`crate::export_adapter!`] instantiates. Every
//! entry point catches panics so none unwinds across the C ABI.

use std::panic::{AssertUnwindSafe, catch_unwind};

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator};

use crate::abi::{ParseRequest, ParseResult, STATUS_FILE_ERROR, STATUS_OK, STATUS_PANIC};
use crate::adapter::{Adapter, Emitter, Input};
use crate::schema::{issue_schema, record_schema};

/// The SDK version every plugin reports, NUL-terminated.
pub const SDK_VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
) {
    Ok(s) => s,
    Err(_) => c"unknown",
};

/// The rustc that built the SDK (and so the plugin), NUL-terminated.
pub const RUSTC_VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
    concat!(env!("QRECON_SDK_RUSTC_VERSION"), "\0").as_bytes(),
) {
    Ok(s) => s,
    Err(_) => c"unknown",
};

/// Builds a byte slice from a C pointer and length; null or empty gives `&[]`.
///
/// # Safety
/// `ptr` must be null or point to `len` readable bytes that outlive the returned slice.
unsafe fn slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: the caller guarantees `ptr` points to `len` readable bytes.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

/// Sniff glue: a panic becomes `-1`.
///
/// # Safety
/// The pointers must describe readable byte ranges for the duration of the call.
pub unsafe fn sniff<A: Adapter>(
    adapter: &A,
    name: *const u8,
    name_len: usize,
    head: *const u8,
    head_len: usize,
) -> i32 {
    // SAFETY: forwarded from the caller's contract.
    let name = unsafe { slice(name, name_len) };
    // SAFETY: forwarded from the caller's contract.
    let head = unsafe { slice(head, head_len) };
    let name = String::from_utf8_lossy(name);
    catch_unwind(AssertUnwindSafe(|| {
        i32::from(adapter.sniff(&name, head).min(100))
    }))
    .unwrap_or(-1)
}

/// Parse glue: runs the adapter, fills `out`, and turns a panic into `STATUS_PANIC`.
///
/// # Safety
/// `request` must point to a valid [`ParseRequest`] whose ranges stay readable for the call;
/// `out` must point to a writable [`ParseResult`] (normally [`ParseResult::empty`]).
pub unsafe fn parse<A: Adapter>(
    adapter: &A,
    request: *const ParseRequest,
    out: *mut ParseResult,
) -> i32 {
    if request.is_null() || out.is_null() {
        return STATUS_FILE_ERROR;
    }
    // SAFETY: both checked non-null; validity is the caller's contract.
    let (request, out) = unsafe { (&*request, &mut *out) };
    // SAFETY: forwarded from the caller's contract.
    let path = unsafe { slice(request.path, request.path_len) };
    // SAFETY: forwarded from the caller's contract.
    let bytes = unsafe { slice(request.data, request.data_len) };
    let batch_rows = request.batch_rows;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let path = String::from_utf8_lossy(path);
        run_parse(adapter, &Input { path: &path, bytes }, batch_rows)
    }));
    let (status, message, filled) = match outcome {
        Ok(Ok(filled)) => (STATUS_OK, None, Some(filled)),
        Ok(Err(message)) => (STATUS_FILE_ERROR, Some(message), None),
        Err(payload) => (STATUS_PANIC, Some(panic_message(payload.as_ref())), None),
    };
    out.status = status;
    if let Some((records, issues, rows_read)) = filled {
        out.records = records;
        out.issues = issues;
        out.rows_read = rows_read;
    }
    if let Some(message) = message {
        let mut bytes = std::mem::ManuallyDrop::new(message.into_bytes());
        out.message = bytes.as_mut_ptr();
        out.message_len = bytes.len();
        out.message_cap = bytes.capacity();
    }
    status
}

type Filled = (FFI_ArrowArrayStream, FFI_ArrowArrayStream, u64);

fn run_parse<A: Adapter>(
    adapter: &A,
    input: &Input<'_>,
    batch_rows: usize,
) -> Result<Filled, String> {
    let mut emitter = Emitter::for_input(batch_rows, input.bytes.len());
    adapter
        .parse(input, &mut emitter)
        .map_err(|e| e.to_string())?;
    let emitted = emitter
        .finish()
        .map_err(|e| format!("building Arrow batches: {e}"))?;
    Ok((
        stream(emitted.records, record_schema()),
        stream(vec![emitted.issues], issue_schema()),
        emitted.rows_read,
    ))
}

fn stream(batches: Vec<RecordBatch>, schema: arrow_schema::SchemaRef) -> FFI_ArrowArrayStream {
    let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema);
    FFI_ArrowArrayStream::new(Box::new(reader))
}

/// Release glue: frees the message and any stream the host left in `result`.
///
/// # Safety
/// `result` must be null or point to a [`ParseResult`] filled by [`parse`] of this plugin.
pub unsafe fn release_result(result: *mut ParseResult) {
    if result.is_null() {
        return;
    }
    // SAFETY: non-null and filled by this plugin per the contract.
    let result = unsafe { &mut *result };
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !result.message.is_null() {
            // SAFETY: message/len/cap come from a Vec<u8> this plugin leaked in `parse`.
            drop(unsafe {
                Vec::from_raw_parts(result.message, result.message_len, result.message_cap)
            });
            result.message = std::ptr::null_mut();
            result.message_len = 0;
            result.message_cap = 0;
        }
        drop(std::mem::replace(
            &mut result.records,
            FFI_ArrowArrayStream::empty(),
        ));
        drop(std::mem::replace(
            &mut result.issues,
            FFI_ArrowArrayStream::empty(),
        ));
    }));
}

/// Exports an [`Adapter`] as a qrecon plugin: emits the one entry symbol
/// (`qrecon_adapter_v1`) and its `'static` descriptor. Use it once per cdylib crate:
///
/// ```ignore
/// qrecon_adapter_sdk::export_adapter! {
///     adapter: MyAdapter,
///     name: "my-bank-csv",
///     version: env!("CARGO_PKG_VERSION"),
///     kinds: "bank",
///     formats: "My Bank statement CSV",
///     description: "My Bank's online-banking statement download",
/// }
/// ```
#[macro_export]
macro_rules! export_adapter {
    (
        adapter: $ty:ty,
        name: $name:expr,
        version: $version:expr,
        kinds: $kinds:expr,
        formats: $formats:expr,
        description: $description:expr $(,)?
    ) => {
        /// The qrecon plugin entry point (ABI 1).
        #[unsafe(no_mangle)]
        pub extern "C" fn qrecon_adapter_v1() -> *const $crate::abi::PluginDescriptor {
            static ADAPTER: ::std::sync::OnceLock<$ty> = ::std::sync::OnceLock::new();
            fn adapter() -> &'static $ty {
                ADAPTER.get_or_init(<$ty as ::std::default::Default>::default)
            }
            unsafe extern "C" fn sniff(
                name: *const u8,
                name_len: usize,
                head: *const u8,
                head_len: usize,
            ) -> i32 {
                let caught = ::std::panic::catch_unwind(adapter);
                match caught {
                    // SAFETY: the host passes valid ranges per the ABI contract.
                    Ok(a) => unsafe { $crate::export::sniff(a, name, name_len, head, head_len) },
                    Err(_) => -1,
                }
            }
            unsafe extern "C" fn parse(
                request: *const $crate::abi::ParseRequest,
                out: *mut $crate::abi::ParseResult,
            ) -> i32 {
                let caught = ::std::panic::catch_unwind(adapter);
                match caught {
                    // SAFETY: the host passes a valid request and result per the ABI contract.
                    Ok(a) => unsafe { $crate::export::parse(a, request, out) },
                    Err(_) => $crate::abi::STATUS_PANIC,
                }
            }
            unsafe extern "C" fn release_result(result: *mut $crate::abi::ParseResult) {
                // SAFETY: the host passes back a result this plugin filled.
                unsafe { $crate::export::release_result(result) }
            }
            static DESCRIPTOR: $crate::abi::PluginDescriptor = $crate::abi::PluginDescriptor {
                magic: $crate::abi::MAGIC,
                abi_major: $crate::abi::ABI_MAJOR,
                abi_minor: $crate::abi::ABI_MINOR,
                struct_size: ::std::mem::size_of::<$crate::abi::PluginDescriptor>() as u32,
                panic_strategy: if cfg!(panic = "unwind") {
                    $crate::abi::PANIC_UNWIND
                } else {
                    $crate::abi::PANIC_ABORT
                },
                sdk_version: $crate::export::SDK_VERSION.as_ptr(),
                rustc_version: $crate::export::RUSTC_VERSION.as_ptr(),
                name: concat!($name, "\0").as_ptr().cast(),
                version: concat!($version, "\0").as_ptr().cast(),
                kinds: concat!($kinds, "\0").as_ptr().cast(),
                formats: concat!($formats, "\0").as_ptr().cast(),
                description: concat!($description, "\0").as_ptr().cast(),
                sniff,
                parse,
                release_result,
            };
            &DESCRIPTOR
        }

        /// In-process access for tests: the same glue the entry symbol exposes.
        #[allow(dead_code)]
        pub fn qrecon_descriptor() -> &'static $crate::abi::PluginDescriptor {
            // SAFETY: the entry point returns a pointer to a 'static descriptor.
            unsafe { &*qrecon_adapter_v1() }
        }
    };
}
