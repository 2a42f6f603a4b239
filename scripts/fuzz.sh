#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader of outside input (fuzz/, cargo-fuzz and libFuzzer on
# the stable toolchain). Builds every target once, then runs each in turn for SECONDS, one at
# a time, from its seeds (fuzz/seeds/TARGET and the team's fixtures) plus whatever corpus
# earlier runs left in fuzz/corpus/TARGET. Exits non-zero if any target crashed, hung, ran out
# of memory or failed an invariant; the input is then in fuzz/artifacts/TARGET/.
#
#   scripts/fuzz.sh                    every target, 60 s each
#   scripts/fuzz.sh -t 600 warc feed   those two, 10 minutes each
#   scripts/fuzz.sh --list             the targets
#
# fuzz/README.md says how to reproduce and minimise a crash and turn it into a test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    -t | --time) seconds=$2; shift 2 ;;
    --list) grep -A1 '^\[\[bin\]\]' fuzz/Cargo.toml | sed -n 's/^name = "\(.*\)"$/\1/p'; exit 0 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <("$0" --list)
fi

# Largest input per target, in bytes: readers of files and archives get tens of KB; the text
# stages work on a cleaned body, and the whole pipeline (with the parser) is slower per byte.
max_len() {
  case "$1" in
    inputs | warc | feed | html | decode) echo 65536 ;;
    pipeline) echo 16384 ;;
    *) echo 32768 ;;
  esac
}

# cargo-fuzz in the repository's own (git-ignored) tools folder, installed once.
tools="$root/target/tools"
cargo_fuzz_version=0.13.2
if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -q "$cargo_fuzz_version"; then
  echo "installing cargo-fuzz $cargo_fuzz_version into $tools"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked --root "$tools" --quiet
fi
export PATH="$tools/bin:$PATH"
# libFuzzer's instrumentation flags are unstable options; this lets the stable compiler take them.
export RUSTC_BOOTSTRAP=1
flags=(-O -a --sanitizer none)

# fuzz/Cargo.lock must be up to date, as --locked checks it for the main workspace. A new
# dependency of a crate the targets use needs it updated (and committed).
if ! cargo metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null; then
  echo "fuzz/Cargo.lock is out of date: run 'cargo metadata --format-version 1" \
    "--manifest-path fuzz/Cargo.toml >/dev/null' and commit fuzz/Cargo.lock" >&2
  exit 1
fi
cargo fuzz build "${flags[@]}"

# The team's fixtures as seeds: each file with the option byte its target reads first.
seed_fixtures() {
  local target=$1 dir=$2 option name f
  local texts=(crates/read/tests/fixtures/*.txt crates/cli/tests/fixtures/*.txt
    crates/link/tests/fixtures/syndication/*.txt)
  add() { # FILE OPTION
    name=$(basename "$1")
    { printf "\\x$(printf %02x "$2")"; cat "$1"; } >"$dir/fixture-$2-$name"
  }
  case "$target" in
    clean | sentences) for f in "${texts[@]}"; do add "$f" 0; done ;;
    annotate) for f in "${texts[@]}"; do add "$f" 3; done ;;
    pipeline) for f in "${texts[@]}"; do add "$f" 12; done
      add crates/read/tests/fixtures/news-page.html 13 ;;
    html) add crates/read/tests/fixtures/news-page.html 1 ;;
    decode) for f in "${texts[@]}" crates/read/tests/fixtures/news-page.html; do add "$f" 0; done ;;
    inputs) for f in "${texts[@]}"; do add "$f" 0; done
      add crates/read/tests/fixtures/news-page.html 4
      for f in examples/corpus/*.jsonl; do add "$f" 1; done ;;
  esac
}

# A libFuzzer dictionary of the format's tokens (fuzz/dicts/), where one helps.
dict_for() {
  case "$1" in
    warc | feed | html) echo "fuzz/dicts/$1.dict" ;;
    pipeline) echo fuzz/dicts/html.dict ;;
    inputs) cat fuzz/dicts/*.dict >fuzz/logs/inputs.dict; echo fuzz/logs/inputs.dict ;;
  esac
}

summary=()
failed=0
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus" "fuzz/artifacts/$target" fuzz/logs
  seed_fixtures "$target" "$corpus"
  log="fuzz/logs/$target.log"
  echo "== fuzz $target for ${seconds}s (log: $log)"
  dict=$(dict_for "$target")
  status=0
  cargo fuzz run "${flags[@]}" "$target" "$corpus" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=1 ${dict:+-dict="$dict"} \
    >"$log" 2>&1 || status=$?
  # The last status line libFuzzer printed: "#N  DONE  cov: C ft: F corp: K/S ...".
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $status)"
    failed=1
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written to' "$log" | head -n 8 || true
  fi
  line=$(printf '%-10s execs %-9s cov %-6s ft %-7s corpus %-12s peak %s MB  %s' \
    "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$result")
  echo "$line"
  summary+=("$line")
done

echo
echo "== fuzzing summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "a fuzz target failed: the inputs are in fuzz/artifacts/; see fuzz/README.md"
  exit 1
fi
