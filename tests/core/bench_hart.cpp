// Interpreter benchmark without SystemC: loads an ELF into a flat RAM and runs
// the hart for N instructions (no devices: stores outside RAM fault).
// Prints host time and MIPS; under `valgrind --tool=callgrind` its instruction
// count per guest instruction is a machine-independent figure of merit.
//   bench_hart build/sw/bench_cpu.elf 100000000
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "tests/core/flat_bus.hpp"
#include "tools/elf_loader/elf_loader.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_hart ELF [instructions]\n");
    return 2;
  }
  const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 0) : 100000000ull;
  constexpr uint32_t kBase = 0x80000000u, kSize = 8u << 20;
  trimode::ModeState modes;
  trimode::test::FlatBus bus(modes, kBase, kSize);
  try {
    const trimode::ElfImage img = trimode::load_elf(argv[1], {{kBase, kSize}});
    for (const auto& s : img.segments) {
      for (size_t i = 0; i + 4 <= s.bytes.size(); i += 4) {
        uint32_t w;
        std::memcpy(&w, &s.bytes[i], 4);
        bus.put32(s.paddr + static_cast<uint32_t>(i), w);
      }
    }
    trimode::Hart hart(bus, modes);
    hart.set_pc(img.entry);
    const auto t0 = std::chrono::steady_clock::now();
    while (hart.instret() < n) {
      if (hart.run(n - hart.instret()) != trimode::StopReason::kBudget) break;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%llu instructions in %.3f s: %.1f MIPS (pc 0x%08x)\n",
                static_cast<unsigned long long>(hart.instret()), s, hart.instret() / s / 1e6, hart.pc());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_hart: %s\n", e.what());
    return 1;
  }
  return 0;
}
