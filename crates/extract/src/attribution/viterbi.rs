//! Decoding a first-order tag sequence: the best legal path (Viterbi) and each position's
//! tag posteriors (forward-backward), both linear in the sequence's length.
//!
//! Scores are per position and tag (`emissions[i * n + tag]`) plus a transition score
//! (`transitions[(prev + 1) * n + tag]`, row 0 for the start); `allowed` has the same layout
//! and forbids a transition outright.

/// The best path's tags, or an empty path for an empty sequence. A sequence with no legal
/// path cannot occur when every tag may follow itself or some tag allowed at the start (true
/// of both tag sets); should it, the path falls back to tag 0.
pub fn best_path(
    emissions: &[f32],
    n: usize,
    transitions: &[f32],
    allowed: &[bool],
    path: &mut Vec<u8>,
    scratch: &mut Vec<f32>,
    back: &mut Vec<u8>,
) {
    let len = emissions.len() / n;
    path.clear();
    if len == 0 {
        return;
    }
    scratch.clear();
    scratch.resize(len * n, f32::NEG_INFINITY);
    back.clear();
    back.resize(len * n, 0);
    for tag in 0..n {
        if allowed[tag] {
            scratch[tag] = emissions[tag] + transitions[tag];
        }
    }
    for i in 1..len {
        for tag in 0..n {
            let mut best = f32::NEG_INFINITY;
            let mut from = 0u8;
            for prev in 0..n {
                let row = (prev + 1) * n + tag;
                let s = scratch[(i - 1) * n + prev];
                if allowed[row] && s > f32::NEG_INFINITY {
                    let v = s + transitions[row];
                    if v > best {
                        best = v;
                        from = prev as u8;
                    }
                }
            }
            scratch[i * n + tag] = best + emissions[i * n + tag];
            back[i * n + tag] = from;
        }
    }
    let last = &scratch[(len - 1) * n..];
    let mut tag = (0..n)
        .max_by(|&a, &b| last[a].total_cmp(&last[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    path.resize(len, 0);
    for i in (0..len).rev() {
        path[i] = tag as u8;
        if i > 0 {
            tag = usize::from(back[i * n + tag]);
        }
    }
}

/// The posterior of every tag at every position (`out[i * n + tag]`) when the path scores,
/// divided by `temperature`, are log-probabilities up to a constant.
pub fn posteriors(
    emissions: &[f32],
    n: usize,
    transitions: &[f32],
    allowed: &[bool],
    temperature: f32,
    out: &mut Vec<f32>,
) {
    let len = emissions.len() / n;
    out.clear();
    if len == 0 {
        return;
    }
    let t = temperature.max(1e-6);
    let mut alpha = vec![f32::NEG_INFINITY; len * n];
    let mut beta = vec![f32::NEG_INFINITY; len * n];
    for tag in 0..n {
        if allowed[tag] {
            alpha[tag] = (emissions[tag] + transitions[tag]) / t;
        }
    }
    let mut terms = vec![f32::NEG_INFINITY; n];
    for i in 1..len {
        for tag in 0..n {
            for prev in 0..n {
                let row = (prev + 1) * n + tag;
                terms[prev] = if allowed[row] {
                    alpha[(i - 1) * n + prev] + transitions[row] / t
                } else {
                    f32::NEG_INFINITY
                };
            }
            alpha[i * n + tag] = log_sum(&terms) + emissions[i * n + tag] / t;
        }
    }
    beta[(len - 1) * n..].iter_mut().for_each(|b| *b = 0.0);
    for i in (0..len - 1).rev() {
        for prev in 0..n {
            for tag in 0..n {
                let row = (prev + 1) * n + tag;
                terms[tag] = if allowed[row] {
                    transitions[row] / t
                        + emissions[(i + 1) * n + tag] / t
                        + beta[(i + 1) * n + tag]
                } else {
                    f32::NEG_INFINITY
                };
            }
            beta[i * n + prev] = log_sum(&terms);
        }
    }
    let z = log_sum(&alpha[(len - 1) * n..]);
    out.extend(alpha.iter().zip(&beta).map(|(a, b)| {
        if z.is_finite() {
            (a + b - z).exp()
        } else {
            0.0
        }
    }));
}

fn log_sum(values: &[f32]) -> f32 {
    let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if max == f32::NEG_INFINITY {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f32>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::tags::{Role, role_transitions};

    fn decode(emissions: &[f32], n: usize, allowed: &[bool]) -> Vec<u8> {
        let transitions = vec![0.0; (n + 1) * n];
        let (mut path, mut a, mut b) = (Vec::new(), Vec::new(), Vec::new());
        best_path(
            emissions,
            n,
            &transitions,
            allowed,
            &mut path,
            &mut a,
            &mut b,
        );
        path
    }

    /// The locally best tags (I-CUE first, then I-CUE after O) are illegal; Viterbi must
    /// return the best legal sequence instead, whatever the emissions.
    #[test]
    fn the_best_path_is_always_legal() {
        let n = Role::COUNT;
        let allowed = role_transitions();
        let mut e = vec![0.0f32; 3 * n];
        e[Role::InCue as usize] = 5.0;
        e[n + Role::Out as usize] = 4.0;
        e[2 * n + Role::InCue as usize] = 5.0;
        e[2 * n + Role::BeginCue as usize] = 1.0;
        let path = decode(&e, n, &allowed);
        let tags: Vec<Role> = path
            .iter()
            .map(|&t| Role::from_index(usize::from(t)))
            .collect();
        assert_eq!(tags, [Role::Out, Role::Out, Role::BeginCue]);
        // Random emissions: every decoded sequence is legal.
        let mut x = 12345u64;
        for len in 1..40 {
            let e: Vec<f32> = (0..len * n)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((x >> 33) % 1000) as f32 / 100.0
                })
                .collect();
            let path = decode(&e, n, &allowed);
            assert_eq!(path.len(), len);
            let mut prev = None;
            for &t in &path {
                let tag = Role::from_index(usize::from(t));
                assert!(tag.may_follow(prev), "{path:?}");
                prev = Some(tag);
            }
        }
    }

    #[test]
    fn posteriors_sum_to_one_and_favour_the_best_path() {
        let n = Role::COUNT;
        let allowed = role_transitions();
        let e: Vec<f32> = (0..5 * n).map(|i| ((i * 7) % 11) as f32).collect();
        let transitions = vec![0.0; (n + 1) * n];
        let mut post = Vec::new();
        posteriors(&e, n, &transitions, &allowed, 1.0, &mut post);
        for i in 0..5 {
            let sum: f32 = post[i * n..(i + 1) * n].iter().sum();
            assert!((sum - 1.0).abs() < 1e-4, "{sum}");
        }
        // Illegal first tags get nothing.
        assert_eq!(post[Role::InCue as usize], 0.0);
        let path = decode(&e, n, &allowed);
        for (i, &t) in path.iter().enumerate() {
            let p = post[i * n + usize::from(t)];
            assert!(p > 0.3, "position {i}: {p}");
        }
    }
}
