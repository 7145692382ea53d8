//! What an uploaded spreadsheet may hold, checked while it is read and before anything is
//! allocated for it: a file that breaks a limit is refused with the limit's name, never
//! read on until memory or time runs out.

/// The bounds of one spreadsheet read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows, the header included.
    pub rows: usize,
    /// Columns of any row.
    pub columns: usize,
    /// Characters of one cell.
    pub cell_chars: usize,
    /// Characters of all cells and shared strings together.
    pub text_chars: usize,
    /// Entries in an XLSX archive.
    pub entries: usize,
    /// Bytes all the archive entries read unpack to.
    pub inflated_bytes: u64,
    /// How many times larger than its packed size an entry may unpack (an archive bomb
    /// unpacks a thousand times larger; spreadsheet XML about ten).
    pub ratio: u64,
}

impl Limits {
    /// The listing import's limits (documented in the README).
    pub const IMPORT: Limits = Limits {
        rows: 10_001,
        columns: 64,
        cell_chars: 2_000,
        text_chars: 16 * 1024 * 1024,
        entries: 1_000,
        inflated_bytes: 32 * 1024 * 1024,
        ratio: 200,
    };
}

/// Why a spreadsheet was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("not a readable CSV or XLSX file")]
    Unreadable,
    #[error("more than {0} rows")]
    Rows(usize),
    #[error("more than {0} columns")]
    Columns(usize),
    #[error("a cell of more than {0} characters")]
    CellChars(usize),
    #[error("more than {0} characters of text")]
    TextChars(usize),
    #[error("more than {0} entries in the archive")]
    Entries(usize),
    #[error("unpacks to more than {0} bytes")]
    Inflated(u64),
    #[error("an entry unpacks more than {0} times its size")]
    Ratio(u64),
}

/// Counts characters against the per-cell and whole-file budgets.
#[derive(Debug)]
pub(super) struct TextBudget {
    limits: Limits,
    used: usize,
}

impl TextBudget {
    pub(super) fn new(limits: Limits) -> TextBudget {
        TextBudget { limits, used: 0 }
    }

    /// Charges one cell's text.
    pub(super) fn charge(&mut self, cell: &str) -> Result<(), TableError> {
        let chars = cell.chars().count();
        if chars > self.limits.cell_chars {
            return Err(TableError::CellChars(self.limits.cell_chars));
        }
        self.used += chars;
        if self.used > self.limits.text_chars {
            return Err(TableError::TextChars(self.limits.text_chars));
        }
        Ok(())
    }
}

/// Rows of cells grown one cell at a time, refusing a position beyond the limits before
/// making room for it.
#[derive(Debug)]
pub(super) struct Grid {
    limits: Limits,
    rows: Vec<Vec<String>>,
}

impl Grid {
    pub(super) fn new(limits: Limits) -> Grid {
        Grid {
            limits,
            rows: Vec::new(),
        }
    }

    /// Puts `text` at 0-based `row` and `column`.
    pub(super) fn put(
        &mut self,
        row: usize,
        column: usize,
        text: String,
    ) -> Result<(), TableError> {
        if row >= self.limits.rows {
            return Err(TableError::Rows(self.limits.rows));
        }
        if column >= self.limits.columns {
            return Err(TableError::Columns(self.limits.columns));
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= column {
            cells.resize_with(column + 1, String::new);
        }
        cells[column] = text;
        Ok(())
    }

    /// The rows, each as wide as the widest (as a spreadsheet shows them).
    pub(super) fn into_rows(mut self) -> Vec<Vec<String>> {
        let width = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut self.rows {
            row.resize_with(width, String::new);
        }
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        rows: 3,
        columns: 2,
        cell_chars: 4,
        text_chars: 6,
        ..Limits::IMPORT
    };

    #[test]
    fn a_grid_refuses_positions_beyond_its_limits() {
        let mut grid = Grid::new(SMALL);
        grid.put(0, 0, "a".into()).unwrap();
        grid.put(2, 1, "b".into()).unwrap();
        assert_eq!(grid.put(3, 0, "c".into()), Err(TableError::Rows(3)));
        assert_eq!(grid.put(0, 2, "c".into()), Err(TableError::Columns(2)));
        assert_eq!(
            grid.put(usize::MAX, usize::MAX, "c".into()),
            Err(TableError::Rows(3))
        );
        assert_eq!(
            grid.into_rows(),
            vec![
                vec!["a".to_string(), String::new()],
                vec![String::new(), String::new()],
                vec![String::new(), "b".to_string()]
            ]
        );
    }

    #[test]
    fn the_text_budget_counts_characters() {
        let mut budget = TextBudget::new(SMALL);
        budget.charge("上海市").unwrap();
        assert_eq!(budget.charge("12345"), Err(TableError::CellChars(4)));
        budget.charge("abc").unwrap();
        assert_eq!(budget.charge("d"), Err(TableError::TextChars(6)));
    }
}
