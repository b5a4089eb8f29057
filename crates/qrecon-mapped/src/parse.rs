//! A checked mapping, and reading a file with it.

use std::borrow::Cow;

use qrecon_adapter_sdk::{
    Decimal, Emitter, FieldError, FileError, Input, Kind, NaiveDate, NaiveDateTime, Record, Status,
    text::{self, QuoteOpens},
};

use crate::number::Numbers;
use crate::spec::{self, AmountSpec, KindSpec, MappingError, Spec, TextSpec};

/// Lines of a file's head searched for the header when sniffing.
const SNIFF_LINES: usize = 40;
/// The score of a file whose header row the mapping finds.
const HEADER_FOUND: u8 = 90;
/// The score of a file without a header whose first rows read as the mapping says.
const ROWS_FIT: u8 = 60;

/// A mapping, checked and ready to read files with. Cheap to share between threads.
#[derive(Debug)]
pub struct Mapping {
    spec: Spec,
    encoding: &'static encoding_rs::Encoding,
    delimiter: char,
    numbers: Numbers,
}

/// Where each mapped field is, once the header is known.
struct Columns {
    names: Vec<String>,
    mapped: Vec<bool>,
}

impl Mapping {
    /// Reads and checks a mapping. Errors carry the mapping's line where it is known.
    pub fn from_yaml(yaml: &str) -> Result<Self, MappingError> {
        let spec = spec::read(yaml)?;
        Self::check(spec).map_err(|(e, key)| e.near(yaml, &key))
    }

