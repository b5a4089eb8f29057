//! `include/qrecon_adapter.h` describes the same memory as `abi.rs`: a C compiler's sizes and
//! offsets of every struct are compared with Rust's. (Skipped, saying so, where no C compiler
//! is installed.)

use std::fmt::Write as _;
use std::mem::{offset_of, size_of};
use std::process::Command;

use qrecon_adapter_sdk::abi::{ParseRequest, ParseResult, PluginDescriptor};

const PROGRAM: &str = r#"
#include <stdio.h>
#include <stddef.h>
#include "qrecon_adapter.h"
#define S(t) printf(#t " %zu\n", sizeof(t));
#define O(t, f) printf(#t "." #f " %zu\n", offsetof(t, f));
int main(void) {
  S(QreconPluginDescriptor) S(QreconParseRequest) S(QreconParseResult)
  O(QreconPluginDescriptor, struct_size) O(QreconPluginDescriptor, panic_strategy)
  O(QreconPluginDescriptor, sdk_version) O(QreconPluginDescriptor, description)
  O(QreconPluginDescriptor, sniff) O(QreconPluginDescriptor, release_result)
  O(QreconParseRequest, data) O(QreconParseRequest, batch_rows)
  O(QreconParseResult, rows_read) O(QreconParseResult, records) O(QreconParseResult, issues)
  O(QreconParseResult, message) O(QreconParseResult, message_cap)
  printf("magic %llu\n", (unsigned long long)QRECON_MAGIC);
  return 0;
}
"#;

fn rust_layout() -> String {
    let lines = [
        ("QreconPluginDescriptor", size_of::<PluginDescriptor>()),
        ("QreconParseRequest", size_of::<ParseRequest>()),
        ("QreconParseResult", size_of::<ParseResult>()),
        (
            "QreconPluginDescriptor.struct_size",
            offset_of!(PluginDescriptor, struct_size),
        ),
        (
            "QreconPluginDescriptor.panic_strategy",
            offset_of!(PluginDescriptor, panic_strategy),
        ),
        (
            "QreconPluginDescriptor.sdk_version",
            offset_of!(PluginDescriptor, sdk_version),
        ),
        (
            "QreconPluginDescriptor.description",
            offset_of!(PluginDescriptor, description),
        ),
        (
            "QreconPluginDescriptor.sniff",
            offset_of!(PluginDescriptor, sniff),
        ),
        (
            "QreconPluginDescriptor.release_result",
            offset_of!(PluginDescriptor, release_result),
        ),
        ("QreconParseRequest.data", offset_of!(ParseRequest, data)),
        (
            "QreconParseRequest.batch_rows",
            offset_of!(ParseRequest, batch_rows),
        ),
        (
            "QreconParseResult.rows_read",
            offset_of!(ParseResult, rows_read),
        ),
        (
            "QreconParseResult.records",
            offset_of!(ParseResult, records),
        ),
        ("QreconParseResult.issues", offset_of!(ParseResult, issues)),
        (
            "QreconParseResult.message",
            offset_of!(ParseResult, message),
        ),
        (
            "QreconParseResult.message_cap",
            offset_of!(ParseResult, message_cap),
        ),
    ];
    let mut out = String::new();
    for (k, v) in lines {
        writeln!(out, "{k} {v}").expect("write to a string");
    }
    writeln!(out, "magic {}", qrecon_adapter_sdk::abi::MAGIC).expect("write to a string");
    out
}

#[test]
fn the_c_header_matches_the_rust_abi() {
    let dir = tempfile_dir();
    let c = dir.join("layout.c");
    let exe = dir.join("layout");
    std::fs::write(&c, PROGRAM).expect("write the C program");
    let include = concat!(env!("CARGO_MANIFEST_DIR"), "/include");
    let compiled = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".to_owned()))
        .args(["-std=c99", "-Wall", "-Werror", "-I", include, "-o"])
        .arg(&exe)
        .arg(&c)
        .output();
    let Ok(compiled) = compiled else {
        eprintln!("no C compiler found: the header's layout is not checked here");
        return;
    };
    assert!(
        compiled.status.success(),
        "the header does not compile:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let ran = Command::new(&exe).output().expect("run the layout program");
    assert_eq!(String::from_utf8_lossy(&ran.stdout), rust_layout());
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("qrecon-c-header-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
