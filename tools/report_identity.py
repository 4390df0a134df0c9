#!/usr/bin/env python3
"""Shows that two meshsim builds give the same report for every shipped scenario.

    tools/report_identity.py OLD_MESHSIM NEW_MESHSIM [SCENARIO_DIR]

Runs each scenarios/**/*.json (the JSON Schema aside) with both binaries on the virtual clock,
seed 42, each on a fresh --state directory (static_plane.json twice on one, as its README says),
and compares the JSON reports with the wall-clock fields (wall_seconds, compute) removed. Prints
one line per run and exits 1 if any report differs, printing the first differing paths.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

WALL_CLOCK_FIELDS = ("wall_seconds", "compute")


def strip(report):
    for field in WALL_CLOCK_FIELDS:
        report.pop(field, None)
    return report


def differences(a, b, path=""):
    if type(a) is not type(b):
        return [path or "/"]
    if isinstance(a, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}/{key}")
            else:
                out.extend(differences(a[key], b[key], f"{path}/{key}"))
        if not out and list(a) != list(b):
            out.append(f"{path} (key order)")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path} (length {len(a)} vs {len(b)})"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out.extend(differences(x, y, f"{path}/{i}"))
        return out
    return [] if a == b else [path]


def run(binary, scenario, state, out):
    proc = subprocess.run([binary, "run", str(scenario), "--seed", "42", "--state", str(state),
                           "--report", str(out)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=600)
    if not out.exists():
        sys.exit(f"{binary} wrote no report for {scenario} (exit {proc.returncode}): "
                 f"{proc.stderr.strip()}")
    return strip(json.loads(out.read_text()))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    old, new = sys.argv[1], sys.argv[2]
    root = pathlib.Path(sys.argv[3] if len(sys.argv) == 4 else "scenarios")
    scenarios = sorted(p for p in root.rglob("*.json") if p.name != "schema.json")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for i, scenario in enumerate(scenarios):
            repeats = 2 if scenario.name == "static_plane.json" else 1
            for label, binary in (("old", old), ("new", new)):
                (tmp / f"{i}-{label}").mkdir()
            for r in range(repeats):
                reports = [run(b, scenario, tmp / f"{i}-{label}", tmp / f"{i}-{label}-{r}.json")
                           for label, b in (("old", old), ("new", new))]
                diff = differences(*reports)
                name = f"{scenario}" + (f" (run {r + 1} on one state)" if repeats > 1 else "")
                print(f"{'identical' if not diff else 'DIFFERENT'}  {name}")
                if diff:
                    failed += 1
                    for d in diff[:10]:
                        print(f"    {d}")
    print(f"{len(scenarios)} scenarios, {failed} report(s) differ")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
