#!/usr/bin/env python3
"""DuckDB peer of `qrecon run`, for benchmarking (see README.md beside this file).

    python3 benches/peer/duckdb_peer.py DATASET_DIR OUT_DIR [--threads N] [--gbk latin1|transcode]

DATASET_DIR is a qrecon-gen output folder (qrecon.yaml, exports/, expected.jsonl). The job
reads every export, links claim -> txn -> fund -> payout -> bank the way qrecon does (see
docs/design.md section 2 and crates/qrecon-core), gives every case a status and writes
OUT_DIR/cases.csv. Then, outside the timed part, it compares the statuses with
expected.jsonl. stdout gets exactly one JSON line; diagnostics go to stderr.

Needs only the standard library and the `duckdb` package.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import glob
import json
import os
import re
import shutil
import sys
import time

T0 = time.perf_counter()  # the job's clock starts before DuckDB is even imported

import duckdb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILTIN_CN = os.path.join(HERE, "..", "..", "crates", "qrecon", "calendars", "cn.yaml")

# Default names payouts carry on bank statements (qrecon's defaults, design.md section 8).
DEFAULT_COUNTERPARTIES = {
    "wechatpay": ["财付通支付科技有限公司", "财付通"],
    "alipay": ["支付宝（中国）网络技术有限公司", "支付宝"],
    "unionpay": ["中国银联股份有限公司", "银联"],
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Config: a small reader for the subset of qrecon.yaml that qrecon-gen writes (flow maps on
# one line, block lists). Not a general YAML parser.
# --------------------------------------------------------------------------------------

def _scalar(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def _flow_list(s: str) -> list[str]:
    s = s.strip()
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1]
    return [_scalar(x) for x in re.findall(r'"[^"]*"|\'[^\']*\'|[^,\s][^,]*', s) if x.strip()]


def _flow_map(s: str) -> dict:
    """`{ a: 1, b: [x, y], c: "z" }` -> dict (one nesting level of lists)."""
    s = s.strip()
    assert s.startswith("{") and s.endswith("}"), s
    body = s[1:-1]
    out = {}
    for m in re.finditer(r'(\w+)\s*:\s*(\[[^\]]*\]|"[^"]*"|\'[^\']*\'|[^,}]+)', body):
        k, v = m.group(1), m.group(2).strip()
        out[k] = _flow_list(v) if v.startswith("[") else _scalar(v)
    return out


def _flow_map_str(s: str) -> dict[str, str]:
    """`{ "k": "v", k2: v2 }` -> dict of strings (keys may be quoted, e.g. account numbers)."""
    s = s.strip()
    assert s.startswith("{") and s.endswith("}"), s
    item = r'"[^"]*"|\'[^\']*\'|[^,{}:\s][^,{}:]*'
    return {_scalar(k): _scalar(v)
            for k, v in re.findall(rf'({item})\s*:\s*({item})', s[1:-1])}


def read_config(path: str) -> dict:
    cfg = {"as_of": None, "timezone": "Asia/Shanghai", "payees": {}, "providers": {},
           "inputs": [], "claim_window_minutes": 10, "bank_window_days": 3, "calendars": {},
           "settlement_accounts": {}}
    section = sub = None
    for raw in open(path, encoding="utf-8"):
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if indent == 0:
            key, _, val = text.partition(":")
            section, sub = key, None
            if key == "as_of":
                cfg["as_of"] = _scalar(val)
            elif key == "timezone":
                cfg["timezone"] = _scalar(val)
            elif key == "inputs" and val.strip().startswith("["):
                cfg["inputs"] = [{"path": p} for p in _flow_list(val)]
            continue
        if section == "merchant":
            key, _, val = text.partition(":")
            if indent == 2:
                sub = key
                if key == "bank_accounts":
                    cfg["bank_accounts"] = _flow_list(val)
                elif key == "settlement_accounts" and val.strip().startswith("{"):
                    cfg["settlement_accounts"].update(_flow_map_str(val))
            elif sub == "settlement_accounts" and val.strip():  # block form: `  "acct": bank`
                cfg["settlement_accounts"][_scalar(key)] = _scalar(val)
            elif sub == "payees" and val.strip().startswith("{"):
                m = _flow_map(val)
                cfg["payees"][key] = {"ids": m.get("ids", []), "names": m.get("names", [])}
        elif section == "providers":
            key, _, val = text.partition(":")
            if val.strip().startswith("{"):
                cfg["providers"][key] = _flow_map(val)
        elif section == "calendars":
            key, _, val = text.partition(":")
            if val.strip().startswith("{"):
                cfg["calendars"][key] = _flow_map(val)
        elif section == "matching":
            key, _, val = text.partition(":")
            if key in ("claim_window_minutes", "bank_window_days"):
                cfg[key] = int(_scalar(val))
        elif section == "inputs" and text.startswith("- "):
            item = text[2:].strip()
            cfg["inputs"].append(_flow_map(item) if item.startswith("{") else {"path": _scalar(item)})
    return cfg


def read_calendar(path: str) -> tuple[list[str], list[str]]:
    holidays, workdays, cur = [], [], None
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#")[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith(" ") and line.endswith(":"):
            cur = line[:-1].strip()
            continue
        if not line.startswith(" ") and ":" in line:
            key, _, val = line.partition(":")
            cur = key.strip()
            if val.strip().startswith("["):
                (holidays if cur == "holidays" else workdays if cur == "workdays" else []).extend(
                    _flow_list(val))
            continue
        m = re.match(r"\s*-\s*(\d{4}-\d{2}-\d{2})", line)
        if m and cur == "holidays":
            holidays.append(m.group(1))
        elif m and cur == "workdays":
            workdays.append(m.group(1))
    return holidays, workdays


def cycle(s: str) -> tuple[str, int]:
    m = re.fullmatch(r"\s*([TD])\+(\d+)\s*", s or "T+1")
    if not m:
        raise SystemExit(f"unsupported settlement cycle {s!r}")
    return m.group(1), int(m.group(2))


def q(s: str) -> str:
    """A SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


# --------------------------------------------------------------------------------------
# GBK: DuckDB's CSV reader has no GBK (the `encodings` extension cannot be installed
# offline). Default: read the GBK bytes as latin-1, a byte-transparent decoding, so every
# ASCII byte (delimiters, digits, ids, times, amounts) is itself, and compare the few Chinese
# keywords in their GBK byte form (GBK never uses an ASCII byte inside a double-byte
# character, so `,` `"` `#` `\n` are never split). `--gbk transcode` instead decodes every
# Alipay file in Python (process pool) and writes UTF-8 copies for DuckDB, inside the timing.
# --------------------------------------------------------------------------------------

def _transcode_one(job):
    src, dst = job
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(data.decode("gb18030").encode("utf-8"))
    return len(data)


def transcode_all(srcs: list[str], dst_dir: str, workers: int) -> None:
    os.makedirs(dst_dir, exist_ok=True)
    jobs = [(s, os.path.join(dst_dir, f"{i:06d}_" + os.path.basename(s))) for i, s in enumerate(srcs)]
    if workers <= 1:
        for j in jobs:
            _transcode_one(j)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as ex:
        list(ex.map(_transcode_one, jobs, chunksize=16))


# --------------------------------------------------------------------------------------
# The job
# --------------------------------------------------------------------------------------

