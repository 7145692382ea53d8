//! The first sheet of an XLSX workbook as rows of text, read as a stream under [`Limits`].
//!
//! An XLSX file is a ZIP archive of XML parts. Everything about it comes from outside, so
//! nothing it declares is trusted: not an entry's unpacked size (each entry is inflated
//! through a counter that stops at the archive's budget and at [`Limits::ratio`] times its
//! packed size), not the sheet's `dimension`, not the shared strings' `count` (nothing is
//! reserved from them). A cell's position is checked against the row and column limits
//! before any room is made for it, so one cell at `XFD1048576` is a refusal, not a
//! request for 17 billion cells. Cells without a value (formatting only) are skipped.

use super::limits::{Grid, Limits, TableError, TextBudget};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, BufReader, Cursor, Read};
use zip::ZipArchive;

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

pub fn read(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, TableError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| TableError::Unreadable)?;
    if archive.len() > limits.entries {
        return Err(TableError::Entries(limits.entries));
    }
    let mut book = Book {
        archive: &mut archive,
        limits,
        inflated: 0,
    };
    let (sheet, strings_part) = book.first_sheet()?;
    let mut budget = TextBudget::new(limits);
    let strings = match strings_part {
        Some(part) => book.shared_strings(&part, &mut budget)?,
        None => Vec::new(),
    };
    book.sheet(&sheet, &strings, &mut budget)
}

/// The archive being read and how much of the budget its entries have used.
struct Book<'a, 'b> {
    archive: &'a mut Archive<'b>,
    limits: Limits,
    inflated: u64,
}

/// An entry's bytes, inflated under the archive's budget and the entry's ratio limit.
struct Inflating<'a, R> {
    inner: R,
    read: u64,
    /// Bytes this entry may still unpack to.
    allowed: u64,
    /// Which limit `allowed` is.
    limit: TableError,
    total: &'a mut u64,
}

impl<R: Read> Read for Inflating<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        *self.total += n as u64;
        if self.read > self.allowed {
            return Err(std::io::Error::other(self.limit));
        }
        Ok(n)
    }
}

/// A read error, or the limit that stopped the read.
fn xml_error(e: quick_xml::Error) -> TableError {
    if let quick_xml::Error::Io(io) = &e {
        if let Some(limit) = io.get_ref().and_then(|e| e.downcast_ref::<TableError>()) {
            return *limit;
        }
    }
    TableError::Unreadable
}

