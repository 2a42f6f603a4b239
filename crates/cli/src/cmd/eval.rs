//! `sitrep eval`: scores against gold annotations, failing below the floors.

use std::path::Path;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use sitrep_eval::html::score_pages;
use sitrep_eval::polnear::report::{Floors, render};
use sitrep_eval::polnear::{self, baseline, trained};
use sitrep_eval::robustness;
use sitrep_eval::seed::{Gold, evaluate};
use sitrep_eval::timex::{self, Floors as TimexFloors};
use sitrep_extract::attribution::Attributions;
use sitrep_pipeline::{Config, Pipeline};
use sitrep_read::{ReadOptions, read_inputs};

use crate::cmd::nlp::EvalNerArgs;
use crate::cmd::nlp::EvalUdArgs;
use crate::{EXIT_OK, EXIT_PARTIAL};

#[derive(Subcommand)]
pub enum EvalCommand {
    /// The seed article against its hand annotation (shared/seed/README.md's rules).
    Seed(EvalSeedArgs),
    /// Tagging, lemmas and dependency parsing against a UD treebank: with gold tokens (UPOS,
    /// XPOS, lemma, UAS, LAS; fails below the floors) and end to end from raw text.
    Ud(EvalUdArgs),
    /// Entity recognition against IOB2 gold (entity-level precision, recall, F1; fails below
    /// the floor).
    Ner(EvalNerArgs),
    /// HTML main-text extraction on ScrapingHub-style pages: shingle precision, recall and F1
    /// of the cleaned body against each page's gold articleBody, and pages per second.
    Html(EvalHtmlArgs),
    /// Robustness over other projects' test inputs: every file under each folder (html5lib
    /// tree-construction `.dat` files: each `#data` page) through the reader and the whole
    /// pipeline in worker processes, with a time limit; prints documents, problems by kind,
    /// crashes, hangs, peak memory and feed items, and fails on any crash or hang.
    Robustness(EvalRobustnessArgs),
    /// The worker `eval robustness` starts: units in on stdin, one result line each out.
    #[command(hide = true)]
    RobustnessWorker(RobustnessWorkerArgs),
    /// Attribution relations (source, cue, content) against PolNeAR-style gold (DIR/text,
    /// DIR/attributions in BRAT standoff): exact and partial relation precision, recall and
    /// F1, role tokens, split by direct, mixed and indirect quotes; fails below the floors.
    /// The predictions come from the trained extractor (attribution.bin in the model
    /// directory), or with --baseline from the rule-based baseline.
    Polnear(EvalPolnearArgs),
    /// Place recognition and resolution against toponym gold sets (GeoWebNews GWN.xml,
    /// GeoVirus.xml): accuracy within 161 km, mean and median error in km with the gold
    /// toponyms given, and end to end from raw text (recognition precision, recall, F1, and
    /// resolution of what was found); fails below the floor with the gold toponyms given.
    Places(EvalPlacesArgs),
    /// Time expressions against TempEval-3 TIMEX3 gold (NAME.txt + NAME.json with the
    /// document's date and its TIMEX3 spans, types and values): each document through the
    /// pipeline with its date as the publication date; strict and relaxed span precision,
    /// recall and F1, type and value accuracy, overall, by type and by folder; fails below
    /// the floors.
    Timex(EvalTimexArgs),
}

