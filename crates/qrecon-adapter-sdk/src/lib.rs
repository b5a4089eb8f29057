//! # qrecon adapter SDK
//!
//! The stable boundary between the `qrecon` host and its data-source adapters, and the safe
//! Rust side of it. An adapter is a `cdylib` crate that reads one export format (a platform
//! bill, a bank statement, a claims list) and emits canonical [`Record`]s.
//!
//! ## What an adapter author writes
//! Two methods of the [`Adapter`] trait, and one macro call:
//! - [`Adapter::sniff`]: score 0–100 how likely a file is yours, from its name and first bytes;
//! - [`Adapter::parse`]: report **every** row to the [`Emitter`] exactly once — as a record
//!   ([`Emitter::record`] / [`Emitter::row`]), quarantined with a reason
//!   ([`Emitter::quarantine`]), or skipped with a reason ([`Emitter::skip`]). File-level
//!   remarks (a control total that disagrees) go to [`Emitter::warn`];
//! - [`export_adapter!`] with the adapter type, name, version, kinds and formats.
//!
//! No `unsafe` code is needed; [`text`] has the parsing helpers real exports call for.
//!
//! ## How data flows
//! The host reads the file and passes its bytes over the C ABI ([`abi`]). The glue
//! ([`export`]) runs your `parse` under `catch_unwind`, puts the records into Arrow record
//! batches of the canonical schema ([`schema`]) and hands them back as an Arrow C stream; the
//! host releases them through the stream's own callbacks, so no allocator frees another's
//! memory. A panic becomes an error status with its message; it never crosses the boundary.
//!
//! ## Testing
//! [`testing`] runs an adapter through the same C-ABI path in process; the `loader` feature
//! ([`loader`]) loads built libraries as the host does.

pub mod abi;
pub mod adapter;
pub mod decode;
pub mod export;
#[cfg(feature = "loader")]
pub mod loader;
pub mod plugin;
#[cfg(feature = "proptest")]
pub mod proptests;
pub mod record;
pub mod schema;
pub mod testing;
pub mod text;

pub use adapter::{Adapter, Emitter, FieldError, FileError, Input};
/// The Arrow crate the boundary is built on, for hosts that read the batches directly.
pub use arrow_array;
pub use chrono::{NaiveDate, NaiveDateTime};
pub use record::{Kind, Record, Status};
pub use rust_decimal::Decimal;
