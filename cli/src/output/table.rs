//! A list's records as a table, written as the records come: the columns
//! and their widths are settled on the first [`SETTLE`] records, and every
//! later row is fitted to them, so that a million records never sit in
//! memory. Widths are terminal columns of the text as shown (made
//! [`visible`] first), so a wide, combining or escaped character never
//! breaks the columns.

use std::io::Write;

use serde_json::Value;

use super::events::{Clean, Stop, emit};
use super::json::JsonWriter;
use crate::terminal::{fit, visible, width};

/// How many records settle the columns and their widths.
pub const SETTLE: usize = 1000;

/// The widest a column gets, in terminal columns.
const WIDEST: usize = 40;

/// A table being written.
pub struct Table<'c, W> {
    out: W,
    clean: Clean<'c>,
    /// `--columns`, when given.
    asked: Vec<String>,
    /// The width the table may take.
    room: usize,
    /// Records read before the columns are settled.
    waiting: Vec<Value>,
    /// The columns and their widths, once settled.
    layout: Option<Vec<(String, usize)>>,
}

impl<'c, W: Write> Table<'c, W> {
    /// A table of `asked` columns (else the records' plain members that
    /// fit `room` columns), its text scrubbed by `clean`.
    pub fn new(out: W, clean: Clean<'c>, asked: &[String], room: usize) -> Self {
        Table {
            out,
            clean,
            asked: asked.to_vec(),
            room,
            waiting: Vec::new(),
            layout: None,
        }
    }

    /// Adds a record: kept until the columns are settled, then written.
    pub fn push(&mut self, record: Value) -> Result<(), Stop> {
        if self.layout.is_some() {
            return self.row(&record);
        }
        self.waiting.push(record);
        if self.waiting.len() == SETTLE {
            self.settle()?;
        }
        Ok(())
    }

