//! Entity types and spans, and the BIO tags that encode them (read the way conlleval reads
//! them).

/// Entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityLabel {
    Per,
    Org,
    Loc,
    /// Nationalities, religious and political groups.
    Norp,
    /// Other names (UNER's OTH).
    Misc,
}

impl EntityLabel {
    pub const ALL: [EntityLabel; 5] = [
        EntityLabel::Per,
        EntityLabel::Org,
        EntityLabel::Loc,
        EntityLabel::Norp,
        EntityLabel::Misc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Norp => "NORP",
            EntityLabel::Misc => "MISC",
        }
    }

    /// Parses a type name; UNER's `OTH` reads as MISC, OntoNotes-style `GPE` as LOC and
    /// `PERSON` as PER.
    pub fn parse(s: &str) -> Option<EntityLabel> {
        Some(match s {
            "PER" | "PERSON" => EntityLabel::Per,
            "ORG" => EntityLabel::Org,
            "LOC" | "GPE" => EntityLabel::Loc,
            "NORP" => EntityLabel::Norp,
            "MISC" | "OTH" => EntityLabel::Misc,
            _ => return None,
        })
    }

    /// The type in the UNER tag set (PER, ORG, LOC, OTH).
    pub fn uner(self) -> &'static str {
        match self {
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Norp | EntityLabel::Misc => "OTH",
        }
    }
}

/// A recognised entity: words `start_word..end_word` (end exclusive) of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntitySpan {
    pub start_word: usize,
    pub end_word: usize,
    pub label: EntityLabel,
}

/// Spans of a BIO tag sequence, read the way conlleval reads them: an entity starts at `B-X`,
/// or at `I-X` after a tag that is not `B-X`/`I-X`, and runs over the following `I-X`.
/// Tags whose type is not an [`EntityLabel`] are skipped.
pub fn spans_from_tags<S: AsRef<str>>(tags: &[S]) -> Vec<EntitySpan> {
    typed_spans(tags)
        .into_iter()
        .filter_map(|(s, e, t)| {
            EntityLabel::parse(t).map(|label| EntitySpan {
                start_word: s,
                end_word: e,
                label,
            })
        })
        .collect()
}

/// conlleval chunking with the raw type strings (so that a scorer can report any type).
pub(super) fn typed_spans<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.as_ref();
        let (prefix, ty) = match tag.split_once('-') {
            Some((p, t)) if p == "B" || p == "I" || p == "E" || p == "S" => (p, t),
            _ => ("O", ""),
        };
        let continues = prefix == "I" && open.is_some_and(|(_, t)| t == ty);
        if !continues && let Some((s, t)) = open.take() {
            out.push((s, i, t));
        }
        if prefix != "O" && !continues {
            open = Some((i, ty));
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t));
    }
    out
}

/// BIO tags for `n` words from spans (later spans never overwrite earlier ones).
pub fn tags_from_spans(n: usize, spans: &[EntitySpan], uner: bool) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n];
    let mut taken = vec![false; n];
    for s in spans {
        let end = s.end_word.min(n);
        if s.start_word >= end || taken[s.start_word..end].iter().any(|&t| t) {
            continue;
        }
        let ty = if uner {
            s.label.uner()
        } else {
            s.label.as_str()
        };
        for (i, tag) in tags.iter_mut().enumerate().take(end).skip(s.start_word) {
            *tag = format!("{}-{ty}", if i == s.start_word { "B" } else { "I" });
            taken[i] = true;
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_conlleval_chunking() {
        let tags = [
            "I-PER", "I-PER", "B-PER", "O", "I-LOC", "B-ORG", "I-LOC", "I-LOC",
        ];
        let got: Vec<(usize, usize, EntityLabel)> = spans_from_tags(&tags)
            .iter()
            .map(|s| (s.start_word, s.end_word, s.label))
            .collect();
        assert_eq!(
            got,
            [
                (0, 2, EntityLabel::Per),
                (2, 3, EntityLabel::Per),
                (4, 5, EntityLabel::Loc),
                (5, 6, EntityLabel::Org),
                (6, 8, EntityLabel::Loc),
            ]
        );
        let spans = spans_from_tags(&tags);
        assert_eq!(
            tags_from_spans(9, &spans, true),
            [
                "B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG", "B-LOC", "I-LOC", "O"
            ]
        );
        let norp = [EntitySpan {
            start_word: 0,
            end_word: 1,
            label: EntityLabel::Norp,
        }];
        assert_eq!(tags_from_spans(2, &norp, true), ["B-OTH", "O"]);
        assert_eq!(tags_from_spans(2, &norp, false), ["B-NORP", "O"]);
    }
}
