//! Uploaded files: their type told by content (never by name or header), and written whole
//! before they become visible.

use std::path::Path;

/// A file type the mall accepts somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Png,
    Jpeg,
    Webp,
    Pdf,
}

impl FileType {
    /// The type by its first bytes; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(FileType::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else {
            None
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
            FileType::Webp => "webp",
            FileType::Pdf => "pdf",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
        }
    }
}

/// The largest side of an image the mall keeps, in pixels: a product photo needs far less,
/// and a picture a few bytes long that declares 100,000 × 100,000 pixels would take every
/// buyer's browser gigabytes to draw.
pub const MAX_IMAGE_SIDE: u32 = 6_000;

impl FileType {
    /// An image's width and height as its header declares them, read without decoding;
    /// `None` when the header is not whole or not one this type has.
    pub fn dimensions(self, bytes: &[u8]) -> Option<(u32, u32)> {
        let be32 = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        let be16 = |at: usize| -> Option<u32> {
            Some(u32::from(u16::from_be_bytes(
                bytes.get(at..at + 2)?.try_into().ok()?,
            )))
        };
        let le16 = |at: usize| -> Option<u32> {
            Some(u32::from(u16::from_le_bytes(
                bytes.get(at..at + 2)?.try_into().ok()?,
            )))
        };
        let le24 = |at: usize| -> Option<u32> {
            let b = bytes.get(at..at + 3)?;
            Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
        };
        match self {
            // The first chunk is IHDR: width and height, big-endian.
            FileType::Png => (bytes.get(12..16)? == b"IHDR").then_some((be32(16)?, be32(20)?)),
            // Walk the markers to the first start-of-frame.
            FileType::Jpeg => {
                let mut at = 2;
                loop {
                    while *bytes.get(at)? != 0xFF {
                        at += 1;
                    }
                    while *bytes.get(at)? == 0xFF {
                        at += 1;
                    }
                    let marker = *bytes.get(at)?;
                    at += 1;
                    if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
                        continue;
                    }
                    let len = be16(at)? as usize;
                    let is_frame =
                        matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                    if is_frame {
                        return Some((be16(at + 5)?, be16(at + 3)?));
                    }
                    if len < 2 {
                        return None;
                    }
                    at += len;
                }
            }
            FileType::Webp => match bytes.get(12..16)? {
                b"VP8 " => Some((le16(26)? & 0x3FFF, le16(28)? & 0x3FFF)),
                b"VP8L" => {
                    let b = bytes.get(21..25)?;
                    let bits = u32::from_le_bytes(b.try_into().ok()?);
                    Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
                }
                b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
                _ => None,
            },
            FileType::Pdf => None,
        }
    }
}

/// Writes `bytes` to `dir/name` through a temporary file and a rename, so a reader never
/// sees half a file.
pub async fn store(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, dir.join(name)).await
}

#[cfg(test)]
mod tests {
    use super::FileType;

    #[test]
    fn reads_image_sizes_from_headers_alone() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(100_000u32.to_be_bytes());
        png.extend(3u32.to_be_bytes());
        assert_eq!(FileType::Png.dimensions(&png), Some((100_000, 3)));
        assert_eq!(FileType::Png.dimensions(&png[..18]), None, "a cut header");
        // JPEG: SOI, an APP0 of 16 bytes, then SOF0 with height 480 and width 640.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        jpeg.extend([0u8; 14]);
        jpeg.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80]);
        assert_eq!(FileType::Jpeg.dimensions(&jpeg), Some((640, 480)));
        assert_eq!(FileType::Jpeg.dimensions(&jpeg[..12]), None);
        assert_eq!(
            FileType::Jpeg.dimensions(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            None,
            "a zero length ends the walk"
        );
        // WebP, extended: canvas of 1 + (24-bit) pixels each way.
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        webp.extend([0x0F, 0x27, 0x00, 0xFF, 0xFF, 0x00]);
        assert_eq!(FileType::Webp.dimensions(&webp), Some((10_000, 65_536)));
    }

    #[test]
    fn sniffs_by_content() {
        let cases: [(&[u8], Option<FileType>); 7] = [
            (b"\x89PNG\r\n\x1a\n....", Some(FileType::Png)),
            (&[0xFF, 0xD8, 0xFF, 0xE0], Some(FileType::Jpeg)),
            (b"RIFF\0\0\0\0WEBPVP8 ", Some(FileType::Webp)),
            (b"%PDF-1.7\n", Some(FileType::Pdf)),
            (b"<svg onload=alert(1)>", None),
            (b"<html><script>", None),
            (b"GIF89a", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(FileType::sniff(bytes), expected);
        }
    }
}
