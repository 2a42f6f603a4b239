//! The runtime entry point: [`Nlp`] loads the shipped models once and analyses sentences
//! (tags, lemmas, dependency trees).
//!
//! Loaded models are immutable and `Send + Sync`, so one `Nlp` can be shared behind an `Arc`
//! by every worker thread. Per-call scratch buffers live in a [`Workspace`]; [`Nlp::analyze`]
//! keeps one per thread, [`Nlp::analyze_into`] lets hot loops own theirs and also reuse the
//! output strings.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use compact_str::CompactString;

use crate::lemma::Lemmatizer;
use crate::model_io::{ModelError, read_file};
use crate::parser::{Parser, ParserWorkspace, tag_hash};
use crate::tagger::{Tagger, TaggerWorkspace};

/// File names inside a model directory.
pub const TAGGER_FILE: &str = "tagger.bin";
pub const LEMMA_FILE: &str = "lemma.bin";
pub const PARSER_FILE: &str = "parser.bin";
/// The greedy parser: about 1.5 times the speed of the whole core, about 1.7 UAS lower.
pub const FAST_PARSER_FILE: &str = "parser-fast.bin";

/// Which of the shipped parsers to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParserChoice {
    /// `parser.bin`: beam search (the accurate default).
    #[default]
    Accurate,
    /// `parser-fast.bin`: greedy.
    Fast,
}

impl ParserChoice {
    pub fn file(self) -> &'static str {
        match self {
            ParserChoice::Accurate => PARSER_FILE,
            ParserChoice::Fast => FAST_PARSER_FILE,
        }
    }
}

/// Environment variable naming the model directory (overrides the search).
pub const MODELS_ENV: &str = "SITREP_MODELS";

/// The analysis of one word.
///
/// Tags and relations are the models' own label strings, shared (interned once when the
/// models load, [`intern`]) rather than copied into every word: a document's analysis costs
/// about 80 bytes a word, where four owned strings cost about 200.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WordAnalysis {
    /// Universal POS tag (`NOUN`, `VERB`, ...).
    pub upos: &'static str,
    /// Penn Treebank tag (`NNS`, `VBD`, ...).
    pub xpos: &'static str,
    /// Held inline up to 24 bytes (almost every lemma), so a word's analysis needs no
    /// allocation of its own.
    pub lemma: CompactString,
    /// 0-based index of the head word in the sentence, `-1` for the root.
    pub head: i32,
    /// UD relation to the head, with subtypes (`nsubj:pass`).
    pub deprel: &'static str,
}

/// The one shared copy of a label string (a tag or a relation name). Labels come from the
/// model files; each distinct one is stored once for the life of the process, so the memory
/// kept is bounded by the label sets (a few hundred short strings), however often models load.
pub fn intern(label: &str) -> &'static str {
    static LABELS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
        std::sync::LazyLock::new(Default::default);
    let mut labels = LABELS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&known) = labels.get(label) {
        return known;
    }
    let leaked: &'static str = Box::leak(label.to_string().into_boxed_str());
    labels.insert(leaked);
    leaked
}

/// Tagger, lemmatiser and parser, loaded together.
#[derive(Debug, Clone, PartialEq)]
pub struct Nlp {
    tagger: Tagger,
    lemmatizer: Lemmatizer,
    parser: Parser,
    xpos_hash: Vec<u64>,
    /// Each tag class's UPOS and Penn tag, and each relation id's name, interned.
    upos: Vec<&'static str>,
    xpos: Vec<&'static str>,
    relations: Vec<&'static str>,
}

/// Reusable scratch buffers for [`Nlp::analyze_into`].
#[derive(Debug, Default)]
pub struct Workspace {
    tagger: TaggerWorkspace,
    parser: ParserWorkspace,
    classes: Vec<u16>,
    tag_hashes: Vec<u64>,
    heads: Vec<i32>,
    labels: Vec<u8>,
    /// [`Nlp::analyze_all_into`]: each sentence's tag classes.
    all_classes: Vec<Vec<u16>>,
    /// [`Nlp::analyze_all_into`]: the sentence being parsed.
    sentence: Vec<WordAnalysis>,
}

/// Sentences beyond which a document's per-sentence buffers are dropped after use rather than
/// kept for the next document.
const LARGE_DOCUMENT_SENTENCES: usize = 4096;

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