class Stages:
    def __init__(self, con):
        self.con = con
        self.t = time.perf_counter()
        self.c = time.process_time()
        self.laps = []

    def run(self, name, sql):
        prof = os.environ.get("PEER_PROFILE")  # a folder: DuckDB's profile of every stage
        if prof:
            os.makedirs(prof, exist_ok=True)
            self.con.execute("SET enable_profiling = 'query_tree_optimizer'")
            slug = re.sub(r"\W+", "_", name)
            path = os.path.join(prof, f"{len(self.laps):02d}-{slug}.txt")
            self.con.execute(f"SET profiling_output = {q(path)}")
        if os.environ.get("PEER_STAGES"):  # time every statement of a stage on its own
            parts = [x for x in re.split(r";\s*\n", sql) if x.strip()]
            for i, part in enumerate(parts):
                if prof:
                    self.con.execute(f"SET profiling_output = {q(path[:-4] + f'-{i + 1}.txt')}")
                self.con.execute(part)
                self.lap(f"{name} [{i + 1}/{len(parts)}]")
            return
        self.con.execute(sql)
        self.lap(name)

    def lap(self, name):
        now, cpu = time.perf_counter(), time.process_time()
        self.laps.append((name, now - self.t, cpu - self.c))
        self.t, self.c = now, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("out")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--gbk", choices=["latin1", "transcode"], default="latin1",
                    help="how Alipay's GBK files are read (default: latin1, see README)")
    ap.add_argument("--calendar", default=None,
                    help="cn calendar YAML (default: the one built into qrecon)")
    args = ap.parse_args()

    t_start = T0
    ds = os.path.abspath(args.dataset)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)

    cfg = read_config(os.path.join(ds, "qrecon.yaml"))
    tz_name = cfg["timezone"]
    try:
        from zoneinfo import ZoneInfo
        tz = ZoneInfo(tz_name)
    except Exception:  # no tz database: China has had one offset since 1991
        tz = dt.timezone(dt.timedelta(hours=8))
    as_of = dt.datetime.fromisoformat(cfg["as_of"]) if cfg["as_of"] else dt.datetime.now(tz)
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=tz)
    as_of_local = as_of.astimezone(tz).replace(tzinfo=None)
    utc_offset_secs = int(as_of.astimezone(tz).utcoffset().total_seconds())

    # Calendars: each provider names one; `cn` is built into qrecon.
    cal_files = {}
    for name, c in cfg["calendars"].items():
        if "file" in c:
            cal_files[name] = os.path.join(ds, c["file"])
    providers = {}
    for p in ("wechatpay", "alipay"):
        pc = cfg["providers"].get(p, {})
        kind, n = cycle(pc.get("settlement", "T+1"))
        cal = pc.get("calendar", "cn")
        providers[p] = {
            "kind": kind, "n": n, "bank_days": int(pc.get("bank_days", 1)), "calendar": cal,
            "counterparties": pc.get("counterparties") or DEFAULT_COUNTERPARTIES[p],
        }
    cal_names = sorted({p["calendar"] for p in providers.values()})
    if len(cal_names) != 1:
        raise SystemExit("this peer supports one calendar for all providers")
    cal_path = args.calendar or cal_files.get(cal_names[0]) or (
        BUILTIN_CN if cal_names[0] == "cn" else None)
    if not cal_path:
        raise SystemExit(f"no calendar file for {cal_names[0]!r}")
    holidays, workdays = read_calendar(cal_path)

    # Fund-flow folders and the account each is for (config inputs `{ path, account }`).
    fund_dirs = []
    for inp in cfg["inputs"]:
        if inp.get("account"):
            d = os.path.join(ds, inp["path"])
            fund_dirs.append((os.path.abspath(d).rstrip("/") + "/", inp["account"]))

    exports = os.path.join(ds, "exports")

    def files(sub):
        return sorted(glob.glob(os.path.join(exports, sub)))

    wx_trade = files("tradebill/*.csv")
    wx_fund = files("fundflow/*/*.csv")
    ali_trade = files("alipay_trade/*.csv")
    ali_acct = files("alipay_account/*.csv")
    bank_files = files("bank/*.csv")
    claims_file = os.path.join(exports, "claims.csv")

    t_tc = time.perf_counter(), time.process_time()
    tmp = os.path.join(out, "_utf8")
    if args.gbk == "transcode":
        # before DuckDB starts its threads (the pool forks)
        shutil.rmtree(tmp, ignore_errors=True)
        transcode_all(ali_trade, os.path.join(tmp, "trade"), args.threads)
        transcode_all(ali_acct, os.path.join(tmp, "account"), args.threads)
        ali_trade_src = sorted(glob.glob(os.path.join(tmp, "trade", "*.csv")))
        ali_acct_src = sorted(glob.glob(os.path.join(tmp, "account", "*.csv")))
        enc = "utf-8"

        def k(s):  # a keyword as it appears in the text DuckDB reads
            return q(s)
    else:
        ali_trade_src, ali_acct_src = ali_trade, ali_acct
        enc = "latin-1"

        def k(s):
            return q(s.encode("gbk").decode("latin-1"))

    def flist(fs):
        return "[" + ",".join(q(f) for f in fs) + "]" if fs else "[]"

    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    st = Stages(con)
    st.laps.append(("start: import duckdb, config, connect", st.t - T0, st.c))
    if args.gbk == "transcode":
        st.laps.append(("transcode GBK (Python)", st.t - t_tc[0], st.c - t_tc[1]))

    # ---------------------------------------------------------------- settings tables
    def table(name, cols, rows):
        """A small table from Python values, in one statement."""
        con.execute(f"CREATE TEMP TABLE {name}({', '.join(cols)})")
        if rows:
            lit = lambda v: "NULL" if v is None else str(v) if isinstance(v, int) else q(str(v))
            con.execute(f"INSERT INTO {name} VALUES " +
                        ", ".join("(" + ", ".join(lit(v) for v in r) + ")" for r in rows))

    table("payees", ["provider VARCHAR", "name VARCHAR"],
          [(p, x) for p, v in cfg["payees"].items() for x in v["ids"] + v["names"]])
    table("terms", ["provider VARCHAR", "kind VARCHAR", "n INT", "bank_days INT"],
          [(p, v["kind"], v["n"], v["bank_days"]) for p, v in providers.items()])
    table("cparty", ["provider VARCHAR", "name VARCHAR"],
          [(p, n) for p, v in providers.items() for n in v["counterparties"]])
    table("bank_acct", ["acct VARCHAR"], [(a,) for a in cfg.get("bank_accounts", [])])
    # merchant.settlement_accounts: provider account -> the bank account its payouts go to
    table("settle", ["account VARCHAR", "bank VARCHAR"], sorted(cfg["settlement_accounts"].items()))
    # settings.rs `accounts_match`: equal, or a masked form (`6222****4000`) whose visible
    # head and tail match the other
    con.execute("""
        CREATE TEMP MACRO acct_head(x) AS split_part(x, '*', 1);
        CREATE TEMP MACRO acct_tail(x) AS CASE WHEN contains(x, '*') THEN regexp_extract(x, '[^*]*$') ELSE '' END;
        CREATE TEMP MACRO acct_masked_match(m, o) AS
          acct_head(m) <> '' AND acct_tail(m) <> '' AND starts_with(acct_head(o), acct_head(m))
          AND (ends_with(acct_head(o), acct_tail(m)) OR ends_with(acct_tail(o), acct_tail(m)));
        CREATE TEMP MACRO acct_key(x) AS CASE WHEN contains(x, '*') THEN acct_tail(x) ELSE x END;
        CREATE TEMP MACRO acct_match(a, b) AS CASE
          WHEN NOT contains(a, '*') AND NOT contains(b, '*') THEN a = b
          WHEN contains(b, '*') THEN acct_masked_match(b, a) ELSE acct_masked_match(a, b) END;
    """)

    def acct_pairs(t1, c1, t2, c2):
        """The rows of t1 x t2 whose accounts match (acct_match(t2.c2, t1.c1)), by hash joins:
        t2's unmasked accounts end with t1's visible tail (its whole number when unmasked), so
        they are joined on that suffix; t2's masked accounts (few) are tried against all."""
        return f"""
          SELECT x.*, y.* FROM {t1} x JOIN (
            SELECT y.*, ls.len AS _len, right(y.{c2}, ls.len) AS _suf FROM {t2} y,
                   (SELECT DISTINCT length(acct_key({c1})) AS len FROM {t1}) ls
            WHERE NOT contains(y.{c2}, '*')) y
            ON y._len = length(acct_key(x.{c1})) AND y._suf = acct_key(x.{c1})
          WHERE acct_match(y.{c2}, x.{c1})
          UNION ALL
          SELECT x.*, y.*, NULL, NULL FROM {t1} x JOIN {t2} y ON contains(y.{c2}, '*')
          WHERE acct_match(y.{c2}, x.{c1})"""

    as_of_date = as_of_local.date().isoformat()
    hol = "[" + ",".join(f"DATE {q(d)}" for d in holidays) + "]::DATE[]"
    wrk = "[" + ",".join(f"DATE {q(d)}" for d in workdays) + "]::DATE[]"
    # Business-day calendar: rank = business days up to and including the day.
    st.run("calendar", f"""
        CREATE TEMP TABLE cal AS
        WITH d AS (
          SELECT CAST(x AS DATE) AS d FROM generate_series(DATE '2000-01-01', DATE '2040-12-31', INTERVAL 1 DAY) t(x)
        ), b AS (
          SELECT d, (list_contains({wrk}, d) OR (isodow(d) < 6 AND NOT list_contains({hol}, d))) AS bd FROM d
        )
        SELECT d, bd, sum(bd::INT) OVER (ORDER BY d) AS rank FROM b;
        CREATE TEMP TABLE bday AS SELECT rank, d FROM cal WHERE bd;
    """)
    win_secs = cfg["claim_window_minutes"] * 60
    bank_window = cfg["bank_window_days"]

    # ---------------------------------------------------------------- reading
    colspec = lambda names: "{" + ",".join(f"'{n}':'VARCHAR'" for n in names) + "}"
    # Platform exports are not RFC 4180 (no quoting): columns fixed, quote off. Rows whose
    # column count differs from the layout (WeChat summary header + row) are dropped.
    csv_opts = "header=false, auto_detect=false, quote='', escape='', ignore_errors=true"
    pad_opts = "header=false, auto_detect=false, quote='', escape='', null_padding=true"
    bt = lambda c: f"nullif(substr({c}, 2), '')"  # WeChat: drop the leading backtick
    trim = lambda c: f"nullif(trim({c}, E' \\t'), '')"  # Alipay: TAB-suffixed, padded cells
    ts = "'%Y-%m-%d %H:%M:%S'"
    # file_index (the position in the file list) stands for the file; names only where
    # evidence is written.

    def scan(fs, opts, cols):
        """read_csv over the files, or no rows of the same shape when there are none."""
        if not fs:
            nulls = ", ".join(f"NULL::VARCHAR AS {c}" for c in cols)
            return f"(SELECT {nulls}, NULL::BIGINT AS file_index WHERE false)"
        return f"read_csv({flist(fs)}, {opts}, columns={colspec(cols)})"

    # WeChat Pay trade bills (ALL layout, 27 columns, values prefixed with a backtick).
    wx_cols = ["t", "appid", "mch", "submch", "device", "txn", "ord", "payer", "ttype", "state",
               "bank", "cur", "settle", "coupon", "rid", "orid", "ramt", "rcoupon", "rtype",
               "rstate", "item", "attach", "fee", "rate", "oamt", "aramt", "rnote"]
    st.run("read wechat trade bills", f"""
        CREATE TEMP TABLE wx_trade AS
        SELECT * FROM (
          SELECT try_cast(substr(t, 2) AS TIMESTAMP) AS t,
                 {bt('mch')} AS account, {bt('txn')} AS txn_id, {bt('ord')} AS order_id,
                 {bt('state')} AS state, try_cast({bt('settle')} AS DECIMAL(18,2)) AS settle,
                 {bt('rid')} AS refund_id, try_cast({bt('ramt')} AS DECIMAL(18,2)) AS ramt,
                 {bt('rstate')} AS rstate, try_cast({bt('fee')} AS DECIMAL(18,5)) AS fee
          FROM {scan(wx_trade, csv_opts + ", delim=',', skip=1", wx_cols)})
        WHERE t IS NOT NULL AND state IS NOT NULL
    """)
    # Alipay trade bills (业务明细, 25 columns + the trailing comma): `#` preamble and footer;
    # the preamble's `#账号：[<PID>0156]` names the account.
    ali_t_cols = [f"c{i}" for i in range(26)]
    pid_sql = ("regexp_replace(min(regexp_extract(c0, '\\[(\\d{5,})\\]', 1)), "
               "'^(\\d{16})0156$', '\\1')")
    pid_where = "c0[1] = '#' AND regexp_matches(c0, '\\[\\d{5,}\\]')"
    st.run("read alipay trade bills", f"""
        CREATE TEMP TABLE ali_trade_raw AS
        SELECT * FROM (
          SELECT file_index AS fi, c0, c1, c2, try_cast(trim(c5) AS TIMESTAMP) AS t, c12, c21, c22
          FROM {scan(ali_trade_src, pad_opts + f", delim=',', encoding='{enc}'", ali_t_cols)})
        WHERE t IS NOT NULL OR c0[1] = '#';
        CREATE TEMP TABLE ali_trade AS
        WITH pid AS (SELECT fi, {pid_sql} AS account FROM ali_trade_raw WHERE {pid_where} GROUP BY fi)
        SELECT t, pid.account, {trim('c0')} AS txn_id, {trim('c1')} AS order_id, {trim('c2')} AS btype,
               try_cast({trim('c12')} AS DECIMAL(18,2)) AS amount, {trim('c21')} AS refund_id,
               -try_cast(coalesce({trim('c22')}, '0') AS DECIMAL(18,5)) AS fee
        FROM ali_trade_raw r LEFT JOIN pid USING (fi)
        WHERE t IS NOT NULL AND c0[1] <> '#';
        DROP TABLE ali_trade_raw;
    """)
    # Payments and refunds (txn records) of both providers, one per id: a payment or refund
    # seen in two bills counts once.
    st.run("payments and refunds", f"""
        CREATE TEMP TABLE pay AS
        SELECT provider, txn_id, any_value(account) AS account, any_value(order_id) AS order_id,
               any_value(t) AS t, any_value(amount) AS amount, any_value(fee) AS fee,
               any_value(status) AS status
        FROM (
          SELECT 'wechatpay' AS provider, txn_id, account, order_id, t, settle AS amount, fee,
                 CASE state WHEN 'SUCCESS' THEN 'success' ELSE 'revoked' END AS status
          FROM wx_trade WHERE state IN ('SUCCESS', 'REVOKED') AND txn_id IS NOT NULL
          UNION ALL
          SELECT 'alipay', txn_id, account, order_id, t, amount, fee, 'success'
          FROM ali_trade WHERE btype = {k('交易')} AND txn_id IS NOT NULL
        ) GROUP BY provider, txn_id;
        CREATE TEMP TABLE refund AS
        SELECT provider, any_value(refund_id) AS refund_id, any_value(txn_id) AS txn_id,
               any_value(amount) AS amount, any_value(fee) AS fee, any_value(status) AS status
        FROM (
          SELECT 'wechatpay' AS provider, refund_id, txn_id, t, -ramt AS amount, fee,
                 CASE WHEN rstate = 'SUCCESS' THEN 'success' WHEN rstate = 'PROCESSING' THEN 'pending'
                      WHEN rstate IS NULL THEN 'unknown' ELSE 'failed' END AS status
          FROM wx_trade WHERE state = 'REFUND'
          UNION ALL
          SELECT 'alipay', refund_id, txn_id, t, amount, fee, 'success'
          FROM ali_trade WHERE btype = {k('退款')}
        ) GROUP BY provider, coalesce(refund_id, txn_id || '@' || CAST(t AS VARCHAR));
        DROP TABLE wx_trade; DROP TABLE ali_trade;
    """)

    # WeChat Pay fund flow (资金账单, 11 columns, backticks). The file names no account: the
    # config names one per folder (`{ path, account }`), else see the vote below.
    wf_cols = ["t", "biz", "flow", "bname", "btype", "dir", "amt", "bal", "who", "memo", "voucher"]
    dir_acct = dict(fund_dirs)
    acct_of = [(i, dir_acct.get(os.path.dirname(os.path.abspath(f)) + "/"))
               for i, f in enumerate(wx_fund)]
    table("wx_fund_acct", ["fi BIGINT", "account VARCHAR"], acct_of)
    # Alipay account log (账务明细, 12 columns): `#` frame, PID in the preamble.
    af_cols = [f"c{i}" for i in range(12)]
    st.run("read fund flows", f"""
        CREATE TEMP TABLE wx_fund AS
        SELECT * FROM (
          SELECT file_index AS fi, try_cast(substr(t, 2) AS TIMESTAMP) AS t, {bt('biz')} AS biz,
                 {bt('flow')} AS serial, {bt('btype')} AS btype, {bt('dir')} = '收入' AS is_in,
                 try_cast({bt('amt')} AS DECIMAL(18,2)) AS amt, {bt('voucher')} AS voucher
          FROM {scan(wx_fund, csv_opts + ", delim=',', skip=1", wf_cols)})
        WHERE t IS NOT NULL AND is_in IS NOT NULL AND amt IS NOT NULL;
        CREATE TEMP TABLE ali_fund_raw AS
        SELECT * FROM (
          SELECT file_index AS fi, c0, c1, try_cast(trim(c4) AS TIMESTAMP) AS t, c6, c7, c10
          FROM {scan(ali_acct_src, pad_opts + f", delim=',', encoding='{enc}'", af_cols)})
        WHERE t IS NOT NULL OR c0[1] = '#';
    """)
    if any(a is None for _, a in acct_of):
        # a file the config names no account for: the account whose payments its incomes
        # and refunds settle, else the one its folder's other files settle
        table("wx_fund_dir", ["fi BIGINT", "dir VARCHAR"],
              [(i, os.path.dirname(os.path.abspath(f))) for i, f in enumerate(wx_fund)])
        st.run("fund-flow accounts by vote", """
            CREATE TEMP TABLE votes AS
            SELECT w.fi, p.account, count(*) AS n FROM wx_fund w
            LEFT JOIN refund r ON w.btype = '退款' AND r.provider = 'wechatpay' AND r.refund_id = w.biz
            JOIN pay p ON p.provider = 'wechatpay'
                      AND p.txn_id = CASE WHEN w.btype = '交易' THEN w.biz ELSE r.txn_id END
            WHERE w.btype IN ('交易', '退款') GROUP BY ALL;
            UPDATE wx_fund_acct SET account = v.account FROM (
              SELECT d.fi, coalesce(f.account, g.account) AS account
              FROM wx_fund_dir d
              LEFT JOIN (SELECT fi, arg_max(account, n) AS account FROM votes GROUP BY fi) f USING (fi)
              LEFT JOIN (SELECT dir, arg_max(account, n) AS account FROM (
                           SELECT d.dir, v.account, sum(v.n) AS n FROM votes v JOIN wx_fund_dir d USING (fi)
                           GROUP BY ALL) GROUP BY dir) g USING (dir)) v
            WHERE wx_fund_acct.fi = v.fi AND wx_fund_acct.account IS NULL
        """)
    # Typed fund records in ledger order per account: (time, file, the ledger's own serial
    # number 资金流水单号 / 账务流水号); qrecon orders by (time, file, line). In the same pass:
    # sinks (withdrawals, freezes) so far, and withdrawals before each line. Accounts get a
    # small integer id (aid) for the partitions.
    wx_types = """
          WHEN btype = '交易' THEN 'income' WHEN btype = '退款' THEN 'refund'
          WHEN btype = '提现' THEN 'withdrawal'
          WHEN contains(btype, '手续费') OR contains(btype, '服务费') THEN 'fee'
          WHEN contains(btype, '解冻') THEN 'unfreeze' WHEN contains(btype, '冻结') THEN 'freeze'"""
    ali_types = f"""
          WHEN btype IN ({k('在线支付')}, {k('交易付款')}) THEN 'income'
          WHEN btype = {k('收费')} OR contains(btype, {k('服务费')}) OR contains(btype, {k('手续费')}) THEN 'fee'
          WHEN btype IN ({k('交易退款')}, {k('退款')}) THEN 'refund'
          WHEN btype = {k('提现')} THEN 'withdrawal'
          WHEN contains(btype, {k('解冻')}) THEN 'unfreeze' WHEN contains(btype, {k('冻结')}) THEN 'freeze'"""
    st.run("ledger order", f"""
        CREATE TEMP TABLE fund_file AS
        SELECT 'wechatpay' AS provider, fi, coalesce(account, '') AS account FROM wx_fund_acct
        UNION ALL
        SELECT 'alipay', fi, coalesce({pid_sql}, '') FROM ali_fund_raw WHERE {pid_where} GROUP BY fi;
        CREATE TEMP TABLE acct AS
        SELECT provider, account, row_number() OVER (ORDER BY provider, account)::INT AS aid
        FROM (SELECT DISTINCT provider, account FROM fund_file);
        CREATE TEMP TABLE ev AS
        WITH ff AS (SELECT f.provider, f.fi, a.aid FROM fund_file f JOIN acct a USING (provider, account)),
        u AS (
          SELECT 'wechatpay' AS provider, ff.aid, w.fi, t, try_cast(serial AS HUGEINT) AS sn,
                 CASE WHEN is_in THEN abs(amt) ELSE -abs(amt) END AS amount, is_in, biz, voucher,
                 CASE WHEN is_in AND btype = '退票' THEN 'withdrawal_return' ELSE CASE {wx_types} ELSE 'other' END END AS type0
          FROM wx_fund w JOIN ff ON ff.provider = 'wechatpay' AND ff.fi = w.fi
          UNION ALL
          SELECT 'alipay', ff.aid, r.fi, t, try_cast({trim('c0')} AS HUGEINT), amount, amount > 0, biz, biz,
                 CASE WHEN amount > 0 AND btype IN ({k('提现退回')}, {k('退票')}) THEN 'withdrawal_return'
                      ELSE CASE {ali_types} ELSE 'other' END END
          FROM (SELECT *, {trim('c1')} AS biz, {trim('c10')} AS btype,
                       try_cast(coalesce({trim('c6')}, '0') AS DECIMAL(18,2))
                         - abs(try_cast(coalesce({trim('c7')}, '0') AS DECIMAL(18,2))) AS amount
                FROM ali_fund_raw WHERE t IS NOT NULL AND c0[1] <> '#') r
          JOIN ff ON ff.provider = 'alipay' AND ff.fi = r.fi
        ), wds AS (   -- an income line carrying a withdrawal's id is that withdrawal returned
          SELECT DISTINCT ff.aid, w.voucher FROM wx_fund w JOIN ff ON ff.provider = 'wechatpay' AND ff.fi = w.fi
          WHERE w.btype = '提现' AND w.voucher IS NOT NULL
          UNION
          SELECT DISTINCT ff.aid, {trim('c1')} FROM ali_fund_raw r JOIN ff ON ff.provider = 'alipay' AND ff.fi = r.fi
          WHERE {trim('c10')} = {k('提现')} AND {trim('c1')} IS NOT NULL AND r.t IS NOT NULL AND c0[1] <> '#'
        ), typed AS (
          SELECT u.*, CASE WHEN u.is_in AND wds.voucher IS NOT NULL THEN 'withdrawal_return' ELSE type0 END AS type
          FROM u LEFT JOIN wds ON u.is_in AND wds.aid = u.aid AND wds.voucher = u.voucher
        ), ids AS (
          SELECT aid, typed.provider, epoch_ms(t) * 65536 + fi AS tk, sn, t, type, typed.amount,
                 CASE WHEN type IN ('withdrawal', 'withdrawal_return') THEN voucher END AS payout_id,
                 CASE WHEN type = 'income' OR (type = 'refund' AND typed.provider = 'alipay') THEN biz
                      WHEN type = 'refund' THEN rf.txn_id END AS pay_txn,
                 (type IN ('withdrawal', 'freeze'))::INT AS is_sink, (type = 'withdrawal')::INT AS is_wd
          FROM typed LEFT JOIN refund rf ON typed.type = 'refund' AND typed.provider = 'wechatpay'
               AND rf.provider = 'wechatpay' AND rf.refund_id = typed.biz
        )
        -- one sort, then running counts in that order (a streaming window): seq, sinks so
        -- far and withdrawals before run over all accounts, and are compared within one
        SELECT aid, provider, t, type, amount, payout_id, pay_txn,
               row_number() OVER () AS seq,
               sum(is_sink) OVER (ROWS UNBOUNDED PRECEDING) AS nsinks,
               sum(is_wd) OVER (ROWS UNBOUNDED PRECEDING) - is_wd AS wbefore
        FROM (SELECT * FROM ids ORDER BY aid, tk, sn);
        DROP TABLE wx_fund; DROP TABLE ali_fund_raw;
    """)

    # ---------------------------------------------------------------- ledger replay (FIFO)
    # A lot per settled income; sinks (withdrawals, freezes) take the oldest lots. In
    # cumulative terms a lot is the interval [e - len, e) of the account's running lot total
    # and a sink the interval [F_prev, F) of the running total taken, where
    # F_k = min(F_{k-1} + C_k, A_k) (C = what the sink takes: a withdrawal its amount plus the
    # debits netted into it, a freeze its amount; A = lots posted before it; F_0 = where the
    # account's lots start). That capped running sum is
    # F_k = S_k + min(F_0, min_{j<=k}(A_j - S_j)), S the running sum of C.
    st.run("ledger: lots and debits", """
        -- returned withdrawals: a withdrawal_return naming an earlier withdrawal of the account
        CREATE TEMP TABLE rets AS
        SELECT r.aid, r.seq, max(w.seq) AS wseq
        FROM (SELECT * FROM ev WHERE type = 'withdrawal_return') r
        LEFT JOIN (SELECT * FROM ev WHERE type = 'withdrawal') w
          ON w.aid = r.aid AND w.payout_id = r.payout_id AND w.seq < r.seq
        GROUP BY ALL;
        -- a refund debit takes from its own payment's lot while that lot is still in the
        -- balance (posted before the refund, no sink between them); the rest is netted
        CREATE TEMP TABLE rtake AS
        SELECT r.aid, r.seq AS rseq, l.seq AS lseq,
               greatest(0, least(-r.amount, l.amount - (sum(-r.amount) OVER w + r.amount))) AS take
        FROM (SELECT * FROM ev WHERE type = 'refund' AND amount < 0) r
        JOIN (SELECT * FROM ev WHERE type = 'income') l
          ON l.aid = r.aid AND l.pay_txn = r.pay_txn AND l.seq < r.seq AND l.nsinks = r.nsinks
        WINDOW w AS (PARTITION BY l.aid, l.seq ORDER BY r.seq);
        -- lots: incomes (less what own refunds took), other credits, returns of unknown payouts
        -- e: running lot total in ledger order over all accounts (each account's lots are
        -- contiguous; its sinks start from where its first lot starts)
        CREATE TEMP TABLE lot AS
        SELECT *, sum(len) OVER (ROWS UNBOUNDED PRECEDING) AS e
        FROM (
          SELECT e.aid, e.seq, CASE WHEN e.type = 'income' THEN e.pay_txn END AS pay_txn,
                 e.amount - coalesce(tk.taken, 0) AS len
          FROM ev e
          LEFT JOIN (SELECT aid, lseq AS seq, sum(take) AS taken FROM rtake GROUP BY ALL) tk USING (aid, seq)
          LEFT JOIN (SELECT aid, seq FROM rets WHERE wseq IS NULL) ur USING (aid, seq)
          WHERE e.amount > 0 AND (e.type IN ('income', 'other', 'refund', 'fee')
                                  OR (e.type = 'withdrawal_return' AND ur.seq IS NOT NULL))
          ORDER BY e.seq
        ) WHERE len > 0;
        CREATE TEMP TABLE lot_base AS SELECT aid, min(e - len) AS base FROM lot GROUP BY aid;
        -- debits netted into the next withdrawal (wbefore = withdrawals before the debit)
        CREATE TEMP TABLE netted AS
        SELECT e.aid, e.wbefore, sum(-e.amount - coalesce(t.take, 0)) AS n
        FROM ev e LEFT JOIN (SELECT aid, rseq AS seq, sum(take) AS take FROM rtake GROUP BY ALL) t USING (aid, seq)
        WHERE e.amount < 0 AND e.type NOT IN ('withdrawal', 'withdrawal_return', 'freeze', 'unfreeze', 'income')
        GROUP BY ALL;
    """)
    st.run("ledger: sinks", """
        CREATE TEMP TABLE sink0 AS
        SELECT s.aid, s.seq, s.type, s.payout_id, CAST(s.t AS DATE) AS date, abs(s.amount) AS amount,
               s.t, coalesce(s.type = 'withdrawal' AND r.wseq IS NOT NULL, false) AS returned,
               CASE WHEN s.type = 'withdrawal' THEN abs(s.amount) + coalesce(n.n, 0)
                    WHEN s.amount = 0 THEN CAST(1e15 AS DECIMAL(38,2)) ELSE abs(s.amount) END AS c
        FROM ev s
        LEFT JOIN (SELECT DISTINCT aid, wseq FROM rets) r ON r.aid = s.aid AND r.wseq = s.seq
        LEFT JOIN netted n ON s.type = 'withdrawal' AND n.aid = s.aid AND n.wbefore = s.wbefore
        WHERE s.type IN ('withdrawal', 'freeze');
        CREATE TEMP TABLE sink1 AS
        SELECT s.*, coalesce(b.base, 0) AS base, coalesce(l.e, b.base, 0) AS avail FROM sink0 s
        LEFT JOIN lot_base b USING (aid)
        ASOF LEFT JOIN lot l ON l.aid = s.aid AND s.seq > l.seq;
        CREATE TEMP TABLE sink_f AS
        SELECT *, coalesce(lag(f) OVER w, base) AS f_prev FROM (
          SELECT *, cs + least(base, min(avail - cs) OVER w) AS f FROM (
            SELECT *, sum(c) OVER w AS cs FROM sink1 WHERE NOT returned
            WINDOW w AS (PARTITION BY aid ORDER BY seq ROWS UNBOUNDED PRECEDING))
          WINDOW w AS (PARTITION BY aid ORDER BY seq ROWS UNBOUNDED PRECEDING))
        WINDOW w AS (PARTITION BY aid ORDER BY seq);
        -- a returned withdrawal carried lots from where the taking stood; they went back to
        -- the front of the balance, so it does not move the taking on
        CREATE TEMP TABLE sink AS
        SELECT s.*, a.provider, a.account FROM (
          SELECT aid, seq, type, payout_id, date, amount, t, returned, f_prev AS a, f AS b
          FROM sink_f WHERE f > f_prev
          UNION ALL
          SELECT r.aid, r.seq, r.type, r.payout_id, r.date, r.amount, r.t, true,
                 coalesce(s.f, r.base), least(coalesce(s.f, r.base) + r.c, r.avail)
          FROM (SELECT * FROM sink1 WHERE returned) r
          ASOF LEFT JOIN sink_f s ON s.aid = r.aid AND r.seq > s.seq
          WHERE least(coalesce(s.f, r.base) + r.c, r.avail) > coalesce(s.f, r.base)
        ) s JOIN acct a USING (aid);
    """)
    st.run("ledger: lots to sinks", """
        CREATE TEMP TABLE carried AS
        SELECT s.provider, s.account, l.pay_txn, s.seq, s.type, s.returned, s.payout_id, s.date,
               least(l.e, s.b) - greatest(l.e - l.len, s.a) AS amount
        FROM lot l JOIN sink s ON s.aid = l.aid AND l.e - l.len < s.b AND l.e > s.a
        WHERE l.pay_txn IS NOT NULL;
    """)

    # ---------------------------------------------------------------- bank
    # ICBC statement CSV: preamble, header row, data rows of quoted TAB-padded cells, a
    # footer of totals. Read whole (small files) to keep each line's number for evidence.
    bank_src = (f"read_text({flist(bank_files)})" if bank_files else
                "(SELECT NULL::VARCHAR AS filename, NULL::VARCHAR AS content WHERE false)")
    field = "trim(regexp_replace(f[{}], '^\"|\"$', '', 'g'), E' \\t')"
    st.run("read bank statements", f"""
        CREATE TEMP TABLE bank_raw AS
        SELECT filename AS file, i AS line, rtrim(l, E'\\r') AS l FROM (
          SELECT filename, unnest(lst) AS l, generate_subscripts(lst, 1) AS i
          FROM (SELECT filename, string_split(content, E'\\n') AS lst FROM {bank_src}));
        CREATE TEMP TABLE bank AS
        WITH hdr AS (
          SELECT file, min(line) AS hline FROM bank_raw WHERE l LIKE '交易日期,%' GROUP BY file
        ), card0 AS (   -- the statement's card, once per file
          SELECT file, nullif(arg_min(regexp_extract(l, '^"?(?:卡号|账号)[:：]\\s*([0-9*]+)', 1), b.line), '') AS card
          FROM bank_raw b JOIN hdr h USING (file)
          WHERE b.line < h.hline AND (l LIKE '%卡号%' OR l LIKE '%账号%')
            AND regexp_matches(l, '^"?(?:卡号|账号)[:：]') GROUP BY file
        ), card AS (    -- is it one of merchant.bank_accounts?
          SELECT *, card IS NULL OR NOT EXISTS (SELECT 1 FROM bank_acct)
                    OR file IN (SELECT file FROM ({acct_pairs("card0", "card", "bank_acct", "acct")})) AS ours
          FROM card0
        ), cols AS (
          SELECT b.file, h.hline,
                 list_transform(regexp_extract_all(b.l, '(?:^|,)("(?:[^"]|"")*"|[^,]*)', 1),
                                lambda x: trim(regexp_replace(x, '^"|"$', '', 'g'), E' \\t')) AS names
          FROM bank_raw b JOIN hdr h ON h.file = b.file AND h.hline = b.line
        ), rows AS (
          SELECT b.file, b.line, b.l, c.names,
                 regexp_extract_all(b.l, '(?:^|,)("(?:[^"]|"")*"|[^,]*)', 1) AS f
          FROM bank_raw b JOIN cols c ON c.file = b.file AND b.line > c.hline
        ), parsed AS (
          SELECT file, line, l,
                 try_strptime({field.format("list_position(names, '交易日期')")}, '%Y-%m-%d')::DATE AS vdate,
                 try_cast(replace({field.format("list_position(names, '记账金额(收入)')")}, ',', '') AS DECIMAL(18,2)) AS credit,
                 {field.format("list_position(names, '对方户名')")} AS counterparty,
                 {field.format("list_position(names, '交易详情')")} AS detail,
                 {field.format("list_position(names, '摘要')")} AS summary
          FROM rows
        )
        SELECT p.file || ':' || p.line AS ev, p.file, p.line, p.l, vdate, credit AS amount,
               counterparty, detail, summary, card.card
        FROM parsed p LEFT JOIN card USING (file)
        WHERE vdate IS NOT NULL AND credit > 0 AND coalesce(card.ours, true);
        DROP TABLE bank_raw;
    """)
    # Business-day arithmetic: plus(d, n) = the n-th business day after d (n = 0: d).
    offs = sorted({0} | {v["n"] for v in providers.values() if v["kind"] == "T"}
                  | {v["bank_days"] for v in providers.values()}
                  | {v["bank_days"] + bank_window for v in providers.values()})
    st.run("business days", f"""
        CREATE TEMP TABLE plus AS
        SELECT c.d, o.n, CASE WHEN o.n = 0 THEN c.d ELSE b.d END AS r
        FROM (SELECT * FROM cal WHERE d BETWEEN DATE '2015-01-01' AND DATE '2036-12-31') c
        CROSS JOIN (SELECT unnest({offs}) AS n) o
        LEFT JOIN bday b ON o.n > 0 AND b.rank = c.rank + o.n;
    """)
    # payout -> bank credit: same amount, value date from the payout day to bank_days + the
    # window business days after it, and the payout id on the line (preferred) or the
    # provider's name; best = by reference, then nearest date. A credit is used once: the
    # earlier payout wins it; the loser gets a second pick.
    st.run("bank links", f"""
        CREATE TEMP TABLE payout AS
        SELECT s.provider, s.account, s.seq, s.payout_id, s.date, s.t, s.amount,
               pl.r AS last_day
        FROM (SELECT DISTINCT provider, account, seq, payout_id, date, t, amount FROM sink
              WHERE type = 'withdrawal' AND NOT returned) s
        JOIN terms tm USING (provider)
        JOIN plus pl ON pl.d = s.date AND pl.n = tm.bank_days + {bank_window};
        CREATE TEMP TABLE bank_names AS
        SELECT DISTINCT b.ev, c.provider FROM bank b JOIN cparty c
          ON contains(b.counterparty, c.name) OR contains(b.summary, c.name) OR contains(b.detail, c.name);
        CREATE TEMP TABLE bank_cand AS
        SELECT p.provider, p.account, p.seq, b.ev, b.vdate,
               (length(p.payout_id) >= 6 AND contains(b.l, p.payout_id)) AS by_ref,
               date_diff('day', p.date, b.vdate) AS gap,
               dense_rank() OVER (ORDER BY p.date, p.t, p.provider, p.account, p.seq) AS pord
        FROM payout p JOIN bank b ON b.amount = p.amount AND b.vdate BETWEEN p.date AND p.last_day
        LEFT JOIN bank_names n ON n.ev = b.ev AND n.provider = p.provider
        LEFT JOIN settle sa ON sa.account = p.account
        WHERE ((length(p.payout_id) >= 6 AND contains(b.l, p.payout_id)) OR n.ev IS NOT NULL)
          -- a credit on the statement of another account than the payout's settlement account
          -- is not its (statements naming no account stay candidates)
          AND (sa.bank IS NULL OR b.card IS NULL OR acct_match(sa.bank, b.card));
    """)
    # two rounds of "best candidate, earliest payout wins"
    con.execute("""
        CREATE TEMP TABLE bank_link (provider VARCHAR, account VARCHAR, seq BIGINT, ev VARCHAR,
                                     vdate DATE, by_ref BOOLEAN, ambiguous BOOLEAN)
    """)
    for _ in range(2):
        con.execute("""
            INSERT INTO bank_link
            WITH c AS (
              SELECT bc.* FROM bank_cand bc
              WHERE NOT EXISTS (SELECT 1 FROM bank_link l WHERE l.ev = bc.ev)
                AND NOT EXISTS (SELECT 1 FROM bank_link l WHERE l.provider = bc.provider
                                AND l.account = bc.account AND l.seq = bc.seq)
            ), best AS (
              SELECT * FROM (
                SELECT *, rank() OVER (PARTITION BY provider, account, seq ORDER BY NOT by_ref, gap) AS rk,
                       count(*) OVER (PARTITION BY provider, account, seq, NOT by_ref, gap) AS ties
                FROM c) WHERE rk = 1
            ), win AS (   -- a credit wanted by several payouts goes to the earliest
              SELECT ev, min(pord) AS pord FROM best WHERE ties = 1 GROUP BY ev
            )
            SELECT DISTINCT ON (provider, account, seq) provider, account, seq,
                   CASE WHEN ties = 1 THEN ev END, vdate, by_ref, ties > 1
            FROM best b
            WHERE ties > 1 OR EXISTS (SELECT 1 FROM win w WHERE w.ev = b.ev AND w.pord = b.pord)
            ORDER BY provider, account, seq, ev
        """)
    st.lap("bank links (rounds)")

    # ---------------------------------------------------------------- claims
    claim_cols = ["claim_id", "source", "provider", "paid_at", "amount", "currency", "order_id",
                  "txn_id", "payer", "payee_seen", "note"]
    claims_src = (f"read_csv({q(claims_file)}, header=true, auto_detect=false, delim=',', quote='\"', "
                  f"escape='\"', columns={colspec(claim_cols)}, null_padding=true)"
                  if os.path.exists(claims_file) else
                  "(SELECT " + ", ".join(f"NULL::VARCHAR AS {c}" for c in claim_cols) + " WHERE false)")
    st.run("read claims", f"""
        CREATE TEMP TABLE claim AS
        WITH c AS (
          SELECT trim(claim_id) AS claim_id, nullif(lower(trim(provider)), '') AS provider,
                 coalesce(try_strptime(trim(paid_at), {ts}),
                          try_strptime(trim(paid_at), '%Y-%m-%dT%H:%M:%S'),
                          make_timestamp(epoch_us(try_strptime(trim(paid_at), '%Y-%m-%dT%H:%M:%S%z'))
                                         + {utc_offset_secs} * 1000000)) AS t,
                 try_cast(trim(amount) AS DECIMAL(18,2)) AS amount,
                 nullif(trim(order_id), '') AS order_id, nullif(trim(txn_id), '') AS txn_id,
                 nullif(trim(payee_seen), '') AS payee
          FROM {claims_src}
          WHERE nullif(trim(claim_id), '') IS NOT NULL
        )
        SELECT c.*, (c.provider IS NULL OR c.provider = 'unknown') AS anyprov,
               (c.payee IS NOT NULL AND (SELECT count(*) FROM payees) > 0 AND NOT EXISTS (
                  SELECT 1 FROM payees p WHERE p.name = c.payee AND (p.provider = c.provider
                    OR c.provider IS NULL OR c.provider NOT IN (SELECT provider FROM payees)))) AS foreign_payee,
               row_number() OVER (ORDER BY c.t, c.claim_id) AS ord
        FROM c;
    """)
    st.run("claim links", f"""
        CREATE TEMP TABLE by_id AS
        WITH bt AS (
          SELECT c.ord, p.provider, p.txn_id FROM claim c JOIN pay p
            ON p.txn_id = c.txn_id AND (c.anyprov OR p.provider = c.provider) WHERE NOT c.foreign_payee
        ), bo AS (
          SELECT c.ord, p.provider, p.txn_id FROM claim c JOIN pay p
            ON p.order_id = c.order_id AND (c.anyprov OR p.provider = c.provider)
          WHERE NOT c.foreign_payee AND c.ord NOT IN (SELECT ord FROM bt)
        )
        SELECT *, count(*) OVER (PARTITION BY ord) AS n FROM (SELECT * FROM bt UNION ALL SELECT * FROM bo);
        -- amount + time window for claims with no id: the unconsumed payment nearest in time;
        -- payments already cited by an earlier claim are consumed
        CREATE TEMP TABLE by_window AS
        WITH first_id AS (
          SELECT provider, txn_id, min(ord) AS first_ord FROM by_id WHERE n = 1 GROUP BY ALL
        ), cand AS (
          SELECT c.ord, p.provider, p.txn_id, abs(epoch(p.t) - epoch(c.t)) AS gap
          FROM claim c JOIN pay p ON p.amount = c.amount AND (c.anyprov OR p.provider = c.provider)
               AND p.t BETWEEN c.t - INTERVAL {win_secs} SECOND AND c.t + INTERVAL {win_secs} SECOND
          LEFT JOIN first_id f ON f.provider = p.provider AND f.txn_id = p.txn_id
          WHERE NOT c.foreign_payee AND c.txn_id IS NULL AND p.status = 'success'
            AND c.ord NOT IN (SELECT ord FROM by_id)
            AND (f.first_ord IS NULL OR f.first_ord > c.ord)
        ), best AS (
          SELECT *, count(*) OVER (PARTITION BY ord) AS n FROM (
            SELECT * FROM cand QUALIFY rank() OVER (PARTITION BY ord ORDER BY gap) = 1)
        )
        SELECT ord, provider, txn_id, n FROM best
        QUALIFY n > 1 OR row_number() OVER (PARTITION BY provider, txn_id, n = 1 ORDER BY ord) = 1;
        CREATE TEMP TABLE claim_link AS
        SELECT ord, provider, txn_id,
               ord > min(ord) OVER (PARTITION BY provider, txn_id) AS dup
        FROM (SELECT ord, provider, txn_id FROM by_id WHERE n = 1
              UNION ALL SELECT ord, provider, txn_id FROM by_window WHERE n = 1);
        CREATE TEMP TABLE claim_amb AS
        SELECT DISTINCT ord FROM (SELECT ord FROM by_id WHERE n > 1 UNION ALL
                                  SELECT ord FROM by_window WHERE n > 1);
    """)

    # ---------------------------------------------------------------- per payment facts
    st.run("payment facts", f"""
        CREATE TEMP TABLE pdue AS
        SELECT d.provider, d.d, CASE WHEN tm.kind = 'T' THEN pl.r ELSE d.d + tm.n END AS due
        FROM (SELECT DISTINCT provider, CAST(t AS DATE) AS d FROM pay) d JOIN terms tm USING (provider)
        LEFT JOIN plus pl ON pl.d = d.d AND pl.n = tm.n;
        CREATE TEMP TABLE rf AS
        SELECT provider, txn_id, sum(-amount) AS refunded, sum(fee) AS rfee
        FROM refund WHERE status = 'success' GROUP BY ALL;
        CREATE TEMP TABLE chain AS
        SELECT c.provider, c.pay_txn AS txn_id,
               bool_or(c.type = 'withdrawal') AS has_payout,
               bool_or(c.type = 'withdrawal' AND c.returned) AS any_returned,
               coalesce(sum(c.amount) FILTER (WHERE c.type = 'withdrawal' AND NOT c.returned), 0) AS paid_out,
               bool_or(c.type = 'freeze') AS frozen,
               arg_max(c.payout_id, c.seq) FILTER (WHERE c.type = 'withdrawal') AS payout_id,
               max(c.date) FILTER (WHERE c.type = 'withdrawal' AND NOT c.returned) AS payout_date,
               coalesce(bool_or(bl.ev IS NOT NULL), false) AS has_bank,
               coalesce(bool_or(bl.ambiguous), false) AS bank_ambiguous,
               max(bl.vdate) FILTER (WHERE bl.ev IS NOT NULL) AS bank_date,
               arg_max(bl.ev, c.seq) FILTER (WHERE bl.ev IS NOT NULL) AS bank_ev
        FROM carried c
        LEFT JOIN bank_link bl ON c.type = 'withdrawal' AND NOT c.returned
             AND bl.provider = c.provider AND bl.account = c.account AND bl.seq = c.seq
        GROUP BY ALL;
        -- payouts stopped: two or more past due dates with no payout since, or paid out under
        -- half of the sales due, while sales went on (accounts whose ledger is in the inputs)
        CREATE TEMP TABLE stopped AS
        WITH sales AS (
          SELECT p.provider, p.account, d.due, sum(p.amount) AS sales
          FROM pay p JOIN pdue d ON d.provider = p.provider AND d.d = CAST(p.t AS DATE)
          WHERE p.status = 'success' GROUP BY ALL
        ), paid AS (
          SELECT provider, account, date, sum(amount) AS paid FROM payout GROUP BY ALL
        ), last AS (SELECT provider, account, max(date) AS last FROM paid GROUP BY ALL)
        SELECT s.provider, s.account,
               count(*) FILTER (WHERE s.due < DATE {q(as_of_date)} AND (l.last IS NULL OR s.due > l.last)) >= 2
               OR count(*) FILTER (WHERE s.due < DATE {q(as_of_date)} AND pd.paid > 0 AND pd.paid * 2 < s.sales) >= 2
                 AS stopped
        FROM sales s JOIN acct a USING (provider, account)
        LEFT JOIN last l USING (provider, account)
        LEFT JOIN paid pd ON pd.provider = s.provider AND pd.account = s.account AND pd.date = s.due
        GROUP BY ALL;
    """)
    # Marks and the primary code, in the default rule pack's priority order.
    st.run("statuses", f"""
        CREATE TEMP TABLE pstat AS
        WITH f AS (
          SELECT p.provider, p.txn_id, p.order_id, p.amount, p.status,
                 coalesce(rf.refunded, 0) AS refunded,
                 p.amount - coalesce(rf.refunded, 0) - (coalesce(p.fee, 0) + coalesce(rf.rfee, 0)) AS net,
                 d.due AS expected_payout,
                 coalesce(ch.has_payout, false) AS has_payout, coalesce(ch.frozen, false) AS is_frozen,
                 coalesce(ch.has_bank, false) AS has_bank, coalesce(ch.bank_ambiguous, false) AS bank_amb,
                 coalesce(ch.any_returned, false) AS any_returned, coalesce(ch.paid_out, 0) AS paid_out,
                 ch.payout_id, ch.bank_ev, coalesce(s.stopped, false) AS stopped,
                 pb.r AS expected_bank
          FROM pay p
          JOIN terms tm USING (provider)
          LEFT JOIN rf USING (provider, txn_id)
          LEFT JOIN pdue d ON d.provider = p.provider AND d.d = CAST(p.t AS DATE)
          LEFT JOIN chain ch USING (provider, txn_id)
          LEFT JOIN stopped s USING (provider, account)
          LEFT JOIN plus pb ON pb.d = coalesce(ch.payout_date, d.due) AND pb.n = tm.bank_days
        ), m AS (
          SELECT *, status = 'success' AND refunded < amount AS settles,
                 any_returned AND paid_out < net AS returned,
                 DATE {q(as_of_date)} > expected_payout AS payout_due_passed,
                 DATE {q(as_of_date)} > expected_bank AS bank_due_passed
          FROM f
        )
        SELECT *, CASE prio WHEN 30 THEN 'AMBIGUOUS_MATCH' WHEN 40 THEN 'PAYMENT_FAILED'
               WHEN 50 THEN 'PAYMENT_PENDING' WHEN 80 THEN 'FUNDS_FROZEN' WHEN 90 THEN 'PAYOUT_RETURNED'
               WHEN 100 THEN 'SETTLEMENT_OVERDUE' WHEN 110 THEN 'BANK_DELAYED' WHEN 120 THEN 'REFUNDED'
               WHEN 130 THEN 'SETTLEMENT_PENDING' WHEN 140 THEN 'BANK_IN_TRANSIT' WHEN 150 THEN 'ARRIVED'
               ELSE 'UNDIAGNOSED' END AS code FROM (
        SELECT provider, txn_id, order_id, amount, status AS pay_status, payout_id, bank_ev,
          CASE
            WHEN settles AND bank_amb AND NOT has_bank AND NOT is_frozen AND NOT returned THEN 30
            WHEN status IN ('failed', 'revoked') THEN 40
            WHEN status IN ('pending', 'unknown') THEN 50
            WHEN settles AND (is_frozen OR (stopped AND payout_due_passed AND NOT has_payout AND NOT has_bank)) THEN 80
            WHEN settles AND returned AND NOT is_frozen THEN 90
            WHEN settles AND payout_due_passed AND NOT has_payout AND NOT has_bank AND NOT is_frozen AND NOT stopped THEN 100
            WHEN settles AND has_payout AND bank_due_passed AND NOT has_bank AND NOT bank_amb AND NOT is_frozen AND NOT returned THEN 110
            WHEN refunded > 0 AND status = 'success' THEN 120
            WHEN settles AND NOT has_payout AND NOT has_bank AND NOT is_frozen AND NOT payout_due_passed THEN 130
            WHEN settles AND has_payout AND NOT has_bank AND NOT bank_amb AND NOT is_frozen AND NOT returned AND NOT bank_due_passed THEN 140
            WHEN settles AND has_bank AND NOT is_frozen AND NOT returned THEN 150
            ELSE 999 END AS prio
        FROM m);
        CREATE TEMP TABLE cases AS
        WITH cc AS (
          SELECT 'claim:' || c.claim_id AS case_id, c.claim_id,
                 coalesce(ps.txn_id, c.txn_id) AS txn_id,
                 CASE WHEN NOT l.dup THEN ps.payout_id END AS payout_id,
                 CASE WHEN NOT l.dup THEN ps.bank_ev END AS bank,
                 CASE WHEN c.foreign_payee THEN 'PAID_TO_OTHER_PAYEE'
                      WHEN l.ord IS NULL AND a.ord IS NOT NULL THEN 'AMBIGUOUS_MATCH'
                      WHEN l.ord IS NULL THEN 'NOT_FOUND_ON_PLATFORM'
                      WHEN l.dup THEN 'DUPLICATE_CLAIM'
                      WHEN ps.prio > 60 AND ps.pay_status = 'success' AND c.amount <> ps.amount THEN 'AMOUNT_MISMATCH'
                      ELSE ps.code END AS status
          FROM claim c
          LEFT JOIN claim_link l USING (ord)
          LEFT JOIN claim_amb a USING (ord)
          LEFT JOIN pstat ps ON ps.provider = l.provider AND ps.txn_id = l.txn_id
        )
        SELECT * FROM cc
        UNION ALL
        SELECT 'txn:' || ps.provider || ':' || ps.txn_id, NULL, ps.txn_id, ps.payout_id, ps.bank_ev, ps.code
        FROM pstat ps ANTI JOIN (SELECT * FROM claim_link WHERE NOT dup) l
          ON l.provider = ps.provider AND l.txn_id = ps.txn_id;
    """)
    cases_csv = os.path.join(out, "cases.csv")
    st.run("write cases.csv", f"""
        COPY (SELECT case_id, status, claim_id, txn_id, payout_id, bank FROM cases ORDER BY case_id)
        TO {q(cases_csv)} (HEADER, DELIMITER ',')
    """)
    seconds = time.perf_counter() - t_start
    # ------------------------------------------------------------ end of the timed part
    for name, secs, cpu in st.laps:
        log(f"  {secs:7.3f}s wall {cpu:7.3f}s cpu  {name}")
    log(f"  {seconds:7.3f}s  total (threads={args.threads}, gbk={args.gbk})")

    if args.gbk == "transcode":
        shutil.rmtree(tmp, ignore_errors=True)
    expected = os.path.join(ds, "expected.jsonl")
    res = {"seconds": round(seconds, 3)}
    n_cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    res["cases"] = n_cases
    res["agree"] = res["disagree"] = None
    if os.path.exists(expected):
        con.execute(f"""
            CREATE TEMP TABLE expected AS
            SELECT * FROM read_json({q(expected)}, format='newline_delimited',
                                    columns={{'case_id': 'VARCHAR', 'status': 'VARCHAR'}})
        """)
        agree, disagree = con.execute("""
            SELECT count(*) FILTER (WHERE e.status = c.status),
                   count(*) FILTER (WHERE e.status IS DISTINCT FROM c.status)
            FROM expected e FULL JOIN cases c USING (case_id)
        """).fetchone()
        res["agree"], res["disagree"] = agree, disagree
        for row in con.execute("""
            SELECT e.status AS expected, c.status AS got, count(*) AS n, min(case_id) AS example
            FROM expected e FULL JOIN cases c USING (case_id)
            WHERE e.status IS DISTINCT FROM c.status GROUP BY ALL ORDER BY n DESC LIMIT 20
        """).fetchall():
            log(f"  disagree: expected {row[0]} got {row[1]}: {row[2]} (e.g. {row[3]})")
    res["by_status"] = dict(con.execute(
        "SELECT status, count(*) FROM cases GROUP BY status ORDER BY count(*) DESC").fetchall())
    print(json.dumps(res, ensure_ascii=False))


if __name__ == "__main__":
    main()
