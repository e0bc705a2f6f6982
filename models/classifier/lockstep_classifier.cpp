#include "models/classifier/lockstep_classifier.hpp"

#include <cinttypes>
#include <cstdio>
#include <utility>

namespace trimode {

std::string describe(const Decision& d) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "kind %u %s -> %s (%s)", d.kind, action_name(d.action), mode_name(d.target),
                d.action == spec::Action::kExec ? "-" : cause_name(d.cause));
  return buf;
}

LockstepClassifier::LockstepClassifier(sc_core::sc_module_name name, bool stop_on_mismatch)
    : sc_module(name), decode("decode"), reference("reference"), dut("dut"), stop_(stop_on_mismatch) {
  decode.bind(*this);
}

namespace {

// Kept out of decide(): its buffer would cost every decode a stack frame.
[[gnu::cold, gnu::noinline]] std::string mismatch_line(const DecodeRequest& r, const sc_core::sc_time& at,
                                                        const Decision& dut, const Decision& ref) {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "FAILURE: cosim mismatch at %s, pc 0x%08" PRIx32 ", insn 0x%08" PRIx32 ", mode %s: rtl {%s} ref {%s}",
                at.to_string().c_str(), r.pc, r.insn, mode_name(r.mode), describe(dut).c_str(),
                describe(ref).c_str());
  return buf;
}

}  // namespace

bool LockstepClassifier::decide(const DecodeRequest& r, const sc_core::sc_time& at, Decision* out,
                                std::string* failure) {
  ++decodes_;
  Decision ref;
  if (!dut->decide(r, at, out, failure) || !reference->decide(r, at, &ref, failure)) return false;
  const bool same = *out == ref;
  if (__builtin_expect(same, 1)) return true;
  ++mismatches_;
  std::string line = mismatch_line(r, at, *out, ref);
  if (first_.empty()) first_ = line;
  if (!stop_) return true;
  *failure = std::move(line);
  return false;
}

}  // namespace trimode