impl Nlp {
    pub fn new(tagger: Tagger, lemmatizer: Lemmatizer, parser: Parser) -> Nlp {
        let xpos_hash = (0..tagger.n_classes())
            .map(|c| tag_hash(tagger.upos_of(c as u16), tagger.xpos_of(c as u16)))
            .collect();
        let classes = 0..tagger.n_classes() as u16;
        let upos = classes.clone().map(|c| intern(tagger.upos_of(c))).collect();
        let xpos = classes.map(|c| intern(tagger.xpos_of(c))).collect();
        let relations = (0..=u8::MAX)
            .map_while(|id| parser.try_label_of(id).map(intern))
            .collect();
        Nlp {
            tagger,
            lemmatizer,
            parser,
            xpos_hash,
            upos,
            xpos,
            relations,
        }
    }

    /// Parses with this beam width and margin instead of the trained ones (see
    /// [`Parser::set_beam`]).
    pub fn set_parser_beam(&mut self, width: u8, margin: f32) {
        self.parser.set_beam(width, margin);
    }

    /// Loads `tagger.bin`, `lemma.bin` and `parser.bin` from `dir`.
    pub fn load(dir: &Path) -> Result<Nlp, ModelError> {
        Nlp::load_with(dir, ParserChoice::Accurate)
    }

    /// Loads the tagger, the lemmatiser and the chosen parser from `dir`.
    pub fn load_with(dir: &Path, parser: ParserChoice) -> Result<Nlp, ModelError> {
        // The parser's tables and the tagger's are built at the same time on two threads
        // (building them is most of the load time).
        std::thread::scope(|scope| {
            let parser = scope.spawn(|| Parser::from_bytes(&read_file(&dir.join(parser.file()))?));
            let tagger = Tagger::from_bytes(&read_file(&dir.join(TAGGER_FILE))?);
            let lemmatizer = Lemmatizer::from_bytes(&read_file(&dir.join(LEMMA_FILE))?);
            let parser = parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok(Nlp::new(tagger?, lemmatizer?, parser?))
        })
    }

    /// Loads from [`Nlp::default_model_dir`].
    pub fn load_default() -> Result<Nlp, ModelError> {
        Nlp::load_default_with(ParserChoice::Accurate)
    }

    /// Loads from [`Nlp::default_model_dir`] with the chosen parser.
    pub fn load_default_with(parser: ParserChoice) -> Result<Nlp, ModelError> {
        let dir = Nlp::default_model_dir().ok_or_else(|| {
            ModelError::NotFound(format!(
                "set {MODELS_ENV} or run from a checkout containing data/models/{TAGGER_FILE}"
            ))
        })?;
        Nlp::load_with(&dir, parser)
    }

    /// Where the models are: `$SITREP_MODELS` if set; else the first `data/models` holding a
    /// tagger found walking up from the working directory, then from the executable's
    /// directory, then from this crate's source checkout.
    pub fn default_model_dir() -> Option<PathBuf> {
        crate::locate::data_dir(MODELS_ENV, "models", TAGGER_FILE)
    }

    pub fn tagger(&self) -> &Tagger {
        &self.tagger
    }

    pub fn lemmatizer(&self) -> &Lemmatizer {
        &self.lemmatizer
    }

    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// Analyses one tokenised sentence.
    pub fn analyze(&self, words: &[&str]) -> Vec<WordAnalysis> {
        let mut out = Vec::with_capacity(words.len());
        WORKSPACE.with(|ws| self.analyze_into(words, &mut ws.borrow_mut(), &mut out));
        out
    }

    /// Analyses one sentence into `out`, reusing its strings and the workspace buffers.
    pub fn analyze_into(&self, words: &[&str], ws: &mut Workspace, out: &mut Vec<WordAnalysis>) {
        out.truncate(words.len());
        out.resize_with(words.len(), WordAnalysis::default);
        if words.is_empty() {
            return;
        }
        self.tagger.tag_into(words, &mut ws.tagger, &mut ws.classes);
        self.parse_tagged(
            words,
            &ws.classes,
            &mut ws.tag_hashes,
            &mut ws.parser,
            &mut ws.heads,
            &mut ws.labels,
            out,
        );
    }

    /// Analyses the sentences of one document into `out`, one entry per word, sentence after
    /// sentence: every sentence is tagged before any is parsed, so that each model's most used
    /// weights stay in the processor's caches while it runs; the results are those of
    /// [`Nlp::analyze_into`] sentence by sentence. Words go straight into `out` through one
    /// sentence's buffer, so a long document is held once, not once per sentence and again.
    pub fn analyze_all_into(
        &self,
        sentences: &[Vec<&str>],
        ws: &mut Workspace,
        out: &mut Vec<WordAnalysis>,
    ) {
        out.clear();
        out.reserve(sentences.iter().map(Vec::len).sum());
        ws.all_classes.truncate(sentences.len());
        ws.all_classes.resize_with(sentences.len(), Vec::new);
        for (words, classes) in sentences.iter().zip(ws.all_classes.iter_mut()) {
            self.tagger.tag_into(words, &mut ws.tagger, classes);
        }
        let mut sentence = std::mem::take(&mut ws.sentence);
        for (words, classes) in sentences.iter().zip(&ws.all_classes) {
            self.parse_tagged(
                words,
                classes,
                &mut ws.tag_hashes,
                &mut ws.parser,
                &mut ws.heads,
                &mut ws.labels,
                &mut sentence,
            );
            out.append(&mut sentence);
        }
        ws.sentence = sentence;
        // After an unusually long document, give back what only it needed.
        if ws.all_classes.len() > LARGE_DOCUMENT_SENTENCES {
            ws.all_classes = Vec::new();
        }
    }

