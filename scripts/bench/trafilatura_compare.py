#!/usr/bin/env python3
"""Compare sitrep's HTML main-text extraction with trafilatura on the same pages, in one run.

Not part of CI: it installs trafilatura from PyPI into a private virtual environment (on the
first run) and needs the pages of a ScrapingHub-style set (ID.html.gz or ID.html, and a
ground-truth JSON file mapping each ID to {"articleBody": ..., "url": ...}).

    python3 scripts/bench/trafilatura_compare.py \
        --pages ../shared/data/scrapinghub/html \
        --truth ../shared/data/scrapinghub/ground-truth.json \
        --sitrep target/release/sitrep

sitrep's numbers come from `sitrep eval html` (the cleaned document body, one thread);
trafilatura's from `trafilatura.extract` with comments excluded, also one thread. Both are
scored with the ScrapingHub metric as described in shared/data/README.md: \\w+ tokens (case
kept), multisets of 4-token shingles, per-page precision and recall (a page with an empty
prediction left out of precision), averaged over pages, F1 from the averages.
"""

import argparse
import collections
import gzip
import json
import os
import re
import subprocess
import sys
import time
import venv

# lxml moved its HTML cleaner to a separate package, which trafilatura's dependencies import.
PACKAGES = ["trafilatura==2.3.1", "lxml_html_clean"]
DEFAULT_VENV = os.path.join(
    os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "sitrep", "trafilatura-venv"
)
TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text, n=4):
    tokens = TOKEN.findall(text or "")
    out = collections.Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def score(pairs):
    """Mean precision, mean recall and F1 over (gold, predicted) pairs."""
    precisions, recalls = [], []
    for gold, predicted in pairs:
        g, p = shingles(gold), shingles(predicted)
        tp = sum(min(c, p[s]) for s, c in g.items())
        fp = sum(max(0, c - g[s]) for s, c in p.items())
        fn = sum(max(0, c - p[s]) for s, c in g.items())
        perfect = fp == 0 and fn == 0
        if tp + fp > 0:
            precisions.append(1.0 if perfect else tp / (tp + fp))
        recalls.append(1.0 if perfect else (tp / (tp + fn) if tp + fn else 0.0))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_pages(pages_dir, truth_path):
    with open(truth_path, encoding="utf-8") as f:
        truth = json.load(f)
    pages = []
    for page_id, entry in truth.items():
        gz = os.path.join(pages_dir, page_id + ".html.gz")
        plain = os.path.join(pages_dir, page_id + ".html")
        if os.path.exists(gz):
            with gzip.open(gz, "rb") as f:
                raw = f.read()
        else:
            with open(plain, "rb") as f:
                raw = f.read()
        pages.append((page_id, raw, entry.get("articleBody", ""), entry.get("url")))
    return pages


def worker(args):
    """Runs inside the virtual environment: trafilatura on every page, timed."""
    import trafilatura

    pages = load_pages(args.pages, args.truth)
    best = None
    predictions = []
    for run in range(args.runs):
        start = time.perf_counter()
        texts = [
            trafilatura.extract(raw, url=url, include_comments=False) or ""
            for _, raw, _, url in pages
        ]
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        if run == 0:
            predictions = texts
    precision, recall, f1 = score((gold, pred) for (_, _, gold, _), pred in zip(pages, predictions))
    print(
        json.dumps(
            {
                "version": trafilatura.__version__,
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "pages_per_s": len(pages) / best,
                "pages": len(pages),
            }
        )
    )


def ensure_venv(path):
    python = os.path.join(path, "bin", "python")
    if not os.path.exists(python):
        print(f"creating {path} ...", file=sys.stderr)
        venv.create(path, with_pip=True)
    ready = subprocess.run([python, "-c", "import trafilatura"], capture_output=True)
    if ready.returncode != 0:
        print(f"installing {' '.join(PACKAGES)} from PyPI ...", file=sys.stderr)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
    return python


def run_sitrep(args):
    out = subprocess.run(
        [args.sitrep, "eval", "html", "--pages", args.pages, "--truth", args.truth, "--floor", "0"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    numbers = re.search(r"precision ([\d.]+)\s+recall ([\d.]+)\s+F1 ([\d.]+)", out)
    speed = re.search(r"speed: (\d+) pages/s", out)
    if not numbers or not speed:
        sys.exit(f"could not read `sitrep eval html` output:\n{out}")
    precision, recall, f1 = map(float, numbers.groups())
    return {"precision": precision, "recall": recall, "f1": f1, "pages_per_s": float(speed.group(1))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--sitrep", default="target/release/sitrep")
    parser.add_argument("--venv", default=DEFAULT_VENV)
    parser.add_argument("--runs", type=int, default=1, help="trafilatura passes (best is kept)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    python = ensure_venv(args.venv)
    trafilatura_out = subprocess.run(
        [python, os.path.abspath(__file__), "--worker", "--pages", args.pages,
         "--truth", args.truth, "--runs", str(args.runs)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    theirs = json.loads(trafilatura_out.strip().splitlines()[-1])
    ours = run_sitrep(args)
    print(f"{theirs['pages']} pages: {args.pages}")
    print(f"{'extractor':<22} {'precision':>9} {'recall':>7} {'F1':>7} {'pages/s':>9}")
    for name, r in [("sitrep", ours), (f"trafilatura {theirs['version']}", theirs)]:
        print(
            f"{name:<22} {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} {r['pages_per_s']:9.1f}"
        )
    print(f"speed ratio: sitrep is {ours['pages_per_s'] / theirs['pages_per_s']:.1f}x trafilatura")


if __name__ == "__main__":
    main()
