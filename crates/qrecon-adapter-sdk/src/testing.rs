//! A test harness for adapter authors: run an adapter through the real C-ABI glue and the
//! Arrow C stream, in process, and get owned rows back.
//!
//! ```ignore
//! let parsed = qrecon_adapter_sdk::testing::parse(crate::qrecon_descriptor(), "x.csv", bytes);
//! assert_eq!(parsed.records.len(), 3);
//! ```

use crate::abi::PluginDescriptor;
use crate::plugin::{Parsed, Plugin};

/// Checks the descriptor exactly as the host does.
///
/// # Panics
/// When the host would refuse the descriptor (the message says why).
pub fn plugin(descriptor: &'static PluginDescriptor) -> Plugin {
    // SAFETY: a descriptor from `export_adapter!` is 'static and well-formed.
    match unsafe { Plugin::check(descriptor) } {
        Ok(p) => p,
        Err(e) => panic!("the host would refuse this adapter: {e}"),
    }
}

/// Parses `bytes` through the adapter's exported glue, as the host would.
pub fn parse(descriptor: &'static PluginDescriptor, path: &str, bytes: &[u8]) -> Parsed {
    plugin(descriptor).parse(path, bytes, 0)
}

/// Sniffs `head` through the adapter's exported glue, as the host would.
///
/// # Panics
/// When the adapter panics while sniffing.
pub fn sniff(descriptor: &'static PluginDescriptor, file_name: &str, head: &[u8]) -> u8 {
    plugin(descriptor)
        .sniff(file_name, head)
        .unwrap_or_else(|e| panic!("{e}"))
}
