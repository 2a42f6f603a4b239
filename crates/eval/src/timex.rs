//! Time expressions against TempEval-3 TIMEX3 gold (`sitrep eval timex`, issue 13 point 4).
//!
//! # The gold
//!
//! A folder of `NAME.txt` (the text) and `NAME.json` (`{"dct": "YYYY-MM-DD", "timexes":
//! [{"start", "end", "text", "type", "value"}]}`), as `shared/data/tempeval3/` holds them;
//! [`read_folder`] walks the folder given (the `tempeval3` folder or one of its subfolders)
//! for every `.json` with a `.txt` beside it, and names each document's group by its
//! folder (`timebank`, `aquaint`). Offsets are read as code points when every `text` equals
//! that slice of the `.txt`, else as bytes when every one equals that slice (and converted);
//! a document where neither holds is reported, not scored.
//!
//! # Running a document
//!
//! [`run_document`] gives the `.txt` to the pipeline as `sitrep extract --published DCT`
//! does (read as a text file, cleaned, analysed), so the score is what a user gets: the
//! title and datelines the cleaner takes out of the body are not searched, and gold
//! expressions in them count as missed ([`Scores::outside_body`] counts them). The body's
//! spans are mapped back to the `.txt` by [`align`].
//!
//! # The measures (as the TempEval-3 scorer)
//!
//! - **strict**: a prediction with exactly the gold span; **relaxed**: a prediction whose
//!   span overlaps the gold span. Each gold expression matches at most one prediction and
//!   each prediction at most one gold expression ([`match_spans`]: exact spans first, then
//!   the largest overlap, in text order). Precision is over predictions, recall over gold,
//!   F1 their harmonic mean.
//! - **type accuracy** and **value accuracy**: over the relaxed matches, the share whose
//!   TIMEX3 type ([`timex_type`]) / value ([`same_value`]) equals the gold one.
//! - **by type**: a gold expression counts for the recall of its gold type, a prediction for
//!   the precision of its mapped type; accuracies by the gold type.
//! - **by folder**: each group of documents apart (`timebank`, `aquaint`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::{f1, ratio};
use chrono::NaiveDate;
use serde::Deserialize;
use sitrep_model::{TimeExpr, TimeKind};
use sitrep_pipeline::Pipeline;
use sitrep_read::{ReadOptions, read_inputs};

/// The TIMEX3 types, in report order.
pub const TYPES: [&str; 4] = ["DATE", "TIME", "DURATION", "SET"];

/// Issue 13's acceptance floors (TimeBank and AQUAINT together).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Floors {
    pub relaxed_f1: f64,
    pub value_accuracy: f64,
}

impl Default for Floors {
    fn default() -> Floors {
        Floors {
            relaxed_f1: 0.88,
            value_accuracy: 0.85,
        }
    }
}

impl Floors {
    pub fn met_by(&self, scores: &Scores) -> bool {
        let all = &scores.overall;
        all.relaxed_f1() >= self.relaxed_f1 - 1e-9
            && all.value_accuracy() >= self.value_accuracy - 1e-9
    }
}

/// One gold TIMEX3, in code points of the document's text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// One gold document.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    /// The file name without `.json`.
    pub name: String,
    /// The folder it is in (`timebank`, `aquaint`): the group it is reported in.
    pub group: String,
    /// The `.txt`.
    pub path: PathBuf,
    pub text: String,
    pub dct: NaiveDate,
    pub timexes: Vec<GoldTimex>,
}

#[derive(Deserialize)]
struct GoldFile {
    dct: NaiveDate,
    timexes: Vec<GoldTimex>,
}

/// Every document under `dir` (sorted by path), or for each one that cannot be read, why.
pub fn read_folder(dir: &Path) -> Result<Vec<Result<GoldDoc, String>>, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a folder", dir.display()));
    }
    let mut jsons: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.with_extension("txt").is_file())
        .collect();
    jsons.sort();
    Ok(jsons.iter().map(|p| read_document(p)).collect())
}