    /// Parses and lemmatises one tagged sentence into `out`.
    #[allow(clippy::too_many_arguments)]
    fn parse_tagged(
        &self,
        words: &[&str],
        classes: &[u16],
        tag_hashes: &mut Vec<u64>,
        parser: &mut ParserWorkspace,
        heads: &mut Vec<i32>,
        labels: &mut Vec<u8>,
        out: &mut Vec<WordAnalysis>,
    ) {
        out.truncate(words.len());
        out.resize_with(words.len(), WordAnalysis::default);
        if words.is_empty() {
            return;
        }
        tag_hashes.clear();
        tag_hashes.extend(classes.iter().map(|&c| self.xpos_hash[usize::from(c)]));
        self.parser
            .parse_hashed(words, tag_hashes, parser, heads, labels);
        for (i, a) in out.iter_mut().enumerate() {
            let class = usize::from(classes[i]);
            a.upos = self.upos[class];
            a.xpos = self.xpos[class];
            a.lemma = CompactString::from(self.lemmatizer.lemmatize(words[i], a.xpos));
            a.head = heads[i];
            a.deprel = self.relations[usize::from(labels[i])];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn models_are_shareable_across_threads() {
        assert_send_sync::<Nlp>();
    }

    /// The shipped models (data/models), with either parser, parse a hand-written sentence
    /// sensibly.
    #[test]
    fn shipped_models_find_the_subject_and_the_complement_clause() {
        for choice in [ParserChoice::Accurate, ParserChoice::Fast] {
            finds_the_subject_and_the_complement_clause(choice);
        }
    }

    /// A document analysed at once (all sentences tagged, then all parsed) gets exactly the
    /// analyses of its sentences analysed one by one.
    #[test]
    fn a_document_at_once_matches_sentence_by_sentence() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/models");
        let nlp = Nlp::load(&dir).expect("shipped models load");
        let text = [
            "Officials said on Tuesday that about 400 advisers had arrived in the capital .",
            "",
            "The ministry denied it .",
            "Several hundred fighters , a spokesman told reporters , left the town of Menaka late last month .",
        ];
        let sentences: Vec<Vec<&str>> = text
            .iter()
            .map(|s| s.split_whitespace().collect())
            .collect();
        let mut ws = Workspace::default();
        let mut all = vec![WordAnalysis::default(); 7];
        nlp.analyze_all_into(&sentences, &mut ws, &mut all);
        let one_by_one: Vec<WordAnalysis> = sentences.iter().flat_map(|w| nlp.analyze(w)).collect();
        assert_eq!(all, one_by_one);
        assert_eq!(all.len(), 14 + 5 + 18);
        assert_eq!(
            (all[14 + 2].lemma.as_str(), all[14 + 3].deprel),
            ("deny", "obj")
        );
    }

    fn finds_the_subject_and_the_complement_clause(choice: ParserChoice) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/models");
        let nlp = Nlp::load_with(&dir, choice).expect("shipped models load");
        assert_eq!(
            nlp.parser().beam_width() > 1,
            choice == ParserChoice::Accurate
        );
        let words = [
            "Mali",
            "'s",
            "government",
            "denied",
            "that",
            "any",
            "mercenaries",
            "had",
            "deployed",
            ".",
        ];
        let a = nlp.analyze(&words);
        assert_eq!(a.len(), words.len());
        // "denied" is the root, "government" its subject, "deployed" its clausal complement.
        assert_eq!(a[3].head, -1);
        assert_eq!(a[3].deprel, "root");
        assert_eq!(a[3].lemma, "deny");
        assert_eq!(a[2].head, 3);
        assert_eq!(a[2].deprel, "nsubj");
        assert_eq!(a[8].head, 3);
        assert_eq!(a[8].deprel, "ccomp");
        assert_eq!(a[6].head, 8);
        assert_eq!(a[6].deprel, "nsubj");
        assert_eq!(a[0].upos, "PROPN");
        assert_eq!(a[3].xpos, "VBD");
    }
}
