#!/usr/bin/env python3
"""doc_links.py ROOT: every relative link of README.md, sw/README.md and docs/*.md
names a file that exists, and a #fragment a heading of it (GitHub's slugs:
lower case, punctuation but - and _ dropped, spaces to -). Links inside code
blocks are not links. Prints PASS, or FAILURE and one line per broken link."""
import glob
import os
import re
import sys


def slug(heading):
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(path):
    return {slug(h) for h in re.findall(r"^#+ (.*)$", open(path).read(), re.M)}


def main():
    root = sys.argv[1]
    pages = ["README.md", "sw/README.md"] + sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "docs/*.md")))
    bad = []
    for page in pages:
        text = re.sub(r"```.*?```", "", open(os.path.join(root, page)).read(), flags=re.S)
        for link in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", link):
                continue  # (a URL)
            path, _, fragment = link.partition("#")
            target = os.path.normpath(os.path.join(root, os.path.dirname(page), path)) if path else os.path.join(root, page)
            if not os.path.exists(target):
                bad.append(f"{page}: ({link}): no such file")
            elif fragment and target.endswith(".md") and fragment not in headings(target):
                bad.append(f"{page}: ({link}): no heading '{fragment}' in {os.path.relpath(target, root)}")
    print("\n".join(["FAILURE: broken links"] + bad) if bad else f"PASS: the links of {len(pages)} pages")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