impl<'b> Book<'_, 'b> {
    /// Runs `f` over the XML of the entry `name` (matched case-insensitively, as Excel does).
    fn with_part<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut quick_xml::Reader<BufReader<&mut dyn Read>>) -> Result<T, TableError>,
    ) -> Result<Option<T>, TableError> {
        let index = match self.archive.index_for_name(name) {
            Some(i) => i,
            None => {
                let found = self
                    .archive
                    .file_names()
                    .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)));
                match found {
                    Some(i) => i,
                    None => return Ok(None),
                }
            }
        };
        let left = self.limits.inflated_bytes.saturating_sub(self.inflated);
        let entry = self
            .archive
            .by_index(index)
            .map_err(|_| TableError::Unreadable)?;
        // Packed sizes come from the archive itself, which is within the upload limit.
        let by_ratio = entry
            .compressed_size()
            .saturating_mul(self.limits.ratio)
            .max(64 * 1024);
        let (allowed, limit) = if by_ratio < left {
            (by_ratio, TableError::Ratio(self.limits.ratio))
        } else {
            (left, TableError::Inflated(self.limits.inflated_bytes))
        };
        let mut inflating = Inflating {
            inner: entry,
            read: 0,
            allowed,
            limit,
            total: &mut self.inflated,
        };
        let source: &mut dyn Read = &mut inflating;
        let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(16 * 1024, source));
        xml.config_mut().trim_text(false);
        // No stack of open element names: nesting a million deep costs nothing.
        xml.config_mut().check_end_names = false;
        f(&mut xml).map(Some)
    }

    /// The path of the workbook's first sheet and of its shared strings, if any.
    fn first_sheet(&mut self) -> Result<(String, Option<String>), TableError> {
        let first_id = self
            .with_part("xl/workbook.xml", |xml| {
                let mut buf = Vec::new();
                loop {
                    match xml.read_event_into(&mut buf).map_err(xml_error)? {
                        Event::Start(e) | Event::Empty(e)
                            if e.local_name().as_ref() == b"sheet" =>
                        {
                            // `r:id` in whatever prefix the file uses.
                            return Ok(attribute_where(&e, |key| {
                                key.ends_with(b":id") || key == b"id"
                            }));
                        }
                        Event::Eof => return Ok(None),
                        _ => {}
                    }
                    buf.clear();
                }
            })?
            .flatten()
            .ok_or(TableError::Unreadable)?;
        let mut sheet = None;
        let mut strings = None;
        self.with_part("xl/_rels/workbook.xml.rels", |xml| {
            let mut buf = Vec::new();
            loop {
                match xml.read_event_into(&mut buf).map_err(xml_error)? {
                    Event::Start(e) | Event::Empty(e)
                        if e.local_name().as_ref() == b"Relationship" =>
                    {
                        let target = attribute(&e, b"Target").map(|t| part_path(&t));
                        let kind = attribute(&e, b"Type").unwrap_or_default();
                        if attribute(&e, b"Id").as_deref() == Some(first_id.as_str()) {
                            sheet = target;
                        } else if kind.ends_with("/sharedStrings") {
                            strings = target;
                        }
                    }
                    Event::Eof => return Ok(()),
                    _ => {}
                }
                buf.clear();
            }
        })?;
        Ok((sheet.ok_or(TableError::Unreadable)?, strings))
    }

    /// The shared strings table: each `<si>`'s text runs joined, phonetic runs left out.
    fn shared_strings(
        &mut self,
        part: &str,
        budget: &mut TextBudget,
    ) -> Result<Vec<String>, TableError> {
        Ok(self
            .with_part(part, |xml| {
                let mut strings = Vec::new();
                let mut buf = Vec::new();
                loop {
                    match xml.read_event_into(&mut buf).map_err(xml_error)? {
                        Event::Start(e) if e.local_name().as_ref() == b"si" => {
                            let text = rich_text(xml, b"si")?;
                            budget.charge(&text)?;
                            strings.push(text);
                        }
                        Event::Empty(e) if e.local_name().as_ref() == b"si" => {
                            budget.charge("")?;
                            strings.push(String::new());
                        }
                        Event::Eof => return Ok(strings),
                        _ => {}
                    }
                    buf.clear();
                }
            })?
            .unwrap_or_default())
    }

    /// The sheet's cells with a value, placed in a grid under the limits.
    fn sheet(
        &mut self,
        part: &str,
        strings: &[String],
        budget: &mut TextBudget,
    ) -> Result<Vec<Vec<String>>, TableError> {
        let limits = self.limits;
        self.with_part(part, |xml| {
            let mut grid = Grid::new(limits);
            let mut buf = Vec::new();
            // 0-based position of the row being read and of the next cell without `r`.
            let mut row = 0usize;
            let mut next_row = 0usize;
            let mut next_column = 0usize;
            loop {
                match xml.read_event_into(&mut buf).map_err(xml_error)? {
                    Event::Start(e) if e.local_name().as_ref() == b"row" => {
                        row = match attribute(&e, b"r") {
                            Some(r) => one_based(&r).ok_or(TableError::Unreadable)?,
                            None => next_row,
                        };
                        next_row = row.saturating_add(1);
                        next_column = 0;
                    }
                    Event::Empty(e) if e.local_name().as_ref() == b"row" => {
                        next_row = match attribute(&e, b"r") {
                            Some(r) => one_based(&r).ok_or(TableError::Unreadable)?,
                            None => next_row,
                        }
                        .saturating_add(1);
                    }
                    Event::Start(e) if e.local_name().as_ref() == b"c" => {
                        let (r, c) = match attribute(&e, b"r") {
                            Some(reference) => {
                                cell_position(&reference).ok_or(TableError::Unreadable)?
                            }
                            None => (row, next_column),
                        };
                        next_column = c.saturating_add(1);
                        let kind = attribute(&e, b"t");
                        if let Some(text) = cell_value(xml, kind.as_deref(), strings)? {
                            budget.charge(&text)?;
                            grid.put(r, c, text)?;
                        }
                    }
                    Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                        // Formatting without a value: nothing to read.
                        next_column = match attribute(&e, b"r") {
                            Some(reference) => {
                                cell_position(&reference).ok_or(TableError::Unreadable)?.1
                            }
                            None => next_column,
                        }
                        .saturating_add(1);
                    }
                    Event::Eof => return Ok(grid.into_rows()),
                    _ => {}
                }
                buf.clear();
            }
        })?
        .ok_or(TableError::Unreadable)
    }
}

