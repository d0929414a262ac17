#!/usr/bin/env python3
"""Recall and precision probe of the meetings pass on a bulk corpus of real wire stories.

    python3 tools/probe_meetings.py [CORPUS.jsonl.gz] [--sample N] [--seed S] [--out DIR]

Runs `target/release/examples/parse_jsonl` (build it with
`cargo build --release --example parse_jsonl`) over the corpus and prints
(a) how many stories have at least one meeting (any status, and held),
(b) how many sentences hold an encounter word but lie in no extracted meeting, with a random
    sample of them to read and classify by hand,
(c) a random sample of extracted meetings (participants, status, rule, sentence) to read and
    count the wrong ones.
The samples are written to DIR (default /tmp/probe) as misses.txt and found.txt.
"""
import gzip
import json
import os
import random
import re
import subprocess
import sys

ENCOUNTER = re.compile(
    r"\b(met|meet|meets|meeting|meetings|talks|talked|summit|visit|visited|visiting|received|"
    r"hosted|welcomed|telephoned|phoned|phone|telephone|conferred|held talks|audience)\b",
    re.I,
)


def sentences(text):
    """(start, end) of rough sentences: split at . ! ? followed by space and a capital, and at blank lines."""
    out, start = [], 0
    for m in re.finditer(r"[.!?]\s+(?=[A-Z\"])|\n\s*\n", text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return out


def main():
    args = sys.argv[1:]
    corpus = "/work/shared/corpus/bulk/reuters21578.jsonl.gz"
    sample, seed, outdir = 50, 14, "/tmp/probe"
    i = 0
    while i < len(args):
        if args[i] == "--sample":
            sample = int(args[i + 1]); i += 2
        elif args[i] == "--seed":
            seed = int(args[i + 1]); i += 2
        elif args[i] == "--out":
            outdir = args[i + 1]; i += 2
        else:
            corpus = args[i]; i += 1
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    exe = os.path.join(root, "target/release/examples/parse_jsonl")
    with gzip.open(corpus, "rb") as f:
        data = f.read()
    res = subprocess.run([exe], input=data, capture_output=True, check=True)
    stories = any_m = held_m = 0
    misses, found = [], []
    n_enc = 0
    for line in res.stdout.decode().splitlines():
        rec = json.loads(line)
        p = rec["parsed"]
        stories += 1
        ms = p["meetings"]
        any_m += bool(ms)
        held_m += any(m["status"] == "held" for m in ms)
        text = p["article"]["text"]
        for m in ms:
            found.append((rec["id"], m, text[m["span"]["start"]:m["span"]["end"]]))
        for a, b in sentences(text):
            s = text[a:b]
            if not ENCOUNTER.search(s):
                continue
            n_enc += 1
            if any(m["span"]["start"] < b and a < m["span"]["end"] for m in ms):
                continue
            misses.append((rec["id"], " ".join(s.split())))
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "misses.txt"), "w") as f:
        for k, (i, s) in enumerate(rng.sample(misses, min(sample, len(misses)))):
            f.write(f"{k + 1}. [{i}] {s}\n")
    with open(os.path.join(outdir, "found.txt"), "w") as f:
        for k, (i, m, s) in enumerate(rng.sample(found, min(sample, len(found)))):
            f.write(f"{k + 1}. [{i}] {m['participants']} {m['status']} {m['mode']} "
                    f"place={m['place']} date={m['date']} rule={m.get('rule')}\n    {' '.join(s.split())}\n")
    print(f"stories: {stories}")
    print(f"stories with >=1 meeting: {any_m} (held: {held_m})")
    print(f"meetings extracted: {len(found)}")
    print(f"sentences with an encounter word: {n_enc}; in no extracted meeting: {len(misses)}")
    print(f"samples written to {outdir}/misses.txt and {outdir}/found.txt")


if __name__ == "__main__":
    main()