/// One `NAME.json` and the `NAME.txt` beside it.
pub fn read_document(json: &Path) -> Result<GoldDoc, String> {
    let txt = json.with_extension("txt");
    let text = std::fs::read_to_string(&txt).map_err(|e| format!("{}: {e}", txt.display()))?;
    let gold = std::fs::read_to_string(json).map_err(|e| format!("{}: {e}", json.display()))?;
    let gold: GoldFile =
        serde_json::from_str(&gold).map_err(|e| format!("{}: {e}", json.display()))?;
    let timexes =
        to_code_points(&text, gold.timexes).map_err(|e| format!("{}: {e}", json.display()))?;
    Ok(GoldDoc {
        name: json
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        group: json
            .parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: txt,
        text,
        dct: gold.dct,
        timexes,
    })
}

/// The gold spans in code points: as given when each names its text in code points, else
/// converted from bytes when each does so in bytes.
pub fn to_code_points(text: &str, mut timexes: Vec<GoldTimex>) -> Result<Vec<GoldTimex>, String> {
    let chars: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let by_char = |t: &GoldTimex| {
        t.start <= t.end
            && t.end <= chars.len()
            && text[byte_of(&chars, text.len(), t.start)..byte_of(&chars, text.len(), t.end)]
                == t.text
    };
    if timexes.iter().all(by_char) {
        return Ok(timexes);
    }
    let by_byte = |t: &GoldTimex| text.get(t.start..t.end) == Some(t.text.as_str());
    if let Some(bad) = timexes.iter().find(|t| !by_byte(t)) {
        return Err(format!(
            "timex {:?} at {}..{} is not that slice of the text, in code points or in bytes",
            bad.text, bad.start, bad.end
        ));
    }
    for t in &mut timexes {
        t.start = text[..t.start].chars().count();
        t.end = text[..t.end].chars().count();
    }
    Ok(timexes)
}

fn byte_of(chars: &[usize], len: usize, c: usize) -> usize {
    chars.get(c).copied().unwrap_or(len)
}

/// A predicted expression in code points of the gold text, with its TIMEX3 type.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicted {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: &'static str,
    pub value: Option<String>,
}

impl Predicted {
    /// `t`, whose span is already in the gold text's code points.
    pub fn from_time(t: &TimeExpr) -> Predicted {
        Predicted {
            start: t.start,
            end: t.end,
            text: t.text.clone(),
            kind: timex_type(t.kind, t.value.as_deref()),
            value: t.value.clone(),
        }
    }
}

/// The TIMEX3 type of a sitrep time expression: a duration is DURATION and a set SET; a
/// date or range is TIME when its value has a time of day (a calendar value with `T`:
/// "1998-08-07TNI", "2022-01-07T20:00"), DURATION when its value is one ("P3M"), else DATE.
pub fn timex_type(kind: TimeKind, value: Option<&str>) -> &'static str {
    match kind {
        TimeKind::Duration => "DURATION",
        TimeKind::Set => "SET",
        TimeKind::Date | TimeKind::Range => {
            let v = value.unwrap_or("");
            let calendar = v
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == 'X' || c == 'T');
            let period = v.starts_with('P')
                && v[1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == 'X' || c == 'T');
            if calendar && v.contains('T') {
                "TIME"
            } else if period {
                "DURATION"
            } else {
                "DATE"
            }
        }
    }
}

/// Whether a predicted value equals the gold one. Only trivial differences are forgiven:
/// whitespace around the value, letter case ("present_ref") and a week number's leading
/// zero ("2000-W2" = "2000-W02").
pub fn same_value(gold: &str, predicted: Option<&str>) -> bool {
    predicted.is_some_and(|p| normal_value(p) == normal_value(gold))
}

fn normal_value(v: &str) -> String {
    let v = v.trim().to_ascii_uppercase();
    match v.find("-W0") {
        Some(at) if v[at + 3..].starts_with(|c: char| c.is_ascii_digit()) => {
            format!("{}-W{}", &v[..at], &v[at + 3..])
        }
        _ => v,
    }
}

