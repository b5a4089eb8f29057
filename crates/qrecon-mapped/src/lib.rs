//! # Mapped adapters
//!
//! The way an operator onboards a bank or PSP export without writing Rust: a small YAML
//! *mapping* says how to read the file — its encoding and delimiter, how to find the header
//! row (by the column names it contains, or a fixed list of columns for files without one),
//! which lines are comments or footer, which column holds which field, how dates and numbers
//! are written, how the sign of an amount is given (a signed column, separate credit and
//! debit columns, or an unsigned column plus a direction column), and which rows are pending.
//! The format is documented in `docs/adapters.md`; `examples/mappings/` has real ones.
//!
//! A [`Mapping`] behaves like any adapter: [`Mapping::sniff`] scores a file, and
//! [`Mapping::parse`] reports every line to an [`Emitter`] exactly once — as a record,
//! quarantined with the field and what was expected, or skipped with the reason. The host
//! runs mappings in process (they are configuration, checked when the run starts, so a
//! mistake in one stops the run before any file is read).
//!
//! ```
//! let yaml = "name: demo\nheader: { contains: [Date, Amount] }\n\
//!             fields:\n  value_date: { column: Date, format: \"%Y-%m-%d\" }\n  amount: { column: Amount }\n";
//! let mapping = qrecon_mapped::Mapping::from_yaml(yaml).expect("a valid mapping");
//! assert_eq!(mapping.name(), "demo");
//! assert_eq!(mapping.sniff("x.csv", b"Date,Amount\n2026-01-02,5.00\n"), 90);
//! ```

mod number;
mod parse;
mod spec;

#[cfg(test)]
mod tests;

pub use parse::Mapping;
pub use spec::MappingError;

pub use qrecon_adapter_sdk::Emitter;
