//! The Rhai engine rules run in: the standard package and nothing else — no file, network,
//! module imports or `eval` — every limit set explicitly (debug and release builds would
//! otherwise differ), undeclared variables and missing map properties are errors, and
//! `print`/`debug` go to the caller's log.

use rhai::Engine;

/// Operations one rule call may take before it is stopped (a runaway loop ends here, in
/// about 1.5 ms; the shipped case rules take under 100).
pub const MAX_OPERATIONS: u64 = 50_000;
/// Operations one group rule call may take (a group can hold thousands of records).
pub const MAX_GROUP_OPERATIONS: u64 = 10_000_000;
/// Nested function calls.
pub const MAX_CALL_LEVELS: usize = 32;
/// Bytes of strings in one value (Rhai counts all the strings of an array together: an
/// account's held case ids can run to thousands).
pub const MAX_STRING: usize = 4 * 1024 * 1024;
/// Items in one array (an account's held payments can run to thousands).
pub const MAX_ARRAY: usize = 100_000;
/// Entries in one map.
pub const MAX_MAP: usize = 512;
/// A group rule's values are bigger: Rhai counts the entries of every map in a returned
/// array together (an alert is a map of six), a frozen account can hold a hundred thousand
/// payments, and their case ids are all strings of one array.
pub const MAX_GROUP_MAP: usize = 500_000;
/// Items in one array of a group rule.
pub const MAX_GROUP_ARRAY: usize = 2_000_000;
/// Bytes of strings in one value of a group rule.
pub const MAX_GROUP_STRING: usize = 256 * 1024 * 1024;

/// The engine group rules run in: the same sandbox with the bigger group limits.
pub fn group_engine(log: impl Fn(&str) + Send + Sync + 'static) -> Engine {
    let mut engine = self::engine(log);
    engine
        .set_max_operations(MAX_GROUP_OPERATIONS)
        .set_max_map_size(MAX_GROUP_MAP)
        .set_max_array_size(MAX_GROUP_ARRAY)
        .set_max_string_size(MAX_GROUP_STRING);
    engine
}

/// A sandboxed engine; `log` receives `print` and `debug` output.
pub fn engine(log: impl Fn(&str) + Send + Sync + 'static) -> Engine {
    let mut engine = Engine::new_raw();
    engine.register_global_module(rhai::packages::Package::as_shared_module(
        &rhai::packages::StandardPackage::new(),
    ));
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(64, 32)
        .set_max_string_size(MAX_STRING)
        .set_max_array_size(MAX_ARRAY)
        .set_max_map_size(MAX_MAP)
        .set_max_variables(256)
        .set_max_functions(64)
        // Interning takes a lock shared by every thread; messages are unique, so it only costs.
        .set_max_strings_interned(0)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true);
    engine.disable_symbol("eval");
    let log = std::sync::Arc::new(log);
    let debug_log = log.clone();
    // A rule that prints is asked again for every case (it is not remembered as reading
    // nothing: see `eval::run_remembering`), so its lines stay one per case.
    engine.on_print(move |s| {
        crate::view::touch();
        log(s);
    });
    engine.on_debug(move |s, _, pos| {
        crate::view::touch();
        debug_log(&format!("{s} ({pos})"));
    });
    crate::view::register(&mut engine);
    engine
}