/// The pipeline's time expressions for `doc`, read as `sitrep extract --published DCT` reads
/// the `.txt`, with spans in the gold text's code points. Also returns how many gold
/// expressions lie outside the body the pipeline analysed.
pub fn run_document(pipeline: &Pipeline, doc: &GoldDoc) -> Result<(Vec<Predicted>, usize), String> {
    let mut raw = read_inputs(std::slice::from_ref(&doc.path), &ReadOptions::default())
        .next()
        .ok_or_else(|| format!("{}: no document read", doc.path.display()))?
        .map_err(|p| p.to_string())?;
    raw.published = Some(doc.dct);
    let out = pipeline.process(raw).map_err(|p| p.to_string())?;
    let map = align(&out.text, &doc.text);
    let predicted = out
        .times
        .iter()
        .filter_map(|t| {
            let start = map.get(t.start).copied().flatten()?;
            let end = map.get(t.end.checked_sub(1)?).copied().flatten()? + 1;
            Some(Predicted {
                start,
                end,
                ..Predicted::from_time(t)
            })
        })
        .collect();
    let covered: Vec<usize> = map.iter().flatten().copied().collect();
    let outside = doc
        .timexes
        .iter()
        .filter(|g| {
            let i = covered.partition_point(|&c| c < g.start);
            covered.get(i).is_none_or(|&c| c >= g.end)
        })
        .count();
    Ok((predicted, outside))
}

/// Every error in one document, one per line, for a developer reading the misses
/// (`SITREP_TIMEX_ERRORS=1 sitrep eval timex`; `=all` adds the right ones as `RIGHT`, to see
/// what a rule would break): `WRONG`, `MISSED` or `SPURIOUS`, the
/// document, its publication date, the gold text, type and value, the predicted text,
/// type and value, and the text around the expression.
pub fn document_errors(doc: &GoldDoc, predicted: &[Predicted], right_too: bool) -> String {
    use std::fmt::Write;
    let chars: Vec<char> = doc.text.chars().collect();
    let around = |start: usize, end: usize| -> String {
        let from = start.saturating_sub(60);
        let to = (end + 40).min(chars.len());
        let piece = |a: usize, b: usize| -> String {
            chars[a.min(chars.len())..b.min(chars.len())]
                .iter()
                .map(|&c| if c.is_whitespace() { ' ' } else { c })
                .collect()
        };
        format!(
            "{}[[{}]]{}",
            piece(from, start),
            piece(start, end),
            piece(end, to)
        )
    };
    let g: Vec<(usize, usize)> = doc.timexes.iter().map(|t| (t.start, t.end)).collect();
    let p: Vec<(usize, usize)> = predicted.iter().map(|t| (t.start, t.end)).collect();
    let pairs = match_spans(&g, &p);
    let mut out = String::new();
    let mut gold_matched = vec![false; g.len()];
    let mut pred_matched = vec![false; p.len()];
    for &(gi, pi, _) in &pairs {
        gold_matched[gi] = true;
        pred_matched[pi] = true;
        let (gt, pt) = (&doc.timexes[gi], &predicted[pi]);
        let right = same_value(&gt.value, pt.value.as_deref());
        if !right || right_too {
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                if right { "RIGHT" } else { "WRONG" },
                doc.name,
                doc.dct.format("%Y-%m-%d %a"),
                gt.text,
                gt.kind,
                gt.value,
                pt.text,
                pt.kind,
                pt.value.as_deref().unwrap_or("-"),
                around(gt.start, gt.end)
            );
        }
    }
    for (gi, gt) in doc.timexes.iter().enumerate() {
        if !gold_matched[gi] {
            let _ = writeln!(
                out,
                "MISSED\t{}\t{}\t{}\t{}\t{}\t-\t-\t-\t{}",
                doc.name,
                doc.dct.format("%Y-%m-%d %a"),
                gt.text,
                gt.kind,
                gt.value,
                around(gt.start, gt.end)
            );
        }
    }
    for (pi, pt) in predicted.iter().enumerate() {
        if !pred_matched[pi] {
            let _ = writeln!(
                out,
                "SPURIOUS\t{}\t{}\t-\t-\t-\t{}\t{}\t{}\t{}",
                doc.name,
                doc.dct.format("%Y-%m-%d %a"),
                pt.text,
                pt.kind,
                pt.value.as_deref().unwrap_or("-"),
                around(pt.start, pt.end)
            );
        }
    }
    out
}

