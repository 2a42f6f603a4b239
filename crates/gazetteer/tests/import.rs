//! `import_geonames` on GeoNames lines written for these tests, into a small gazetteer
//! folder: villages found after load, malformed lines reported with file and line, shipped
//! places not repeated, a second import replacing the first.

use std::io::Cursor;
use std::path::Path;

use sitrep_gazetteer::Gazetteer;
use sitrep_gazetteer::import::{
    FeatureFilter, IMPORTED_PLACES, ImportOptions, ImportSummary, import_geonames,
};
use sitrep_model::{Problem, ProblemKind};

/// A gazetteer folder with one shipped town (Karsvik, geonameid 42), one region and the
/// country codes of Varnia (VA → VRN) and Ostland (OS → OST).
fn gazetteer_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("actors.tsv", "# name\tcode\tkind\nVARNIA\tVRN\tcountry\n");
    write(
        "countries.tsv",
        "# name\tcode\tkind\nVarnia\tVRN\tcountry\n",
    );
    write(
        "places.tsv",
        "# name\talternates\tcountry\tlat\tlon\tgeonameid\tpopulation\tkind\tadmin\n\
         Karsvik\tKarswick\tVRN\t10.5\t20.25\t42\t150000\tcity\t01\n\
         Nordmark\t\tVRN\t11.0\t21.0\t50\t900000\tadmin1\t01\n\
         Varnia\t\tVRN\t10.0\t20.0\t60\t5000000\tcountry\t\n",
    );
    write(
        "country_codes.tsv",
        "# iso2\tiso3\tname\nOS\tOST\tOstland\nVA\tVRN\tVarnia\n",
    );
    dir
}

/// One line of GeoNames' geoname table (19 columns).
#[allow(clippy::too_many_arguments)]
fn geoname(
    id: &str,
    name: &str,
    alternates: &str,
    lat: &str,
    lon: &str,
    class: &str,
    code: &str,
    country: &str,
    admin1: &str,
    population: &str,
) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() { c } else { 'e' })
        .collect();
    [
        id,
        name,
        &ascii,
        alternates,
        lat,
        lon,
        class,
        code,
        country,
        "",
        admin1,
        "",
        "",
        "",
        population,
        "",
        "120",
        "Europe/Varnia",
        "2024-01-01",
    ]
    .join("\t")
}

/// Villages of Varnia and Ostland, a shipped town again, a second-level region, a ruin.
fn villages() -> String {
    [
        geoname(
            "1001",
            "Ostrové",
            "Ostrove,Ostrowe,OST,ostrove-kod,Остров,Ostrove 2,Veľké Ostrové",
            "10.9",
            "20.7",
            "P",
            "PPL",
            "VA",
            "01",
            "312",
        ),
        geoname(
            "1002", "Lindby", "", "11.2", "21.4", "P", "PPL", "VA", "02", "0",
        ),
        geoname(
            "1003", "Karsvik", "", "10.5", "20.25", "P", "PPLX", "VA", "01", "0",
        ),
        geoname(
            "42", "Karsvik", "", "10.5", "20.25", "P", "PPLA", "VA", "01", "150000",
        ),
        geoname(
            "1004", "Hamra", "", "-12.1", "33.3", "P", "PPL", "OS", "03", "2200",
        ),
        geoname(
            "1005",
            "Lindby District",
            "",
            "11.2",
            "21.4",
            "A",
            "ADM2",
            "VA",
            "02",
            "9000",
        ),
        geoname(
            "1006",
            "Old Lindby",
            "",
            "11.2",
            "21.4",
            "P",
            "PPLQ",
            "VA",
            "02",
            "0",
        ),
        geoname(
            "1007", "Sudmark", "Sudmarch", "9.5", "19.5", "A", "ADM1", "VA", "02", "400000",
        ),
    ]
    .join("\n")
        + "\n"
}

fn run(
    dump: &str,
    dir: &Path,
    options: &ImportOptions,
) -> (Result<ImportSummary, Problem>, Vec<Problem>) {
    let mut problems = Vec::new();
    let result = import_geonames(
        &mut Cursor::new(dump.as_bytes().to_vec()),
        "ML.txt",
        dir,
        options,
        &mut |p| problems.push(p.clone()),
    );
    (result, problems)
}

