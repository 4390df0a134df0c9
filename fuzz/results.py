#!/usr/bin/env python3
"""Writes fuzz/RESULTS.md from the logs of fuzz/run.sh: one row a target. Exits 1 on a crash."""
import datetime
import pathlib
import platform
import re
import subprocess
import sys

build = pathlib.Path(sys.argv[1])
targets = sys.argv[2:]
rows = []
failed = False
for t in targets:
    log = (build / "logs" / f"{t}.log").read_text(errors="replace")
    stat = dict(re.findall(r"stat::(\w+):\s+(\d+)", log))
    last = re.findall(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)", log)
    done = re.search(r"Done (\d+) runs in (\d+) second", log)
    status = re.search(rf"{t} exit (\d+)", log)
    # 72: stopped by SIGINT (libFuzzer's -interrupted_exitcode), not a finding.
    interrupted = status is not None and status.group(1) == "72"
    crashed = status is None or status.group(1) not in ("0", "72")
    failed |= crashed
    execs = int(stat.get("number_of_executed_units", done.group(1) if done else 0))
    spent = re.search(rf"{t} seconds (\d+)", log)
    if spent:
        seconds = int(spent.group(1))
    elif done:
        seconds = int(done.group(2))
    else:  # a run stopped by hand: the log's lifetime
        born, changed = subprocess.run(["stat", "-c", "%W %Y", str(build / "logs" / f"{t}.log")],
                                       capture_output=True, text=True).stdout.split()
        seconds = int(changed) - int(born)
    cov, ft, corp, size = (last[-1][1:] if last else ("?", "?", "?", "?"))
    rows.append(f"| {t} | {execs:,} | {seconds} | {int(stat.get('average_exec_per_sec', 0)):,} "
                f"| {cov} | {ft} | {corp} ({size}) | {stat.get('peak_rss_mb', '?')} "
                f"| {'**CRASH**: see build-fuzz/artifacts' if crashed else 'none'}"
                f"{' (stopped early)' if interrupted else ''} |")

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
           platform.processor())
clang = subprocess.run(["clang++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                        text=True).stdout.strip()
out = pathlib.Path("fuzz/RESULTS.md")
text = out.read_text() if out.exists() else "# Fuzzing results\n\nWritten by fuzz/run.sh; newest first.\n"
head, _, rest = text.partition("\n## ")
section = [
    f"## {datetime.date.today()} — {commit}, {cpu}, {clang}",
    "",
    "Each target two at a time (one a core), ASan + UBSan, libFuzzer's defaults but -timeout=10 "
    "and -rss_limit_mb=2048 -max_len=4096. cov: edges covered; ft: features; corpus: inputs kept (their size).",
    "",
    "| target | executions | seconds | exec/s | cov | ft | corpus | peak RSS MB | crashes |",
    "|---|---|---|---|---|---|---|---|---|",
    *rows,
    "",
]
out.write_text(head.rstrip("\n") + "\n\n" + "\n".join(section) + ("\n## " + rest if rest else ""))
print("\n".join(rows))
sys.exit(1 if failed else 0)
