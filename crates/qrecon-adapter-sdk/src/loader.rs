//! Loading plugin libraries from disk (feature `loader`): pre-checks before `dlopen`, the
//! entry symbol, the compatibility check. Libraries are leaked, never unloaded.

use std::path::{Path, PathBuf};

use libloading::Library;

use crate::abi::{ABI_MAJOR, ABI_MINOR, ENTRY_SYMBOL, ENTRY_SYMBOL_PREFIX, EntryFn};
use crate::plugin::{Incompatible, Plugin};

/// Why a file was refused as a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The file.
    pub path: PathBuf,
    /// Why, in words that name the versions or the problem.
    pub reason: String,
}

/// Whether `path`'s name looks like a qrecon adapter library on this platform
/// (`libqrecon_adapter_*.so`, `libqrecon_adapter_*.dylib`, `qrecon_adapter_*.dll`).
pub fn is_candidate(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let prefix = format!("{}qrecon_adapter_", std::env::consts::DLL_PREFIX);
    name.starts_with(&prefix) && name.ends_with(std::env::consts::DLL_SUFFIX)
}

fn looks_like_a_library(head: &[u8]) -> bool {
    const MAGICS: [&[u8]; 6] = [
        b"\x7fELF",
        b"MZ",
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
        b"\xfe\xed\xfa\xcf",
    ];
    MAGICS.iter().any(|m| head.starts_with(m))
}

/// Loads the plugin at `path`: checks it is a shared library before loading it, finds the
/// entry symbol for this ABI (naming the ABI it was built for when it has another), and
/// checks the descriptor before anything else is called.
pub fn load(path: &Path) -> Result<Plugin, Refusal> {
    let refuse = |reason: String| Refusal {
        path: path.to_owned(),
        reason,
    };
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .map_err(|e| refuse(format!("cannot read it: {e}")))?;
    if !looks_like_a_library(&head[..n]) {
        return Err(refuse(
            "it is not a shared library (no ELF, Mach-O or PE header)".to_owned(),
        ));
    }
    // SAFETY: loading runs the library's initialisers; we only load files named like adapters
    // that passed the header check, which is all that can be verified before loading.
    let library =
        unsafe { Library::new(path) }.map_err(|e| refuse(format!("it cannot be loaded: {e}")))?;
    let library: &'static Library = Box::leak(Box::new(library));
    // SAFETY: the entry symbol's type is fixed by the ABI.
    let entry = match unsafe { library.get::<EntryFn>(ENTRY_SYMBOL.as_bytes()) } {
        Ok(entry) => *entry,
        Err(_) => return Err(refuse(missing_entry(library))),
    };
    // SAFETY: an ABI-1 entry returns a pointer to a 'static descriptor.
    let descriptor = unsafe { entry() };
    if descriptor.is_null() {
        return Err(refuse(format!("its {ENTRY_SYMBOL} returned no descriptor")));
    }
    // SAFETY: the descriptor lives as long as the library, which is never unloaded.
    unsafe { Plugin::check(descriptor) }.map_err(|e: Incompatible| refuse(e.to_string()))
}

fn missing_entry(library: &Library) -> String {
    for major in (0..=16u32).filter(|m| *m != ABI_MAJOR) {
        let symbol = format!("{ENTRY_SYMBOL_PREFIX}{major}");
        // SAFETY: only looked up to name the version; never called.
        if unsafe { library.get::<EntryFn>(symbol.as_bytes()) }.is_ok() {
            return format!(
                "it was built for adapter ABI {major} (exports {symbol}), but this qrecon speaks ABI {ABI_MAJOR}.{ABI_MINOR} (needs {ENTRY_SYMBOL})"
            );
        }
    }
    format!("it is a shared library but not a qrecon adapter (no {ENTRY_SYMBOL} symbol)")
}
