//! Handing freed memory back to the system between phases. A run frees about as much as it
//! keeps when per-file records are merged into one dataset; glibc keeps freed blocks in its
//! arenas unless asked, which would double the peak. Elsewhere this does nothing.

/// Returns free heap memory to the system (glibc); a no-op on other platforms.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only releases memory the allocator holds free; it reads and
        // changes no memory of ours and is safe to call at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Asks glibc to keep freed memory for reuse instead of handing it back to the system after
/// every large free: a run allocates and frees buffers of hundreds of kilobytes by the
/// thousand (decoded files, serialised case blocks), and each fresh page costs a fault and a
/// cleared page. Memory is still handed back between phases ([`release_free_memory`]).
///
/// Setting the trim threshold also fixes glibc's mmap threshold at its 128 KiB default (it
/// no longer adapts), and every block above it is a fresh mapping, faulted in and zeroed
/// page by page and unmapped when freed: so blocks up to 32 MiB (glibc's largest) are taken
/// from the heap too, where a freed one is reused.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const M_TRIM_THRESHOLD: i32 = -1;
        const M_MMAP_THRESHOLD: i32 = -3;
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: mallopt only sets the allocator's tuning parameters, before any thread of
        // ours allocates in earnest; it reads and changes no memory of ours.
        unsafe {
            mallopt(M_TRIM_THRESHOLD, 1 << 30);
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
        }
    }
}
