#!/usr/bin/env python3
"""Copy a generated table into a hand-written page between markers.

usage: splice_doc.py PAGE TABLE NAME [--check]

PAGE holds "<!-- NAME:begin (generated ...) -->" and "<!-- NAME:end -->" lines;
what lies between them is replaced by TABLE's content (docs/software.md's
"Limits" holds docs/generated/limits.md this way). With --check nothing is
written: exit 1 with one line when PAGE is stale.
"""
import sys


def main(argv):
    if len(argv) not in (4, 5) or (len(argv) == 5 and argv[4] != "--check"):
        print(__doc__, file=sys.stderr)
        return 2
    page, table, name = argv[1], argv[2], argv[3]
    with open(page) as f:
        lines = f.read().split("\n")
    with open(table) as f:
        body = f.read().rstrip("\n").split("\n")
    begin = [i for i, l in enumerate(lines) if l.startswith(f"<!-- {name}:begin")]
    end = [i for i, l in enumerate(lines) if l.startswith(f"<!-- {name}:end")]
    if len(begin) != 1 or len(end) != 1 or end[0] < begin[0]:
        print(f"splice_doc.py: {page}: want one '<!-- {name}:begin' line before one '<!-- {name}:end' line",
              file=sys.stderr)
        return 1
    new = lines[:begin[0] + 1] + body + lines[end[0]:]
    if new == lines:
        return 0
    if len(argv) == 5:
        print(f"splice_doc.py: {page}: the {name} table is stale; run: cmake --build build --target update_docs",
              file=sys.stderr)
        return 1
    with open(page, "w") as f:
        f.write("\n".join(new))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