#[derive(Args)]
pub struct EvalPlacesArgs {
    /// Gold files (GeoWebNews or GeoVirus XML); each is scored apart. The floor holds for
    /// each.
    #[arg(long, value_name = "FILE", required = true)]
    pub gold: Vec<PathBuf>,
    /// Exit with status 3 when accuracy within 161 km with the gold toponyms given is below
    /// this.
    #[arg(long, default_value_t = 0.80)]
    pub floor: f64,
    /// Only the resolver on the gold toponyms (no recogniser, no models loaded).
    #[arg(long)]
    pub given_only: bool,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvalTimexArgs {
    /// The gold folder: NAME.json files with NAME.txt beside them, in it or in its
    /// subfolders (shared/data/tempeval3, or its timebank or aquaint folder).
    #[arg(long, value_name = "DIR")]
    pub gold: PathBuf,
    /// Exit with status 3 when relaxed F1 is below this.
    #[arg(long, default_value_t = TimexFloors::default().relaxed_f1)]
    pub floor_relaxed: f64,
    /// Exit with status 3 when value accuracy (over relaxed matches) is below this.
    #[arg(long, default_value_t = TimexFloors::default().value_accuracy)]
    pub floor_value: f64,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Also print the most frequent missed gold expressions, spurious predictions, wrong
    /// values and type confusions.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args)]
pub struct EvalRobustnessArgs {
    /// Folders (or files) of inputs; each is reported apart, then all together.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Seconds one input may take before it counts as a hang.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Worker processes side by side.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
    pub workers: u16,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Print one line per input: what it was read as, documents, problems, time, memory.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args)]
pub struct RobustnessWorkerArgs {
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvalPolnearArgs {
    /// The gold folder, holding text/NAME.txt and attributions/NAME_ANNOTATOR.ann.
    #[arg(long, value_name = "DIR")]
    pub gold: PathBuf,
    /// Exit with status 3 when partial F1 is below this.
    #[arg(long, default_value_t = Floors::default().partial)]
    pub floor_partial: f64,
    /// Exit with status 3 when exact F1 is below this.
    #[arg(long, default_value_t = Floors::default().exact)]
    pub floor_exact: f64,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable); the trained extractor is its attribution.bin.
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Score the rule-based baseline (quoted stretches and speech verbs) instead of the
    /// trained extractor.
    #[arg(long)]
    pub baseline: bool,
}

#[derive(Args)]
pub struct EvalHtmlArgs {
    /// Folder of pages named ID.html.gz or ID.html.
    #[arg(long, value_name = "DIR")]
    pub pages: PathBuf,
    /// The gold file: a JSON object from page ID to {"articleBody": ..., "url": ...}.
    #[arg(long, value_name = "FILE")]
    pub truth: PathBuf,
    /// Exit with status 3 when F1 is below this.
    #[arg(long, default_value_t = 0.95)]
    pub floor: f64,
    /// Print each page's precision and recall, worst first.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args)]
pub struct EvalSeedArgs {
    /// The gold file; the article is the file it names, beside it.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Print every miss, not just the scores.
    #[arg(long, short)]
    pub verbose: bool,
    /// Wrap the article in a generated news page (data template) and read it as HTML: title,
    /// body and related headlines must equal the text path's, and the page's date is checked.
    #[arg(long)]
    pub html: bool,
}

pub fn seed(args: EvalSeedArgs) -> Result<u8> {
    let gold_text = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read the gold file", args.gold.display()))?;
    let gold: Gold = serde_json::from_str(&gold_text)
        .with_context(|| format!("{}: not a seed gold file", args.gold.display()))?;
    let article = args
        .gold
        .parent()
        .unwrap_or(Path::new("."))
        .join(&gold.document.file);
    let pipeline = Pipeline::load(super::pipeline_config(None, false, gold.document.published))?;
    let raw = read_inputs(std::slice::from_ref(&article), &ReadOptions::default())
        .next()
        .with_context(|| format!("{}: no document read", article.display()))?
        .map_err(|p| anyhow::anyhow!("{p}"))?;
    let text = raw.text.clone().unwrap_or_default();
    let doc = pipeline.process(raw).map_err(|p| anyhow::anyhow!("{p}"))?;
    println!("seed evaluation: {}", article.display());
    let categories = if args.html {
        html_seed(&pipeline, &text, &doc, &gold, &article)?
    } else {
        evaluate(&doc, &gold, pipeline.finds_claims())
    };
    let mut failed = false;
    for cat in &categories {
        println!("  {cat}");
        if !cat.meets_floor() {
            failed = true;
        }
        if args.verbose || !cat.meets_floor() {
            for miss in &cat.misses {
                println!("      miss: {miss}");
            }
        }
    }
    if failed {
        println!("seed evaluation: BELOW FLOOR");
        Ok(EXIT_PARTIAL)
    } else {
        println!("seed evaluation: all scored categories meet their floors");
        Ok(EXIT_OK)
    }
}

/// `--html`: the seed text wrapped in a generated news page and read as HTML, with no
/// `--published`: the page must give the date. Scored with the seed rules, plus a category
/// comparing title, body and related headlines with the text path's.
fn html_seed(
    pipeline: &Pipeline,
    text: &str,
    from_text: &sitrep_model::Document,
    gold: &Gold,
    article: &Path,
) -> Result<Vec<sitrep_eval::Category>> {
    let page = sitrep_eval::seed_html::news_page(text, gold.document.published);
    let raw = sitrep_read::RawDoc {
        source: format!("{} (as a generated news page)", article.display()),
        html: Some(page),
        ..sitrep_read::RawDoc::default()
    };
    let from_page = pipeline
        .with_published(None)
        .process(raw)
        .map_err(|p| anyhow::anyhow!("{p}"))?;
    println!("  read as HTML from a generated news page (the date must come from the page)");
    let mut categories = evaluate(&from_page, gold, pipeline.finds_claims());
    categories.insert(
        0,
        sitrep_eval::seed_html::compare(from_text, &from_page, gold.document.published),
    );
    Ok(categories)
}

/// A page of an HTML evaluation set: its id, gold body, URL and decoded HTML.
struct GoldPage {
    id: String,
    gold: String,
    url: Option<String>,
    html: String,
}

/// Reads the gold file and every page it names from `dir` (`ID.html.gz` or `ID.html`).
fn read_html_pages(dir: &Path, truth: &Path) -> Result<Vec<GoldPage>> {
    let text = std::fs::read_to_string(truth)
        .with_context(|| format!("{}: cannot read the gold file", truth.display()))?;
    let gold: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a JSON object of pages", truth.display()))?;
    let mut pages = Vec::with_capacity(gold.len());
    for (id, entry) in gold {
        let body = entry
            .get("articleBody")
            .and_then(|v| v.as_str())
            .with_context(|| format!("{}: page {id} has no articleBody", truth.display()))?;
        let gz = dir.join(format!("{id}.html.gz"));
        let plain = dir.join(format!("{id}.html"));
        let bytes = if gz.exists() {
            let file = std::fs::File::open(&gz)
                .with_context(|| format!("{}: cannot open", gz.display()))?;
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(file), &mut bytes)
                .with_context(|| format!("{}: not a gzip file", gz.display()))?;
            bytes
        } else {
            std::fs::read(&plain).with_context(|| {
                format!("{}: page {id} not found (.html.gz or .html)", dir.display())
            })?
        };
        let html = sitrep_read::payload::decode_page(&bytes, None).text;
        pages.push(GoldPage {
            id,
            gold: body.to_string(),
            url: entry
                .get("url")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            html,
        });
    }
    Ok(pages)
}

/// The body the pipeline makes of a page: extraction, then cleaning (no analysis).
fn html_body(pipeline: &Pipeline, page: &GoldPage) -> String {
    let raw = sitrep_read::RawDoc {
        source: page.id.clone(),
        url: page.url.clone(),
        html: Some(page.html.clone()),
        ..sitrep_read::RawDoc::default()
    };
    pipeline
        .prepare(raw)
        .map(|doc| doc.text)
        .unwrap_or_default()
}

/// `sitrep eval html`: shingle precision, recall and F1 of the cleaned bodies (the title is
/// not part of the gold articleBody, and not of the body either), and the speed of reading
/// and cleaning on one thread (best of three passes, page decoding excluded).
pub fn html(args: EvalHtmlArgs) -> Result<u8> {
    let pages = read_html_pages(&args.pages, &args.truth)?;
    anyhow::ensure!(!pages.is_empty(), "{}: no pages", args.truth.display());
    // Reading and cleaning only: the analysis is not scored here.
    let pipeline = Pipeline::load(Config::without_models())?;
    let mut predictions = Vec::new();
    let mut best = f64::INFINITY;
    for pass in 0..3 {
        let start = Instant::now();
        let bodies: Vec<String> = pages.iter().map(|p| html_body(&pipeline, p)).collect();
        best = best.min(start.elapsed().as_secs_f64());
        if pass == 0 {
            predictions = bodies;
        }
    }
    let triples: Vec<(String, String, String)> = pages
        .iter()
        .zip(predictions)
        .map(|(p, body)| (p.id.clone(), p.gold.clone(), body))
        .collect();
    let scores = score_pages(&triples);
    let megabytes = pages.iter().map(|p| p.html.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "html evaluation: {} pages ({})",
        scores.pages,
        args.pages.display()
    );
    if args.verbose {
        let mut order: Vec<usize> = (0..scores.pages).collect();
        let f1 = |i: usize| {
            let p = &scores.per_page[i];
            let precision = p.precision.unwrap_or(0.0);
            if precision + p.recall == 0.0 {
                0.0
            } else {
                2.0 * precision * p.recall / (precision + p.recall)
            }
        };
        order.sort_by(|&a, &b| f1(a).total_cmp(&f1(b)));
        for i in order {
            let p = &scores.per_page[i];
            let precision = p
                .precision
                .map_or_else(|| "  -  ".to_string(), |v| format!("{v:.3}"));
            println!(
                "  {}  P {precision}  R {:.3}  {}",
                &p.id[..p.id.len().min(12)],
                p.recall,
                pages[i].url.as_deref().unwrap_or("")
            );
        }
    }
    let verdict = if scores.f1 >= args.floor {
        "ok"
    } else {
        "BELOW FLOOR"
    };
    println!(
        "  precision {:.4}  recall {:.4}  F1 {:.4}  floor {:.2}  {verdict}",
        scores.precision, scores.recall, scores.f1, args.floor
    );
    if scores.empty > 0 {
        println!("  {} pages with no text extracted", scores.empty);
    }
    println!(
        "  speed: {:.0} pages/s, {:.1} MB/s of HTML (extraction and cleaning, one thread, best of 3)",
        scores.pages as f64 / best,
        megabytes / best
    );
    Ok(if scores.f1 >= args.floor {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// `sitrep eval robustness`: every input in a worker process of this binary (a crash or a
/// hang is counted, not suffered), exit status 3 on any crash or hang.
pub fn robustness(args: EvalRobustnessArgs) -> Result<u8> {
    anyhow::ensure!(
        args.timeout.is_finite() && args.timeout > 0.0,
        "--timeout must be a positive number of seconds"
    );
    let exe = std::env::current_exe().context("cannot find this program to start workers")?;
    let fast = crate::cmd::nlp::parser_choice() == sitrep_nlp::ParserChoice::Fast;
    let spawn = || {
        let mut command = std::process::Command::new(&exe);
        if fast {
            command.arg("--fast");
        }
        command.args(["eval", "robustness-worker"]);
        if let Some(models) = &args.models {
            command.arg("--models").arg(models);
        }
        command
    };
    let settings = robustness::Settings {
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        workers: usize::from(args.workers),
        startup: std::time::Duration::from_secs(300),
    };
    let started = Instant::now();
    let found = robustness::find_units(&args.dirs).map_err(anyhow::Error::msg)?;
    let results =
        robustness::run_units(&found.units, &settings, &spawn).map_err(anyhow::Error::msg)?;
    let mut report = robustness::Report::new(&args.dirs, &found, &results);
    report.wall_secs = started.elapsed().as_secs_f64();
    report.timeout_secs = args.timeout;
    report.workers = settings.workers;
    if args.verbose {
        for (unit, result) in found.units.iter().zip(&results) {
            println!("  {}", robustness::describe(unit, result));
        }
    }
    print!("{report}");
    Ok(if report.passed() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// `sitrep eval polnear`: the trained extractor (or with `--baseline` the baseline) over
/// every readable gold article, scored and printed; exit 3 below a floor or when a gold file could not be read.
pub fn polnear(args: EvalPolnearArgs) -> Result<u8> {
    let read = sitrep_nlp::corpus::attribution::read_attribution_folder(&args.gold)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut docs = Vec::with_capacity(read.len());
    let mut unreadable = 0;
    for doc in read {
        match doc {
            Ok(doc) => docs.push(doc),
            Err(e) => {
                eprintln!("{e}");
                unreadable += 1;
            }
        }
    }
    anyhow::ensure!(
        !docs.is_empty(),
        "{}: no article could be read",
        args.gold.display()
    );
    let mut passed = sitrep_nlp::corpus::attribution::PassedOver::default();
    for doc in &docs {
        passed += doc.passed_over;
    }
    let config = Config {
        entities: false,
        ..super::pipeline_config(args.models.as_deref(), false, None)
    };
    let pipeline = super::load_pipeline_timed(config)?;
    let analyzer = pipeline.analyzer();
    let model = if args.baseline {
        None
    } else {
        let dir = args
            .models
            .clone()
            .or_else(sitrep_nlp::Nlp::default_model_dir)
            .context("no model directory: pass --models DIR or set SITREP_MODELS")?;
        Some(
            Attributions::load(&dir)
                .with_context(|| format!("{}: cannot load the attribution model", dir.display()))?,
        )
    };
    let name = match model {
        Some(_) => trained::NAME,
        None => baseline::NAME,
    };
    let started = Instant::now();
    let scores = polnear::evaluate(&docs, |text| match &model {
        Some(m) => trained::predict(m, analyzer, text),
        None => baseline::predict(analyzer, text),
    });
    let secs = started.elapsed().as_secs_f64();
    let floors = Floors {
        exact: args.floor_exact,
        partial: args.floor_partial,
    };
    println!("PolNeAR evaluation: {}", args.gold.display());
    println!(
        "  gold: {} articles ({unreadable} unreadable); passed over: {passed}",
        docs.len()
    );
    print!("{}", render(&scores, &floors, name));
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    println!(
        "  speed: {:.0} words/s (analysis, prediction and scoring; one thread)",
        words as f64 / secs
    );
    let met = floors.met_by(&scores);
    println!(
        "PolNeAR evaluation ({}): {}",
        if model.is_some() {
            "trained"
        } else {
            "baseline"
        },
        if met {
            "meets the floors"
        } else {
            "BELOW FLOOR"
        }
    );
    Ok(if met && unreadable == 0 {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// `sitrep eval timex`: every gold document through the pipeline with its date as the
/// publication date, scored and printed; exit 3 below a floor or when a document could not
/// be read or run.
pub fn timex(args: EvalTimexArgs) -> Result<u8> {
    let read = timex::read_folder(&args.gold).map_err(anyhow::Error::msg)?;
    let mut docs = Vec::with_capacity(read.len());
    let mut failed = 0;
    for doc in read {
        match doc {
            Ok(doc) => docs.push(doc),
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
            }
        }
    }
    anyhow::ensure!(
        !docs.is_empty(),
        "{}: no NAME.json with a NAME.txt beside it",
        args.gold.display()
    );
    let pipeline =
        super::load_pipeline_timed(super::pipeline_config(args.models.as_deref(), false, None))?;
    let started = Instant::now();
    let mut scores = timex::Scores::default();
    // Every wrong value, miss and spurious prediction with its context, on stderr.
    let dump = std::env::var("SITREP_TIMEX_ERRORS").unwrap_or_default();
    let (dump_errors, dump_right) = (!dump.is_empty() && dump != "0", dump == "all");
    for doc in &docs {
        match timex::run_document(&pipeline, doc) {
            Ok((predicted, outside)) => {
                scores.add(&doc.group, &doc.timexes, &predicted);
                scores.outside_body += outside;
                if dump_errors {
                    eprint!("{}", timex::document_errors(doc, &predicted, dump_right));
                }
            }
            Err(e) => {
                eprintln!("{}: {e}", doc.path.display());
                failed += 1;
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let floors = TimexFloors {
        relaxed_f1: args.floor_relaxed,
        value_accuracy: args.floor_value,
    };
    println!("TempEval-3 timex evaluation: {}", args.gold.display());
    let groups: Vec<String> = scores
        .documents_by_group
        .iter()
        .map(|(g, n)| format!("{g} {n}"))
        .collect();
    println!(
        "  documents: {} ({}), {failed} unreadable or failed; gold {}, predicted {}; \
         {} gold outside the body the pipeline analyses (title, datelines)",
        scores.documents,
        groups.join(", "),
        scores.overall.gold,
        scores.overall.predicted,
        scores.outside_body
    );
    print!("{}", scores.render(&floors));
    if args.verbose {
        print!("{}", scores.render_errors(40));
    }
    println!(
        "  elapsed: {secs:.2} s for {} documents (reading, the whole pipeline, scoring; one thread)",
        scores.documents
    );
    let met = floors.met_by(&scores);
    println!(
        "timex evaluation: {}",
        if met {
            "meets the floors"
        } else {
            "BELOW FLOOR"
        }
    );
    Ok(if met && failed == 0 {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// The hidden worker of `eval robustness`: loads the pipeline once, then runs the units it is
/// sent, one thread analysing (the workers run side by side).
pub fn robustness_worker(args: RobustnessWorkerArgs) -> Result<u8> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()?;
    let pipeline = Pipeline::load(super::pipeline_config(args.models.as_deref(), false, None))?;
    robustness::serve(&pipeline, std::io::stdin().lock(), std::io::stdout().lock())?;
    Ok(EXIT_OK)
}

/// `sitrep eval places`: the resolver with the gold toponyms given, and end to end, over each
/// gold file; exit 3 below the floor.
pub fn places(args: EvalPlacesArgs) -> Result<u8> {
    use sitrep_eval::places::{evaluate as score_places, read_gold, render as render_places};
    let started = Instant::now();
    let gazetteer = sitrep_nlp::Gazetteer::load_default()
        .map_err(|e| anyhow::anyhow!("cannot load the gazetteer: {e}"))?;
    println!(
        "gazetteer: {} places, {} actors, loaded in {} ms",
        gazetteer.n_places(),
        gazetteer.n_actors(),
        started.elapsed().as_millis()
    );
    let pipeline = if args.given_only {
        None
    } else {
        Some(super::load_pipeline_timed(super::pipeline_config(
            args.models.as_deref(),
            false,
            None,
        ))?)
    };
    let analyse = pipeline
        .as_ref()
        .map(|p| move |text: &str| p.analyzer().analyse(text));
    let mut met = true;
    for path in &args.gold {
        let gold = read_gold(path).map_err(|e| anyhow::anyhow!(e))?;
        let started = Instant::now();
        let scores = score_places(
            &gold,
            &gazetteer,
            analyse
                .as_ref()
                .map(|f| f as &(dyn Fn(&str) -> sitrep_nlp::Analysis + Sync)),
        );
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        print!(
            "{}",
            render_places(&name, &gold, &scores, analyse.is_some())
        );
        let accuracy = scores.given.within(161.0);
        let ok = accuracy >= args.floor;
        met &= ok;
        println!(
            "  {:.1} s; accuracy@161km with the gold toponyms given {:.3}, floor {:.2}: {}",
            started.elapsed().as_secs_f64(),
            accuracy,
            args.floor,
            if ok { "ok" } else { "BELOW THE FLOOR" }
        );
    }
    Ok(if met { EXIT_OK } else { 3 })
}
