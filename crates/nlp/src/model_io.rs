//! The little-endian binary format shared by sitrep's model files, and the stable hashes that
//! turn feature strings into keys.
//!
//! Every file starts with an 8-byte magic (`SRNLP` + a 3-byte kind such as `TAG`), a `u32`
//! format version, then the model's own fields. Arrays are length-prefixed (`u32`). Nothing is
//! compressed: weights are already quantised to `i16`, and reading raw arrays keeps loading
//! well under the 300 ms budget.
//!
//! Hashes must never change between builds or platforms because the shipped weights are keyed
//! by them, so they are written out (FNV-1a over bytes, then a splitmix64 finaliser) rather
//! than taken from `std`'s randomly seeded hasher; they live in `sitrep_model::hash`, where
//! the gazetteer crate shares them, and are re-exported here.

use std::path::Path;

use sitrep_model::SplitMix64;

/// Current version of every sitrep model file.
pub const FORMAT_VERSION: u32 = 1;

/// Errors while reading or writing a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("not a sitrep {expected} model (bad magic header)")]
    BadMagic { expected: String },
    #[error("unsupported model format version {found} (this build reads {FORMAT_VERSION})")]
    Version { found: u32 },
    #[error("model file truncated or corrupt: {0}")]
    Corrupt(String),
    #[error("no model directory found: {0}")]
    NotFound(String),
}

/// The stable hashes (FNV-1a, then the SplitMix64 finaliser), shared with the rest of the
/// workspace: the gazetteer's phrase index hashes words exactly as the features do.
pub use sitrep_model::hash::{combine, hash_str, mix64};

/// Builds a little-endian model file in memory.
#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn new(kind: &[u8; 3]) -> Writer {
        let mut w = Writer::default();
        w.bytes.extend_from_slice(b"SRNLP");
        w.bytes.extend_from_slice(kind);
        w.u32(FORMAT_VERSION);
        w
    }
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes.extend_from_slice(s.as_bytes());
    }
    pub fn strs(&mut self, items: &[String]) {
        self.u32(items.len() as u32);
        for s in items {
            self.str(s);
        }
    }
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| ModelError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        std::fs::write(path, &self.bytes).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })
    }
}

/// Reads a little-endian model file from a byte slice.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Checks the magic header and version.
    pub fn new(bytes: &'a [u8], kind: &[u8; 3]) -> Result<Reader<'a>, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        let magic = r.take(8)?;
        if &magic[..5] != b"SRNLP" || &magic[5..] != kind {
            return Err(ModelError::BadMagic {
                expected: String::from_utf8_lossy(kind).into_owned(),
            });
        }
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(ModelError::Version { found: version });
        }
        Ok(r)
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| ModelError::Corrupt(format!("need {n} bytes at {}", self.pos)))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    pub fn str(&mut self) -> Result<String, ModelError> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| ModelError::Corrupt("invalid UTF-8".into()))
    }
    pub fn strs(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.u32()? as usize;
        (0..n).map(|_| self.str()).collect()
    }
    /// Whether every byte has been read (for optional trailing fields).
    pub fn is_done(&self) -> bool {
        self.pos == self.bytes.len()
    }
    pub fn finish(&self) -> Result<(), ModelError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(ModelError::Corrupt(format!(
                "{} trailing bytes",
                self.bytes.len() - self.pos
            )))
        }
    }
}

/// Reads a whole model file.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ModelError> {
    std::fs::read(path).map_err(|source| ModelError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// A small deterministic PRNG (SplitMix64) for shuffling and exploration during training.
#[derive(Debug, Clone)]
pub struct Rng(SplitMix64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(SplitMix64::new(seed ^ 0x5eed_5eed_5eed_5eed))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_reader_round_trip_and_header_checks() {
        let mut w = Writer::new(b"TST");
        w.u8(7);
        w.u16(300);
        w.u32(70000);
        w.f32(1.5);
        w.str("héllo");
        w.strs(&["a".to_string(), "bc".to_string()]);
        let mut r = Reader::new(&w.bytes, b"TST").unwrap();
        assert_eq!(r.u8().unwrap(), 7);
        assert_eq!(r.u16().unwrap(), 300);
        assert_eq!(r.u32().unwrap(), 70000);
        assert_eq!(r.f32().unwrap(), 1.5);
        assert_eq!(r.str().unwrap(), "héllo");
        assert_eq!(r.strs().unwrap(), vec!["a", "bc"]);
        r.finish().unwrap();
        assert!(matches!(
            Reader::new(&w.bytes, b"XYZ"),
            Err(ModelError::BadMagic { .. })
        ));
        assert!(matches!(
            Reader::new(&w.bytes[..6], b"TST"),
            Err(ModelError::Corrupt(_))
        ));
    }

    #[test]
    fn rng_is_deterministic() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let mut xs: Vec<u32> = (0..20).collect();
        let mut ys = xs.clone();
        a.shuffle(&mut xs);
        b.shuffle(&mut ys);
        assert_eq!(xs, ys);
        assert_ne!(xs, (0..20).collect::<Vec<_>>());
    }
}
