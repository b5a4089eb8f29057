//! Helpers for qrecon's end-to-end tests: find (and if needed build) the `qrecon` binary and
//! the plugin libraries in the workspace's target folder, run the binary, read its outputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The folder the test binary's profile builds into (`target/debug`).
///
/// # Panics
/// When the test binary's location is unexpected.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/e2e-<hash>
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf()
}

/// Builds the whole workspace once per test run (a no-op when `cargo test` already did), so
/// the binary and every plugin library exist in [`profile_dir`].
///
/// # Panics
/// When the build fails.
pub fn ensure_built() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(workspace())
            .args(["build", "--workspace", "--quiet"]);
        if profile_dir().file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("run cargo build");
        assert!(status.success(), "cargo build --workspace failed");
    });
}

/// Path of the built `qrecon` binary.
pub fn qrecon_bin() -> PathBuf {
    ensure_built();
    profile_dir().join(format!("qrecon{}", std::env::consts::EXE_SUFFIX))
}

/// Path of the built `qrecon-gen` data generator.
pub fn qrecon_gen_bin() -> PathBuf {
    ensure_built();
    profile_dir().join(format!("qrecon-gen{}", std::env::consts::EXE_SUFFIX))
}

/// Path of a built library by crate name (`qrecon_testplugin_panicky`).
pub fn library(crate_name: &str) -> PathBuf {
    ensure_built();
    profile_dir().join(format!(
        "{}{crate_name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ))
}

/// The name a plugin file must have to be discovered (`libqrecon_adapter_<x>.so`).
pub fn adapter_file_name(x: &str) -> String {
    format!(
        "{}qrecon_adapter_{x}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// A `qrecon` command with a clean environment (no plugin path from the caller).
pub fn qrecon() -> Command {
    let mut cmd = Command::new(qrecon_bin());
    cmd.env_remove("QRECON_PLUGIN_PATH");
    cmd
}

/// Runs a command and returns its output.
///
/// # Panics
/// When the command cannot be started.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run qrecon")
}

/// A repo file (`examples/...`, `plugins/.../fixtures/...`).
pub fn repo(path: &str) -> PathBuf {
    workspace().join(path)
}

/// Reads a JSON Lines file.
///
/// # Panics
/// When the file is missing or a line is not JSON.
pub fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Reads a JSON file.
///
/// # Panics
/// When the file is missing or not JSON.
pub fn json(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("JSON document")
}

/// stdout and stderr as text, for assertion messages.
pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
