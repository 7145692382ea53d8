//! A CSV file as rows of trimmed text under [`Limits`]: UTF-8 with or without BOM, or GBK
//! as Excel in China saves it. Records are read one at a time and counted as they come.

use super::limits::{Grid, Limits, TableError, TextBudget};

pub fn read(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, TableError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s.trim_start_matches('\u{feff}')),
        Err(_) => {
            let (decoded, _, had_errors) = encoding_rs::GBK.decode(bytes);
            if had_errors {
                return Err(TableError::Unreadable);
            }
            decoded
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Grid::new(limits);
    let mut budget = TextBudget::new(limits);
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    while reader
        .read_record(&mut record)
        .map_err(|_| TableError::Unreadable)?
    {
        if record.iter().all(|c| c.trim().is_empty()) {
            row += 1;
            continue;
        }
        for (column, cell) in record.iter().enumerate() {
            let cell = super::restore(cell.trim()).trim();
            budget.charge(cell)?;
            grid.put(row, column, cell.to_string())?;
        }
        row += 1;
    }
    Ok(grid.into_rows())
}
