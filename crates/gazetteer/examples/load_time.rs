//! How long `Gazetteer::load` takes on a folder (default: the shipped `data/gazetteer`),
//! with or without an imported table: `cargo run --release -p sitrep-gazetteer --example
//! load_time -- [DIR] [RUNS]`.

use std::path::PathBuf;
use std::time::Instant;

use sitrep_gazetteer::Gazetteer;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .or_else(Gazetteer::default_dir)
        .expect("a gazetteer folder");
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut times = Vec::new();
    let mut places = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let g = Gazetteer::load(&dir).expect("the gazetteer loads");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        places = g.n_places();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}: {places} places, load {:.0} ms (median of {}; fastest {:.0} ms)",
        dir.display(),
        times[times.len() / 2],
        times.len(),
        times[0]
    );
}