    /// Writes what is left; the output.
    pub fn finish(mut self) -> Result<W, Stop> {
        if self.layout.is_none() {
            self.settle()?;
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// A value as the text of one cell.
    fn cell(&self, value: Option<&Value>) -> String {
        match value {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => visible(&(self.clean)(s)).into_owned(),
            Some(other) => {
                // JSON, whose writer escapes what a terminal acts on.
                let mut writer = JsonWriter::new(Vec::new(), false);
                let _ = emit(other, self.clean, &mut writer);
                String::from_utf8_lossy(&writer.into_inner()).into_owned()
            }
        }
    }

    /// The cells of `record` for `columns`; a record that is no object
    /// shows as JSON in the first.
    fn cells(&self, record: &Value, columns: &[(String, usize)]) -> Vec<String> {
        match record {
            Value::Object(_) => columns
                .iter()
                .map(|(c, _)| self.cell(record.get(c)))
                .collect(),
            other => {
                let mut cells = vec![String::new(); columns.len()];
                if let Some(first) = cells.first_mut() {
                    *first = self.cell(Some(other));
                }
                cells
            }
        }
    }

    /// Settles the columns and widths on the records read so far, and
    /// writes the header and those records.
    fn settle(&mut self) -> Result<(), Stop> {
        let waiting = std::mem::take(&mut self.waiting);
        let names = if self.asked.is_empty() {
            plain_columns(&waiting)
        } else {
            self.asked.clone()
        };
        let mut layout = Vec::new();
        let mut used = 0;
        for name in names {
            let cells: Vec<String> = waiting
                .iter()
                .map(|r| self.cell(r.as_object().and_then(|o| o.get(&name))))
                .collect();
            let header = visible(&(self.clean)(&name)).into_owned();
            let widest = cells
                .iter()
                .map(|c| width(c))
                .chain([width(&header)])
                .max()
                .unwrap_or(0)
                .min(WIDEST);
            if self.asked.is_empty() && !layout.is_empty() && used + widest + 2 > self.room {
                break;
            }
            used += widest + 2;
            layout.push((name, widest));
        }
        let headers: Vec<String> = layout
            .iter()
            .map(|(name, _)| visible(&(self.clean)(name)).into_owned())
            .collect();
        self.line(&headers, &layout)?;
        for record in &waiting {
            let cells = self.cells(record, &layout);
            self.line(&cells, &layout)?;
        }
        self.layout = Some(layout);
        Ok(())
    }

    fn row(&mut self, record: &Value) -> Result<(), Stop> {
        let layout = self.layout.take().unwrap_or_default();
        let cells = self.cells(record, &layout);
        let result = self.line(&cells, &layout);
        self.layout = Some(layout);
        result
    }

    fn line(&mut self, cells: &[String], layout: &[(String, usize)]) -> Result<(), Stop> {
        let padded: Vec<String> = cells
            .iter()
            .zip(layout)
            .map(|(c, (_, w))| fit(c, *w))
            .collect();
        let text = padded.join("  ");
        self.out.write_all(text.trim_end().as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
}

/// The members of the first record that hold plain values (no list, no
/// object) in every record, in the first record's order.
fn plain_columns(records: &[Value]) -> Vec<String> {
    let Some(Value::Object(first)) = records.iter().find(|r| r.is_object()) else {
        return Vec::new();
    };
    first
        .keys()
        .filter(|key| {
            records.iter().all(|r| {
                !matches!(
                    r.get(key.as_str()),
                    Some(Value::Array(_) | Value::Object(_))
                )
            })
        })
        .cloned()
        .collect()
}

/// A payload that is no list, as a table: its plain members as two
/// columns, or `None` when it has others.
pub fn key_values(data: &Value, clean: Clean<'_>) -> Option<String> {
    let Value::Object(members) = data else {
        return None;
    };
    if members.values().any(|v| v.is_object() || v.is_array()) {
        return None;
    }
    let table = Table::new(Vec::new(), clean, &[], usize::MAX);
    let rows: Vec<(String, String)> = members
        .iter()
        .map(|(k, v)| (visible(&clean(k)).into_owned(), table.cell(Some(v))))
        .collect();
    let keys = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    Some(
        rows.iter()
            .map(|(k, v)| format!("{}  {v}", fit(k, keys)).trim_end().to_owned() + "\n")
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::borrow::Cow;

    fn none(s: &str) -> Cow<'_, str> {
        Cow::Borrowed(s)
    }

    fn table(records: &[Value], asked: &[String], room: usize) -> String {
        let mut t = Table::new(Vec::new(), &none, asked, room);
        for r in records {
            t.push(r.clone()).unwrap();
        }
        String::from_utf8(t.finish().unwrap()).unwrap()
    }

    #[test]
    fn lists_become_tables_of_their_plain_columns() {
        let records = [
            json!({"user": "bob", "domain": "bob.example", "plan": {"x": 1}, "diskused": "10M"}),
            json!({"user": "alice", "domain": "a.example", "plan": {"x": 2}, "diskused": "2M"}),
        ];
        assert_eq!(
            table(&records, &[], 200),
            "user   domain       diskused\nbob    bob.example  10M\nalice  a.example    2M\n"
        );
        // As many columns as fit.
        assert_eq!(table(&records, &[], 10), "user\nbob\nalice\n");
        let asked = ["plan".to_owned(), "user".to_owned()];
        assert_eq!(
            table(&records, &asked, 10),
            "plan     user\n{\"x\":1}  bob\n{\"x\":2}  alice\n"
        );
    }

    #[test]
    fn columns_hold_whatever_the_cells_hold() {
        let records = [
            json!({"name": "日本語ドメイン", "n": 1}),
            json!({"name": "e\u{301}vil\u{1b}[2J\u{202e}", "n": 2}),
            json!({"name": "x".repeat(60), "n": 3}),
        ];
        let text = table(&records, &[], 200);
        let lines: Vec<&str> = text.lines().collect();
        // Every `n` starts at the same terminal column.
        let at: Vec<usize> = lines
            .iter()
            .map(|l| width(&l[..=l.rfind(' ').unwrap()]))
            .collect();
        assert!(at.windows(2).all(|w| w[0] == w[1]), "{text}");
        assert!(text.contains("e\u{301}vil\\e[2J\\u{202e}"), "{text}");
        assert!(text.contains(&format!("{}…", "x".repeat(39))), "{text}");
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn rows_after_the_first_thousand_keep_the_columns() {
        let mut records: Vec<Value> = (0..SETTLE).map(|i| json!({"a": i, "b": "x"})).collect();
        records.push(json!({"a": "a much longer value than any before", "b": "y"}));
        let text = table(&records, &[], 200);
        let last = text.lines().last().unwrap();
        assert_eq!(last, "a …  y");
        assert_eq!(text.lines().count(), SETTLE + 2);
    }
}
