#!/usr/bin/env bash
# Regenerates docs/img/waves.png: modes_chain co-simulated with a VCD, opened
# in GTKWave with docs/waves/trimode.gtkw under Xvfb, screenshot of the window.
# Needs (docs only, not the build): gtkwave xvfb x11-apps imagemagick.
set -euo pipefail
B=${1:-build}
out=$(mktemp -d)
$B/trimode run $B/sw/modes_chain.elf --cosim --vcd "$out/modes.vcd" > /dev/null
xvfb-run -a -s "-screen 0 1600x900x24" sh -c "
  gtkwave '$out/modes.vcd' docs/waves/trimode.gtkw >/dev/null 2>&1 &
  sleep 6
  xwd -root -silent | convert xwd:- -crop 1600x900+0+0 docs/img/waves.png
  kill %1"
echo "wrote docs/img/waves.png"
