#include "tlm/cli/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace trimode::cli {

size_t edit_distance(const std::string& a, const std::string& b) {
  // d[i][j]: distance between the first i chars of a and the first j of b.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  std::string best, cut;  // cut: the one candidate that word is the start of, if one
  size_t best_d = 3, cuts = 0;  // a likely typo: at most 2 edits
  for (const std::string& c : candidates) {
    const std::string l = lower(c);
    const size_t d = edit_distance(w, l);
    if (d < best_d && 2 * d <= word.size()) {  // (half the word at most: "rn" is run, "x" nothing)
      best = c;
      best_d = d;
    }
    if (w.size() >= 4 && l.size() > w.size() && l.compare(0, w.size(), w) == 0) cut = c, ++cuts;
  }
  return best.empty() && cuts == 1 ? cut : best;
}

}  // namespace trimode::cli