/// The text of the element just started as `end`, until its end: `<t>` runs joined,
/// except inside phonetic runs (`<rPh>`).
fn rich_text<R: BufRead>(xml: &mut quick_xml::Reader<R>, end: &[u8]) -> Result<String, TableError> {
    text_until(xml, end, false)
}

/// The text of the element just started as `end`, until its end; with `direct`, the text
/// right inside it (a `<v>`), else only that of its `<t>` runs.
fn text_until<R: BufRead>(
    xml: &mut quick_xml::Reader<R>,
    end: &[u8],
    direct: bool,
) -> Result<String, TableError> {
    let mut text = String::new();
    let mut buf = Vec::new();
    let mut in_t = direct;
    let mut phonetic = 0usize;
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_t = true,
                b"rPh" => phonetic += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_t = direct,
                b"rPh" => phonetic = phonetic.saturating_sub(1),
                name if name == end => return Ok(text),
                _ => {}
            },
            Event::Text(t) if in_t && phonetic == 0 => {
                text.push_str(&t.xml_content().map_err(|_| TableError::Unreadable)?)
            }
            Event::CData(t) if in_t && phonetic == 0 => {
                text.push_str(&t.decode().map_err(|_| TableError::Unreadable)?)
            }
            Event::GeneralRef(r) if in_t && phonetic == 0 => push_reference(&mut text, &r)?,
            Event::Eof => return Err(TableError::Unreadable),
            _ => {}
        }
        // No bound here: the text grows only from inflated bytes, which are bounded.
        buf.clear();
    }
}

/// `&amp;`, `&#x4E0A;` and the like inside text.
fn push_reference(
    text: &mut String,
    r: &quick_xml::events::BytesRef<'_>,
) -> Result<(), TableError> {
    if let Some(c) = r.resolve_char_ref().map_err(|_| TableError::Unreadable)? {
        text.push(c);
        return Ok(());
    }
    let name = r.decode().map_err(|_| TableError::Unreadable)?;
    let resolved =
        quick_xml::escape::resolve_predefined_entity(&name).ok_or(TableError::Unreadable)?;
    text.push_str(resolved);
    Ok(())
}

/// The value of the cell just started, as text; `None` when it has none.
fn cell_value<R: BufRead>(
    xml: &mut quick_xml::Reader<R>,
    kind: Option<&str>,
    strings: &[String],
) -> Result<Option<String>, TableError> {
    let mut value: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"v" => value = Some(text_until(xml, b"v", true)?),
                b"is" => value = Some(rich_text(xml, b"is")?),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"c" => break,
            Event::Eof => return Err(TableError::Unreadable),
            _ => {}
        }
        buf.clear();
    }
    let Some(raw) = value else {
        return Ok(None);
    };
    Ok(Some(match kind {
        Some("s") => {
            let index: usize = raw.trim().parse().map_err(|_| TableError::Unreadable)?;
            strings
                .get(index)
                .ok_or(TableError::Unreadable)?
                .trim()
                .to_string()
        }
        Some("b") => (if raw.trim() == "1" { "true" } else { "false" }).to_string(),
        Some("str" | "inlineStr" | "e" | "d") => raw.trim().to_string(),
        // A number, shown as Excel shows a whole number: without a decimal point.
        _ => match raw.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
                format!("{}", f as i64)
            }
            Ok(f) if f.is_finite() => format!("{f}"),
            _ => raw.trim().to_string(),
        },
    }))
}

/// The value of the attribute `key` (unprefixed), unescaped.
fn attribute(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    attribute_where(e, |k| k == key)
}

fn attribute_where(e: &BytesStart<'_>, matches: impl Fn(&[u8]) -> bool) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| matches(a.key.as_ref()))
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A relationship target as an archive path: absolute (`/xl/…`) or relative to `xl/`.
fn part_path(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{}", target.trim_start_matches("./")),
    }
}

/// A 1-based row number as a 0-based index.
fn one_based(text: &str) -> Option<usize> {
    text.trim().parse::<usize>().ok()?.checked_sub(1)
}

/// `B12` → (11, 1), 0-based; `None` unless letters then digits. Positions past what any
/// limit allows saturate instead of overflowing, and are refused by the grid.
fn cell_position(reference: &str) -> Option<(usize, usize)> {
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let column = letters
        .bytes()
        .try_fold(0usize, |n, b| {
            n.checked_mul(26)?
                .checked_add(usize::from(b.to_ascii_uppercase() - b'A') + 1)
        })
        .unwrap_or(usize::MAX);
    let row = digits.parse::<usize>().unwrap_or(usize::MAX);
    Some((row.checked_sub(1)?, column - 1))
}

