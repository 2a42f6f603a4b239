//! Development evaluation of the sentence splitter and tokenizer against a Universal
//! Dependencies CoNLL-U file (English EWT). Not part of `cargo test`.
//!
//! Usage: `cargo run --release -p sitrep-nlp --example ewt_eval -- FILE.conllu [ERRORS.txt]`
//!
//! Each `# newdoc` document is rebuilt from its surface tokens (a space unless
//! `SpaceAfter=No`), sentences joined by a space and `# newpar` paragraphs by a blank line.
//! Scores are exact-span precision/recall/F1 for sentences and for syntactic words (a
//! multiword token such as "don't" counts as its words "do" "n't", placed on the surface
//! form by their lengths when they spell it). Tokens are scored twice: over the predicted
//! sentences and over the gold sentences (the tokenizer alone).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;
use std::time::Instant;

use sitrep_nlp::{split_sentences, tokenize, tokenize_into, tokenize_sentences};

#[derive(Default)]
struct Doc {
    text: String,
    sentences: Vec<Range<usize>>,
    words: Vec<Range<usize>>,
    surface: Vec<Range<usize>>,
}

#[derive(Default)]
struct Score {
    gold: usize,
    predicted: usize,
    correct: usize,
}

impl Score {
    fn add(&mut self, gold: &[Range<usize>], predicted: &[Range<usize>]) {
        let gold_set: HashSet<(usize, usize)> = gold.iter().map(|r| (r.start, r.end)).collect();
        self.gold += gold.len();
        self.predicted += predicted.len();
        self.correct += predicted
            .iter()
            .filter(|r| gold_set.contains(&(r.start, r.end)))
            .count();
    }

    fn report(&self, name: &str) {
        let p = self.correct as f64 / self.predicted.max(1) as f64;
        let r = self.correct as f64 / self.gold.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!(
            "{name:<28} P {:6.2}  R {:6.2}  F1 {:6.2}   (gold {}, predicted {}, correct {})",
            100.0 * p,
            100.0 * r,
            100.0 * f,
            self.gold,
            self.predicted,
            self.correct
        );
    }
}

struct Token {
    form: String,
    space_after: bool,
    words: Vec<String>,
}

fn parse(conllu: &str) -> Vec<Doc> {
    let mut docs: Vec<Doc> = Vec::new();
    let mut sentence: Vec<Token> = Vec::new();
    let mut new_par = false;
    let mut mwt_end = 0usize;
    for line in conllu.lines() {
        if line.starts_with("# newdoc") {
            docs.push(Doc::default());
            new_par = true;
        } else if line.starts_with("# newpar") {
            new_par = true;
        } else if line.starts_with('#') {
        } else if line.is_empty() {
            if !sentence.is_empty() {
                if docs.is_empty() {
                    docs.push(Doc::default());
                }
                let doc = docs.last_mut().expect("a document");
                add_sentence(doc, &sentence, new_par);
                new_par = false;
                sentence.clear();
                mwt_end = 0;
            }
        } else {
            let cols: Vec<&str> = line.split('\t').collect();
            let id = cols[0];
            if id.contains('.') {
                continue;
            }
            let space_after = !cols[9].contains("SpaceAfter=No");
            if let Some((_, last)) = id.split_once('-') {
                mwt_end = last.parse().unwrap_or(0);
                sentence.push(Token {
                    form: cols[1].to_string(),
                    space_after,
                    words: Vec::new(),
                });
            } else {
                let n: usize = id.parse().unwrap_or(0);
                if n <= mwt_end {
                    if let Some(t) = sentence.last_mut() {
                        t.words.push(cols[1].to_string());
                    }
                } else {
                    sentence.push(Token {
                        form: cols[1].to_string(),
                        space_after,
                        words: vec![cols[1].to_string()],
                    });
                }
            }
        }
    }
    if !sentence.is_empty()
        && let Some(doc) = docs.last_mut()
    {
        add_sentence(doc, &sentence, new_par);
    }
    docs
}