/// For each code point of `body` (a cleaned version of `original`: pieces of it, with
/// whitespace changed and some stretches left out), its code point in `original`, or `None`
/// where the body has text the original does not. Matching characters are paired in order;
/// whitespace may differ; at any other difference the next stretch of the body is looked for
/// further on in the original.
pub fn align(body: &str, original: &str) -> Vec<Option<usize>> {
    const WINDOW: usize = 24;
    let b: Vec<char> = body.chars().collect();
    let o: Vec<char> = original.chars().collect();
    let mut map = vec![None; b.len()];
    let (mut i, mut j) = (0, 0);
    while i < b.len() {
        if j < o.len() && (b[i] == o[j] || (b[i].is_whitespace() && o[j].is_whitespace())) {
            map[i] = Some(j);
            i += 1;
            j += 1;
        } else if b[i].is_whitespace() {
            i += 1;
        } else if j < o.len() && o[j].is_whitespace() {
            j += 1;
        } else {
            let want = &b[i..(i + WINDOW).min(b.len())];
            match (j..o.len().saturating_sub(want.len() - 1)).find(|&k| o[k..].starts_with(want)) {
                Some(k) => j = k,
                None => i += 1,
            }
        }
    }
    map
}

/// The pairs (gold index, predicted index, exact span) of a one-to-one matching of
/// overlapping spans: every exact pair first, then each remaining gold span in text order
/// takes the free prediction it overlaps most (the first on a tie).
pub fn match_spans(
    gold: &[(usize, usize)],
    predicted: &[(usize, usize)],
) -> Vec<(usize, usize, bool)> {
    let mut gold_used = vec![false; gold.len()];
    let mut pred_used = vec![false; predicted.len()];
    let mut pairs = Vec::new();
    for (g, gs) in gold.iter().enumerate() {
        if let Some(p) = (0..predicted.len()).find(|&p| !pred_used[p] && predicted[p] == *gs) {
            gold_used[g] = true;
            pred_used[p] = true;
            pairs.push((g, p, true));
        }
    }
    let mut order: Vec<usize> = (0..gold.len()).filter(|&g| !gold_used[g]).collect();
    order.sort_by_key(|&g| gold[g]);
    for g in order {
        let (gs, ge) = gold[g];
        let best = (0..predicted.len())
            .filter(|&p| !pred_used[p])
            .map(|p| {
                let (ps, pe) = predicted[p];
                (p, ge.min(pe).saturating_sub(gs.max(ps)))
            })
            .filter(|&(_, overlap)| overlap > 0)
            .fold(None, |best: Option<(usize, usize)>, c| match best {
                Some(b) if b.1 >= c.1 => Some(b),
                _ => Some(c),
            });
        if let Some((p, _)) = best {
            pred_used[p] = true;
            pairs.push((g, p, false));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Counts of one slice of the evaluation (everything, a type, a folder).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    /// Gold expressions matched exactly / predictions matched exactly.
    pub strict_gold: usize,
    pub strict_predicted: usize,
    /// Gold expressions matched by overlap / predictions matched by overlap.
    pub relaxed_gold: usize,
    pub relaxed_predicted: usize,
    /// Of the relaxed-matched gold expressions, those with the right type / value.
    pub type_right: usize,
    pub value_right: usize,
}

impl Counts {
    pub fn strict_precision(&self) -> f64 {
        ratio(self.strict_predicted, self.predicted)
    }
    pub fn strict_recall(&self) -> f64 {
        ratio(self.strict_gold, self.gold)
    }
    pub fn strict_f1(&self) -> f64 {
        f1(self.strict_precision(), self.strict_recall())
    }
    pub fn relaxed_precision(&self) -> f64 {
        ratio(self.relaxed_predicted, self.predicted)
    }
    pub fn relaxed_recall(&self) -> f64 {
        ratio(self.relaxed_gold, self.gold)
    }
    pub fn relaxed_f1(&self) -> f64 {
        f1(self.relaxed_precision(), self.relaxed_recall())
    }
    pub fn type_accuracy(&self) -> f64 {
        ratio(self.type_right, self.relaxed_gold)
    }
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.value_right, self.relaxed_gold)
    }

    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.strict_gold += o.strict_gold;
        self.strict_predicted += o.strict_predicted;
        self.relaxed_gold += o.relaxed_gold;
        self.relaxed_predicted += o.relaxed_predicted;
        self.type_right += o.type_right;
        self.value_right += o.value_right;
    }
}

