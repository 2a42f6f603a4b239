//! The NLP core's commands: `train` (and `train claims`, the attribution extractor on the
//! NLP core's analyses), `parse`, `eval ud`.

use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use sitrep_eval::polnear::trained::train_folder;
use sitrep_eval::ud::{SystemSentence, SystemWord, gold_text, score_raw};
use sitrep_extract::attribution::{ATTRIBUTION_FILE, TrainOptions};
use sitrep_nlp::conllu::{Sentence, Word, read_conllu_file, write_conllu};
use sitrep_nlp::ner::{
    NerOptions, cross_validate, eval_ner_file, load_resources, read_iob2_file, tag_iob2_file,
    train_ner_file,
};
use sitrep_nlp::parser::ParserOptions;
use sitrep_nlp::tagger::{Tagger, TaggerOptions};
use sitrep_nlp::train::{ParserTrainOptions, save_parser, train_parser, train_tagger};
use sitrep_nlp::{Ner, Nlp, ParserChoice, eval_ud};
use sitrep_pipeline::parse_text;

use crate::{EXIT_OK, EXIT_PARTIAL};

#[derive(Args)]
pub struct TrainArgs {
    #[command(subcommand)]
    pub command: TrainCommand,
}

#[derive(Subcommand)]
pub enum TrainCommand {
    /// The UPOS+XPOS tagger and the lemmatiser (writes tagger.bin and lemma.bin).
    Tagger(TrainModelArgs),
    /// The dependency parser, trained on jackknifed tags (writes parser.bin).
    Parser(TrainModelArgs),
    /// The entity recogniser from IOB2 (UNER layout), with gazetteer features (writes ner.bin).
    Ner(TrainNerArgs),
    /// The attribution extractor (source, cue, content) from PolNeAR-style gold (DIR/text,
    /// DIR/attributions), on the shipped parser's analyses (writes attribution.bin).
    Claims(TrainClaimsArgs),
}

#[derive(Args)]
pub struct TrainClaimsArgs {
    /// Training articles (PolNeAR layout).
    #[arg(long, value_name = "DIR")]
    pub train: PathBuf,
    /// Development articles, scored after each epoch; the best epoch's models are kept.
    #[arg(long, value_name = "DIR")]
    pub dev: Option<PathBuf>,
    /// Model directory to write attribution.bin into.
    #[arg(long, value_name = "DIR", default_value = "data/models")]
    pub out: PathBuf,
    /// NLP model directory that analyses the articles (default: SITREP_MODELS, else
    /// data/models above the working directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Seed of the shuffling: the same data and seed give the same model.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Training epochs (default: the model's own).
    #[arg(long)]
    pub epochs: Option<usize>,
}

