//! The inputs of an evaluation: every regular file under each folder given, walked as
//! `ingest` walks folders (recursively, in file-name order, hidden entries skipped, links
//! followed), except html5lib tree-construction files, whose pages are inputs each.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sitrep_model::{Problem, ProblemKind};

use super::dat;

/// One input: a whole file, or one page of a tree-construction file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Its position in the evaluation.
    pub id: usize,
    /// The folder (of those given) it was found under.
    pub root: usize,
    pub path: PathBuf,
    /// How reports and problems name it: the path, or `PATH#data-N` for the N-th page of a
    /// tree-construction file.
    pub name: String,
    /// The page's bytes in the file; `None`: the whole file.
    pub range: Option<(u64, u64)>,
    /// Its size in bytes.
    pub size: u64,
    /// Under a folder named `wellformed` (feedparser's well-formed feeds).
    pub wellformed: bool,
}

/// The inputs found under the folders given.
#[derive(Debug, Default)]
pub struct Found {
    pub units: Vec<Unit>,
    /// Regular files per folder (a tree-construction file is one file, many units).
    pub files: Vec<usize>,
    /// Entries that could not be walked or read, with their folder.
    pub problems: Vec<(usize, Problem)>,
}

/// Walks every folder (a file is taken as itself). A folder that does not exist is an error:
/// an evaluation of nothing must not pass.
pub fn find_units(roots: &[PathBuf]) -> Result<Found, String> {
    let mut found = Found {
        files: vec![0; roots.len()],
        ..Found::default()
    };
    for (root, dir) in roots.iter().enumerate() {
        if let Err(err) = std::fs::metadata(dir) {
            return Err(format!("{}: cannot read: {err}", dir.display()));
        }
        let walk = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let source = err.path().unwrap_or(dir).display().to_string();
                    let problem =
                        Problem::new(source, ProblemKind::Io, format!("cannot read: {err}"));
                    found.problems.push((root, problem));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            found.files[root] += 1;
            if let Err(problem) = add_file(&mut found.units, root, entry.path()) {
                found.problems.push((root, problem));
            }
        }
    }
    Ok(found)
}

fn add_file(units: &mut Vec<Unit>, root: usize, path: &Path) -> Result<(), Problem> {
    let Some(name) = path.to_str() else {
        let reason = "the file name is not UTF-8 (units are passed to workers as UTF-8)";
        return Err(Problem::new(
            path.display().to_string(),
            ProblemKind::Io,
            reason,
        ));
    };
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let wellformed = path
        .parent()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "wellformed"));
    let mut unit = Unit {
        id: units.len(),
        root,
        path: path.to_path_buf(),
        name: name.to_string(),
        range: None,
        size,
        wellformed,
    };
    let is_dat = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("dat"));
    if is_dat {
        let bytes = std::fs::read(path)
            .map_err(|err| Problem::new(name, ProblemKind::Io, format!("cannot read: {err}")))?;
        if dat::is_tree_construction(&bytes) {
            for (n, page) in dat::pages(&bytes).into_iter().enumerate() {
                units.push(Unit {
                    id: units.len(),
                    name: format!("{name}#data-{}", n + 1),
                    range: Some((page.start as u64, page.end as u64)),
                    size: page.len() as u64,
                    ..unit.clone()
                });
            }
            return Ok(());
        }
    }
    unit.id = units.len();
    units.push(unit);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_hidden_entries_and_tree_construction_pages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("tests/wellformed/rss")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        std::fs::write(root.join(".hidden.txt"), "x").unwrap();
        std::fs::write(root.join("b.txt"), "bravo").unwrap();
        std::fs::write(root.join("tests/wellformed/rss/item.xml"), "<rss/>").unwrap();
        std::fs::write(
            root.join("a.dat"),
            "#data\n<p>x\n#errors\n\n#data\n<b>\n#errors\n",
        )
        .unwrap();
        std::fs::write(root.join("notes.dat"), "not a test file").unwrap();

        let found = find_units(&[root.to_path_buf()]).unwrap();
        assert_eq!(found.files, [4]);
        assert!(found.problems.is_empty());
        let names: Vec<String> = found
            .units
            .iter()
            .map(|u| {
                u.name
                    .strip_prefix(root.to_str().unwrap())
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "/a.dat#data-1",
                "/a.dat#data-2",
                "/b.txt",
                "/notes.dat",
                "/tests/wellformed/rss/item.xml"
            ]
        );
        let ids: Vec<usize> = found.units.iter().map(|u| u.id).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4]);
        assert_eq!(found.units[0].range, Some((6, 10)));
        assert_eq!(found.units[1].size, 3);
        assert_eq!(found.units[2].size, 5);
        let wellformed: Vec<bool> = found.units.iter().map(|u| u.wellformed).collect();
        assert_eq!(wellformed, [false, false, false, false, true]);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = find_units(&[dir.path().join("nowhere")]).unwrap_err();
        assert!(err.contains("nowhere: cannot read"), "{err}");
    }
}
