//! Files customers "send": generated on the fly, small, and real enough to
//! open. Images are valid PNGs, documents valid one-page PDFs, audio a valid
//! two-second Ogg-Opus file (silence); video and stickers carry only their
//! container's magic bytes, which is enough for a client that stores and
//! offers them.

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
    pub mime_type: String,
    pub bytes: Vec<u8>,
    pub filename: Option<String>,
    /// Unix seconds Meta received it (the message's timestamp); the id
    /// expires [`crate::SimConfig::media_ttl`] later.
    pub created_at: i64,
    /// Expired early through the control API.
    pub expired: bool,
}

impl MediaFile {
    /// A file of `kind`; `note` (the media id) goes into images, so no two
    /// photos are the same file.
    pub fn generate(
        kind: MediaKind,
        seed: u8,
        note: &str,
        filename: Option<String>,
        created_at: i64,
    ) -> Self {
        let (mime_type, bytes) = match kind {
            MediaKind::Image => ("image/png", png(48, 32, [seed, 120, 255 - seed], note)),
            MediaKind::Document => (
                "application/pdf",
                pdf(filename.as_deref().unwrap_or("document.pdf")),
            ),
            MediaKind::Audio => ("audio/ogg; codecs=opus", ogg_opus_silence(2)),
            MediaKind::Video => ("video/mp4", b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec()),
            MediaKind::Sticker => (
                "image/webp",
                b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0/\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0"
                    .to_vec(),
            ),
        };
        Self {
            mime_type: mime_type.to_owned(),
            bytes,
            filename,
            created_at,
            expired: false,
        }
    }

    /// A file a business uploaded.
    pub fn uploaded(
        mime_type: String,
        bytes: Vec<u8>,
        filename: Option<String>,
        created_at: i64,
    ) -> Self {
        Self {
            mime_type,
            bytes,
            filename,
            created_at,
            expired: false,
        }
    }

    /// Meta no longer serves it: expired through the control API, or older
    /// than `ttl_secs`.
    pub fn is_expired(&self, now: i64, ttl_secs: i64) -> bool {
        self.expired || now.saturating_sub(self.created_at) > ttl_secs
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
fn png(width: u32, height: u32, rgb: [u8; 3], note: &str) -> Vec<u8> {
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
    let mut text = b"Comment\0".to_vec();
    text.extend(note.bytes().filter(|b| b.is_ascii_graphic()));
    for (kind, data) in [
        (b"IHDR", ihdr),
        (b"tEXt", text),
        (b"IDAT", z),
        (b"IEND", Vec::new()),
    ] {
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

/// `seconds` of silence as Ogg-Opus, mono, 48 kHz: the identification and
/// comment headers, then one page of 20 ms packets `F8 FF FE` (a CELT
/// frame that decodes to silence), its granule position giving the length.
fn ogg_opus_silence(seconds: u32) -> Vec<u8> {
    const PRE_SKIP: u16 = 312;
    const SERIAL: u32 = 0x4867_6c73;
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(1); // channels
    head.extend_from_slice(&PRE_SKIP.to_le_bytes());
    head.extend_from_slice(&48_000u32.to_le_bytes());
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // channel mapping family
    let vendor = b"hourglass-sim";
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor);
    tags.extend_from_slice(&0u32.to_le_bytes());
    let packets = (seconds * 50).min(250) as usize;
    let silence: Vec<Vec<u8>> = vec![vec![0xf8, 0xff, 0xfe]; packets];
    let granule = packets as u64 * 960 + u64::from(PRE_SKIP);
    let mut out = ogg_page(0x02, 0, SERIAL, 0, &[head]);
    out.extend(ogg_page(0x00, 0, SERIAL, 1, &[tags]));
    out.extend(ogg_page(0x04, granule, SERIAL, 2, &silence));
    out
}

/// One Ogg page holding whole packets, each shorter than 255 bytes.
fn ogg_page(flags: u8, granule: u64, serial: u32, sequence: u32, packets: &[Vec<u8>]) -> Vec<u8> {
    let mut page = b"OggS".to_vec();
    page.push(0);
    page.push(flags);
    page.extend_from_slice(&granule.to_le_bytes());
    page.extend_from_slice(&serial.to_le_bytes());
    page.extend_from_slice(&sequence.to_le_bytes());
    page.extend_from_slice(&[0; 4]); // CRC, filled in below
    page.push(packets.len() as u8);
    for p in packets {
        page.push(p.len() as u8);
    }
    for p in packets {
        page.extend_from_slice(p);
    }
    let crc = ogg_crc(&page);
    page[22..26].copy_from_slice(&crc.to_le_bytes());
    page
}

/// Ogg's CRC-32: polynomial 0x04c11db7, not reflected, no final XOR.
fn ogg_crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in data {
        crc ^= u32::from(byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04c1_1db7
            } else {
                crc << 1
            };
        }
    }
    crc
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
        let png = MediaFile::generate(MediaKind::Image, 3, "1", None, 0);
        assert!(png.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.bytes.ends_with(&[0xae, 0x42, 0x60, 0x82]), "IEND CRC");
        let pdf = MediaFile::generate(MediaKind::Document, 0, "2", Some("invoice.pdf".into()), 0);
        assert!(pdf.bytes.starts_with(b"%PDF-1.4"));
        assert!(pdf.bytes.ends_with(b"%%EOF\n"));
        assert_eq!(pdf.sha256_hex().len(), 64);
        let ogg = MediaFile::generate(MediaKind::Audio, 0, "3", None, 0);
        assert!(ogg.bytes.starts_with(b"OggS\0\x02"));
        assert_eq!(&ogg.bytes[28..36], b"OpusHead");
    }

    #[test]
    fn ogg_pages_carry_their_crc() {
        // The CRC of a page is computed with its CRC field zeroed, so
        // recomputing it over a finished page (field zeroed again) agrees.
        let page = ogg_page(0x02, 0, 1, 0, &[b"OpusHead".to_vec()]);
        let mut zeroed = page.clone();
        zeroed[22..26].copy_from_slice(&[0; 4]);
        assert_eq!(ogg_crc(&zeroed).to_le_bytes(), page[22..26]);
        // A known vector of this CRC variant (CRC-32/MPEG-2 without its init).
        assert_eq!(ogg_crc(b"123456789"), 0x89a1_897f);
    }

    #[test]
    fn media_ids_expire_after_their_ttl_or_on_demand() {
        let mut f = MediaFile::generate(MediaKind::Image, 0, "4", None, 1_000);
        assert!(!f.is_expired(1_000 + 30, 30));
        assert!(f.is_expired(1_000 + 31, 30));
        f.expired = true;
        assert!(f.is_expired(1_000, 30));
    }
}
