//! Plain-text tables for the terminal. Japanese characters are two columns wide, so alignment uses
//! display width, not `char` count.

use unicode_width::UnicodeWidthStr;

/// How a column aligns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// A table built row by row and rendered with two spaces between columns.
pub struct Table {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers and alignments.
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            header: columns.iter().map(|(h, _)| h.to_string()).collect(),
            align: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row (missing cells are blank).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Render with a header line and a rule.
    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut width: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                width[i] = width[i].max(c.width());
            }
        }
        let line = |cells: &[String]| -> String {
            let mut out = String::new();
            for (i, w) in width.iter().enumerate() {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                let pad = w.saturating_sub(c.width());
                if i > 0 {
                    out.push_str("  ");
                }
                match self.align[i] {
                    Align::Left if i + 1 == n => out.push_str(c),
                    Align::Left => {
                        out.push_str(c);
                        out.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(c);
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = line(&self.header);
        out.push('\n');
        out.push_str(&"-".repeat(width.iter().sum::<usize>() + 2 * n.saturating_sub(1)));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_align_by_display_width() {
        let mut t = Table::new(&[("名前", Align::Left), ("千円", Align::Right)]);
        t.row(vec!["北区".into(), "17,000".into()]);
        t.row(vec!["ab".into(), "5".into()]);
        assert_eq!(t.render(), "名前    千円\n------------\n北区  17,000\nab         5\n");
    }
}
