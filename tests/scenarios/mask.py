#!/usr/bin/env python3
"""mask.py: a scenario log as its golden holds it, without timing.

    mask.py LOG            the masked log on stdout
    mask.py --check LOG    exit 1 if LOG is not already masked (a golden must be)
    mask.py --selftest LOG exit 1 unless changing LOG's timing leaves the mask
                           unchanged and changing a verdict, code or name does not

What a software change moves without changing behaviour is masked: tick and
interrupt counts, CPU shares, call and trap counts, elapsed times, code
addresses (pc of a kill, where a kernel ends, memory-map addresses) and the
hypervisor's own size. What the run decided stays: every line's text, exit and
stop codes, tvals, denials, verdicts, sizes of VMs.

Lines are then grouped by their source: "[vm1]", "[vm1 kernel]", the
hypervisor's lines about one VM ("[hv] denied: vm1 ...", "[hv] vm1 stopped")
and the rest, each group in its own order (a VM's user lines sorted: its
processes interleave by timing), so a change in how the VMs' lines interleave
does not show; each group starts with "## source".
"""
import re
import sys

SUBS = [
    (r"cpu \d+ ticks", "cpu <ticks> ticks"),
    (r"\(\d+\.\d%\)", "(<share>%)"),
    (r"\d+ timer interrupts, \d+ early", "<n> timer interrupts, <n> early"),
    (r"\d+ hypercalls, \d+ I/O calls", "<n> hypercalls, <n> I/O calls"),
    (r"\d+ us$", "<elapsed> us"),
    (r"loop cycles \d+", "loop cycles <n>"),
    (r"victim: cpu ok \(\d+\)", "victim: cpu ok (<us>)"),
    (r"victim: memory ok \(\d+\)", "victim: memory ok (<addr>)"),
    (r"(traps by kind|transitions): .*", lambda m: m.group(1) + ": " + re.sub(r"\d+", "<n>", m.group(0)[len(m.group(1)) + 2:])),
    (r"(traps up to a higher mode|exits back down|transitions by mode pair): .*",
     lambda m: m.group(1) + ": " + re.sub(r"(?<!kind )\b\d+\b", "<n>", m.group(0)[len(m.group(1)) + 2:])),
    (r'\b(killed: \S+|stopped: \S+|kernel image "[^"]*"|kernel \S+|ends) at 0x[0-9a-f]{8}', r'\1 at 0x<addr>'),
    (r"in \d+ segments?\b", "in <n> segments"),
    # memory a program asks for follows its image size (layout)
    (r"vm_(grow|shrink) \d+ KiB: now \d+ KiB", r"vm_\1 <size> KiB: now <size> KiB"),
    (r"vm_grow \d+ KiB: quota (\d+) KiB reached \(it holds \d+ KiB\)",
     r"vm_grow <size> KiB: quota \1 KiB reached (it holds <size> KiB)"),
    (r"sbrk refused after \d+ KiB", "sbrk refused after <size> KiB"),
    (r"^\[hv\]   0x[0-9a-f]{8} +\d+ KiB  hypervisor", "[hv]   0x<addr> <size> KiB  hypervisor"),
    (r"^\[hv\]   0x[0-9a-f]{8} ", "[hv]   0x<addr> "),
    # the picture prints a size in MiB when it is whole MiB (a 2 MiB hypervisor image), and sizes
    # its columns by the widest entry: both follow the layout
    (r"^\[0x[0-9a-f]{8}, 0x[0-9a-f]{8}\) +\d+ [KM]iB +", "[<range>)  <size> KiB  "),
    (r"^range +size +owner +label$", "range                     size        owner       label"),
]


def mask_line(line):
    for pat, rep in SUBS:
        line = re.sub(pat, rep, line)
    return line


def mask(text):
    lines = [l for l in text.splitlines() if not l.startswith("## ")]
    names = {}
    for l in lines:
        m = re.match(r"\[hv\] (\S+): VM (\d+),", l)
        if m:
            names[m.group(2)] = m.group(1)
    groups, order = {}, []
    for l in lines:
        key = "~trimode"  # trimode's own summary after the run
        m = re.match(r"\[([^\]]+)\]", l)
        if m:
            key = m.group(1)
            if key == "hv":
                s = re.match(r"\[hv\] (?:denied: )?(?:VM (\d+) |(\S+?)[: ])", l)
                who = s and (names.get(s.group(1)) if s.group(1) else s.group(2))
                if who in names.values():
                    key = "hv " + who
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(mask_line(l))
    out = []
    for key in sorted(order):
        out.append("## " + key)
        user = key in names.values()  # "[vm1]": several processes, interleaved by timing
        out.extend(sorted(groups[key]) if user else groups[key])
    return "\n".join(out) + "\n"


def selftest(text):
    base = mask(text)
    timing = re.sub(r"cpu \d+ ticks", "cpu 123 ticks", text)
    timing = re.sub(r"(\d+) hypercalls", "77 hypercalls", timing)
    if mask(timing) != base:
        print("FAILURE: changing tick and call counts changed the masked log")
        return 1
    for before, after in [("code 0", "code 9"), ("refused", "accepted"), ("killed", "spared"), ("vm2", "vmX")]:
        if before in text and mask(text.replace(before, after)) == base:
            print(f"FAILURE: changing '{before}' to '{after}' does not show in the masked log")
            return 1
    print("PASS")
    return 0


def main():
    args = sys.argv[1:]
    if args and args[0] in ("--check", "--selftest"):
        text = open(args[1]).read()
        if args[0] == "--selftest":
            return selftest(text)
        if mask(text) != text:
            print(f"FAILURE: {args[1]} holds unmasked timing or is not grouped; regenerate it with "
                  "tests/scenarios/update-goldens.sh and review the diff")
            return 1
        print("PASS")
        return 0
    sys.stdout.write(mask(open(args[0]).read() if args else sys.stdin.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
