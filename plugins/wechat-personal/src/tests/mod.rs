//! The adapter through the real C-ABI glue: the published samples against golden files, the
//! CSV and XLSX layouts and their quirks, refunds, drift, sniffing, and property tests.

mod book;
mod csv;
mod drift;
mod golden;
mod kit;
mod props;
mod refunds;
mod sniff;
mod xlsx;