/// The whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub documents: usize,
    pub overall: Counts,
    /// By gold type (recall, accuracies) and predicted type (precision).
    pub by_type: BTreeMap<String, Counts>,
    /// By folder.
    pub by_group: BTreeMap<String, Counts>,
    pub documents_by_group: BTreeMap<String, usize>,
    /// Gold expressions outside the body the pipeline analysed (title, datelines).
    pub outside_body: usize,
    /// Gold texts not matched, predicted texts not matched, (gold text, gold value,
    /// predicted value) of matches with the wrong value; and (gold type, predicted type) of
    /// every relaxed match.
    pub missed: Vec<String>,
    pub spurious: Vec<String>,
    pub wrong_values: Vec<(String, String, String)>,
    pub type_pairs: Vec<(String, &'static str)>,
}

impl Scores {
    /// Adds one document of `group`.
    pub fn add(&mut self, group: &str, gold: &[GoldTimex], predicted: &[Predicted]) {
        let g: Vec<(usize, usize)> = gold.iter().map(|t| (t.start, t.end)).collect();
        let p: Vec<(usize, usize)> = predicted.iter().map(|t| (t.start, t.end)).collect();
        let pairs = match_spans(&g, &p);
        let mut doc = Counts::default();
        let mut by_type: HashMap<&str, Counts> = HashMap::new();
        let mut gold_matched = vec![false; gold.len()];
        let mut pred_matched = vec![false; predicted.len()];
        for t in gold {
            doc.gold += 1;
            by_type.entry(t.kind.as_str()).or_default().gold += 1;
        }
        for t in predicted {
            doc.predicted += 1;
            by_type.entry(t.kind).or_default().predicted += 1;
        }
        for &(gi, pi, exact) in &pairs {
            let (gt, pt) = (&gold[gi], &predicted[pi]);
            gold_matched[gi] = true;
            pred_matched[pi] = true;
            let type_right = usize::from(gt.kind == pt.kind);
            let value_right = usize::from(same_value(&gt.value, pt.value.as_deref()));
            let strict = usize::from(exact);
            for c in [&mut doc, by_type.entry(gt.kind.as_str()).or_default()] {
                c.strict_gold += strict;
                c.relaxed_gold += 1;
                c.type_right += type_right;
                c.value_right += value_right;
            }
            for c in [&mut doc, by_type.entry(pt.kind).or_default()] {
                c.strict_predicted += strict;
                c.relaxed_predicted += 1;
            }
            self.type_pairs.push((gt.kind.clone(), pt.kind));
            if value_right == 0 {
                self.wrong_values.push((
                    gt.text.clone(),
                    gt.value.clone(),
                    pt.value.clone().unwrap_or_else(|| "-".into()),
                ));
            }
        }
        for (t, m) in gold.iter().zip(&gold_matched) {
            if !m {
                self.missed.push(t.text.clone());
            }
        }
        for (t, m) in predicted.iter().zip(&pred_matched) {
            if !m {
                self.spurious.push(t.text.clone());
            }
        }
        self.documents += 1;
        *self
            .documents_by_group
            .entry(group.to_string())
            .or_default() += 1;
        self.overall.add(&doc);
        self.by_group
            .entry(group.to_string())
            .or_default()
            .add(&doc);
        for (kind, c) in by_type {
            self.by_type.entry(kind.to_string()).or_default().add(&c);
        }
    }

