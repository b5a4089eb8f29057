//! The adapter through the real C-ABI glue: the published samples against golden files, the
//! layouts without a sample built from the format's description, drift, refunds, sniffing,
//! and property tests.

mod drift;
mod golden;
mod kit;
mod layouts;
mod props;
mod refunds;
mod sniff;
