//! Scores the first coder on PETRARCH validation records (branch `coder`, a measuring aid until
//! `sitrep eval petrarch` exists):
//!
//! ```text
//! cargo run --release -p sitrep-eval --example petrarch_score -- RECORDS.xml DICTIONARY_DIR
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sitrep_eval::petrarch::{Triple, read_records, score};
use sitrep_extract::events::coder::Coder;
use sitrep_extract::events::dictionaries::{Dictionaries, DictionaryFiles};
use sitrep_nlp::{Analyzer, Ner, Nlp};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (records, dir) = (Path::new(&args[0]), PathBuf::from(&args[1]));
    let set = read_records(records).unwrap();
    let env = |k: &str| {
        set.environment
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| dir.join(v))
    };
    let files = DictionaryFiles {
        verbs: env("Verbfile"),
        actors: env("Actorfile").into_iter().collect(),
        agents: env("Agentfile"),
        discards: env("Discardfile"),
        issues: None,
    };
    let dictionaries = Dictionaries::load_files(&files).unwrap();
    let coder = Coder::new(dictionaries);
    let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/models");
    let nlp = Nlp::load(&models).unwrap();
    let ner = Ner::load(&models.join(sitrep_nlp::ner::NER_FILE)).unwrap();
    let analyzer = Analyzer::new(Some(Arc::new(nlp)), Some(Arc::new(ner)));
    let mut predicted: HashMap<String, Vec<Triple>> = HashMap::new();
    for r in &set.records {
        let a = analyzer.analyse(&r.text);
        let date = r.date.unwrap_or_default();
        let mut triples = Vec::new();
        for s in 0..a.sentences().len() {
            for e in coder.code_sentence(&r.text, &a, s, date) {
                if e.negated {
                    continue;
                }
                triples.push(Triple {
                    source: e.source.unwrap_or_else(|| "---".into()),
                    target: e.target.unwrap_or_else(|| "---".into()),
                    code: e.code,
                });
            }
        }
        if std::env::var_os("PETRARCH_VERBOSE").is_some() {
            println!("{}\t{:?}\t{:?}\t{}", r.id, r.expected, triples, r.text);
        }
        predicted.insert(r.id.clone(), triples);
    }
    let s = score(&set.records, &predicted);
    println!(
        "{} records: triples P {:.3} R {:.3} F1 {:.3}; exactly right {:.3}",
        s.records,
        s.precision(),
        s.recall(),
        s.f1(),
        s.exact_share()
    );
}
