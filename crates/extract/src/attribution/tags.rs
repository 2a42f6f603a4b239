//! The two tag sets and which tag may follow which.
//!
//! * [`Role`] tags: BIO over source, cue and content. PolNeAR gives each token at most one
//!   role in at most one relation, so the gold annotation is exactly such a sequence. The
//!   first model (the cue model, over each paragraph) uses only the cue tags and `O`
//!   ([`cue_transitions`]): tagging sources and contents as well made it find cues worse
//!   (PolNeAR dev, joint against cue tags only: exact F1 0.437 / 0.461, partial 0.676 /
//!   0.696; cue spans found exactly P 0.68 / 0.79, R 0.67 / 0.64), its updates being spent
//!   on the long contents' boundaries.
//! * [`Link`] tags (the second model, once per cue over a window around it): which tokens
//!   are this cue's source and which its content. One relation has one source and one
//!   content (possibly in pieces), so inside/outside tags suffice.

/// A tag of the role model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Role {
    Out = 0,
    BeginSource,
    InSource,
    BeginCue,
    InCue,
    BeginContent,
    InContent,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Out,
        Role::BeginSource,
        Role::InSource,
        Role::BeginCue,
        Role::InCue,
        Role::BeginContent,
        Role::InContent,
    ];
    pub const COUNT: usize = 7;

    pub fn from_index(i: usize) -> Role {
        Role::ALL[i]
    }

    pub fn name(self) -> &'static str {
        ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"][self as usize]
    }

    /// Which role (0 none, 1 source, 2 cue, 3 content), whether beginning or inside.
    pub fn kind(self) -> u8 {
        (self as u8).div_ceil(2)
    }

    pub fn is_inside(self) -> bool {
        matches!(self, Role::InSource | Role::InCue | Role::InContent)
    }

    /// Whether this tag may follow `prev` (`None`: at the start).
    pub fn may_follow(self, prev: Option<Role>) -> bool {
        !self.is_inside() || prev.is_some_and(|p| p != Role::Out && p.kind() == self.kind())
    }

    /// The begin or inside tag of role kind `kind` (1 source, 2 cue, 3 content).
    pub fn of_kind(kind: u8, begin: bool) -> Role {
        match kind {
            0 => Role::Out,
            k => Role::from_index(usize::from(2 * k - u8::from(begin))),
        }
    }
}

/// A tag of the cue model: each cue piece (a run of consecutive cue tokens) is its head
/// word (the token the parse attaches outside the cue, "believed" in "truly believed", "say"
/// in "have more to say on"), the tokens before it and those after it. Centring the tags on
/// the head gives a cue word the same tag whatever modifiers precede it, where BIO tagged
/// "believed" as a beginning alone and as an inside after "truly".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum CueTag {
    Out = 0,
    /// A cue token before its piece's head.
    Pre,
    Head,
    /// A cue token after its piece's head.
    Post,
}

impl CueTag {
    pub const ALL: [CueTag; 4] = [CueTag::Out, CueTag::Pre, CueTag::Head, CueTag::Post];
    pub const COUNT: usize = 4;

    pub fn from_index(i: usize) -> CueTag {
        CueTag::ALL[i]
    }

    pub fn name(self) -> &'static str {
        ["O", "PRE", "HEAD", "POST"][self as usize]
    }

    /// Whether this tag may follow `prev` (`None`: at the start): a piece is `Pre* Head
    /// Post*`.
    pub fn may_follow(self, prev: Option<CueTag>) -> bool {
        let after_pre = prev == Some(CueTag::Pre);
        match self {
            CueTag::Out => !after_pre,
            CueTag::Pre | CueTag::Head => true,
            CueTag::Post => matches!(prev, Some(CueTag::Head | CueTag::Post)),
        }
    }
}

/// The legality table of the cue tags for Viterbi: `allowed[(prev + 1) * n + tag]`, row 0
/// for the start.
pub fn cue_tag_transitions() -> Vec<bool> {
    let n = CueTag::COUNT;
    let mut allowed = vec![false; (n + 1) * n];
    for (p, prev) in std::iter::once(None)
        .chain(CueTag::ALL.iter().map(|&r| Some(r)))
        .enumerate()
    {
        for tag in CueTag::ALL {
            allowed[p * n + tag as usize] = tag.may_follow(prev);
        }
    }
    allowed
}

