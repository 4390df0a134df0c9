#!/usr/bin/env python3
"""Shows that two meshsim builds give the same report for every shipped scenario.

    tools/report_identity.py OLD_MESHSIM NEW_MESHSIM [SCENARIO_DIR]

Runs each scenarios/**/*.json (the JSON Schema aside) with both binaries on the virtual clock,
seed 42, each on a fresh --state directory (static_plane.json twice on one, as its README says),
and compares what each run wrote, apart from what the wall clock measured:
- the JSON report, parsed, with the wall-clock fields (wall_seconds, compute) removed, and then
  as text, byte for byte, with those fields' values masked;
- the terminal summary (stdout), character for character, with the "in X s wall" figure and the
  figures of the compute table masked;
- the HTML page (--html), with its wall time and speed-up masked.
Prints one line per run and exits 1 if anything differs, printing the first differences.
"""
import difflib
import json
import pathlib
import re
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


def mask_report_text(text):
    """The report as written, with the values of its top-level wall-clock fields replaced."""
    decoder = json.JSONDecoder()
    for field in WALL_CLOCK_FIELDS:
        match = re.search(rf'^  "{field}": ', text, re.MULTILINE)
        if match:
            _, end = decoder.raw_decode(text, match.end())
            text = text[:match.end()] + "WALL" + text[end:]
    return text


def mask_summary(text, paths):
    """The terminal summary with the wall-clock figures and this run's own file names masked."""
    for path, name in paths:
        text = text.replace(str(path), name)
    text = re.sub(r" in [0-9.]+ s wall", " in WALL s wall", text)
    out, in_compute = [], False
    for line in text.split("\n"):
        if line.startswith("compute (us, wall"):
            in_compute = True
        elif not line:
            in_compute = False
        elif in_compute:
            line = re.sub(r" +[0-9][0-9.]*", " #", line)
        out.append(line)
    return "\n".join(out)


def mask_html(text):
    return re.sub(r"(<dt>(?:wall|speed-up)</dt><dd>)[^<]*", r"\1WALL", text)


def run(binary, scenario, state, out):
    """Runs one scenario; returns the report (parsed and as text), the summary and the HTML."""
    report, html = out.with_suffix(".json"), out.with_suffix(".html")
    proc = subprocess.run([binary, "run", str(scenario), "--seed", "42", "--state", str(state),
                           "--report", str(report), "--html", str(html)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    if not report.exists():
        sys.exit(f"{binary} wrote no report for {scenario} (exit {proc.returncode}): "
                 f"{proc.stderr.strip()}")
    text = report.read_text()
    return {
        "report": strip(json.loads(text)),
        "report text": mask_report_text(text),
        "summary": mask_summary(proc.stdout, ((report, "REPORT.json"), (html, "REPORT.html"))),
        "html": mask_html(html.read_text()) if html.exists() else "",
    }


def text_differences(a, b):
    if a == b:
        return []
    diff = difflib.unified_diff(a.split("\n"), b.split("\n"), "old", "new", n=0, lineterm="")
    return [line[:200] for line in list(diff)[2:]]


def compare(old, new):
    """The differences between two runs' outputs, each line prefixed with what it is about."""
    out = [f"report {d}" for d in differences(old["report"], new["report"])]
    for what in ("report text", "summary", "html"):
        out.extend(f"{what}: {d}" for d in text_differences(old[what], new[what]))
    return out


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
                outputs = [run(b, scenario, tmp / f"{i}-{label}", tmp / f"{i}-{label}-{r}")
                           for label, b in (("old", old), ("new", new))]
                diff = compare(*outputs)
                name = f"{scenario}" + (f" (run {r + 1} on one state)" if repeats > 1 else "")
                print(f"{'identical' if not diff else 'DIFFERENT'}  {name}")
                if diff:
                    failed += 1
                    for d in diff[:10]:
                        print(f"    {d}")
    print(f"{len(scenarios)} scenarios, {failed} report(s) differ "
          "(JSON, terminal summary and HTML compared)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
