//! The bytes the HTML tokenizer reads, with a bound on how deep its state machine may call
//! itself.
//!
//! html5gum runs its states as functions, and for speed some states call the next one
//! directly instead of returning to its loop. One such chain is a cycle: before an attribute
//! name → the name → `=` → `"` → the value → `"` → whitespace → before the next name. So every
//! double-quoted attribute of one tag costs a few stack frames until the tag ends, and a tag
//! with 50,000 attributes (300 KB of HTML) overflows an 8 MB stack: the process aborts, taking
//! a whole batch with it. There is no option to turn this off and no newer release.
//!
//! The bound is placed here, under every state: the tokenizer reads through this reader, which
//! compares the stack depth at each read with the depth at which tokenizing started. Past
//! [`STACK_BUDGET`] it stops with [`TooDeep`], giving the byte it had reached; the caller
//! skips the rest of that tag and starts a fresh tokenizer after it. The rule holds for any
//! recursive path through the tokenizer, known or not, and costs one comparison per read.
//! Measured: a tag's double-quoted attributes cost about 160 bytes of stack each in release
//! builds, so the budget is reached after about 6,500 of them (real pages have tens); an
//! unoptimised build spends about 10 KB each and cuts after about 100.

use std::fmt;

use html5gum::Reader;

/// The stack the tokenizer may use below the depth at which it started. Threads that read
/// pages (rayon's workers: 2 MiB by default; the main thread: 8 MiB) have this much to spare.
pub(crate) const STACK_BUDGET: usize = 1024 * 1024;

/// The tokenizer went past [`STACK_BUDGET`]; it had read the input up to byte `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep {
    pub(crate) at: usize,
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the HTML tokenizer nested too deep at byte {}", self.at)
    }
}

impl std::error::Error for TooDeep {}

/// An in-memory page, read by html5gum, that knows its position and watches the stack.
pub(crate) struct BoundedReader<'a> {
    input: &'a [u8],
    pos: usize,
    /// The stack address where tokenizing started.
    base: usize,
}

impl<'a> BoundedReader<'a> {
    /// A reader of `input`, measuring stack use from the caller's frame.
    #[inline(always)]
    pub(crate) fn new(input: &'a [u8]) -> BoundedReader<'a> {
        BoundedReader {
            input,
            pos: 0,
            base: stack_address(),
        }
    }

    #[inline(always)]
    fn check_depth(&self) -> Result<(), TooDeep> {
        // Stacks grow down on every platform Rust targets for this, but the distance is what
        // counts, so either direction works.
        if stack_address().abs_diff(self.base) > STACK_BUDGET {
            return Err(TooDeep { at: self.pos });
        }
        Ok(())
    }
}

/// An address in the current stack frame (of the function this is inlined into).
#[inline(always)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl Reader for BoundedReader<'_> {
    type Error = TooDeep;

    #[inline(always)]
    fn read_byte(&mut self) -> Result<Option<u8>, TooDeep> {
        self.check_depth()?;
        let byte = self.input.get(self.pos).copied();
        self.pos += usize::from(byte.is_some());
        Ok(byte)
    }

    #[inline(always)]
    fn try_read_string(&mut self, s: &[u8], case_sensitive: bool) -> Result<bool, TooDeep> {
        let Some(next) = self.input.get(self.pos..self.pos + s.len()) else {
            return Ok(false);
        };
        let matched = if case_sensitive {
            next == s
        } else {
            next.eq_ignore_ascii_case(s)
        };
        if matched {
            self.pos += s.len();
        }
        Ok(matched)
    }

    /// The bytes up to the first byte of `needle`, or that byte alone when it comes first.
    #[inline(always)]
    fn read_until<'b>(
        &'b mut self,
        needle: &[u8],
        _: &'b mut [u8; 4],
    ) -> Result<Option<&'b [u8]>, TooDeep> {
        self.check_depth()?;
        let rest = &self.input[self.pos..];
        if rest.is_empty() {
            return Ok(None);
        }
        let len = match first_of(needle, rest) {
            Some(at) => at.max(1),
            None => rest.len(),
        };
        self.pos += len;
        Ok(Some(&rest[..len]))
    }
}

/// Where the first byte of `needle` (at most 16 bytes, as html5gum asks) is in `haystack`.
#[inline(always)]
fn first_of(needle: &[u8], haystack: &[u8]) -> Option<usize> {
    match *needle {
        [a] => memchr::memchr(a, haystack),
        [a, b] => memchr::memchr2(a, b, haystack),
        [a, b, c] => memchr::memchr3(a, b, c, haystack),
        _ => {
            let mut set = [0u8; 16];
            let n = needle.len().min(16);
            set[..n].copy_from_slice(&needle[..n]);
            #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
            jetscii::Bytes::new(set, n as i32, |b| needle.contains(&b)).find(haystack)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_stop_at_the_needle_and_cover_the_input() {
        let text = "a<b&c<<d";
        let mut reader = BoundedReader::new(text.as_bytes());
        let mut buf = [0u8; 4];
        let mut chunks = Vec::new();
        while let Some(chunk) = reader.read_until(b"<&", &mut buf).unwrap() {
            chunks.push(String::from_utf8(chunk.to_vec()).unwrap());
        }
        assert_eq!(chunks, ["a", "<", "b", "&", "c", "<", "<", "d"]);
        assert_eq!(chunks.concat(), text);
    }

    #[test]
    fn strings_match_with_or_without_case() {
        let mut reader = BoundedReader::new(b"DOCTYPE html");
        assert!(!reader.try_read_string(b"doctype", true).unwrap());
        assert!(reader.try_read_string(b"doctype", false).unwrap());
        assert_eq!(reader.read_byte().unwrap(), Some(b' '));
        assert!(!reader.try_read_string(b"html5", true).unwrap());
    }

    #[test]
    fn a_read_past_the_budget_stops_with_the_position() {
        /// Recurses with 1 KB frames, reading a byte in each, until the reader refuses.
        fn descend(reader: &mut BoundedReader<'_>) -> Result<usize, TooDeep> {
            let pad = std::hint::black_box([0u8; 1024]);
            reader.read_byte()?;
            Ok(descend(reader)? + usize::from(pad[0]))
        }
        let input = vec![b'x'; 1 << 20];
        let err = std::thread::Builder::new()
            .stack_size(8 * STACK_BUDGET)
            .spawn(move || descend(&mut BoundedReader::new(&input)).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(err.at > 100 && err.at < STACK_BUDGET / 1024 + 1, "{err}");
    }
}
