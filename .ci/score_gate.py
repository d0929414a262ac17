#!/usr/bin/env python3
"""Gate CI on the parser's score: runs ../shared/tools/score.py on the annotated dev corpus and fails
when any F1 falls more than TOLERANCE below .ci/score-baseline.json.

The corpus is not part of the repository (its articles belong to their publishers), so on a machine
without ../shared the gate says so and passes. Raise the baseline as the score rises:
`python3 .ci/score_gate.py --update` rewrites it from the current score."""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCORER = os.path.join(ROOT, "..", "shared", "tools", "score.py")
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "dev")
BASELINE = os.path.join(HERE, "score-baseline.json")
TOLERANCE = 0.01

F1_ROW = re.compile(r"^(participants|meetings|quotes with speaker|quotes)\s+[\d.]+\s+[\d.]+\s+([\d.]+)")


def parley_binary():
    """The release binary `cargo build --release` just made, wherever CARGO_TARGET_DIR puts it."""
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    return os.path.join(os.path.abspath(target), "release", "parley")


def measure():
    command = f"{parley_binary()} parse --format json --published={{published}} {{}}"
    run = subprocess.run(
        [sys.executable, SCORER, CORPUS, "--cmd", command],
        cwd=ROOT, capture_output=True, text=True,
    )
    if run.returncode != 0:
        sys.exit(f"score gate: the scorer failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    out = run.stdout
    score = {}
    for line in out.splitlines():
        row = F1_ROW.match(line)
        if row:
            score[f"f1 {row.group(1)}"] = float(row.group(2))
    if not score:
        sys.exit(f"score gate: could not read the scorer's output:\n{out}")
    return out, score


def main():
    if not (os.path.isfile(SCORER) and os.path.isdir(CORPUS)):
        print("score gate: ../shared/corpus/dev not here; skipped")
        return 0
    out, score = measure()
    print("\n".join(out.splitlines()[-8:]))
    if "--update" in sys.argv:
        with open(BASELINE, "w") as f:
            json.dump(score, f, indent=2, sort_keys=True)
            f.write("\n")
        print(f"score gate: baseline written to {BASELINE}")
        return 0
    baseline = json.load(open(BASELINE))
    fallen = [
        f"{name} {score.get(name, 0.0):.2f} < baseline {value:.2f}"
        for name, value in sorted(baseline.items())
        if score.get(name, 0.0) < value - TOLERANCE
    ]
    if fallen:
        print("score gate: the parser's score fell more than 0.01 below .ci/score-baseline.json:")
        for line in fallen:
            print(f"  {line}")
        return 1
    print("score gate: no F1 more than 0.01 below the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
