//! Finding sitrep's data folders (`data/models`, `data/gazetteer`) at run time. It lives in
//! the lowest crate that reads from `data/`; `sitrep-nlp` finds its models with it too.

use std::path::{Path, PathBuf};

/// The folder named by the environment variable `env` if set; else the first `data/<sub>`
/// holding `marker` found walking up from the working directory, then from the executable's
/// directory, then from this crate's source checkout.
pub fn data_dir(env: &str, sub: &str, marker: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(env) {
        return Some(PathBuf::from(dir));
    }
    let mut starts: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        starts.push(exe_dir);
    }
    starts.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    starts.into_iter().find_map(|start| {
        start
            .ancestors()
            .map(|d| d.join("data").join(sub))
            .find(|c| c.join(marker).is_file())
    })
}