    fn check(spec: Spec) -> Result<Self, (MappingError, String)> {
        let label = spec.encoding.as_deref().unwrap_or("utf-8");
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            (
                MappingError::new(format!(
                    "encoding: expected an encoding label like utf-8, gb18030 or windows-1252, found {label:?}"
                )),
                "encoding:".to_owned(),
            )
        })?;
        let delimiter = one_char(spec.delimiter.as_deref().unwrap_or(",")).map_err(|m| {
            (
                MappingError::new(format!("delimiter: {m}")),
                "delimiter:".to_owned(),
            )
        })?;
        let numbers = Numbers {
            decimal: one_char(&spec.numbers.decimal).map_err(|m| {
                (
                    MappingError::new(format!("numbers.decimal: {m}")),
                    "decimal:".to_owned(),
                )
            })?,
            thousands: match spec.numbers.thousands.as_str() {
                "" => None,
                t => Some(one_char(t).map_err(|m| {
                    (
                        MappingError::new(format!("numbers.thousands: {m}")),
                        "thousands:".to_owned(),
                    )
                })?),
            },
        };
        if spec.name.trim().is_empty() {
            return Err((
                MappingError::new("name: expected a name"),
                "name:".to_owned(),
            ));
        }
        match (&spec.header.contains, &spec.header.columns) {
            (Some(c), None) | (None, Some(c)) if !c.is_empty() => {}
            _ => {
                return Err((
                    MappingError::new(
                        "header: expected `contains: [column names]` (a header row naming them) \
                         or `columns: [names by position]` (a file without one)",
                    ),
                    "header:".to_owned(),
                ));
            }
        }
        check_fields(&spec)?;
        if spec.kind == KindSpec::Claim && spec.provider.is_none() {
            return Err((
                MappingError::new("provider: claims need the provider they are claims on"),
                "kind:".to_owned(),
            ));
        }
        Ok(Self {
            spec,
            encoding,
            delimiter,
            numbers,
        })
    }

    /// The mapping's name (the adapter name files read with it are listed under is
    /// `mapped:<name>`).
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The record kind it emits (`bank` or `claim`).
    pub fn kind(&self) -> &'static str {
        match self.spec.kind {
            KindSpec::Bank => "bank",
            KindSpec::Claim => "claim",
        }
    }

    /// Scores a file: 90 when its header row is found in the first lines, 60 for a file
    /// without a header whose first row reads as the mapping says, 0 otherwise (and 0 for a
    /// file whose name matches none of `file_names`, when they are given).
    pub fn sniff(&self, file_name: &str, head: &[u8]) -> u8 {
        if !self.spec.file_names.is_empty()
            && !self.spec.file_names.iter().any(|g| glob(g, file_name))
        {
            return 0;
        }
        let head = self.decode(head);
        let lines = text::lines(&head).take(SNIFF_LINES);
        if self.spec.header.contains.is_some() {
            let found = lines
                .filter(|(_, l)| !self.is_comment(l))
                .any(|(_, l)| self.is_header(l));
            return if found { HEADER_FOUND } else { 0 };
        }
        let first = lines
            .map(|(_, l)| l)
            .find(|l| !text::clean(l).is_empty() && !self.is_comment(l));
        match first {
            Some(line) if self.row_fits(line) => ROWS_FIT,
            _ => 0,
        }
    }

    /// Reads a whole file (see the crate doc).
    pub fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = self.decode(input.bytes);
        let lines: Vec<(u64, &str)> = text::lines(&text).collect();
        let (columns, start) = if let Some(names) = &self.spec.header.columns {
            (Columns::new(names.clone()), 0)
        } else {
            let at = lines
                .iter()
                .position(|(_, l)| !self.is_comment(l) && self.is_header(l))
                .ok_or_else(|| {
                    FileError::new(format!(
                        "mapping {}: no header row naming {} found",
                        self.spec.name,
                        self.spec
                            .header
                            .contains
                            .as_deref()
                            .unwrap_or_default()
                            .join(", ")
                    ))
                })?;
            for &(no, line) in &lines[..at] {
                let blank = text::clean(line).is_empty();
                out.skip(no, if blank { "blank line" } else { "preamble" });
            }
            let (no, line) = lines[at];
            let names = self
                .cells(line)
                .map_err(|e| FileError::at(no, e.reason))?
                .iter()
                .map(|c| text::clean(c).to_owned())
                .collect();
            out.skip(no, "header");
            (Columns::new(names), at + 1)
        };
        let columns = self.resolve(
            columns,
            lines.get(start.saturating_sub(1)).map_or(1, |l| l.0),
            out,
        )?;
        let mut in_footer = false;
        for &(no, line) in &lines[start..] {
            in_footer = in_footer || self.is_footer(line);
            if in_footer {
                out.skip(no, "footer");
            } else if text::clean(line).is_empty() {
                out.skip(no, "blank line");
            } else if self.is_comment(line) {
                out.skip(no, "comment line");
            } else {
                self.row(&columns, (no, line), out);
            }
        }
        Ok(())
    }

    fn decode<'b>(&self, bytes: &'b [u8]) -> Cow<'b, str> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if self.encoding == encoding_rs::UTF_8 {
            return String::from_utf8_lossy(bytes);
        }
        self.encoding.decode_without_bom_handling(bytes).0
    }

    fn cells<'l>(&self, line: &'l str) -> Result<Vec<Cow<'l, str>>, FieldError> {
        text::split_delimited(line, self.delimiter, QuoteOpens::AfterPadding)
    }

    fn is_comment(&self, line: &str) -> bool {
        let l = line.trim_start();
        self.spec
            .skip_lines_starting_with
            .iter()
            .any(|p| l.starts_with(p.as_str()))
    }

    fn is_footer(&self, line: &str) -> bool {
        let l = line.trim_start().trim_start_matches('"');
        self.spec
            .footer_starts_with
            .iter()
            .any(|p| l.starts_with(p.as_str()))
    }

    fn is_header(&self, line: &str) -> bool {
        let Some(wanted) = &self.spec.header.contains else {
            return false;
        };
        let Ok(cells) = self.cells(line) else {
            return false;
        };
        wanted
            .iter()
            .all(|w| cells.iter().any(|c| text::clean(c) == w.as_str()))
    }

    /// Whether `line` (of a file without a header) has the mapping's cells and its date and
    /// amount read.
    fn row_fits(&self, line: &str) -> bool {
        let Some(names) = &self.spec.header.columns else {
            return false;
        };
        let Ok(cells) = self.cells(line) else {
            return false;
        };
        if cells.len() != names.len() {
            return false;
        }
        let columns = Columns::new(names.clone());
        let mut sink = Emitter::new(1);
        self.build(&columns, &cells, (1, line), &mut sink).is_ok()
    }

    /// Checks the mapped columns against the header: a required one missing stops the file,
    /// an optional one missing is a warning (its field stays empty).
    fn resolve(
        &self,
        mut columns: Columns,
        line: u64,
        out: &mut Emitter,
    ) -> Result<Columns, FileError> {
        for (field, name, required) in self.named_columns() {
            match columns.index(name) {
                Some(i) => columns.mapped[i] = true,
                None if required => {
                    return Err(FileError::at(
                        line,
                        format!(
                            "mapping {}: column {name:?} ({field}) is not in the header; it has {}",
                            self.spec.name,
                            columns.names.join(", ")
                        ),
                    ));
                }
                None => out.warn(
                    line,
                    &format!(
                        "mapping {}: column {name:?} ({field}) is not in the header; {field} is left empty",
                        self.spec.name
                    ),
                ),
            }
        }
        Ok(columns)
    }

    /// Every column the mapping names: (field, column, required).
    fn named_columns(&self) -> Vec<(&'static str, &str, bool)> {
        let f = &self.spec.fields;
        let mut out = Vec::new();
        let a = &f.amount;
        for (field, col) in [
            ("amount", &a.column),
            ("credit", &a.credit),
            ("debit", &a.debit),
        ] {
            if let Some(c) = col {
                out.push((field, c.as_str(), true));
            }
        }
        if let Some(d) = &a.direction {
            out.push(("direction", d.column.as_str(), true));
        }
        if let Some(p) = &self.spec.pending {
            out.push(("pending", p.column.as_str(), false));
        }
        for (field, t, required) in text_fields(f) {
            for c in t.column.iter().chain(t.columns.iter().flatten()) {
                out.push((field, c.as_str(), required));
            }
        }
        out
    }

    fn row(&self, columns: &Columns, (no, line): (u64, &str), out: &mut Emitter) {
        let cells = match self.cells(line) {
            Ok(c) => c,
            Err(e) => return out.quarantine(no, None, &e.reason, line),
        };
        if cells.len() != columns.names.len() {
            let m = format!(
                "expected {} cells as in the header, found {}",
                columns.names.len(),
                cells.len()
            );
            return out.quarantine(no, None, &m, line);
        }
        if let Some(p) = &self.spec.pending
            && let Some(v) = columns.cell(&cells, &p.column)
            && p.values.iter().any(|x| x == v)
        {
            return out.skip(no, &format!("pending, not booked ({} = {v})", p.column));
        }
        match self.build(columns, &cells, (no, line), out) {
            Ok(()) => {}
            Err(e) => {
                let field = (!e.field.is_empty()).then_some(e.field.as_str());
                out.quarantine(no, field, &e.reason, line);
            }
        }
    }

    /// Builds the record of one row and reports it.
    fn build(
        &self,
        columns: &Columns,
        cells: &[Cow<'_, str>],
        (no, line): (u64, &str),
        out: &mut Emitter,
    ) -> Result<(), FieldError> {
        let f = &self.spec.fields;
        let amount = self.amount(columns, cells, &f.amount)?;
        let texts: Vec<(&'static str, Option<String>)> = text_fields(f)
            .into_iter()
            .map(|(name, t, _)| (name, columns.text(cells, t)))
            .collect();
        let get = |name: &str| {
            texts
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| v.as_deref())
        };
        let record_type = match (self.spec.kind, &self.spec.record_type) {
            (_, Some(t)) => t.as_str(),
            (KindSpec::Bank, None) if amount < Decimal::ZERO => "debit",
            (KindSpec::Bank, None) => "credit",
            (KindSpec::Claim, None) => "order",
        };
        let kind = match self.spec.kind {
            KindSpec::Bank => Kind::Bank,
            KindSpec::Claim => Kind::Claim,
        };
        let provider = self.spec.provider.as_deref().unwrap_or("bank");
        let mut r = Record::new(no, kind, record_type, provider);
        r.amount = amount;
        r.status = Status::Success;
        r.value_date = Self::date(f.value_date.as_ref(), get("value_date"))?;
        r.time = Self::time(f.time.as_ref(), get("time"))?;
        r.currency = get("currency").unwrap_or("CNY");
        r.account = get("account");
        r.counterparty = get("counterparty");
        r.memo = get("memo");
        r.bank_ref = get("bank_ref");
        r.claim_id = get("claim_id");
        r.order_id = get("order_id");
        r.txn_id = get("txn_id");
        r.payee_id = get("payee_id");
        r.payee_name = get("payee_name");
        r.payer = get("payer");
        r.extra = columns
            .names
            .iter()
            .zip(cells)
            .zip(&columns.mapped)
            .filter(|(_, mapped)| !**mapped)
            .filter_map(|((name, cell), _)| text::non_empty(cell).map(|v| (name.as_str(), v)))
            .collect();
        if r.value_date.is_none() && r.time.is_none() {
            return Err(FieldError::row(
                "the mapping gives neither a value date nor a time",
            ));
        }
        out.record(&r, line);
        Ok(())
    }

    fn amount(
        &self,
        columns: &Columns,
        cells: &[Cow<'_, str>],
        a: &AmountSpec,
    ) -> Result<Decimal, FieldError> {
        let read = |name: &str, required: bool| -> Result<Option<Decimal>, FieldError> {
            match columns.cell(cells, name) {
                None if required => Err(FieldError::new(name, "an amount", "")),
                None => Ok(None),
                Some(v) => self
                    .numbers
                    .parse(v)
                    .map(Some)
                    .ok_or_else(|| FieldError::new(name, &self.expected_amount(), v)),
            }
        };
        let value = match (&a.column, &a.credit, &a.debit) {
            (Some(c), None, None) => {
                let v = read(c, true)?.unwrap_or_default();
                match &a.direction {
                    None => v,
                    Some(d) => {
                        let dir = columns.cell(cells, &d.column).unwrap_or_default();
                        if d.credit.iter().any(|x| x == dir) {
                            v.abs()
                        } else if d.debit.iter().any(|x| x == dir) {
                            -v.abs()
                        } else {
                            let expected = format!(
                                "one of {}",
                                [d.credit.clone(), d.debit.clone()].concat().join(", ")
                            );
                            return Err(FieldError::new(d.column.as_str(), &expected, dir));
                        }
                    }
                }
            }
            (None, Some(cr), Some(dr)) => {
                let (c, d) = (read(cr, false)?, read(dr, false)?);
                if c.is_none() && d.is_none() {
                    return Err(FieldError::row(format!(
                        "both {cr} and {dr} are empty: expected an amount in one of them"
                    )));
                }
                c.unwrap_or_default() - d.unwrap_or_default().abs()
            }
            _ => return Err(FieldError::row("internal: amount spec checked at load")),
        };
        Ok(if a.negate { -value } else { value })
    }

    fn expected_amount(&self) -> String {
        let t = self.numbers.thousands.map(String::from).unwrap_or_default();
        format!("an amount like 1{t}234{}56", self.numbers.decimal)
    }

    fn date(spec: Option<&TextSpec>, v: Option<&str>) -> Result<Option<NaiveDate>, FieldError> {
        let (Some(spec), Some(v)) = (spec, v) else {
            return Ok(None);
        };
        let format = spec.format.as_deref().unwrap_or_default();
        NaiveDate::parse_from_str(v, format).map(Some).map_err(|_| {
            FieldError::new(
                spec_name(spec, "value_date"),
                &format!("a date written {format}"),
                v,
            )
        })
    }

    fn time(spec: Option<&TextSpec>, v: Option<&str>) -> Result<Option<NaiveDateTime>, FieldError> {
        let (Some(spec), Some(v)) = (spec, v) else {
            return Ok(None);
        };
        let format = spec.format.as_deref().unwrap_or_default();
        NaiveDateTime::parse_from_str(v, format)
            .map(Some)
            .map_err(|_| {
                FieldError::new(
                    spec_name(spec, "time"),
                    &format!("a time written {format}"),
                    v,
                )
            })
    }
}

/// The column a field is read from, for error messages (`field` for a fixed value).
fn spec_name<'s>(spec: &'s TextSpec, field: &'s str) -> &'s str {
    spec.column.as_deref().unwrap_or(field)
}

/// The text fields of a mapping: (field, spec, whether its columns must exist).
fn text_fields(f: &spec::FieldsSpec) -> Vec<(&'static str, &TextSpec, bool)> {
    [
        ("value_date", &f.value_date, true),
        ("time", &f.time, true),
        ("currency", &f.currency, false),
        ("account", &f.account, false),
        ("counterparty", &f.counterparty, false),
        ("memo", &f.memo, false),
        ("bank_ref", &f.bank_ref, false),
        ("claim_id", &f.claim_id, false),
        ("order_id", &f.order_id, false),
        ("txn_id", &f.txn_id, false),
        ("payee_id", &f.payee_id, false),
        ("payee_name", &f.payee_name, false),
        ("payer", &f.payer, false),
    ]
    .into_iter()
    .filter_map(|(n, t, r)| t.as_ref().map(|t| (n, t, r)))
    .collect()
}

/// Checks the fields; an error comes with the key it is near in the mapping.
fn check_fields(spec: &Spec) -> Result<(), (MappingError, String)> {
    let f = &spec.fields;
    for (name, t, _) in text_fields(f) {
        spec::check_text(name, t, matches!(name, "value_date" | "time"))
            .map_err(|e| (e, format!("{name}:")))?;
    }
    if f.value_date.is_none() && f.time.is_none() {
        return Err((
            MappingError::new("fields: expected value_date or time (or both)"),
            "fields:".to_owned(),
        ));
    }
    let amount_error = |m: &str| (MappingError::new(m), "amount:".to_owned());
    let a = &f.amount;
    match (&a.column, &a.credit, &a.debit) {
        (Some(_), None, None) | (None, Some(_), Some(_)) => {}
        _ => {
            return Err(amount_error(
                "fields.amount: expected `column` (signed, or with `direction`) or both `credit` and `debit`",
            ));
        }
    }
    if a.direction.is_some() && a.column.is_none() {
        return Err(amount_error("fields.amount: `direction` needs `column`"));
    }
    Ok(())
}

fn one_char(s: &str) -> Result<char, String> {
    let s = match s {
        "\\t" | "tab" => "\t",
        other => other,
    };
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(format!("expected one character, found {s:?}")),
    }
}

/// `*` and `?` wildcards, matched against the whole file name.
fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

impl Columns {
    fn new(names: Vec<String>) -> Self {
        let mapped = vec![false; names.len()];
        Self { names, mapped }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The cleaned, non-empty value of column `name` in `cells`.
    fn cell<'c>(&self, cells: &'c [Cow<'_, str>], name: &str) -> Option<&'c str> {
        self.index(name)
            .and_then(|i| cells.get(i))
            .and_then(|c| text::non_empty(c))
    }

    /// A text field's value: a fixed value, one column, or several joined by a space.
    fn text(&self, cells: &[Cow<'_, str>], t: &TextSpec) -> Option<String> {
        if let Some(v) = &t.value {
            return Some(v.clone());
        }
        let names = t.column.iter().chain(t.columns.iter().flatten());
        let parts: Vec<&str> = names.filter_map(|n| self.cell(cells, n)).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}
