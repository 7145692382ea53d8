//! Spreadsheets in and out: CSV (UTF-8 with or without BOM, or GBK as Excel in China saves
//! it) and XLSX (told by its ZIP signature), read into rows of text; written back in the
//! same two formats.

use std::io::Cursor;

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("not a readable CSV or XLSX file")]
    Unreadable,
}

fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The first sheet (XLSX) or the file (CSV) as rows of trimmed text.
pub fn read(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
    if is_xlsx(bytes) {
        return read_xlsx(bytes);
    }
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
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(|c| c.trim().to_string()).collect())
                .map_err(|_| TableError::Unreadable)
        })
        .collect()
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| TableError::Unreadable)?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(TableError::Unreadable)?
        .map_err(|_| TableError::Unreadable)?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Empty => String::new(),
                    other => other.to_string().trim().to_string(),
                })
                .collect()
        })
        .collect())
}

/// CSV with a UTF-8 BOM, so Excel opens the Chinese text correctly.
pub fn write_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let _ = writer.write_record(row);
    }
    out.extend(writer.into_inner().unwrap_or_default());
    out
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
        assert_eq!(read(&write_csv(&sample())).unwrap(), sample());
        assert_eq!(read(&write_xlsx(&sample()).unwrap()).unwrap(), sample());
    }

    #[test]
    fn reads_gbk_as_excel_saves_it() {
        let (gbk, _, _) = encoding_rs::GBK.encode("品牌,单价（元）\n得力,25.80\n");
        let rows = read(&gbk).unwrap();
        assert_eq!(rows[1], ["得力", "25.80"]);
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
