//! A plugin built for a future adapter ABI (2.0): it exports `qrecon_adapter_v2` with a
//! descriptor that says so. The host must refuse it, naming both versions, and carry on.

use std::ffi::c_char;

/// The prefix every ABI keeps: magic, versions, size.
#[repr(C)]
pub struct FutureDescriptor {
    magic: u64,
    abi_major: u32,
    abi_minor: u32,
    struct_size: u32,
    name: *const c_char,
}

// SAFETY: only immutable 'static data.
unsafe impl Sync for FutureDescriptor {}

static DESCRIPTOR: FutureDescriptor = FutureDescriptor {
    magic: qrecon_adapter_sdk::abi::MAGIC,
    abi_major: 2,
    abi_minor: 0,
    struct_size: 32,
    name: c"future-adapter".as_ptr(),
};

/// The entry point of ABI 2.
#[unsafe(no_mangle)]
pub extern "C" fn qrecon_adapter_v2() -> *const FutureDescriptor {
    &raw const DESCRIPTOR
}
