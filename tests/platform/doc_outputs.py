#!/usr/bin/env python3
"""doc_outputs.py DOC SOURCE_DIR BUILD_DIR: the command blocks of DOC that show
a `build/trimode run ... --stats --timing-report` run ("$ COMMAND", then the
output, "..." where lines are left out) still print what the doc shows: every
shown line that starts with `cycles` or names an event class of the timing
report, and the report's total, must be in today's output, in order.

Such figures move whenever the guest software changes (docs/rtl.md's tables
were a month behind the hypervisor); this test makes the change visible, and
the fix is to paste the new output (the failure prints it).
"""
import re
import shlex
import subprocess
import sys

KEPT = re.compile(r"^(cycles|trap_g|trap_v|interrupt|exit|csr_write|fault|total difference)\b")


def blocks(text):
    """(command, shown lines) of each fenced block whose first line is a trimode --timing-report command."""
    for body in re.findall(r"```\n(.*?)```", text, re.S):
        lines = body.splitlines()
        if not lines or not lines[0].startswith("$ build/trimode run ") or "--timing-report" not in lines[0]:
            continue
        yield lines[0][2:], [l for l in lines[1:] if KEPT.match(l)]


def run(command, source_dir, build_dir):
    args = shlex.split(command)
    args[0] = build_dir + "/trimode"
    args = [build_dir + a[len("build"):] if a.startswith("build/") else
            (source_dir + "/" + a if a.startswith(("scenarios/", "tests/")) else a) for a in args]
    p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600)
    return [l for l in p.stderr.splitlines() if KEPT.match(l)]


def main():
    doc, source_dir, build_dir = sys.argv[1:4]
    found = failures = 0
    for command, shown in blocks(open(doc).read()):
        found += 1
        got = run(command, source_dir, build_dir)
        if got != shown:
            failures += 1
            print(f"FAILURE: {doc}: `{command}` now prints:")
            print("\n".join("    " + l for l in got))
            print("  where the doc shows:")
            print("\n".join("    " + l for l in shown))
        else:
            print(f"ok: `{command}`: {len(shown)} lines as shown")
    if found == 0:
        print(f"FAILURE: {doc} shows no --timing-report command (the test checks nothing)")
        failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