#[cfg(test)]
mod tests {
    use super::super::hostile::{self, Part, SHEET_HEAD, SHEET_TAIL};
    use super::*;

    const L: Limits = Limits::IMPORT;

    #[test]
    fn a_cell_at_the_far_corner_is_refused_before_any_room_is_made() {
        let file = hostile::far_corner();
        assert!(file.len() < 2_000, "{} bytes", file.len());
        assert_eq!(read(&file, L), Err(TableError::Rows(L.rows)));
        assert_eq!(
            read(&hostile::sheet_of(r#"<c r="XFD1"><v>1</v></c>"#), L),
            Err(TableError::Columns(L.columns))
        );
        // Formatting far away, without a value, is no cell at all.
        assert_eq!(
            read(
                &hostile::sheet_of(r#"<c r="A1"><v>7</v></c><c r="XFD1048576" s="1"/>"#),
                L
            ),
            Ok(vec![vec!["7".to_string()]])
        );
    }

    #[test]
    fn archive_bombs_stop_at_the_budget() {
        // 200 MiB of sheet from a few hundred kB, and the same at the 5 MB upload limit
        // (against a smaller budget here, to keep a debug build quick; the upload test
        // sends both to the server under the real one).
        let budget = Limits {
            inflated_bytes: 4 * 1024 * 1024,
            ..L
        };
        for mib in [200, 1_900] {
            let file = hostile::bomb(mib);
            assert!(
                file.len() < 5 * 1024 * 1024,
                "{mib} MiB bomb is {} bytes",
                file.len()
            );
            let started = std::time::Instant::now();
            let refused = read(&file, budget).unwrap_err();
            assert!(
                matches!(refused, TableError::Inflated(_) | TableError::Ratio(_)),
                "{mib} MiB: {refused:?}"
            );
            assert!(
                started.elapsed().as_secs() < 10,
                "{mib} MiB took {:?}",
                started.elapsed()
            );
        }
        // A ratio bomb smaller than the budget is refused by its ratio.
        let small = Limits { ratio: 20, ..L };
        assert_eq!(read(&hostile::bomb(8), small), Err(TableError::Ratio(20)));
    }

    #[test]
    fn declared_counts_and_nesting_cost_nothing() {
        let file = hostile::workbook(
            Part::Bytes(
                format!(r#"{SHEET_HEAD}<dimension ref="A1:XFD1048576"/><row><c t="s"><v>0</v></c></row>{SHEET_TAIL}"#).into(),
            ),
            Part::Bytes(
                br#"<sst count="18446744073709551615" uniqueCount="18446744073709551615"><si><t>A4 &amp; &#x7EB8;</t></si></sst>"#.to_vec(),
            ),
        );
        assert_eq!(read(&file, L), Ok(vec![vec!["A4 & 纸".to_string()]]));
        let nested = hostile::workbook(
            Part::Repeat {
                head: format!("{SHEET_HEAD}<row>"),
                unit: "<a>".into(),
                mib: 6,
                tail: String::new(),
            },
            Part::Bytes(b"<sst/>".to_vec()),
        );
        assert!(read(&nested, L).is_err());
    }

    #[test]
    fn text_beyond_the_limits_is_refused() {
        let long = "长".repeat(L.cell_chars + 1);
        assert_eq!(
            read(
                &hostile::sheet_of(&format!(r#"<c t="inlineStr"><is><t>{long}</t></is></c>"#)),
                L
            ),
            Err(TableError::CellChars(L.cell_chars))
        );
        let strings = hostile::workbook(
            Part::Bytes(format!("{SHEET_HEAD}{SHEET_TAIL}").into()),
            Part::Repeat {
                head: "<sst>".into(),
                unit: "<si><t>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</t></si>".into(),
                mib: 4,
                tail: "</sst>".into(),
            },
        );
        let text = Limits {
            text_chars: 100_000,
            ..L
        };
        assert_eq!(read(&strings, text), Err(TableError::TextChars(100_000)));
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_position("A1"), Some((0, 0)));
        assert_eq!(cell_position("b12"), Some((11, 1)));
        assert_eq!(cell_position("AA3"), Some((2, 26)));
        assert_eq!(cell_position("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(
            cell_position("ZZZZZZZZZZZZZZZZZZZZ99999999999999999999999"),
            Some((usize::MAX - 1, usize::MAX - 1))
        );
        for bad in ["", "A", "1", "A0", "1A", "A1B", "Ä1", "A-1"] {
            assert_eq!(cell_position(bad), None, "{bad}");
        }
    }
}
