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
# Usage: scripts/waves-screenshot.sh [BUILD_DIR]   (from the repository root)
set -euo pipefail
B=${1:-build}
W=$B/generated/waves
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$B/trimode run $B/sw/modes_chain.elf --cosim --fst "$out/modes.fst" > /dev/null
# modes_chain's first traps: U -> G at 124.92 us, then G -> V (times in ps).
echo "gtkwave::setZoomRangeTimes 124880000 125500000" > "$out/zoom.tcl"
xvfb-run -a -s "-screen 0 1600x900x24" sh -c "
  gtkwave -S '$out/zoom.tcl' '$out/modes.fst' $W/trimode.gtkw >/dev/null 2>&1 &
  pid=\$!
  sleep 6
  xwd -root -silent | convert xwd:- -crop 1600x900+0+0 docs/img/waves.png
  kill \$pid"
echo "wrote docs/img/waves.png"
