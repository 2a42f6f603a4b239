//! SplitMix64 (Steele, Lea & Flood 2014): its finaliser, which spreads every bit of a 64-bit
//! value over the whole output, and the tiny generator built on it.
//!
//! One implementation for the whole workspace, because other things are built on its exact
//! bits: the NLP models' feature hashes (shipped weights are keyed by them), the linker's
//! MinHash signatures and the generated test corpus. Changing a constant here silently
//! invalidates all three; the tests pin the outputs.

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
}