fn add_sentence(doc: &mut Doc, tokens: &[Token], new_par: bool) {
    if !doc.text.is_empty() {
        doc.text.push_str(if new_par { "\n\n" } else { " " });
    }
    let start = doc.text.len();
    for (i, t) in tokens.iter().enumerate() {
        let at = doc.text.len();
        doc.text.push_str(&t.form);
        doc.surface.push(at..doc.text.len());
        let total: usize = t.words.iter().map(String::len).sum();
        if t.words.len() > 1 && total == t.form.len() && t.form.is_char_boundary(0) {
            let mut o = at;
            let mut ok = true;
            for w in &t.words {
                if !doc.text.is_char_boundary(o + w.len()) {
                    ok = false;
                }
                o += w.len();
            }
            if ok {
                let mut o = at;
                for w in &t.words {
                    doc.words.push(o..o + w.len());
                    o += w.len();
                }
            } else {
                doc.words.push(at..doc.text.len());
            }
        } else {
            doc.words.push(at..doc.text.len());
        }
        if t.space_after && i + 1 < tokens.len() {
            doc.text.push(' ');
        }
    }
    let end = doc.text.trim_end().len();
    doc.sentences.push(start..end);
}

fn context(text: &str, r: &Range<usize>) -> String {
    let mut a = r.start.saturating_sub(30);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (r.end + 30).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!(
        "{}[{}]{}",
        &text[a..r.start],
        &text[r.clone()],
        &text[r.end..b]
    )
    .replace('\n', "¶")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: ewt_eval FILE.conllu [ERRORS.txt]");
    let conllu = std::fs::read_to_string(path).expect("read the CoNLL-U file");
    let docs = parse(&conllu);

    let mut sentences = Score::default();
    let mut words = Score::default();
    let mut words_gold_sentences = Score::default();
    let mut surface = Score::default();
    let mut errors = String::new();
    for doc in &docs {
        let predicted = tokenize_sentences(&doc.text);
        let spans: Vec<Range<usize>> = predicted.iter().map(|(s, _)| s.clone()).collect();
        let tokens: Vec<Range<usize>> = predicted.into_iter().flat_map(|(_, t)| t).collect();
        sentences.add(&doc.sentences, &spans);
        words.add(&doc.words, &tokens);
        surface.add(&doc.surface, &tokens);
        let on_gold: Vec<Range<usize>> = doc
            .sentences
            .iter()
            .flat_map(|s| tokenize(&doc.text, s.clone()))
            .collect();
        words_gold_sentences.add(&doc.words, &on_gold);

        let gold_set: HashSet<(usize, usize)> =
            doc.words.iter().map(|r| (r.start, r.end)).collect();
        for t in &on_gold {
            if !gold_set.contains(&(t.start, t.end)) {
                let _ = writeln!(errors, "TOK-\t{}", context(&doc.text, t));
            }
        }
        let pred_set: HashSet<(usize, usize)> = on_gold.iter().map(|r| (r.start, r.end)).collect();
        for g in &doc.words {
            if !pred_set.contains(&(g.start, g.end)) {
                let _ = writeln!(errors, "TOK+\t{}", context(&doc.text, g));
            }
        }
        let gold_ends: HashSet<usize> = doc.sentences.iter().map(|s| s.end).collect();
        let pred_ends: HashSet<usize> = spans.iter().map(|s| s.end).collect();
        for s in &spans {
            if !gold_ends.contains(&s.end) {
                let _ = writeln!(errors, "SENT-\t{}", context(&doc.text, &(s.end..s.end)));
            }
        }
        for s in &doc.sentences {
            if !pred_ends.contains(&s.end) {
                let _ = writeln!(errors, "SENT+\t{}", context(&doc.text, &(s.end..s.end)));
            }
        }
    }
    println!("{} documents", docs.len());
    sentences.report("sentences");
    words.report("words (pred. sentences)");
    words_gold_sentences.report("words (gold sentences)");
    surface.report("surface tokens");
    if let Some(out) = args.get(2) {
        std::fs::write(out, errors).expect("write the error file");
    }

    // Throughput of splitting + tokenizing, on the corpus text repeated to a few MB.
    let mut corpus = String::new();
    while corpus.len() < 8_000_000 {
        for doc in &docs {
            corpus.push_str(&doc.text);
            corpus.push_str("\n\n");
        }
    }
    // Best of three runs: the machine is shared.
    let mut best = (f64::MAX, f64::MAX);
    let mut count = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let spans = split_sentences(&corpus);
        let split = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let mut tokens = Vec::new();
        count = 0;
        for s in spans {
            tokenize_into(&corpus, s, &mut tokens);
            count += tokens.len();
        }
        let tok = started.elapsed().as_secs_f64();
        best = (best.0.min(split), best.1.min(tok));
    }
    let mb = corpus.len() as f64 / 1e6;
    println!(
        "throughput: split {:.0} MB/s, tokenize {:.0} MB/s, both {:.1} MB/s ({} tokens in {:.1} MB)",
        mb / best.0,
        mb / best.1,
        mb / (best.0 + best.1),
        count,
        mb
    );
}
