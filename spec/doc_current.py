#!/usr/bin/env python3
"""doc_current.py GENERATED CHECKED_IN: the checked-in copy of a generated doc
(docs/generated/) equals what spec/ generates now. Prints PASS, or FAILURE
with the lines that differ and the command that refreshes the copy."""
import difflib
import sys


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\r\n") for l in f]


def main():
    generated, checked_in = sys.argv[1], sys.argv[2]
    try:
        want, have = lines(generated), lines(checked_in)
    except OSError as e:
        print(f"FAILURE: {e}")
        return 1
    if want == have:
        print("PASS")
        return 0
    diff = list(difflib.unified_diff(have, want, checked_in, generated + " (from spec/)", lineterm="", n=1))
    print(f"FAILURE: {checked_in} is not what spec/ generates now; refresh it with "
          f"`cmake --build build --target update_docs` and commit it")
    print("\n".join(diff[:40]) + ("\n..." if len(diff) > 40 else ""))
    return 1


if __name__ == "__main__":
    sys.exit(main())
