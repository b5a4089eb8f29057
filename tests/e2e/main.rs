//! End-to-end tests: the real `qrecon` binary, the real plugin libraries, real files.

mod config;
mod engine;
mod mapped;
mod plugins;
mod rules;
mod run;
mod samples;
