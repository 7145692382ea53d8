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
