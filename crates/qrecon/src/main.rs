//! The `qrecon` command: thin glue from arguments to the run pipeline. Exit codes live in
//! [`exit`]; a closed stdout pipe is not an error.

mod caseline;
mod cli;
mod config;
mod exit;
mod explain;
mod ingest;
mod memory;
mod output;
mod plan;
mod plugins;
mod rules;
mod run;
mod table;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    memory::keep_freed_memory();
    let cli = cli::Cli::parse();
    let code = match cli.command {
        cli::Command::Run(args) => run::run(&args),
        cli::Command::Plugins(cli::PluginsCommand::List(args)) => run::plugins_list(&args),
        cli::Command::Rules(cmd) => rules::command(&cmd),
        cli::Command::Explain(args) => explain::explain(&args),
    };
    ExitCode::from(code)
}

/// Prints to stdout; a closed pipe (`qrecon … | head`) is fine.
pub(crate) fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Prints an error line to stderr.
pub(crate) fn print_err(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}