#[test]
fn imported_villages_are_found_after_load_and_shipped_places_are_not_repeated() {
    let dir = gazetteer_dir();
    let (summary, problems) = run(&villages(), dir.path(), &ImportOptions::default());
    let summary = summary.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(summary.read, 8);
    // Ostrové, Lindby, Karsvik (a quarter: another geonameid), Hamra, Sudmark.
    assert_eq!(summary.imported, 5);
    assert_eq!(summary.shipped, 1);
    // The second-level region and the abandoned village.
    assert_eq!(summary.left_out, 2);
    assert_eq!(summary.malformed, 0);

    let g = Gazetteer::load(dir.path()).unwrap();
    assert_eq!(g.n_places(), 3 + 5);
    let village = g.places("Ostrové");
    assert_eq!(village.len(), 1);
    let village = village[0];
    assert_eq!(village.country, "VRN");
    assert_eq!(village.kind, "city");
    assert_eq!(village.population, 312);
    assert_eq!(village.admin, "01");
    assert_eq!(village.lat, Some(10.9));
    assert_eq!(g.region_of(village).unwrap().name, "Nordmark");
    // The ASCII name and Latin-script alternates find it; codes, Cyrillic and names with
    // digits are not kept.
    assert_eq!(g.places("ostrove")[0].geonameid, 1001);
    assert_eq!(g.places("Ostrowe")[0].geonameid, 1001);
    assert_eq!(g.places("Veľké Ostrové")[0].geonameid, 1001);
    assert!(g.places("OST").is_empty());
    assert!(g.places("Остров").is_empty());
    assert!(g.places("Ostrove 2").is_empty());
    assert_eq!(g.places("Hamra")[0].country, "OST");
    // The shipped town first (most populous), then the imported quarter of its name.
    let karsvik = g.places("Karsvik");
    assert_eq!(
        karsvik.iter().map(|p| p.geonameid).collect::<Vec<_>>(),
        [42, 1003]
    );
    // An imported first-level region is a region.
    let sudmark = g.places("Sudmarch")[0];
    assert_eq!(sudmark.kind, "admin1");
    assert_eq!(g.region("VRN", "02").unwrap().geonameid, 1007);
    assert!(g.places("Old Lindby").is_empty());
}

#[test]
fn malformed_lines_are_reported_with_file_and_line_and_the_rest_imported() {
    let dir = gazetteer_dir();
    let mut dump = villages();
    dump.push_str("1010\tShort line\n");
    dump.push_str(&geoname(
        "1011", "Nowhere", "", "north", "21.0", "P", "PPL", "VA", "01", "5",
    ));
    dump.push('\n');
    dump.push_str(&geoname(
        "x12", "Noid", "", "1", "2", "P", "PPL", "VA", "01", "5",
    ));
    dump.push('\n');
    dump.push_str(&geoname(
        "1013", "Toomany", "", "1", "2", "P", "PPL", "VA", "01", "lots",
    ));
    dump.push('\n');
    let mut bytes = dump.into_bytes();
    bytes.extend_from_slice(b"1014\tBad\xff byte\n");
    bytes.extend_from_slice(
        geoname(
            "1015", "Tailby", "", "12.0", "22.0", "P", "PPL", "VA", "01", "77",
        )
        .as_bytes(),
    );
    let mut problems = Vec::new();
    let summary = import_geonames(
        &mut Cursor::new(bytes),
        "data/ML.txt",
        dir.path(),
        &ImportOptions::default(),
        &mut |p| problems.push(p.clone()),
    )
    .unwrap();
    let printed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        printed,
        [
            "data/ML.txt:9: expected 19 tab-separated columns (GeoNames' geoname table), found 2",
            "data/ML.txt:10: latitude `north` is not a number between -90 and 90",
            "data/ML.txt:11: geonameid `x12` is not a positive whole number",
            "data/ML.txt:12: population `lots` is not a whole number",
            "data/ML.txt:13: not UTF-8 text (byte 9)",
        ]
    );
    assert_eq!(problems[0].kind, ProblemKind::MalformedTable);
    assert_eq!(problems[4].kind, ProblemKind::Decode);
    assert_eq!(summary.malformed, 5);
    assert_eq!(summary.read, 14);
    assert_eq!(summary.imported, 6);
    let g = Gazetteer::load(dir.path()).unwrap();
    assert_eq!(g.places("Tailby")[0].population, 77);
}