/// A tag of the linking model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Link {
    Out = 0,
    Source,
    Content,
}

impl Link {
    pub const ALL: [Link; 3] = [Link::Out, Link::Source, Link::Content];
    pub const COUNT: usize = 3;

    pub fn from_index(i: usize) -> Link {
        Link::ALL[i]
    }

    pub fn name(self) -> &'static str {
        ["O", "SRC", "CON"][self as usize]
    }
}

/// The legality table of the role tags for Viterbi: `allowed[(prev + 1) * n + tag]`, row 0
/// for the start.
pub fn role_transitions() -> Vec<bool> {
    let n = Role::COUNT;
    let mut allowed = vec![false; (n + 1) * n];
    for (p, prev) in std::iter::once(None)
        .chain(Role::ALL.iter().map(|&r| Some(r)))
        .enumerate()
    {
        for tag in Role::ALL {
            allowed[p * n + tag as usize] = tag.may_follow(prev);
        }
    }
    allowed
}

/// The legality table of the cue model: the role tags' table with the source and content
/// tags ruled out, so that only `O`, `B-CUE` and `I-CUE` are ever decoded.
pub fn cue_transitions() -> Vec<bool> {
    let n = Role::COUNT;
    let mut allowed = role_transitions();
    for (i, a) in allowed.iter_mut().enumerate() {
        let (prev, tag) = (i / n, Role::from_index(i % n));
        let prev_cue = prev == 0 || matches!(Role::from_index(prev - 1).kind(), 0 | 2);
        if !matches!(tag.kind(), 0 | 2) || !prev_cue {
            *a = false;
        }
    }
    allowed
}

/// Every transition allowed (the linking tags).
pub fn free_transitions(n: usize) -> Vec<bool> {
    vec![true; (n + 1) * n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_tags_only_continue_their_own_role() {
        assert!(Role::InCue.may_follow(Some(Role::BeginCue)));
        assert!(Role::InCue.may_follow(Some(Role::InCue)));
        assert!(!Role::InCue.may_follow(Some(Role::InContent)));
        assert!(!Role::InCue.may_follow(Some(Role::Out)));
        assert!(!Role::InSource.may_follow(None));
        assert!(Role::BeginContent.may_follow(Some(Role::InContent)));
        assert!(Role::Out.may_follow(None));
        assert_eq!(Role::of_kind(2, true), Role::BeginCue);
        assert_eq!(Role::of_kind(3, false), Role::InContent);
        assert_eq!(Role::InSource.kind(), 1);
        let allowed = role_transitions();
        // At the start and after O: O and the three begin tags; after a source, cue or
        // content tag: those and the same role's inside tag.
        assert_eq!(allowed.iter().filter(|&&a| a).count(), 4 + 4 + 6 * 5);
        // The cue model: O or B-CUE at the start and after O; after a cue tag also I-CUE.
        let cue = cue_transitions();
        assert_eq!(cue.iter().filter(|&&a| a).count(), 2 + 2 + 3 + 3);
        let n = Role::COUNT;
        assert!(cue[(Role::BeginCue as usize + 1) * n + Role::InCue as usize]);
        assert!(!cue[Role::BeginContent as usize]);
        assert!(!cue[(Role::Out as usize + 1) * n + Role::BeginSource as usize]);
        // Head-centred cue tags: PRE* HEAD POST*; O never right after PRE, POST only after
        // HEAD or POST.
        let heads = cue_tag_transitions();
        let m = CueTag::COUNT;
        assert!(!heads[CueTag::Post as usize]);
        assert!(!heads[(CueTag::Pre as usize + 1) * m + CueTag::Out as usize]);
        assert!(heads[(CueTag::Head as usize + 1) * m + CueTag::Pre as usize]);
        assert_eq!(heads.iter().filter(|&&a| a).count(), 3 + 3 + 2 + 4 + 4);
    }
}
