// Driver of one mutant in the mutation check (mutation.py): the directed set,
// the field-pair set and 10^6 random stimuli of the sweep, against the mutated RTL compiled in as
// make_rtl_model(). Prints the mismatch count and the first mismatch;
// exit code 0 when the model agrees with the reference everywhere, 1 otherwise.
#include <cstdio>

#include "testbench/sweep/sweep.hpp"

int main() {
  trimode::sweep::SweepOptions opt;
  opt.directed = true;
  opt.pairs = true;
  opt.random = 1000000;
  opt.seed = 1;
  opt.max_mismatches = 1;
  const auto result = trimode::sweep::run_sweep(opt);
  for (const auto& m : result.first) std::printf("%s\n", trimode::sweep::format_mismatch(m).c_str());
  std::printf("checked %llu, mismatches %llu\n", static_cast<unsigned long long>(result.checked),
              static_cast<unsigned long long>(result.mismatches));
  return result.mismatches ? 1 : 0;
}
