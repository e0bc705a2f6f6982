#!/usr/bin/env bash
# Regenerates docs/img/waves.png: modes_chain co-simulated with the platform
# trace, opened in GTKWave with the generated save file under Xvfb, zoomed
# (a Tcl script) to its first traps so the trap unit's clock and handshake
# show beside the core's signals, screenshot of the window.
#
# A docs artefact, not part of the build or of any test: it needs packages
# that scripts/install-deps.sh does not install (install them yourself:
# apt-get install xvfb x11-apps xauth imagemagick; gtkwave is listed there).
#
# Usage: scripts/waves-screenshot.sh [BUILD_DIR]   (BUILD_DIR relative to the
# repository root, default build; writes docs/img/waves.png there)
set -euo pipefail
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
cd "$(dirname "$0")/.."
B=${1:-build}
W=$B/generated/waves
[ -x "$B/trimode" ] || { echo "waves-screenshot.sh: $B/trimode not found: build first (cmake --build $B)" >&2; exit 2; }
for tool in xvfb-run gtkwave xwd convert; do
  command -v "$tool" > /dev/null || { echo "waves-screenshot.sh: $tool not found (apt-get install xvfb x11-apps xauth imagemagick gtkwave)" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$B/trimode run $B/sw/modes_chain.elf --cosim --fst "$out/modes.fst" --trace-modes > /dev/null 2> "$out/modes.txt"
# The zoom: from a little before the first trap into G to a little after the
# trap into V that follows it (times from the same run's --trace-modes, in ps).
zoom=$(awk '/ -> G  trap/ && !g { g = $2 } g && / -> V  trap/ { print (g - 250) * 1000, ($2 + 250) * 1000; exit }' \
  FS='[][ ]+' "$out/modes.txt")
[ -n "$zoom" ] || { echo "waves-screenshot.sh: no trap into G then V in modes_chain's --trace-modes" >&2; exit 1; }
echo "gtkwave::setZoomRangeTimes $zoom" > "$out/zoom.tcl"
rm -f "$out/waves.png"
xvfb-run -a -s "-screen 0 1600x900x24" sh -c "
  gtkwave -S '$out/zoom.tcl' '$out/modes.fst' $W/trimode.gtkw >/dev/null 2>&1 &
  pid=\$!
  sleep 6
  xwd -root -silent | convert xwd:- -crop 1600x900+0+0 '$out/waves.png'; rc=\$?
  kill \$pid
  exit \$rc"
[ -s "$out/waves.png" ] || { echo "waves-screenshot.sh: FAILURE: no screenshot was made" >&2; exit 1; }
mv "$out/waves.png" docs/img/waves.png
echo "wrote docs/img/waves.png (zoom $zoom ps)"
