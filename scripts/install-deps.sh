#!/usr/bin/env bash
# Installs exactly the Debian packages Trimode builds and tests with. Idempotent:
# packages already present are skipped, and nothing is done when all are there.
set -euo pipefail
. "$(dirname "$0")/usage.sh" && script_usage "$0" "$@"
[ $# -eq 0 ] || { echo "install-deps.sh: takes no arguments; see '$0 --help'" >&2; exit 2; }

PACKAGES=(
  build-essential cmake pkg-config python3
  libsystemc-dev            # SystemC 2.3.4 + TLM-2.0
  verilator                 # 5.006: trap-decode RTL lint, co-simulation, sweep
  zlib1g-dev                # Verilator's FST writer (--rtl-fst) and the platform trace's FST encoder (--fst)
  liblz4-dev                # LZ4 for the value chains of the platform trace's FST encoder (tlm/platform/fst_encoder.*)
  libgtest-dev libbenchmark-dev
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  libelf-dev libcli11-dev nlohmann-json3-dev
  qemu-system-misc          # differential tests against qemu-system-riscv32
  yosys                     # 0.23: formal proof of the trap-decode RTL against the spec table (rtl.proof); its gate netlist for the co-simulation lanes (build, with yosys-abc from the same package)
  clang libclang-rt-dev     # libFuzzer harnesses (tests/fuzz, scripts/sanitizers.sh)
  librsvg2-bin              # rsvg-convert: platform.memmap_svg.* render the memory-map SVG and inspect the PNG
  libxml2-utils             # xmllint: memmap_example.xmllint checks the SVG is well-formed XML (skipped without it)
  gdb-multiarch             # GDB sessions against trimode run --gdb (tests/debug)
  gtkwave                   # fst2vcd: platform.waves.* and rtl.trap_unit_waves read FST traces back (and the viewer itself)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
