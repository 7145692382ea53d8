//! Hostile spreadsheets, built the way an attacker would: for the readers' tests, the
//! upload tests and the fuzz test. A workbook is written by hand (ZIP local headers, central
//! directory, end record), so an entry may declare sizes that are not its own and carry a
//! deflate stream of any length made by repeating one compressed block.

use crc32fast::Hasher as Crc;
use flate2::{Compress, Compression, FlushCompress};

/// One part of a workbook.
pub enum Part {
    /// Bytes as they are.
    Bytes(Vec<u8>),
    /// `head`, then `unit` repeated to `mib` MiB, then `tail`: compressed once per MiB.
    Repeat {
        head: String,
        unit: String,
        mib: usize,
        tail: String,
    },
}

/// The CRC-32 of `bytes`.
fn crc_of(bytes: &[u8]) -> Crc {
    let mut crc = Crc::new();
    crc.update(bytes);
    crc
}

/// The CRC-32 of `block` repeated `times` times, by doubling (never computed over the whole).
fn crc_repeated(block: &[u8], times: usize) -> Crc {
    let mut result = Crc::new();
    let mut power = crc_of(block);
    let mut n = times;
    while n > 0 {
        if n & 1 == 1 {
            result.combine(&power);
        }
        let copy = power.clone();
        power.combine(&copy);
        n >>= 1;
    }
    result
}

/// The raw deflate stream of `part`, its unpacked length and its CRC-32.
fn deflate(part: &Part) -> (Vec<u8>, u64, u32) {
    let mut compress = Compress::new(Compression::best(), false);
    let mut out = Vec::new();
    let push = |compress: &mut Compress, input: &[u8], flush: FlushCompress| {
        let mut buf = vec![0u8; input.len() + 1024];
        let before = compress.total_out();
        compress.compress(input, &mut buf, flush).expect("deflate");
        buf.truncate((compress.total_out() - before) as usize);
        buf
    };
    match part {
        Part::Bytes(bytes) => {
            out.extend(push(&mut compress, bytes, FlushCompress::Finish));
            (out, bytes.len() as u64, crc_of(bytes).finalize())
        }
        Part::Repeat {
            head,
            unit,
            mib,
            tail,
        } => {
            out.extend(push(&mut compress, head.as_bytes(), FlushCompress::Full));
            let block: Vec<u8> = unit
                .as_bytes()
                .iter()
                .copied()
                .cycle()
                .take(1024 * 1024 / unit.len() * unit.len())
                .collect();
            // After a full flush the compressor starts afresh: the same MiB compresses to the
            // same bytes, which can be repeated without compressing it again.
            let packed = push(&mut compress, &block, FlushCompress::Full);
            for _ in 0..*mib {
                out.extend_from_slice(&packed);
            }
            out.extend(push(&mut compress, tail.as_bytes(), FlushCompress::Finish));
            let len = head.len() + block.len() * mib + tail.len();
            let mut crc = crc_of(head.as_bytes());
            crc.combine(&crc_repeated(&block, *mib));
            crc.combine(&crc_of(tail.as_bytes()));
            (out, len as u64, crc.finalize())
        }
    }
}

/// A ZIP archive of `parts`, each deflated, with true checksums; the declared sizes are the
/// true ones, capped to what a ZIP without extensions can say.
pub fn zip(parts: &[(&str, Part)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, part) in parts {
        let (data, len, crc) = deflate(part);
        let offset = out.len() as u32;
        let size = len.min(u64::from(u32::MAX - 1)) as u32;
        let header = |out: &mut Vec<u8>, central_entry: bool| {
            if central_entry {
                out.extend(0x0201_4b50u32.to_le_bytes());
                out.extend(20u16.to_le_bytes());
            } else {
                out.extend(0x0403_4b50u32.to_le_bytes());
            }
            out.extend(20u16.to_le_bytes()); // version needed
            out.extend(0u16.to_le_bytes()); // flags
            out.extend(8u16.to_le_bytes()); // deflate
            out.extend(0u32.to_le_bytes()); // time and date
            out.extend(crc.to_le_bytes());
            out.extend((data.len() as u32).to_le_bytes());
            out.extend(size.to_le_bytes());
            out.extend((name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes()); // extra
            if central_entry {
                out.extend(0u16.to_le_bytes()); // comment
                out.extend(0u16.to_le_bytes()); // disk
                out.extend(0u16.to_le_bytes()); // internal attributes
                out.extend(0u32.to_le_bytes()); // external attributes
                out.extend(offset.to_le_bytes());
            }
            out.extend(name.as_bytes());
        };
        header(&mut out, false);
        out.extend(&data);
        header(&mut central, true);
    }
    let central_at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend(0u32.to_le_bytes()); // disks
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(central_at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
/// The start of a sheet up to its cells.
pub const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
/// The end of a sheet after its cells.
pub const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// A workbook whose first sheet is `sheet` and whose shared strings are `strings`.
pub fn workbook(sheet: Part, strings: Part) -> Vec<u8> {
    zip(&[
        ("xl/workbook.xml", Part::Bytes(WORKBOOK.into())),
        ("xl/_rels/workbook.xml.rels", Part::Bytes(RELS.into())),
        ("xl/sharedStrings.xml", strings),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// A sheet of `cells` (raw `<c>` elements) and no shared strings.
pub fn sheet_of(cells: &str) -> Vec<u8> {
    workbook(
        Part::Bytes(format!("{SHEET_HEAD}<row>{cells}</row>{SHEET_TAIL}").into()),
        Part::Bytes(b"<sst/>".to_vec()),
    )
}

/// One cell at `A1` and one at the sheet's far corner, `XFD1048576`: 1.6 kB that asks a
/// reader trusting positions for 17 billion cells.
pub fn far_corner() -> Vec<u8> {
    workbook(
        Part::Bytes(
            format!(
                r#"{SHEET_HEAD}<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>{SHEET_TAIL}"#
            )
            .into(),
        ),
        Part::Bytes(b"<sst/>".to_vec()),
    )
}

/// A sheet that unpacks to `mib` MiB of cells rewriting `A1`.
pub fn bomb(mib: usize) -> Vec<u8> {
    workbook(
        Part::Repeat {
            head: format!("{SHEET_HEAD}<row r=\"1\">"),
            unit: r#"<c r="A1"><v>1</v></c>"#.into(),
            mib,
            tail: format!("</row>{SHEET_TAIL}"),
        },
        Part::Bytes(b"<sst/>".to_vec()),
    )
}
