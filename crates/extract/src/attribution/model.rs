//! The trained extractor ([`Attributions`]) and its file, `attribution.bin`.
//!
//! The file (kind `ATR`, sitrep's model layout of `sitrep_nlp::model_io`) holds the cue
//! lexicon it was trained with (so that weights never meet another lexicon), the cue model (role tags),
//! the linking model, and the two temperatures that turn their scores into posteriors.

use std::path::Path;

use sitrep_nlp::model_io::{ModelError, Reader, Writer, read_file};

use super::lexicon::Lexicon;
use super::seq::SeqModel;

/// File name of the attribution model inside a model directory.
pub const ATTRIBUTION_FILE: &str = "attribution.bin";

/// The trained attribution extractor: immutable, `Send + Sync`, shared by every thread.
#[derive(Debug, Clone, PartialEq)]
pub struct Attributions {
    pub(super) lexicon: Lexicon,
    lexicon_tsv: String,
    pub(super) roles: SeqModel,
    pub(super) links: SeqModel,
    /// Temperatures of the role and linking posteriors (see [`super::confidence`]).
    pub(super) temperature: [f32; 2],
}

impl Attributions {
    pub(super) fn new(lexicon_tsv: &str, roles: SeqModel, links: SeqModel) -> Attributions {
        Attributions {
            lexicon: Lexicon::parse(lexicon_tsv).expect("a lexicon that parsed before"),
            lexicon_tsv: lexicon_tsv.to_string(),
            roles,
            links,
            temperature: [1.0, 1.0],
        }
    }

    /// Loads `attribution.bin` from `models_dir` (the NLP models' folder, `data/models`):
    /// one read of the file and a copy of its weights, no training-time structures; load it
    /// once and share it (`Arc`) between threads. A missing or damaged file is an error, never
    /// a panic.
    pub fn load(models_dir: &Path) -> Result<Attributions, ModelError> {
        Attributions::from_bytes(&read_file(&models_dir.join(ATTRIBUTION_FILE))?)
    }

    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        Writer {
            bytes: self.to_bytes(),
        }
        .save(path)
    }

    /// The cue lexicon the model was trained with.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Stored feature rows of the role and the linking model.
    pub fn n_features(&self) -> [usize; 2] {
        [
            self.roles.emissions.n_features(),
            self.links.emissions.n_features(),
        ]
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(b"ATR");
        w.str(&self.lexicon_tsv);
        w.f32(self.temperature[0]);
        w.f32(self.temperature[1]);
        self.roles.write(&mut w);
        self.links.write(&mut w);
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Attributions, ModelError> {
        let mut r = Reader::new(bytes, b"ATR")?;
        let tsv = r.str()?;
        let lexicon = Lexicon::parse(&tsv).map_err(ModelError::Corrupt)?;
        let temperature = [r.f32()?, r.f32()?];
        let roles = SeqModel::read(&mut r)?;
        let links = SeqModel::read(&mut r)?;
        r.finish()?;
        if roles.n != super::tags::CueTag::COUNT || links.n != super::tags::Link::COUNT {
            return Err(ModelError::Corrupt("tag sets".into()));
        }
        Ok(Attributions {
            lexicon,
            lexicon_tsv: tsv,
            roles,
            links,
            temperature,
        })
    }
}
