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
