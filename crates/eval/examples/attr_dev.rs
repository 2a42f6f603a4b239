//! Developer loop for the attribution models: trains on a PolNeAR-style split and prints the
//! `eval polnear` measures on another after every epoch.
//!
//! ```text
//! cargo run --release -p sitrep-eval --example attr_dev -- \
//!     --train ../shared/data/polnear/train --dev ../shared/data/polnear/dev [--epochs N] \
//!     [--out FILE] [--holdout K]
//! ```
//!
//! `--holdout K` scores on every K-th training article instead (trained on the others), so
//! that design choices need not be made on dev.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use sitrep_eval::polnear::report::{Floors, render};
use sitrep_eval::polnear::{DocPair, PolnearScores, score};
use sitrep_extract::attribution::doc::Doc;
use sitrep_extract::attribution::train::lexicon_of;
use sitrep_extract::attribution::{Attributions, TrainOptions, TrainingDoc, train};
use sitrep_nlp::corpus::attribution::{AttributedDocument, Attribution, read_attribution_folder};
use sitrep_nlp::{Analysis, Analyzer, Nlp};

fn read(dir: &std::path::Path) -> Vec<AttributedDocument> {
    read_attribution_folder(dir)
        .expect("a PolNeAR folder")
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

fn evaluate(model: &Attributions, docs: &[Doc<'_>], gold: &[&AttributedDocument]) -> PolnearScores {
    let oracle = std::env::var("ORACLE").is_ok();
    let predicted: Vec<Vec<Attribution>> = docs
        .par_iter()
        .zip(gold)
        .map(|(d, g)| {
            let found = if oracle {
                let cues: Vec<Vec<usize>> = g
                    .relations
                    .iter()
                    .map(|r| sitrep_extract::attribution::gold::GoldRelation::new(d, r).cue)
                    .filter(|c| !c.is_empty())
                    .collect();
                model.link_cues(d, &cues)
            } else {
                model.find_in(d)
            };
            found.iter().map(|f| f.to_attribution()).collect()
        })
        .collect();
    let pairs: Vec<DocPair<'_>> = gold
        .iter()
        .zip(&predicted)
        .map(|(g, p)| DocPair {
            text: &g.text,
            gold: &g.relations,
            predicted: p,
        })
        .collect();
    score(&pairs)
}

/// The gold relations of one document, on its tokens.
fn gold_relations(
    d: &Doc<'_>,
    g: &AttributedDocument,
) -> Vec<sitrep_extract::attribution::gold::GoldRelation> {
    g.relations
        .iter()
        .map(|r| sitrep_extract::attribution::gold::GoldRelation::new(d, r))
        .collect()
}

/// Token confusion of the role model by kind (none, source, cue, content), and cue spans
/// found exactly.
fn confusion(model: &Attributions, docs: &[Doc<'_>], gold: &[&AttributedDocument]) {
    use sitrep_extract::attribution::find::cue_spans;
    use sitrep_extract::attribution::gold::cue_head_tags;
    let mut m = [[0usize; 4]; 4];
    let (mut cues_gold, mut cues_pred, mut cues_hit) = (0, 0, 0);
    let mut missed = std::collections::HashMap::<String, usize>::new();
    let mut spurious = std::collections::HashMap::<String, usize>::new();
    for (d, g) in docs.iter().zip(gold) {
        let rels = gold_relations(d, g);
        let want = cue_head_tags(d, &rels);
        let got = model.cue_tags(d);
        if std::env::var("SHOW").is_ok() && cues_gold < 60 {
            for i in 0..d.len() {
                let w = d.word(i);
                let t = &d.tokens[i];
                println!(
                    "{:>4} {:<14} {:<8} {:<6} {:<8} {:>4} q{} c{} | {:<6} {:<6}",
                    i,
                    w,
                    t.lemma,
                    t.upos,
                    t.rel,
                    t.head as i64,
                    t.quote,
                    t.cue,
                    want[i].name(),
                    got[i].name()
                );
            }
        }
        for (w, p) in want.iter().zip(&got) {
            m[*w as usize][*p as usize] += 1;
        }
        let g_cues = cue_spans(&want.iter().map(|&r| r as u8).collect::<Vec<_>>());
        let p_cues = cue_spans(&got.iter().map(|&r| r as u8).collect::<Vec<_>>());
        cues_gold += g_cues.len();
        cues_pred += p_cues.len();
        cues_hit += p_cues.iter().filter(|c| g_cues.contains(c)).count();
        let text = |ts: &[usize]| -> String {
            ts.iter()
                .map(|&t| d.tokens[t].lemma.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for c in &g_cues {
            if !p_cues.iter().any(|p| p.iter().any(|t| c.contains(t))) {
                if std::env::var("SHOWCUE").is_ok() {
                    let sent: Vec<usize> = d.sentence_of(c[0]).collect();
                    let words: Vec<String> = sent
                        .iter()
                        .map(|&t| {
                            if c.contains(&t) {
                                format!("<<{}>>", d.word(t))
                            } else {
                                format!(
                                    "{}{}",
                                    d.word(t),
                                    if got[t] as u8 != 0 { "/Q" } else { "" }
                                )
                            }
                        })
                        .collect();
                    println!("MISSED {}", words.join(" "));
                }
                *missed.entry(text(c)).or_default() += 1;
            }
        }
        for c in &p_cues {
            if !g_cues.iter().any(|p| p.iter().any(|t| c.contains(t))) {
                if std::env::var("SHOWCUE").is_ok() {
                    let sent: Vec<usize> = d.sentence_of(c[0]).collect();
                    let words: Vec<String> = sent
                        .iter()
                        .map(|&t| {
                            if c.contains(&t) {
                                format!("<<{}>>", d.word(t))
                            } else {
                                format!(
                                    "{}{}",
                                    d.word(t),
                                    if want[t] as u8 != 0 { "/Q" } else { "" }
                                )
                            }
                        })
                        .collect();
                    println!("SPURIOUS {}", words.join(" "));
                }
                *spurious.entry(text(c)).or_default() += 1;
            }
        }
    }
    println!("cue tag confusion (rows gold O/PRE/HEAD/POST, columns predicted):");
    for row in m {
        println!("  {row:?}");
    }
    let top = |m: &std::collections::HashMap<String, usize>| -> String {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by_key(|m| std::cmp::Reverse(*m.1));
        format!(
            "{} in all: {}",
            m.values().sum::<usize>(),
            v.iter()
                .take(40)
                .map(|(k, n)| format!("{k}={n}"))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    println!("gold cues no prediction overlaps: {}", top(&missed));
    println!("predicted cues overlapping no gold cue: {}", top(&spurious));
    println!(
        "cue spans: gold {cues_gold}, predicted {cues_pred}, exact {cues_hit} (P {:.3} R {:.3})",
        cues_hit as f64 / cues_pred as f64,
        cues_hit as f64 / cues_gold as f64
    );
}

/// With gold cues: why linked relations fail the partial match.
fn link_errors(model: &Attributions, docs: &[Doc<'_>], gold: &[&AttributedDocument]) {
    use sitrep_extract::attribution::gold::GoldRelation;
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    let mut shown = 0;
    for (d, g) in docs.iter().zip(gold) {
        let rels: Vec<GoldRelation> = g
            .relations
            .iter()
            .map(|r| GoldRelation::new(d, r))
            .filter(|r| !r.cue.is_empty() && !r.content.is_empty())
            .collect();
        for r in &rels {
            let found = model.link_cues(d, std::slice::from_ref(&r.cue));
            let words = |ts: &[usize]| -> Vec<usize> {
                ts.iter()
                    .copied()
                    .filter(|&t| d.tokens[t].is_word(d.text))
                    .collect()
            };
            let key = match found.first() {
                None => "no content",
                Some(f) => {
                    let gc = words(&r.content);
                    let pc = words(&f.content_tokens);
                    let shared = gc.iter().filter(|t| pc.contains(t)).count();
                    let src_ok = match (r.source.is_empty(), f.source_tokens.is_empty()) {
                        (true, true) => true,
                        (false, false) => r.source.iter().any(|t| f.source_tokens.contains(t)),
                        _ => false,
                    };
                    let content_ok = 2 * shared >= gc.len().max(1);
                    let exact_content = gc == pc;
                    let exact_source = words(&r.source) == words(&f.source_tokens);
                    match (src_ok, content_ok) {
                        (true, true) => match (exact_source, exact_content) {
                            (true, true) => "ok exact (word tokens)",
                            (false, true) => "ok partial, source boundary",
                            (true, false) => "ok partial, content boundary",
                            (false, false) => "ok partial, both boundaries",
                        },
                        (false, true) => match (r.source.is_empty(), f.source_tokens.is_empty()) {
                            (true, false) => "source predicted, none in gold",
                            (false, true) => "source missed",
                            _ => "wrong source",
                        },
                        (true, false) => "content under half",
                        (false, false) => "source and content wrong",
                    }
                }
            };
            *counts.entry(key).or_default() += 1;
            if std::env::var("SHOWLINK").is_ok() && key != "ok exact (word tokens)" && shown < 40 {
                shown += 1;
                let text = |ts: &[usize]| -> String {
                    ts.iter().map(|&t| d.word(t)).collect::<Vec<_>>().join(" ")
                };
                let sent = d.sentence_of(r.cue[0]);
                println!("--- {key}\n  sentence: {}", text(&sent.collect::<Vec<_>>()));
                println!(
                    "  gold: [{}] <{}> [{}]",
                    text(&r.source),
                    text(&r.cue),
                    text(&r.content)
                );
                if let Some(f) = found.first() {
                    println!(
                        "  pred: [{}] <{}> [{}]",
                        text(&f.source_tokens),
                        text(&f.cue_tokens),
                        text(&f.content_tokens)
                    );
                }
            }
        }
    }
    println!("linking with gold cues: {counts:?}");
}

fn line(s: &PolnearScores) -> String {
    let b = &s.all;
    format!(
        "exact P/R/F {:.3}/{:.3}/{:.3}  partial {:.3}/{:.3}/{:.3}  tokens src {:.3} cue {:.3} con {:.3}",
        b.exact.precision(),
        b.exact.recall(),
        b.exact.f1(),
        b.partial.precision(),
        b.partial.recall(),
        b.partial.f1(),
        b.source.f1(),
        b.cue.f1(),
        b.content.f1()
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut train_dir, mut dev_dir, mut out) = (None, None, None);
    let mut opts = TrainOptions::default();
    let mut holdout = 0usize;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--train" => train_dir = args.next().map(PathBuf::from),
            "--dev" => dev_dir = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            "--epochs" => opts.epochs = args.next().ok_or("--epochs N")?.parse()?,
            "--holdout" => holdout = args.next().ok_or("--holdout K")?.parse()?,
            "--prune" => opts.prune = args.next().ok_or("--prune W")?.parse()?,
            "--no-attested" => opts.attested = false,
            "--no-wordnet" => {
                opts.lexicon = sitrep_extract::attribution::lexicon::CUES_TSV.to_string()
            }
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let started = Instant::now();
    let all_train = read(&train_dir.ok_or("--train DIR")?);
    let (train_docs, dev_docs): (Vec<AttributedDocument>, Vec<AttributedDocument>) = if holdout > 0
    {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (i, d) in all_train.into_iter().enumerate() {
            if i % holdout == holdout - 1 {
                b.push(d);
            } else {
                a.push(d);
            }
        }
        (a, b)
    } else {
        (all_train, read(&dev_dir.ok_or("--dev DIR")?))
    };
    let analyzer = Analyzer::new(Some(Arc::new(Nlp::load_default()?)), None);
    let analyse = |docs: &[AttributedDocument]| -> Vec<Analysis> {
        docs.par_iter().map(|d| analyzer.analyse(&d.text)).collect()
    };
    let (train_a, dev_a) = (analyse(&train_docs), analyse(&dev_docs));
    eprintln!(
        "{} training and {} scoring articles analysed in {:.1} s",
        train_docs.len(),
        dev_docs.len(),
        started.elapsed().as_secs_f64()
    );
    let lexicon = lexicon_of(&opts)?;
    let mut training: Vec<TrainingDoc<'_>> = train_docs
        .iter()
        .zip(&train_a)
        .map(|(d, a)| TrainingDoc::new(Doc::new(&d.text, a, &lexicon), d))
        .collect();
    let lexicon = sitrep_extract::attribution::lexicon::Lexicon::parse(
        &sitrep_extract::attribution::train::attested_tsv(&training, &opts),
    )?;
    let dev: Vec<Doc<'_>> = dev_docs
        .iter()
        .zip(&dev_a)
        .map(|(d, a)| Doc::new(&d.text, a, &lexicon))
        .collect();
    let gold: Vec<&AttributedDocument> = dev_docs.iter().collect();
    let clock = Instant::now();
    let (model, _) = train(&mut training, &opts, |report, model| {
        let s = evaluate(model, &dev, &gold);
        println!(
            "epoch {:2} ({:.0} s; errors roles {} links {}): {}",
            report.epoch,
            clock.elapsed().as_secs_f64(),
            report.role_errors,
            report.link_errors,
            line(&s)
        );
        Some(s.all.exact.f1() + s.all.partial.f1())
    });
    confusion(&model, &dev, &gold);
    if std::env::var("CATEGORISE").is_ok() {
        categorise(&model, &training, &dev, &gold);
    }
    link_errors(&model, &dev, &gold);
    let s = evaluate(&model, &dev, &gold);
    print!(
        "{}",
        render(
            &s,
            &Floors::default(),
            "trained attribution models (best epoch)"
        )
    );
    let f = model.n_features();
    println!(
        "features: roles {} links {}; file {} bytes",
        f[0],
        f[1],
        model.to_bytes().len()
    );
    if let Some(out) = out {
        model.save(&out)?;
    }
    Ok(())
}

/// Missed gold cues by category (`CATEGORISE=1`): the cue head's part of speech, how often
/// its lemma is a cue in training, whether it is a multiword cue, whether its sentence has a
/// found cue, whether it lies in a found relation's content.
fn categorise(
    model: &Attributions,
    training: &[TrainingDoc<'_>],
    docs: &[Doc<'_>],
    gold: &[&AttributedDocument],
) {
    use sitrep_extract::attribution::gold::GoldRelation;
    use sitrep_extract::attribution::linking::cue_head;
    use std::collections::BTreeMap;
    let mut as_cue: std::collections::HashMap<String, usize> = Default::default();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for t in training {
        for r in &t.gold {
            let h = cue_head(&t.doc, &r.cue);
            *as_cue.entry(t.doc.tokens[h].lemma.to_string()).or_default() += 1;
        }
        for tok in &t.doc.tokens {
            *seen.entry(tok.lemma.to_string()).or_default() += 1;
        }
    }
    let mut cats: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    let mut add = |k: String, missed: bool| {
        let e = cats.entry(k).or_default();
        e[0] += 1;
        if missed {
            e[1] += 1;
        }
    };
    for (d, g) in docs.iter().zip(gold) {
        let found = model.find_in(d);
        for r in &g.relations {
            let r = GoldRelation::new(d, r);
            if r.cue.is_empty() {
                continue;
            }
            let missed = !found
                .iter()
                .any(|f| f.cue_tokens.iter().any(|t| r.cue.contains(t)));
            let h = cue_head(d, &r.cue);
            let t = &d.tokens[h];
            let n = as_cue.get(t.lemma.as_str()).copied().unwrap_or(0);
            let total = seen.get(t.lemma.as_str()).copied().unwrap_or(0).max(1);
            let bucket = match n {
                0 => "0",
                1..=4 => "1-4",
                5..=19 => "5-19",
                20..=99 => "20-99",
                _ => "100+",
            };
            let rate = match n * 100 / total {
                0..=9 => "<10%",
                10..=29 => "10-29%",
                30..=59 => "30-59%",
                _ => "60%+",
            };
            add(format!("upos {}", t.upos), missed);
            add(format!("train cue count {bucket}"), missed);
            add(format!("train cue rate {rate}"), missed);
            add(format!("lexicon {}", t.cue != 0), missed);
            add(format!("tokens {}", r.cue.len().min(4)), missed);
            let sent = d.tokens[h].sent;
            let other_in_sentence = found.iter().any(|f| {
                d.tokens[f.cue_head].sent == sent && !f.cue_tokens.iter().any(|c| r.cue.contains(c))
            });
            add(
                format!("sentence has another found cue {other_in_sentence}"),
                missed,
            );
            let in_content = found
                .iter()
                .any(|f| f.content_tokens.binary_search(&h).is_ok());
            add(format!("inside a found content {in_content}"), missed);
            add(format!("quote {}", t.quote & 1), missed);
            add(format!("rel {}", t.rel), missed);
        }
    }
    // Found relations whose cue overlaps no gold cue: inside a gold content (nested, which
    // univocal annotation leaves out) or not.
    let mut spurious = [0usize; 2];
    for (d, g) in docs.iter().zip(gold) {
        let rels = gold_relations(d, g);
        for f in model.find_in(d) {
            if rels
                .iter()
                .any(|r| r.cue.iter().any(|t| f.cue_tokens.contains(t)))
            {
                continue;
            }
            let nested = rels.iter().any(|r| r.content.contains(&f.cue_head));
            spurious[usize::from(nested)] += 1;
        }
    }
    println!(
        "found relations with no gold cue: {} outside gold contents, {} inside one",
        spurious[0], spurious[1]
    );
    println!("category: gold, missed (cue overlapping no found relation's cue)");
    for (k, [n, m]) in cats {
        if n >= 10 {
            println!(
                "  {k:<45} {n:>5} {m:>5} ({:.0}% missed)",
                100.0 * m as f64 / n as f64
            );
        }
    }
}
