#include "support/random_por_spec.h"

#include <random>
#include <sstream>
#include <vector>

namespace interlock::testing {
namespace {

class PorGenerator {
 public:
  explicit PorGenerator(uint32_t seed) : rng_(seed) {}

  std::string spec(uint32_t seed) {
    machines_ = pick(3, 4);
    states_.clear();
    for (int m = 0; m < machines_; ++m) states_.push_back(pick(2, 3));  // known before any guard names one
    std::ostringstream out;
    out << "system random_por" << seed << ";\n";
    out << "var g : 0..3 = " << pick(0, 3) << ";\n";
    out << "var h : bool = false;\n";
    out << "chan c;\nbroadcast chan bc;\n";
    for (int m = 0; m < machines_; ++m) machine(out, m);
    out << "reachable r0: " << condition() << ";\n";
    out << "reachable r1: " << condition() << " && " << condition() << ";\n";
    out << "invariant i0: " << condition() << " || " << condition() << ";\n";
    out << "invariant i1: !(" << condition() << " && " << condition() << ");\n";
    if (chance(0.5)) out << "invariant i2: g != " << pick(0, 3) << " || h;\n";
    if (chance(0.5)) out << "deadlock_free;\n";
    if (chance(0.5)) out << "maximum m0: M" << pick(0, 1) << ".v when " << condition() << ";\n";
    return out.str();
  }

 private:
  std::mt19937 rng_;
  int machines_ = 3;
  std::vector<int> states_;  // of each machine

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  // Appended, not `"M" + ...`: GCC 12 warns wrongly about that (-Wrestrict).
  static std::string numbered(std::string prefix, int k) {
    prefix += std::to_string(k);
    return prefix;
  }
  std::string name(int m) { return numbered("M", m); }
  std::string state_of(int m) { return numbered(name(m) + ".S", pick(0, states_[static_cast<std::size_t>(m)] - 1)); }

  // A condition on one machine's own things (a property or another machine's guard reading it
  // makes its steps visible or dependent), or on the shared variables.
  std::string condition() {
    // Mostly M0 and M1: the other machines' steps are then invisible, and the reduction may
    // postpone them.
    const int k = chance(0.85) ? pick(0, 1) : pick(2, machines_ - 1);
    const std::string m = name(k);
    switch (pick(0, 5)) {
      case 0: return state_of(k);
      case 1: return numbered(m + ".v == ", pick(0, 2));
      case 2: return numbered(m + ".v >= ", pick(1, 2)) + " && " + state_of(k);
      case 3: return numbered("g == ", pick(0, 3));
      case 4: return chance(0.5) ? "h" : "!h";
      default: {
        std::string negated = "!";
        negated += state_of(k);
        return negated;
      }
    }
  }

  // A cycle S0 -> S1 -> ... -> S0 (every state is reached, the machine keeps moving) and a few
  // edges more. A machine with a clock stays at most `bound` in each state and leaves after `wait`:
  // no timelock of its own.
  void machine(std::ostringstream& out, int m) {
    const bool clock = chance(0.35);
    const int states = states_[static_cast<std::size_t>(m)];
    const int bound = pick(1, 3), wait = pick(0, bound);
    out << "machine " << name(m) << " {\n";
    if (clock) out << "  clock t;\n";
    out << "  var v : 0..2;\n";
    for (int s = 0; s < states; ++s) {
      out << "  " << (!clock && s > 0 && chance(0.1) ? "urgent " : "") << "state S" << s;
      if (clock) out << " { invariant t <= " << bound << "; }";
      else out << ";";
      out << "\n";
    }
    out << "  init S0;\n";
    for (int s = 0; s < states; ++s) edge(out, clock, s, (s + 1) % states, wait, true);
    for (int e = pick(0, 2); e > 0; --e) edge(out, clock, pick(0, states - 1), pick(0, states - 1), wait, false);
    out << "}\n";
  }

  void edge(std::ostringstream& out, bool clock, int from, int to, int wait, bool cycle) {
    out << "  S" << from << " -> S" << to;
    std::vector<std::string> guard;
    // Mostly the machine's own variable: steps of different machines at one instant commute.
    if (!cycle && chance(0.5)) guard.push_back(numbered(chance(0.5) ? "v < " : "v != ", pick(1, 2)));
    if (chance(0.1)) guard.push_back(condition());
    if (clock && wait > 0) guard.push_back(numbered("t >= ", wait));
    const int sync = cycle ? 9 : pick(0, 11);
    if (sync == 0) out << " emit c!";
    else if (sync == 1) out << " on c?";
    else if (sync == 2) out << " emit bc!";
    else if (sync == 3) out << " on bc?";
    if (!guard.empty()) {
      out << " when " << guard[0];
      for (std::size_t k = 1; k < guard.size(); ++k) out << (chance(0.7) ? " && " : " || ") << guard[k];
    }
    std::vector<std::string> updates;
    if (chance(0.7)) updates.push_back(chance(0.5) ? "v := (v + 1) % 3" : numbered("v := ", pick(0, 2)));
    if (clock) updates.push_back("t := 0");
    if (chance(0.1)) updates.push_back(chance(0.5) ? "g := (g + 1) % 4" : numbered("g := ", pick(0, 3)));
    if (chance(0.06)) updates.push_back("h := !h");
    if (!updates.empty()) {
      out << " do {";
      for (const auto& u : updates) out << " " << u << ";";
      out << " }";
    }
    if (sync != 3 && chance(0.1)) out << " asap";  // never on a broadcast receiver (a model error)
    out << ";\n";
  }
};

}  // namespace

std::string random_por_spec(uint32_t seed) { return PorGenerator(seed).spec(seed); }

}  // namespace interlock::testing
