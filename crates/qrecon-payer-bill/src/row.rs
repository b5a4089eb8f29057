//! One data row's cells read through the header: values cleaned, the exports' ways of saying
//! "empty" (`/`, `-`, blank) read as none, ids without their backticks, unsigned amounts.

use qrecon_adapter_sdk::{Decimal, FieldError, text};

/// A data row's cells (one per header column) with the header's names.
#[derive(Debug, Clone, Copy)]
pub struct Row<'r, C> {
    names: &'r [String],
    cells: &'r [C],
}

impl<'r, C: AsRef<str>> Row<'r, C> {
    /// The row of `cells` under the header `names`.
    pub fn new(names: &'r [String], cells: &'r [C]) -> Self {
        Self { names, cells }
    }

    /// The name of column `i` (empty past the last).
    pub fn name(&self, i: usize) -> &'r str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// The cleaned cell `i`, empty when absent.
    pub fn cell(&self, i: usize) -> &'r str {
        self.cells.get(i).map_or("", |c| text::clean(c.as_ref()))
    }

    /// The cleaned value of column `i`; `None` when absent or empty (`/`, `-`, blank).
    pub fn get(&self, i: Option<usize>) -> Option<&'r str> {
        self.cells.get(i?).and_then(|c| text::non_empty(c.as_ref()))
    }

    /// [`Row::get`], owned.
    pub fn owned(&self, i: Option<usize>) -> Option<String> {
        self.get(i).map(str::to_owned)
    }

    /// An id: the value without the backticks some exports wrap ids in.
    pub fn id(&self, i: Option<usize>) -> Option<String> {
        text::non_empty(self.get(i)?.trim_matches('`')).map(str::to_owned)
    }

    /// The unsigned amount in column `i` (the direction is in 收/支); a negative one is an
    /// error naming the column.
    pub fn unsigned_amount(&self, i: usize) -> Result<Decimal, FieldError> {
        let name = self.name(i);
        let cell = self.cell(i);
        let amount = text::parse_amount(name, cell)?;
        if amount.is_sign_negative() {
            return Err(FieldError::new(
                name,
                "an unsigned amount (the direction is in 收/支)",
                cell,
            ));
        }
        Ok(amount)
    }

    /// Every non-empty column not in `mapped`, under its header name.
    pub fn extra(&self, mapped: &[Option<usize>]) -> Vec<(String, String)> {
        self.names
            .iter()
            .enumerate()
            .filter(|(i, name)| !name.is_empty() && !mapped.contains(&Some(*i)))
            .filter_map(|(i, name)| self.get(Some(i)).map(|v| (name.clone(), v.to_owned())))
            .collect()
    }
}

/// The details a skip reason names after the direction, as `, <value>` each.
pub fn details<'v>(values: impl IntoIterator<Item = Option<&'v str>>) -> String {
    let mut details = String::new();
    for v in values.into_iter().flatten() {
        details.push_str(", ");
        details.push_str(v);
    }
    details
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["交易单号", "金额", "备注", "类型"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn values_ids_and_extra() {
        let names = names();
        let cells = ["`4200\t", " 12.50 ", "/", "转账"];
        let row = Row::new(&names, &cells);
        assert_eq!(row.id(Some(0)).as_deref(), Some("4200"));
        assert_eq!(row.get(Some(2)), None);
        assert_eq!(row.get(None), None);
        assert_eq!(row.cell(7), "");
        assert_eq!(row.unsigned_amount(1), Ok(Decimal::new(1250, 2)));
        assert_eq!(
            row.extra(&[Some(0), Some(1)]),
            [("类型".to_owned(), "转账".to_owned())]
        );
        assert_eq!(details([Some("a"), None, Some("b")]), ", a, b");
    }

    #[test]
    fn a_negative_amount_is_an_error_naming_its_column() {
        let names = names();
        let cells = ["1", "-3.00", "", ""];
        let e = Row::new(&names, &cells)
            .unsigned_amount(1)
            .expect_err("negative");
        assert_eq!(e.field, "金额");
    }
}
