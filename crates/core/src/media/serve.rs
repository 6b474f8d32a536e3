//! The `hgmedia` URI scheme: `hgmedia://localhost/<sha256>` (on Windows
//! `http://hgmedia.localhost/<sha256>`) answers a cache entry by its content
//! hash and nothing else. Images, audio and video are served with their
//! type; anything else as an opaque download in a sandbox, so a customer's
//! HTML or SVG "document" never runs. The shell turns a [`Served`] into its
//! toolkit's response.

use super::{MediaCache, byte_range, served_type};

/// The scheme's name.
pub const SCHEME: &str = "hgmedia";

/// An answer: status, headers (lower-case names) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Served {
    /// The value of the header `name`, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Answers a request for `path` (`/<hash>`), with its `Range` header if
/// any, from `cache` (absent without a session that has one).
pub fn serve(cache: Option<&MediaCache>, path: &str, range: Option<&str>) -> Served {
    let hash = path.trim_start_matches('/');
    let Some(file) = cache.and_then(|c| c.read(hash).ok().flatten()) else {
        return Served {
            status: 404,
            headers: Vec::new(),
            body: Vec::new(),
        };
    };
    let content_type = served_type(&file.mime_type).to_owned();
    let len = file.bytes.len() as u64;
    let sandbox = content_type == "application/octet-stream";
    let mut headers = vec![
        ("content-type", content_type),
        ("accept-ranges", "bytes".to_owned()),
        // The window's own origin differs from the scheme's; its media
        // player loads with CORS checks.
        ("access-control-allow-origin", "*".to_owned()),
        ("x-content-type-options", "nosniff".to_owned()),
        // Named by content: it never changes.
        (
            "cache-control",
            "private, max-age=31536000, immutable".to_owned(),
        ),
    ];
    if sandbox {
        headers.push(("content-security-policy", "sandbox".to_owned()));
    }
    // The media player reads audio and video by byte ranges.
    let (status, body) = match byte_range(range, len) {
        None => {
            headers.push(("content-length", len.to_string()));
            (200, file.bytes)
        }
        Some(Ok((first, last))) => {
            let part = file
                .bytes
                .get(first as usize..=last as usize)
                .unwrap_or_default()
                .to_vec();
            headers.push(("content-range", format!("bytes {first}-{last}/{len}")));
            headers.push(("content-length", part.len().to_string()));
            (206, part)
        }
        Some(Err(())) => {
            headers.push(("content-range", format!("bytes */{len}")));
            (416, Vec::new())
        }
    };
    Served {
        status,
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> (tempfile::TempDir, MediaCache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = MediaCache::open(dir.path(), 1 << 20).unwrap();
        (dir, cache)
    }

    #[test]
    fn an_image_is_served_whole_with_its_type() {
        let (_dir, cache) = cache();
        let hash = cache.put(b"\xff\xd8\xffjpeg bytes", "image/jpeg").unwrap();
        let served = serve(Some(&cache), &format!("/{hash}"), None);
        assert_eq!(served.status, 200);
        assert_eq!(served.body, b"\xff\xd8\xffjpeg bytes");
        assert_eq!(served.header("content-type"), Some("image/jpeg"));
        assert_eq!(served.header("content-length"), Some("13"));
        assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(served.header("content-security-policy"), None);
        assert!(
            served
                .header("cache-control")
                .unwrap()
                .contains("immutable")
        );
    }

    #[test]
    fn a_document_is_an_opaque_download_in_a_sandbox() {
        let (_dir, cache) = cache();
        let hash = cache
            .put(b"<svg onload=alert(1)>", "image/svg+xml")
            .unwrap();
        let served = serve(Some(&cache), &format!("/{hash}"), None);
        assert_eq!(served.status, 200);
        assert_eq!(
            served.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(served.header("content-security-policy"), Some("sandbox"));
    }

    #[test]
    fn ranges_are_served_in_part_or_refused() {
        let (_dir, cache) = cache();
        let hash = cache.put(b"0123456789", "audio/ogg").unwrap();
        let path = format!("/{hash}");
        let part = serve(Some(&cache), &path, Some("bytes=2-5"));
        assert_eq!(part.status, 206);
        assert_eq!(part.body, b"2345");
        assert_eq!(part.header("content-range"), Some("bytes 2-5/10"));
        assert_eq!(part.header("content-length"), Some("4"));
        let outside = serve(Some(&cache), &path, Some("bytes=20-30"));
        assert_eq!(outside.status, 416);
        assert!(outside.body.is_empty());
        assert_eq!(outside.header("content-range"), Some("bytes */10"));
    }

    #[test]
    fn anything_not_in_the_cache_is_not_found() {
        let (_dir, cache) = cache();
        for path in ["/", "/../../etc/passwd", &format!("/{}", "a".repeat(64))] {
            assert_eq!(serve(Some(&cache), path, None).status, 404, "{path}");
        }
        assert_eq!(serve(None, "/abc", None).status, 404);
    }
}
