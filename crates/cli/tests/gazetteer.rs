//! `sitrep gazetteer import` end to end on GeoNames lines written for the test, into a small
//! gazetteer folder: what is printed, the exit status, the table written.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

fn sitrep(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SITREP_GAZETTEER")
        .output()
        .unwrap()
}

fn gazetteer_dir(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("actors.tsv", "# name\tcode\tkind\nVARNIA\tVRN\tcountry\n");
    write(
        "countries.tsv",
        "# name\tcode\tkind\nVarnia\tVRN\tcountry\n",
    );
    write(
        "places.tsv",
        "# name\talternates\tcountry\tlat\tlon\tgeonameid\tpopulation\tkind\tadmin\n\
         Karsvik\t\tVRN\t10.5\t20.25\t42\t150000\tcity\t01\n",
    );
    write("country_codes.tsv", "# iso2\tiso3\tname\nVA\tVRN\tVarnia\n");
}

fn line(id: &str, name: &str, lat: &str, population: &str) -> String {
    format!(
        "{id}\t{name}\t{name}\t\t{lat}\t20.5\tP\tPPL\tVA\t\t01\t\t\t\t{population}\t\t100\t\
         Europe/Varnia\t2024-01-01\n"
    )
}

#[test]
fn import_reports_malformed_lines_writes_the_rest_and_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let gaz = tmp.path().join("gaz");
    gazetteer_dir(&gaz);
    let dump = [
        line("1001", "Ostby", "10.1", "320"),
        "1002\tcut short\n".to_string(),
        line("42", "Karsvik", "10.5", "150000"),
        line("1003", "Vesterby", "ten", "50"),
        line("1004", "Norrby", "10.4", "75"),
    ]
    .concat();
    std::fs::write(tmp.path().join("VA.txt"), &dump).unwrap();
    let out = sitrep(
        &["gazetteer", "import", "VA.txt", "--into", "gaz"],
        tmp.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(
            "sitrep: skipped VA.txt:2: expected 19 tab-separated columns (GeoNames' geoname \
             table), found 2"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("sitrep: skipped VA.txt:4: latitude `ten` is not a number"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "VA.txt: 5 lines read, 2 places imported into gaz/places.imported.tsv, 1 already \
             shipped, 0 left out by feature or population, 2 malformed"
        ),
        "{stderr}"
    );
    let table = std::fs::read_to_string(gaz.join("places.imported.tsv")).unwrap();
    assert!(table.contains("Ostby\t\tVRN\t10.1000\t20.5000\t1001\t320\tcity\t01\n"));
    assert!(table.contains("\t1004\t"));
    assert!(!table.contains("Karsvik"));

    // Gzip-compressed, from standard input, with a population floor: replaces the table.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(line("1005", "Sunby", "10.2", "2000").as_bytes())
        .unwrap();
    gz.write_all(line("1006", "Litenby", "10.3", "20").as_bytes())
        .unwrap();
    std::fs::write(tmp.path().join("more.txt.gz"), gz.finish().unwrap()).unwrap();
    let out = sitrep(
        &[
            "gazetteer",
            "import",
            "more.txt.gz",
            "--into",
            "gaz",
            "--min-population",
            "1000",
        ],
        tmp.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 places imported"), "{stderr}");
    let table = std::fs::read_to_string(gaz.join("places.imported.tsv")).unwrap();
    assert!(table.contains("Sunby") && !table.contains("Litenby") && !table.contains("Ostby"));
}

#[test]
fn import_refuses_what_is_not_a_geonames_dump() {
    let tmp = tempfile::tempdir().unwrap();
    let gaz = tmp.path().join("gaz");
    gazetteer_dir(&gaz);
    std::fs::write(
        tmp.path().join("notes.txt"),
        "one\ntwo\nthree\nfour\nfive\nsix\n",
    )
    .unwrap();
    let out = sitrep(
        &["gazetteer", "import", "notes.txt", "--into", "gaz"],
        tmp.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("sitrep: error: notes.txt: not a GeoNames dump"),
        "{stderr}"
    );
    assert!(!gaz.join("places.imported.tsv").exists());

    std::fs::write(tmp.path().join("cities500.zip"), b"PK\x03\x04rest").unwrap();
    let out = sitrep(
        &["gazetteer", "import", "cities500.zip", "--into", "gaz"],
        tmp.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unzip it first"), "{stderr}");

    let out = sitrep(
        &["gazetteer", "import", "notes.txt", "--features", "P,ADM2"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
}
