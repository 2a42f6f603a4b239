//! Stable hashes and a tiny generator: SplitMix64 (Steele, Lea & Flood 2014), its finaliser,
//! which spreads every bit of a 64-bit value over the whole output, and the string hash and
//! combiner built on it.
//!
//! One implementation for the whole workspace, because other things are built on their
//! exact bits: the NLP models' feature hashes and the gazetteer's phrase index (shipped model
//! files are keyed by them), the linker's MinHash signatures and the generated test corpus.
//! They are written out here rather than taken from `std`, whose hasher is randomly seeded
//! and may change between releases. Changing a constant silently invalidates all of the
//! above; the tests pin the outputs.

/// The SplitMix64 finaliser: an avalanche mix in which every input bit affects every output
/// bit. Not a hash of anything by itself: callers feed it a combination of their values.
#[inline]
pub fn mix64(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Stable 64-bit hash of a string: FNV-1a over its bytes, then [`mix64`].
#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h ^ (s.len() as u64))
}

/// Combines a running hash with one more value (order-sensitive).
#[inline]
pub fn combine(h: u64, v: u64) -> u64 {
    (h ^ v.wrapping_add(0x9e37_79b9_7f4a_7c15))
        .wrapping_mul(0xff51_afd7_ed55_8ccd)
        .rotate_left(29)
}

/// The SplitMix64 generator: a Weyl sequence (the state advances by the golden-ratio
/// constant) passed through [`mix64`]. Deterministic on every platform and dependency-free,
/// for shuffling, sampling and generated data; not for anything that must be unpredictable.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator whose first output is `mix64(state + golden ratio)`; any state will do.
    pub fn new(state: u64) -> SplitMix64 {
        SplitMix64(state)
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference outputs of SplitMix64 (seed 0), and the finaliser on its own.
    #[test]
    fn outputs_are_the_reference_ones() {
        let mut g = SplitMix64::new(0);
        assert_eq!(g.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(g.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(g.next_u64(), 0x06c4_5d18_8009_454f);
        assert_eq!(mix64(0), 0);
        assert_eq!(mix64(1), 0x5692_161d_100b_05e5);
        assert_eq!(mix64(0x5172_6570), 0x2d4b_0ee9_1b40_c795);
    }

    #[test]
    fn hashes_are_stable_across_builds() {
        // These values are baked into shipped model weights; a change here breaks them.
        assert_eq!(hash_str(""), hash_str(""));
        assert_ne!(hash_str("ab"), hash_str("ba"));
        assert_ne!(combine(1, 2), combine(2, 1));
        assert_eq!(hash_str("sitrep"), 0xf7fe_ea35_9ba4_8c5b);
    }
}
