//! Loads a folder (or `PETR_config.ini`) of PETRARCH2 dictionaries and prints what it holds
//! and how long loading took:
//!
//! ```text
//! cargo run --release -p sitrep-extract --example load_dictionaries -- DIR [--warnings]
//! ```

use std::time::Instant;

use sitrep_extract::events::dictionaries::Dictionaries;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: load_dictionaries DIR|CONFIG [--warnings]");
        std::process::exit(2);
    };
    let show_warnings = args.any(|a| a == "--warnings");
    let start = Instant::now();
    let d = match Dictionaries::load(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let elapsed = start.elapsed();
    let v = &d.verbs;
    println!(
        "verbs: {} blocks, {} verbs, {} patterns, {} synsets ({} members), {} transformations",
        v.blocks.len(),
        v.verbs.len(),
        v.patterns.len(),
        v.synsets.len(),
        v.synsets.values().map(|s| s.members.len()).sum::<usize>(),
        v.transformations.len()
    );
    println!(
        "actors: {} actors, {} phrases, {} codes ({} dated), from {} files",
        d.actors.len(),
        d.actors.phrase_count(),
        d.actors.code_count(),
        d.actors
            .actors
            .iter()
            .flat_map(|a| d.actors.codes(a))
            .filter(
                |c| c.restriction != sitrep_extract::events::dictionaries::DateRestriction::Default
            )
            .count(),
        d.actors.files.len()
    );
    println!(
        "agents: {} entries, {} substitution markers",
        d.agents.len(),
        d.agents.markers.len()
    );
    println!("discards: {}", d.discards.len());
    println!(
        "issues: {} lines in {} sections",
        d.issues.len(),
        d.issues.sections.len()
    );
    println!(
        "{} distinct words and codes, {} phrases; {} warnings",
        d.symbols.len(),
        d.phrases.len(),
        d.warnings.len()
    );
    if show_warnings {
        for w in &d.warnings {
            println!("warning: {w}");
        }
    }
    println!("loaded in {:.1} ms", elapsed.as_secs_f64() * 1000.0);
}