#[test]
fn a_file_that_is_not_a_geonames_dump_is_refused_and_nothing_written() {
    let dir = gazetteer_dir();
    let csv = "name,lat,lon\nA,1,2\nB,3,4\nC,5,6\nD,7,8\nE,9,10\n";
    let (result, problems) = run(csv, dir.path(), &ImportOptions::default());
    let err = result.unwrap_err().to_string();
    assert!(
        err.starts_with("ML.txt: not a GeoNames dump: none of its first 5 lines"),
        "{err}"
    );
    assert!(problems.is_empty());
    assert!(!dir.path().join(IMPORTED_PLACES).exists());
    let (result, _) = run("\n\n", dir.path(), &ImportOptions::default());
    assert_eq!(result.unwrap_err().kind, ProblemKind::Empty);
    let (result, _) = run("just one line\n", dir.path(), &ImportOptions::default());
    assert_eq!(result.unwrap_err().kind, ProblemKind::MalformedTable);
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("imported"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_malformed_first_line_is_reported_once_the_dump_proves_good() {
    let dir = gazetteer_dir();
    let dump = format!("oops\n{}", villages());
    let (summary, problems) = run(&dump, dir.path(), &ImportOptions::default());
    assert_eq!(summary.unwrap().imported, 5);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(1));
}

#[test]
fn a_second_import_replaces_the_first_unless_added() {
    let dir = gazetteer_dir();
    run(&villages(), dir.path(), &ImportOptions::default())
        .0
        .unwrap();
    let again = run(&villages(), dir.path(), &ImportOptions::default())
        .0
        .unwrap();
    assert_eq!(again.imported, 5);
    let g = Gazetteer::load(dir.path()).unwrap();
    assert_eq!(g.n_places(), 3 + 5);
    assert_eq!(g.places("Lindby").len(), 1);

    // Another dump replaces: the villages of the first are gone.
    let other = geoname(
        "2001", "Hamra", "", "-12.0", "33.0", "P", "PPL", "OS", "03", "100",
    ) + "\n";
    run(&other, dir.path(), &ImportOptions::default())
        .0
        .unwrap();
    let g = Gazetteer::load(dir.path()).unwrap();
    assert_eq!(g.n_places(), 3 + 1);
    assert!(g.places("Lindby").is_empty());

    // With `add`, the earlier import's other places stay; a place in both is written once.
    let add = ImportOptions {
        add: true,
        ..ImportOptions::default()
    };
    let summary = run(&villages(), dir.path(), &add).0.unwrap();
    assert_eq!((summary.imported, summary.kept), (5, 1));
    let again = run(&villages(), dir.path(), &add).0.unwrap();
    assert_eq!((again.imported, again.kept), (5, 1));
    let g = Gazetteer::load(dir.path()).unwrap();
    assert_eq!(g.n_places(), 3 + 6);
    assert_eq!(g.places("Hamra").len(), 2);
}

#[test]
fn options_choose_features_and_population() {
    let dir = gazetteer_dir();
    let options = ImportOptions {
        features: FeatureFilter::parse("P,PPLQ").unwrap(),
        min_population: 300,
        ..ImportOptions::default()
    };
    let summary = run(&villages(), dir.path(), &options).0.unwrap();
    // Ostrové (312) and Hamra (2,200); not Sudmark (ADM1 not asked), nor the ruin (0 people).
    assert_eq!(summary.imported, 2);
    assert!(FeatureFilter::parse("P,ADM2").is_err());
    assert!(FeatureFilter::parse("").is_err());
    assert_eq!(FeatureFilter::parse("adm1").unwrap().kind("P", "PPL"), None);
    assert_eq!(FeatureFilter::default().kind("P", "PPLC"), Some("city"));
}

#[test]
fn a_stale_import_does_not_repeat_a_shipped_place() {
    let dir = gazetteer_dir();
    // An import written by hand (or before places.tsv gained the town): same geonameid.
    std::fs::write(
        dir.path().join(IMPORTED_PLACES),
        "# imported\nKarsvik\t\tVRN\t10.5\t20.25\t42\t150000\tcity\t01\n\
         Lindby\t\tVRN\t11.2\t21.4\t1002\t0\tcity\t02\n\
         Lindby\t\tVRN\t11.2\t21.4\t1002\t0\tcity\t02\n",
    )
    .unwrap();
    let g = Gazetteer::load(dir.path()).unwrap();
    assert_eq!(g.places("Karsvik").len(), 1);
    assert_eq!(g.places("Karswick").len(), 1);
    assert_eq!(g.places("Lindby").len(), 1);
    assert_eq!(g.n_places(), 4);
}
