#!/usr/bin/env python3
"""doc_excerpts.py DOC SOURCE FUNCTION... [--asm ASM_SOURCE]

docs/bare-metal-modes.md walks through sw/modes/modes_chain.c in excerpts. Checks
both ways that the walk-through can be followed literally: every code line of
the doc's ```c blocks is a line of SOURCE, and every CSR write and exit in the
named set-up FUNCTIONs of SOURCE is in the doc's blocks (a step the excerpts
leave out breaks a program written from them). With --asm, every line of the
doc's ```asm blocks is a line of ASM_SOURCE. Comments and spacing are ignored.
Prints PASS, or FAILURE: <line> for each mismatch."""
import re
import sys


def norm(line):
    line = re.sub(r"/\*.*?\*/", "", line)
    line = re.sub(r"//.*", "", line)
    return re.sub(r"\s+", "", line)


def doc_lines(path, lang="c"):
    lines, inside = [], False
    for raw in open(path, encoding="utf-8"):
        if raw.startswith("```"):
            inside = raw.strip() == "```" + lang
            continue
        if inside and norm(raw):
            lines.append(norm(raw))
    return lines


def function_lines(src, name):
    out, inside = [], False
    for raw in src:
        if not inside and re.match(r"^[\w ]*\b" + re.escape(name) + r"\(void\) \{", raw):
            inside = True
            continue
        if inside:
            if raw.startswith("}"):
                return out
            out.append(raw)
    sys.exit(f"FAILURE: no function {name} in the source")


def main():
    args = sys.argv[1:]
    asm = None
    if "--asm" in args:
        i = args.index("--asm")
        asm = args[i + 1]
        del args[i:i + 2]
    doc, source, functions = args[0], args[1], args[2:]
    src = open(source, encoding="utf-8").read().splitlines()
    src_norm = {norm(l) for l in src}
    excerpt = doc_lines(doc)
    bad = [f"FAILURE: {doc} shows a line {source} lacks: {l}" for l in excerpt if l not in src_norm]
    for f in functions:
        for l in function_lines(src, f):
            n = norm(l)
            if ("TM_CSR_WRITE" in n or "TM_EXIT" in n) and n not in excerpt:
                bad.append(f"FAILURE: {source} {f}() does a step {doc} leaves out: {l.strip()}")
    if asm:
        asm_norm = {norm(l) for l in open(asm, encoding="utf-8").read().splitlines()}
        shown = doc_lines(doc, "asm")
        if not shown:
            bad.append(f"FAILURE: {doc} has no ```asm block")
        bad += [f"FAILURE: {doc} shows a line {asm} lacks: {l}" for l in shown if l not in asm_norm]
    print("\n".join(bad) if bad else "PASS")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