    /// The score lines: overall, by type, by folder.
    pub fn render(&self, floors: &Floors) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  {:<10} {:>5} {:>5}   {:<20}   {:<20}   {:>8} {:>9}",
            "", "gold", "pred", "strict P / R / F1", "relaxed P / R / F1", "type acc", "value acc"
        );
        let mut line = |name: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "  {:<10} {:>5} {:>5}   {:.3} / {:.3} / {:.3}  {:.3} / {:.3} / {:.3}  {:>8.3} {:>9.3}",
                name,
                c.gold,
                c.predicted,
                c.strict_precision(),
                c.strict_recall(),
                c.strict_f1(),
                c.relaxed_precision(),
                c.relaxed_recall(),
                c.relaxed_f1(),
                c.type_accuracy(),
                c.value_accuracy()
            );
        };
        line("all", &self.overall);
        for kind in TYPES {
            if let Some(c) = self.by_type.get(kind) {
                line(kind, c);
            }
        }
        for (kind, c) in &self.by_type {
            if !TYPES.contains(&kind.as_str()) {
                line(kind, c);
            }
        }
        for (group, c) in &self.by_group {
            line(group, c);
        }
        let all = &self.overall;
        let verdict = |ok: bool| if ok { "ok" } else { "BELOW FLOOR" };
        let _ = writeln!(
            out,
            "  relaxed F1 {:.4} (floor {:.2}: {}); value accuracy {:.4} (floor {:.2}: {})",
            all.relaxed_f1(),
            floors.relaxed_f1,
            verdict(all.relaxed_f1() >= floors.relaxed_f1 - 1e-9),
            all.value_accuracy(),
            floors.value_accuracy,
            verdict(all.value_accuracy() >= floors.value_accuracy - 1e-9),
        );
        out
    }

    /// The developer's lists: the `n` most frequent missed gold texts, spurious predictions
    /// and wrong values (case folded), and the type confusions.
    pub fn render_errors(&self, n: usize) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let top = |items: &mut dyn Iterator<Item = String>| {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for s in items {
                *counts.entry(s).or_default() += 1;
            }
            let mut v: Vec<(String, usize)> = counts.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(n);
            v
        };
        let lists: [(&str, Vec<(String, usize)>); 4] = [
            (
                "missed gold expressions",
                top(&mut self.missed.iter().map(|s| s.to_lowercase())),
            ),
            (
                "spurious predictions",
                top(&mut self.spurious.iter().map(|s| s.to_lowercase())),
            ),
            (
                "wrong values (text: gold -> predicted)",
                top(&mut self
                    .wrong_values
                    .iter()
                    .map(|(t, g, p)| format!("{}: {g} -> {p}", t.to_lowercase()))),
            ),
            (
                "types of relaxed matches (gold -> predicted)",
                top(&mut self.type_pairs.iter().map(|(g, p)| format!("{g} -> {p}"))),
            ),
        ];
        for (title, items) in lists {
            let _ = writeln!(out, "  most frequent {title}:");
            for (s, c) in items {
                let _ = writeln!(out, "    {c:>4}  {s}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(start: usize, end: usize, kind: &str, value: &str) -> GoldTimex {
        GoldTimex {
            start,
            end,
            text: format!("g{start}"),
            kind: kind.to_string(),
            value: value.to_string(),
        }
    }

    fn pred(start: usize, end: usize, kind: &'static str, value: &str) -> Predicted {
        Predicted {
            start,
            end,
            text: format!("p{start}"),
            kind,
            value: Some(value.to_string()),
        }
    }

    #[test]
    fn strict_needs_the_exact_span_relaxed_any_overlap() {
        let mut s = Scores::default();
        let g = [
            gold(0, 6, "DATE", "2022-01-07"),
            gold(20, 30, "DATE", "2021"),
        ];
        // Exact, then one character short.
        let p = [
            pred(0, 6, "DATE", "2022-01-07"),
            pred(20, 29, "DATE", "2021"),
        ];
        s.add("a", &g, &p);
        let c = s.overall;
        assert_eq!((c.strict_gold, c.relaxed_gold), (1, 2));
        assert!((c.strict_f1() - 0.5).abs() < 1e-9);
        assert!((c.relaxed_f1() - 1.0).abs() < 1e-9);
        assert!((c.value_accuracy() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn touching_spans_do_not_overlap() {
        assert!(match_spans(&[(0, 5)], &[(5, 9)]).is_empty());
        assert_eq!(match_spans(&[(0, 5)], &[(4, 9)]), vec![(0, 0, false)]);
    }

    #[test]
    fn one_gold_matches_one_prediction() {
        // "last Friday night": one gold span, two predictions inside it.
        let mut s = Scores::default();
        s.add(
            "a",
            &[gold(0, 17, "TIME", "2022-01-07TNI")],
            &[
                pred(0, 11, "DATE", "2022-01-07"),
                pred(12, 17, "TIME", "TNI"),
            ],
        );
        let c = s.overall;
        assert_eq!(
            (c.gold, c.predicted, c.relaxed_gold, c.relaxed_predicted),
            (1, 2, 1, 1)
        );
        assert!((c.relaxed_precision() - 0.5).abs() < 1e-9);
        assert!((c.relaxed_recall() - 1.0).abs() < 1e-9);
        assert_eq!(s.spurious, vec!["p12".to_string()]);
        // The larger overlap wins: the wrong value and type are counted against it.
        assert_eq!(c.type_right, 0);
        assert_eq!(c.value_right, 0);
    }

    #[test]
    fn exact_pairs_are_taken_before_overlaps() {
        // The first gold span overlaps both predictions; the second is the exact span of the
        // second prediction and must keep it.
        let pairs = match_spans(&[(0, 10), (8, 14)], &[(0, 3), (8, 14)]);
        assert_eq!(pairs, vec![(0, 0, false), (1, 1, true)]);
        // A prediction over two gold spans matches one of them only.
        let pairs = match_spans(&[(0, 4), (5, 9)], &[(0, 9)]);
        assert_eq!(pairs, vec![(0, 0, false)]);
    }

    #[test]
    fn value_accuracy_is_over_relaxed_matches_only() {
        let mut s = Scores::default();
        s.add(
            "a",
            &[
                gold(0, 5, "DATE", "PRESENT_REF"),
                gold(10, 15, "DURATION", "P3M"),
                gold(20, 25, "DATE", "1998-10"),
            ],
            &[
                pred(0, 5, "DATE", "present_ref"),
                pred(10, 15, "DURATION", "P90D"),
            ],
        );
        let c = s.overall;
        assert_eq!((c.relaxed_gold, c.value_right), (2, 1));
        assert!((c.value_accuracy() - 0.5).abs() < 1e-9);
        assert_eq!(s.missed, vec!["g20".to_string()]);
        assert_eq!(
            s.wrong_values,
            vec![("g10".to_string(), "P3M".to_string(), "P90D".to_string())]
        );
    }

    #[test]
    fn a_missing_value_is_wrong() {
        assert!(!same_value("P1W", None));
        assert!(same_value("P1W", Some(" p1w ")));
        assert!(!same_value("P1W", Some("P7D")));
        assert!(same_value("2000-W2", Some("2000-W02")));
        assert!(same_value("2000-W02-WE", Some("2000-W2-WE")));
        assert!(!same_value("2000-W2", Some("2000-W20")));
    }

    #[test]
    fn types_from_kind_and_value() {
        assert_eq!(timex_type(TimeKind::Date, Some("1998-08-07")), "DATE");
        assert_eq!(timex_type(TimeKind::Date, Some("1998-08-07T20:00")), "TIME");
        assert_eq!(timex_type(TimeKind::Date, Some("1998-08-07TNI")), "TIME");
        assert_eq!(timex_type(TimeKind::Range, Some("PRESENT_REF")), "DATE");
        assert_eq!(timex_type(TimeKind::Range, Some("PAST_REF")), "DATE");
        assert_eq!(timex_type(TimeKind::Range, Some("1998-W32")), "DATE");
        assert_eq!(timex_type(TimeKind::Range, Some("P3M")), "DURATION");
        assert_eq!(timex_type(TimeKind::Range, None), "DATE");
        assert_eq!(timex_type(TimeKind::Duration, Some("P3D")), "DURATION");
        assert_eq!(timex_type(TimeKind::Set, Some("P1W")), "SET");
    }

    #[test]
    fn by_type_counts_recall_by_gold_and_precision_by_prediction() {
        let mut s = Scores::default();
        // A gold TIME found as a DATE: TIME's recall, DATE's precision.
        s.add(
            "a",
            &[gold(0, 9, "TIME", "1998-08-07TNI")],
            &[pred(0, 9, "DATE", "1998-08-07")],
        );
        let time = s.by_type["TIME"];
        let date = s.by_type["DATE"];
        assert_eq!(
            (
                time.gold,
                time.relaxed_gold,
                time.predicted,
                time.type_right
            ),
            (1, 1, 0, 0)
        );
        assert_eq!(
            (date.gold, date.predicted, date.relaxed_predicted),
            (0, 1, 1)
        );
        assert!((s.overall.type_accuracy()).abs() < 1e-9);
    }

    #[test]
    fn folders_are_reported_apart() {
        let mut s = Scores::default();
        s.add(
            "timebank",
            &[gold(0, 4, "DATE", "1998")],
            &[pred(0, 4, "DATE", "1998")],
        );
        s.add("aquaint", &[gold(0, 4, "DATE", "1998")], &[]);
        assert_eq!(s.by_group["timebank"].relaxed_gold, 1);
        assert_eq!(s.by_group["aquaint"].relaxed_gold, 0);
        assert_eq!(s.documents_by_group["aquaint"], 1);
        assert!((s.overall.relaxed_recall() - 0.5).abs() < 1e-9);
        let floors = Floors::default();
        assert!(!floors.met_by(&s));
    }

    #[test]
    fn offsets_in_bytes_are_converted() {
        let text = "Né le 7 mai, puis mardi.";
        let t = |start, end, text: &str| GoldTimex {
            start,
            end,
            text: text.to_string(),
            kind: "DATE".into(),
            value: "X".into(),
        };
        // In code points: kept.
        let chars = to_code_points(text, vec![t(6, 11, "7 mai")]).unwrap();
        assert_eq!((chars[0].start, chars[0].end), (6, 11));
        // In bytes ("é" is two): converted.
        let bytes = to_code_points(text, vec![t(7, 12, "7 mai"), t(19, 24, "mardi")]).unwrap();
        assert_eq!((bytes[0].start, bytes[0].end), (6, 11));
        assert_eq!((bytes[1].start, bytes[1].end), (18, 23));
        assert!(to_code_points(text, vec![t(0, 2, "7 mai")]).is_err());
    }

    #[test]
    fn align_maps_a_cleaned_body_back() {
        let original = "HEADLINE\n\nPARIS (AP) _\n\nTroops left  Friday.\n\nThey came back.";
        let body = "Troops left Friday.\n\nThey came back.";
        let map = align(body, original);
        let at = |s: &str| body.find(s).unwrap();
        let friday = map[at("Friday")].unwrap();
        assert_eq!(&original[friday..friday + 6], "Friday");
        let back = map[at("back")].unwrap();
        assert_eq!(&original[back..back + 4], "back");
        // A stretch left out in the middle.
        let original = "One day. DATELINE -- Then Monday came.";
        let body = "One day. Then Monday came.";
        let map = align(body, original);
        let monday = map[body.find("Monday").unwrap()].unwrap();
        assert_eq!(&original[monday..monday + 6], "Monday");
    }
}
