// Suggestions for a mistyped name, as every Trimode input makes them: the
// command line (tlm/cli/cli.hpp: likely_meant) and a scenario file's keys
// (tools/scenario_loader). No SystemC, no CLI11: a leaf that tools/ may link.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace trimode::cli {

// Edit distance: insert, delete, substitute and swap two neighbours each cost 1
// (optimal string alignment), so "rnu" is 1 from "run".
size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to word if it is close enough to be a likely typo
// (distance <= 2, and at most half the word; letters' case ignored), else
// the one candidate word is the start of (4 letters or more: "timeslice" for
// "timeslice_us"), else "".
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace trimode::cli
