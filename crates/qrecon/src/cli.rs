//! Command-line arguments. They only validate here; [`crate::config`] resolves them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where is the money? Reconciles QR payments along claim → platform → payout → bank.
#[derive(Parser, Debug)]
#[command(name = "qrecon", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Reconcile the inputs and diagnose every payment that did not arrive.
    Run(RunArgs),
    /// Work with adapter plugins.
    #[command(subcommand)]
    Plugins(PluginsCommand),
    /// Work with rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Explain one case of a run: its chain with evidence, and what every rule made of it.
    Explain(ExplainArgs),
}

/// `qrecon explain CASE_ID --out DIR`: the run is repeated from `DIR/summary.json`, or from
/// the config and inputs given here.
#[derive(Args, Debug, Clone)]
pub struct ExplainArgs {
    /// The case id, as in `cases.jsonl` (`claim:…` or `txn:<provider>:…`).
    #[arg(value_name = "CASE_ID")]
    pub case_id: String,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Compile and check every rule (default folder: ./rules).
    Check(RulesDir),
    /// List the rules: id, scope, priority, severity, codes, title.
    List(RulesDir),
    /// Run every rule's fixtures (`<id>.test.yaml` beside it).
    Test(RulesDir),
    /// Print a rule's header and doc.
    Explain {
        /// The rule id.
        id: String,
        #[command(flatten)]
        dir: RulesDir,
    },
}

/// Where the rules are.
#[derive(Args, Debug, Clone)]
pub struct RulesDir {
    /// The rules folder (default: ./rules).
    #[arg(value_name = "DIR", default_value = "rules")]
    pub dir: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum PluginsCommand {
    /// List every adapter found, and every file refused with the reason.
    List(PluginArgs),
}

/// Where to look for plugins.
#[derive(Args, Debug, Clone, Default)]
pub struct PluginArgs {
    /// A folder of adapter plugins (searched first; may be repeated).
    #[arg(long = "plugin-dir", value_name = "DIR")]
    pub plugin_dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Input files or folders, added to the config's inputs.
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// Config file (default: ./qrecon.yaml when it exists).
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder.
    #[arg(long, short, value_name = "DIR", default_value = "qrecon-out")]
    pub out: PathBuf,
    /// The run's reference instant (RFC 3339, or a date meaning its start in the run's zone).
    #[arg(long, value_name = "INSTANT")]
    pub as_of: Option<String>,
    /// Exit with 1 when a finding or alert is at least this severe.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Worker threads (default: all cores). Outputs do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// The rules folder (default: config `rules`, else the pack built into qrecon).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    #[command(flatten)]
    pub plugins: PluginArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A short table for people.
    #[default]
    Text,
    /// JSON (for `run`: the summary.json document).
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Info,
    Warn,
    Critical,
}