/// Inputs of the entity recogniser's training and cross-validation.
#[derive(Args)]
pub struct NerDataArgs {
    /// Gazetteer folder (actors, places, countries, names).
    #[arg(long, value_name = "DIR", default_value = "data/gazetteer")]
    pub gazetteer: PathBuf,
    /// A UD treebank whose text gives word statistics (the EWT train file); optional.
    #[arg(long, value_name = "FILE")]
    pub treebank: Option<PathBuf>,
    /// Seed: the same data and seed give the same model.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args)]
pub struct TrainNerArgs {
    /// Training data (IOB2).
    #[arg(long, value_name = "FILE")]
    pub train: PathBuf,
    /// Model file to write.
    #[arg(long, value_name = "FILE", default_value = "data/models/ner.bin")]
    pub out: PathBuf,
    #[command(flatten)]
    pub data: NerDataArgs,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum NerFormat {
    /// UNER layout: index, token, tag (PER, ORG, LOC, OTH).
    Iob2,
}

#[derive(Args)]
pub struct NerArgs {
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = NerFormat::Iob2)]
    pub input: NerFormat,
    #[arg(long, value_enum, default_value_t = NerFormat::Iob2)]
    pub format: NerFormat,
    /// Model file (default: ner.bin in the model directory).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvalNerArgs {
    /// Gold entities (IOB2, UNER layout).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Instead of scoring the shipped model, cross-validate: train on K-1 folds of the gold
    /// file (split by document) and score the held-out fold, K times.
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,
    #[command(flatten)]
    pub data: NerDataArgs,
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(Args)]
pub struct TrainModelArgs {
    /// Training treebank (CoNLL-U).
    #[arg(long, value_name = "FILE")]
    pub train: PathBuf,
    /// Development treebank, scored after each epoch.
    #[arg(long, value_name = "FILE")]
    pub dev: Option<PathBuf>,
    /// Model directory to write.
    #[arg(long, value_name = "DIR", default_value = "data/models")]
    pub out: PathBuf,
    /// Seed of the shuffling: the same data and seed give the same model.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Training epochs (default: the model's own).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Parser only: beam width. The default trains the accurate parser (beam 8, written as
    /// parser.bin); 1 trains the greedy one (parser-fast.bin, used with --fast).
    #[arg(long, value_name = "N")]
    pub beam: Option<usize>,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ParseInput {
    /// CoNLL-U: the words of column 2, sentence by sentence; annotations ignored.
    Conllu,
    /// Raw text: sitrep's own sentences and tokens.
    Text,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Conllu,
}

#[derive(Args)]
pub struct ParseArgs {
    pub file: PathBuf,
    /// What FILE is (default: CoNLL-U for `.conllu`, else text).
    #[arg(long, value_enum)]
    pub input: Option<ParseInput>,
    #[arg(long, value_enum, default_value_t = ParseFormat::Conllu)]
    pub format: ParseFormat,
    /// Model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvalUdArgs {
    /// Gold treebank (CoNLL-U).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// Whether `--fast` asked for the greedy parser (set once from the command line).
static FAST_PARSER: AtomicBool = AtomicBool::new(false);

pub fn use_fast_parser(fast: bool) {
    FAST_PARSER.store(fast, Ordering::Relaxed);
}

/// The parser `--fast` chose.
pub fn parser_choice() -> ParserChoice {
    if FAST_PARSER.load(Ordering::Relaxed) {
        ParserChoice::Fast
    } else {
        ParserChoice::Accurate
    }
}

/// Loads the models from `--models`, else the default search (`SITREP_MODELS`, then
/// `data/models` above the working directory or the executable); the greedy parser with
/// `--fast`.
pub fn load_models(dir: Option<&Path>) -> Result<Nlp> {
    let started = Instant::now();
    let choice = parser_choice();
    let nlp = match dir {
        Some(dir) => Nlp::load_with(dir, choice),
        None => Nlp::load_default_with(choice),
    }
    .context("cannot load the NLP models (pass --models DIR or set SITREP_MODELS)")?;
    eprintln!(
        "models loaded in {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(nlp)
}

pub fn train(args: TrainArgs) -> Result<u8> {
    match args.command {
        TrainCommand::Tagger(a) => {
            let opts = TaggerOptions {
                iterations: a.epochs.unwrap_or(TaggerOptions::default().iterations),
                seed: a.seed,
                ..TaggerOptions::default()
            };
            let trained = train_tagger(&a.train, a.dev.as_deref(), &opts)?;
            std::fs::create_dir_all(&a.out)?;
            trained.save(&a.out)?;
            eprintln!("tagger and lemmatiser written to {}", a.out.display());
        }
        TrainCommand::Parser(a) => {
            let mut opts = ParserTrainOptions::default();
            let base = match a.beam {
                Some(1) => ParserOptions::greedy(),
                Some(width) => ParserOptions {
                    beam: width,
                    ..ParserOptions::default()
                },
                None => ParserOptions::default(),
            };
            opts.parser = ParserOptions {
                iterations: a.epochs.unwrap_or(base.iterations),
                seed: a.seed,
                ..base
            };
            opts.tagger.seed = a.seed;
            // Dev scores are computed on tags from the shipped tagger in --out, when present.
            let tagger = std::fs::read(a.out.join(sitrep_nlp::analyzer::TAGGER_FILE))
                .ok()
                .and_then(|bytes| Tagger::from_bytes(&bytes).ok());
            let parser = train_parser(&a.train, a.dev.as_deref(), tagger.as_ref(), &opts)?;
            std::fs::create_dir_all(&a.out)?;
            save_parser(&parser, &a.out)?;
            eprintln!("parser written to {}", a.out.display());
        }
        TrainCommand::Ner(a) => {
            let opts = ner_options(&a.data)?;
            if let Some(dir) = a.out.parent() {
                std::fs::create_dir_all(dir)?;
            }
            train_ner_file(&a.train, None, &a.out, &opts)?;
            eprintln!("entity recogniser written to {}", a.out.display());
        }
        TrainCommand::Claims(a) => train_claims(a)?,
    }
    Ok(EXIT_OK)
}

/// `sitrep train claims`: analyses the articles with the NLP core (no entities, as `eval
/// polnear` does), trains, prints every epoch and writes attribution.bin.
fn train_claims(a: TrainClaimsArgs) -> Result<()> {
    let defaults = TrainOptions::default();
    let opts = TrainOptions {
        epochs: a.epochs.unwrap_or(defaults.epochs),
        seed: a.seed,
        ..defaults
    };
    // The NLP core only (no entities, and not the pipeline, which would load the attribution
    // model this replaces: a model of another format must not stop its own retraining).
    let analyzer =
        sitrep_nlp::Analyzer::new(Some(Arc::new(load_models(a.models.as_deref())?)), None);
    let started = Instant::now();
    let model = train_folder(&analyzer, &a.train, a.dev.as_deref(), &opts, |line| {
        eprintln!("{line} ({:.0} s)", started.elapsed().as_secs_f64())
    })
    .map_err(|e| anyhow::anyhow!(e))?;
    std::fs::create_dir_all(&a.out)?;
    let path = a.out.join(ATTRIBUTION_FILE);
    model
        .save(&path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    eprintln!("attribution extractor written to {}", path.display());
    Ok(())
}

pub fn parse(args: ParseArgs) -> Result<u8> {
    // CoNLL-U is the one output format.
    let ParseFormat::Conllu = args.format;
    let nlp = Arc::new(load_models(args.models.as_deref())?);
    let input = match args.input {
        Some(kind) => kind,
        None if args.file.extension().is_some_and(|e| e == "conllu") => ParseInput::Conllu,
        None => ParseInput::Text,
    };
    let out = match input {
        ParseInput::Conllu => nlp
            .annotate_conllu_file(&args.file)
            .with_context(|| format!("{}: cannot parse", args.file.display()))?,
        ParseInput::Text => {
            let raw = std::fs::read(&args.file)
                .with_context(|| format!("{}: cannot read", args.file.display()))?;
            let text = sitrep_read::decode(&raw)
                .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?
                .text;
            write_conllu(&text_to_conllu(&nlp, &text))
        }
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(EXIT_OK)
}

/// Raw text through sitrep's own sentences and tokens into CoNLL-U sentences, with
/// `SpaceAfter=No` where the text has no space after a word.
fn text_to_conllu(nlp: &Arc<Nlp>, text: &str) -> Vec<Sentence> {
    parse_text(nlp, text)
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let n = s.words.len();
            let words = s
                .words
                .iter()
                .enumerate()
                .map(|(k, (span, a))| {
                    let next = s.words.get(k + 1).map_or(s.span.end, |(r, _)| r.start);
                    Word {
                        form: text[span.clone()].to_string(),
                        lemma: a.lemma.to_string(),
                        upos: a.upos.to_string(),
                        xpos: a.xpos.to_string(),
                        feats: "_".into(),
                        head: Some(a.head),
                        deprel: a.deprel.to_string(),
                        deps: "_".into(),
                        misc: if k + 1 < n && next == span.end {
                            "SpaceAfter=No".into()
                        } else {
                            "_".into()
                        },
                    }
                })
                .collect();
            Sentence {
                comments: vec![
                    format!("sent_id = {}", i + 1),
                    format!("text = {}", text[s.span.clone()].replace('\n', " ")),
                ],
                words,
                multiword_tokens: Vec::new(),
            }
        })
        .collect()
}

/// Floors of `sitrep eval ud` with gold tokenisation (issue 3).
const UPOS_FLOOR: f64 = 95.0;
const UAS_FLOOR: f64 = 86.0;
const LAS_FLOOR: f64 = 83.0;

pub fn eval_ud_cmd(args: EvalUdArgs) -> Result<u8> {
    let nlp = Arc::new(load_models(args.models.as_deref())?);
    let gold = read_conllu_file(&args.gold)
        .with_context(|| format!("{}: cannot read", args.gold.display()))?;
    let words: usize = gold.iter().map(|s| s.words.len()).sum();
    let started = Instant::now();
    let pred = nlp.annotate(&gold);
    let secs = started.elapsed().as_secs_f64();
    let s = eval_ud(&gold, &pred);
    println!(
        "UD evaluation: {} ({} sentences, {words} words)",
        args.gold.display(),
        gold.len()
    );
    println!("gold tokenisation (CoNLL 2018: punctuation included, LAS on universal relations):");
    let line = |name: &str, v: f64, floor: Option<f64>| {
        let verdict = match floor {
            Some(f) if v < f => format!("  floor {f:.1}  BELOW FLOOR"),
            Some(f) => format!("  floor {f:.1}  ok"),
            None => String::new(),
        };
        println!("  {name:<8} {v:6.2}{verdict}");
    };
    line("UPOS", s.upos, Some(UPOS_FLOOR));
    line("XPOS", s.xpos, None);
    line("lemma", s.lemma, None);
    line("UAS", s.uas, Some(UAS_FLOOR));
    line("LAS", s.las, Some(LAS_FLOOR));
    line("LAS+sub", s.las_full, None);
    println!(
        "  speed    {:.0} words/s (tag + lemma + parse, one thread, this run)",
        words as f64 / secs
    );

    let g = gold_text(&gold);
    let system: Vec<SystemSentence> = parse_text(&nlp, &g.text)
        .into_iter()
        .map(|p| SystemSentence {
            span: p.span,
            words: p
                .words
                .into_iter()
                .map(|(span, a)| SystemWord {
                    span,
                    upos: a.upos.to_string(),
                    head: a.head,
                    deprel: a.deprel.to_string(),
                })
                .collect(),
        })
        .collect();
    let raw = score_raw(&gold, &g, &system);
    println!("end to end from raw text (sitrep's sentences and tokens), F1:");
    for (name, prf) in [
        ("sentences", raw.sentences),
        ("words", raw.words),
        ("UPOS", raw.upos),
        ("UAS", raw.uas),
        ("LAS", raw.las),
    ] {
        println!(
            "  {name:<9} {:6.2}  (precision {:.2}, recall {:.2})",
            prf.f1 * 100.0,
            prf.precision * 100.0,
            prf.recall * 100.0
        );
    }
    let below = s.upos < UPOS_FLOOR || s.uas < UAS_FLOOR || s.las < LAS_FLOOR;
    Ok(if below { EXIT_PARTIAL } else { EXIT_OK })
}

fn ner_options(data: &NerDataArgs) -> Result<NerOptions> {
    let resources = load_resources(&data.gazetteer, data.treebank.as_deref())
        .context("cannot load the gazetteer or the treebank")?;
    Ok(NerOptions {
        seed: data.seed,
        resources,
        ..NerOptions::default()
    })
}

fn load_ner(model: Option<&Path>) -> Result<Ner> {
    let ner = match model {
        Some(path) => Ner::load(path),
        None => Ner::load_default(),
    }
    .context("cannot load the entity model (pass --model FILE or set SITREP_MODELS)")?;
    Ok(ner)
}

pub fn ner(args: NerArgs) -> Result<u8> {
    // IOB2 is the one layout in and out.
    let (NerFormat::Iob2, NerFormat::Iob2) = (args.input, args.format);
    let model = load_ner(args.model.as_deref())?;
    let out = tag_iob2_file(&model, &args.file)
        .with_context(|| format!("{}: cannot tag", args.file.display()))?;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(EXIT_OK)
}

/// Floor of `sitrep eval ner` (entity F1, percent).
const NER_F1_FLOOR: f64 = 65.0;

pub fn eval_ner_cmd(args: EvalNerArgs) -> Result<u8> {
    println!("NER evaluation: {}", args.gold.display());
    let f1 = match args.cv {
        Some(k) => {
            let gold = read_iob2_file(&args.gold)
                .with_context(|| format!("{}: cannot read", args.gold.display()))?;
            let opts = ner_options(&args.data)?;
            let started = Instant::now();
            let report = cross_validate(&gold, k, args.data.seed, &opts);
            println!(
                "{k}-fold cross-validation on this file (folds split by document, {:.0} s):",
                started.elapsed().as_secs_f64()
            );
            print!("{report}");
            report.mean.get("overall").map_or(0.0, |m| m.2 * 100.0)
        }
        None => {
            let model = load_ner(args.model.as_deref())?;
            let scores = eval_ner_file(&model, &args.gold)
                .with_context(|| format!("{}: cannot score", args.gold.display()))?;
            println!("shipped model:");
            print!("{scores}");
            scores.overall.f1 * 100.0
        }
    };
    let verdict = if f1 < NER_F1_FLOOR {
        "BELOW FLOOR"
    } else {
        "ok"
    };
    println!("entity F1 {f1:.2}  floor {NER_F1_FLOOR:.1}  {verdict}");
    Ok(if f1 < NER_F1_FLOOR {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    })
}
