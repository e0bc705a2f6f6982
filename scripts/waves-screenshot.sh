#!/usr/bin/env bash
# Regenerates docs/img/waves.png: modes_chain co-simulated with the platform
# trace, opened in GTKWave with the generated save file under Xvfb, screenshot
# of the window.
# Needs (docs only, not the build): gtkwave xvfb x11-apps imagemagick.
set -euo pipefail
B=${1:-build}
W=$B/generated/waves
out=$(mktemp -d)
$B/trimode run $B/sw/modes_chain.elf --cosim --fst "$out/modes.fst" > /dev/null
xvfb-run -a -s "-screen 0 1600x900x24" sh -c "
  gtkwave '$out/modes.fst' $W/trimode.gtkw $W/trimode.gtkwaverc >/dev/null 2>&1 &
  sleep 6
  xwd -root -silent | convert xwd:- -crop 1600x900+0+0 docs/img/waves.png
  kill %1"
echo "wrote docs/img/waves.png"
