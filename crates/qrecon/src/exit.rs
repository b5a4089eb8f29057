//! Exit codes, in one place (DESIGN §6).

/// The run completed.
pub const OK: u8 = 0;
/// The run completed and a finding or alert met `--fail-on SEVERITY`.
pub const FINDINGS: u8 = 1;
/// Usage, config, rule or plugin error before any work; nothing was written.
pub const USAGE: u8 = 2;
