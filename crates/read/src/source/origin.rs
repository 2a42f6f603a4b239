//! What is known about an input before it is read (its name, size, extension), and how
//! messages name inputs and sizes.

use std::path::Path;

use sitrep_model::{Problem, ProblemKind};

/// What is known about an input before reading it.
pub(super) struct Origin {
    /// The name used in sources and problems.
    pub(super) name: String,
    /// Size from the file's metadata; `None` for stdin.
    pub(super) size: Option<u64>,
    /// Lowercased file extension.
    pub(super) ext: Option<String>,
    /// A file (messages say "file"), or a stream ("input").
    pub(super) is_file: bool,
}

impl Origin {
    pub(super) fn problem(&self, kind: ProblemKind, reason: impl Into<String>) -> Problem {
        Problem::new(self.name.clone(), kind, reason)
    }

    pub(super) fn what(&self) -> &'static str {
        if self.is_file { "file" } else { "input" }
    }

    pub(super) fn ext_is(&self, candidates: &[&str]) -> bool {
        self.ext.as_deref().is_some_and(|e| candidates.contains(&e))
    }
}

pub(super) fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Whether a command-line input is a web address.
pub(super) fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// "52.4 MB", "10 MB", "1.5 kB", "100 bytes": sizes in decimal units, as file managers show.
pub(crate) fn human_size(bytes: u64) -> String {
    let scaled = |value: f64, unit: &str| {
        let text = format!("{value:.1}");
        let text = text.strip_suffix(".0").unwrap_or(&text);
        format!("{text} {unit}")
    };
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => scaled(bytes as f64 / 1e3, "kB"),
        1_000_000..1_000_000_000 => scaled(bytes as f64 / 1e6, "MB"),
        _ => scaled(bytes as f64 / 1e9, "GB"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(1_000), "1 kB");
        assert_eq!(human_size(1_500), "1.5 kB");
        assert_eq!(human_size(10_000_000), "10 MB");
        assert_eq!(human_size(52_400_000), "52.4 MB");
        assert_eq!(human_size(3_000_000_000), "3 GB");
    }
}
