//! A minimal server-sent-events decoder: enough for the relay's stream
//! (`id:` + `data:` lines, `:` comments as heartbeats), tolerant of chunks
//! that split lines and of `\r\n`.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
}

/// Feed bytes in with [`Decoder::push`]; complete events come out.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    id: Option<String>,
    event: Option<String>,
    data: String,
    has_data: bool,
}

/// Past this, a line without an end is not an SSE stream.
const MAX_LINE: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SseError {
    #[error("a stream line is longer than {MAX_LINE} bytes")]
    LineTooLong,
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes; returns the events they complete.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        self.buf.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(pos) = self.buf[start..].iter().position(|b| *b == b'\n') {
            let end = start + pos;
            let mut line = &self.buf[start..end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            let line = String::from_utf8_lossy(line).into_owned();
            self.line(&line, out);
            start = end + 1;
        }
        self.buf.drain(..start);
        if self.buf.len() > MAX_LINE {
            return Err(SseError::LineTooLong);
        }
        Ok(())
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            if self.has_data {
                out.push(SseEvent {
                    id: self.id.clone(),
                    event: self.event.take(),
                    data: std::mem::take(&mut self.data),
                });
            }
            self.has_data = false;
            self.data.clear();
            self.event = None;
            return;
        }
        if line.starts_with(':') {
            return; // comment (heartbeat)
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" => self.id = Some(value.to_owned()),
            "event" => self.event = Some(value.to_owned()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_and_comments() {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.push(b": heartbeat\n\nid: 1\nda", &mut out).unwrap();
        assert!(out.is_empty());
        d.push(
            b"ta: {\"a\":1}\r\n\r\nid: 2\ndata: x\ndata: y\n\n",
            &mut out,
        )
        .unwrap();
        assert_eq!(
            out,
            vec![
                SseEvent {
                    id: Some("1".into()),
                    event: None,
                    data: "{\"a\":1}".into()
                },
                SseEvent {
                    id: Some("2".into()),
                    event: None,
                    data: "x\ny".into()
                },
            ]
        );
    }
}
