//! Files customers "send": generated on the fly, small, and real enough to
//! open. Images are valid PNGs, documents valid one-page PDFs; audio, video
//! and stickers carry only their container's magic bytes, which is enough for
//! a client that stores and offers them.

use base64::Engine as _;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Image,
    Document,
    Audio,
    Video,
    Sticker,
}

/// One stored file.
#[derive(Debug, Clone)]
pub(crate) struct MediaFile {
    pub mime_type: &'static str,
    pub bytes: Vec<u8>,
    pub filename: Option<String>,
}

impl MediaFile {
    pub fn generate(kind: MediaKind, seed: u8, filename: Option<String>) -> Self {
        let (mime_type, bytes) = match kind {
            MediaKind::Image => ("image/png", png(8, 8, [seed, 120, 255 - seed])),
            MediaKind::Document => (
                "application/pdf",
                pdf(filename.as_deref().unwrap_or("document.pdf")),
            ),
            MediaKind::Audio => (
                "audio/ogg; codecs=opus",
                b"OggS\0\x02hourglass-sim-audio".to_vec(),
            ),
            MediaKind::Video => ("video/mp4", b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec()),
            MediaKind::Sticker => (
                "image/webp",
                b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0/\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0"
                    .to_vec(),
            ),
        };
        Self {
            mime_type,
            bytes,
            filename,
        }
    }

    /// Hex SHA-256, as `GET /{media-id}` reports it.
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(&self.bytes))
    }

    /// Base64 SHA-256, as webhooks report it.
    pub fn sha256_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&self.bytes))
    }
}

/// A solid-colour RGB PNG, deflate "stored" blocks, so no compressor is needed.
fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    // Each scanline: filter byte 0 (none), then the pixels.
    let mut line = vec![0u8];
    for _ in 0..width {
        line.extend_from_slice(&rgb);
    }
    let raw = line.repeat(height as usize);
    // zlib header, one final stored block, Adler-32.
    let mut z = vec![0x78, 0x01, 0x01];
    let len = raw.len() as u16;
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&(!len).to_le_bytes());
    z.extend_from_slice(&raw);
    z.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", ihdr), (b"IDAT", z), (b"IEND", Vec::new())] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(&data);
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// A one-page PDF that shows the file name, with a correct xref table.
fn pdf(title: &str) -> Vec<u8> {
    let safe: String = title
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " .-_".contains(*c))
        .collect();
    let content = format!("BT /F1 18 Tf 40 100 Td (Hourglass demo: {safe}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_vectors() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn generated_files_have_their_magic() {
        let png = MediaFile::generate(MediaKind::Image, 3, None);
        assert!(png.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.bytes.ends_with(&[0xae, 0x42, 0x60, 0x82]), "IEND CRC");
        let pdf = MediaFile::generate(MediaKind::Document, 0, Some("invoice.pdf".into()));
        assert!(pdf.bytes.starts_with(b"%PDF-1.4"));
        assert!(pdf.bytes.ends_with(b"%%EOF\n"));
        assert_eq!(pdf.sha256_hex().len(), 64);
    }
}
