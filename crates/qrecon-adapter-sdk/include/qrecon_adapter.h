/*
 * qrecon adapter ABI, version 1.0 — the C view of crates/qrecon-adapter-sdk/src/abi.rs.
 *
 * A plugin is a shared library exporting one symbol, `qrecon_adapter_v1`, that returns a
 * pointer to a static QreconPluginDescriptor. The host reads magic, abi_major, abi_minor and
 * struct_size first and calls nothing until they match. Records and row issues come back as
 * Arrow C streams (https://arrow.apache.org/docs/format/CStreamInterface.html) whose schemas
 * are documented in docs/design.md §8; the host releases them through their own callbacks.
 * Everything else the plugin allocates (the result message) it frees in release_result.
 * Strings are UTF-8; descriptor strings are NUL-terminated and static; name, head, path and
 * message are pointer + length, not NUL-terminated.
 *
 * A plugin must not let a C++ exception or a Rust panic unwind out of these functions:
 * catch it and answer QRECON_STATUS_PANIC (parse) or a negative score (sniff).
 */
#ifndef QRECON_ADAPTER_H
#define QRECON_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QRECON_ABI_MAJOR 1
#define QRECON_ABI_MINOR 0
/* "QRECONAD" read as a little-endian 64-bit integer. */
#define QRECON_MAGIC UINT64_C(0x44414E4F43455251)
#define QRECON_ENTRY_SYMBOL "qrecon_adapter_v1"

#define QRECON_PANIC_UNWIND 0
#define QRECON_PANIC_ABORT 1 /* refused by the host */

#define QRECON_STATUS_OK 0
#define QRECON_STATUS_FILE_ERROR 1
#define QRECON_STATUS_PANIC 2

/* The Arrow C data and stream interfaces, as the Arrow project defines them. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
#endif

/* One file to parse, borrowed from the host for the duration of the call. */
typedef struct QreconParseRequest {
  const uint8_t* path;
  size_t path_len;
  const uint8_t* data;
  size_t data_len;
  size_t batch_rows; /* rows per record batch the host would like; 0 = the adapter's choice */
} QreconParseRequest;

/* What a parse produced; the host zero-initialises it (streams with release = NULL). */
typedef struct QreconParseResult {
  int32_t status;                   /* QRECON_STATUS_* */
  uint64_t rows_read;               /* every row: parsed, quarantined or skipped */
  struct ArrowArrayStream records;  /* canonical records */
  struct ArrowArrayStream issues;   /* quarantined rows, skipped rows, warnings */
  uint8_t* message;                 /* file error or panic message, owned by the plugin */
  size_t message_len;
  size_t message_cap;
} QreconParseResult;

/* 0-100 how likely the adapter reads the file; negative = the call failed. */
typedef int32_t (*QreconSniffFn)(const uint8_t* name, size_t name_len, const uint8_t* head,
                                 size_t head_len);
/* Parses one whole file into *out; returns out->status as well. */
typedef int32_t (*QreconParseFn)(const QreconParseRequest* request, QreconParseResult* out);
/* Frees what the plugin allocated in *result (its message, any stream the host left). */
typedef void (*QreconReleaseResultFn)(QreconParseResult* result);

typedef struct QreconPluginDescriptor {
  uint64_t magic;          /* QRECON_MAGIC */
  uint32_t abi_major;      /* QRECON_ABI_MAJOR */
  uint32_t abi_minor;      /* QRECON_ABI_MINOR; a newer minor only appends fields */
  uint32_t struct_size;    /* sizeof(QreconPluginDescriptor) as the plugin saw it */
  uint32_t panic_strategy; /* QRECON_PANIC_UNWIND */
  const char* sdk_version;
  const char* rustc_version; /* informational; any text for other languages */
  const char* name;          /* unique among loaded adapters */
  const char* version;
  const char* kinds;   /* comma-separated: claim,txn,fund,payout,bank */
  const char* formats; /* comma-separated formats it reads */
  const char* description;
  QreconSniffFn sniff;
  QreconParseFn parse;
  QreconReleaseResultFn release_result;
} QreconPluginDescriptor;

/* The one exported symbol. */
typedef const QreconPluginDescriptor* (*QreconEntryFn)(void);

#ifdef __cplusplus
}
#endif

#endif /* QRECON_ADAPTER_H */
