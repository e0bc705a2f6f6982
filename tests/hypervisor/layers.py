#!/usr/bin/env python3
"""The hypervisor's layers (docs/software.md, "The hypervisor's layers"):
every file of sw/hypervisor belongs to one module, modules are ordered, and a
file may include (#include "...") or declare extern only what belongs to its
own module or one below it -- so there is no cycle between files.

usage: layers.py SW_HYPERVISOR_DIR      (exit 1 with one line per violation)
"""
import os
import re
import sys

# Lowest first. A module may use the modules before it, never after it.
ORDER = [
    ("library", ["lib/*", "memq/*", "emulate.h"]),
    ("vm", ["vm.h", "vm.c"]),
    ("ns", ["ns.h", "ns.c"]),
    ("keys", ["keys.h", "keys.c"]),
    ("io", ["io.h", "io.c"]),
    ("ckpt", ["ckpt.h", "ckpt.c"]),
    ("sched", ["scheduler.h", "scheduler.c"]),
    ("trap", ["main.c", "trap.S"]),
]
# Symbols a C file may declare extern: the linker's and trap.S's entry glue.
EXTERN_OK = {"__image_end", "hv_vector", "hv_enter"}
SOURCE = re.compile(r"\.(c|h|S)$")


def module_of(rel):
    for rank, (name, patterns) in enumerate(ORDER):
        for p in patterns:
            if p.endswith("/*") and rel.startswith(p[:-1]) or rel == p:
                return rank, name
    return None


def check(root):
    errors = []
    files = {}
    for d, _, names in os.walk(root):
        for n in names:
            if SOURCE.search(n):
                rel = os.path.relpath(os.path.join(d, n), root)
                files[rel] = module_of(rel)
                if files[rel] is None:
                    errors.append(f"{rel}: in no layer (add it to ORDER in {sys.argv[0]})")
    headers = {os.path.basename(r): r for r in files}
    for rel, mod in sorted(files.items()):
        if mod is None:
            continue
        text = open(os.path.join(root, rel), encoding="utf-8").read()
        for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            inc = os.path.basename(m.group(1))
            if inc not in headers or files[headers[inc]] is None:
                continue  # not the hypervisor's (trimode/..., another folder)
            rank, name = files[headers[inc]]
            if rank > mod[0]:
                errors.append(f"{rel} ({mod[1]}) includes {m.group(1)} of the higher layer {name}")
        if rel.endswith(".c"):
            for m in re.finditer(r"^\s*extern\b[^;(]*?(\w+)\s*(\[|\(|;)", text, re.M):
                if m.group(1) not in EXTERN_OK:
                    errors.append(f"{rel}: declares extern {m.group(1)} (use the owning layer's header)")
    return errors


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: layers.py SW_HYPERVISOR_DIR", file=sys.stderr)
        return 2
    errors = check(sys.argv[1])
    for e in errors:
        print(f"layers: {e}", file=sys.stderr)
    if not errors:
        print("layers: " + " <- ".join(name for name, _ in ORDER) + ": no upward include")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
