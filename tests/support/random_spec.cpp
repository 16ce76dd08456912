#include "support/random_spec.h"

#include <random>
#include <sstream>
#include <vector>

namespace interlock::testing {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed), asap_rng_(seed * 7919u + 13u) {}

  std::string spec(uint32_t seed) {
    machines_ = pick(2, 4);
    for (int m = 0; m < machines_; ++m) {
      states_.push_back(pick(2, 3));
      clocks_.push_back(chance(0.7));
    }
    std::ostringstream out;
    out << "system random" << seed << ";\n";
    out << "var x : 0..3 = " << pick(0, 3) << ";\n";
    out << "var b : bool = " << (chance(0.5) ? "true" : "false") << ";\n";
    out << "chan c;\nbroadcast chan bc;\n";
    for (int m = 0; m < machines_; ++m) machine(out, m);
    out << "reachable r0: " << condition(-1, 2) << ";\n";
    out << "reachable r1: " << condition(-1, 2) << ";\n";
    out << "invariant i0: " << condition(-1, 1) << " || " << condition(-1, 1) << ";\n";
    return out.str();
  }

 private:
  std::mt19937 rng_;
  // `asap` is drawn from its own stream, so that every other choice is what it was before
  // `asap` existed and the specs keep their shapes.
  std::mt19937 asap_rng_;
  int machines_ = 0;
  std::vector<int> states_;
  std::vector<bool> clocks_;

  static std::string machine_name(int m) {
    std::string out = "M";
    out += std::to_string(m);
    return out;
  }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  // An atom over x, b, a machine's state or clock; `own` is the machine an edge belongs to.
  std::string atom(int own, const std::string& chosen = "") {
    static const char* cmp[] = {"==", "!=", "<", "<=", ">", ">="};
    switch (pick(0, chosen.empty() ? 3 : 4)) {
      case 0: return std::string("x ") + cmp[pick(0, 5)] + " " + std::to_string(pick(0, 3));
      case 1: return chance(0.5) ? "b" : "!b";
      case 2: {
        int m = pick(0, machines_ - 1);
        return machine_name(m) + ".S" + std::to_string(pick(0, states_[m] - 1));
      }
      case 3: {
        int m = own >= 0 && clocks_[own] && chance(0.6) ? own : pick(0, machines_ - 1);
        if (!clocks_[m]) return "x != " + std::to_string(pick(0, 3));
        std::string clock = "t";
        if (m != own) clock = machine_name(m) + ".t";
        return clock + " " + cmp[pick(0, 5)] + " " + std::to_string(pick(0, 4));
      }
      default: {
        std::string out = chosen;
        out += " != ";
        out += std::to_string(pick(0, 2));
        return out;
      }
    }
  }

  std::string condition(int own, int atoms, const std::string& chosen = "") {
    std::string out = atom(own, chosen);
    for (int i = 1; i < atoms; ++i) {
      out += chance(0.7) ? " && " : " || ";
      out += atom(own, chosen);
    }
    // Negated compounds and choices exercise the evaluator's short-circuit code.
    if (atoms > 1 && chance(0.25)) {
      std::string negated = "!(";
      negated += out;
      negated += ')';
      out = negated;
    } else if (chance(0.15)) {
      std::string choice = "(";
      choice += atom(own, chosen);
      choice += " ? ";
      choice += out;
      choice += " : ";
      choice += atom(own, chosen);
      choice += ')';
      out = choice;
    }
    return out;
  }

  void machine(std::ostringstream& out, int m) {
    out << "machine M" << m << " {\n";
    if (clocks_[m]) out << "  clock t;\n";
    for (int s = 0; s < states_[m]; ++s) {
      bool urgent = s > 0 && chance(0.1);
      out << "  " << (urgent ? "urgent " : "") << "state S" << s;
      if (clocks_[m] && chance(0.35)) out << " { invariant t <= " << pick(1, 3) << "; }";
      else out << ";";
      out << "\n";
    }
    out << "  init S0;\n";
    int edges = pick(2, 4);
    for (int e = 0; e < edges; ++e) {
      out << "  S" << pick(0, states_[m] - 1) << " -> S" << pick(0, states_[m] - 1);
      const bool with_choose = chance(0.2);
      const std::string chosen(with_choose ? 1 : 0, 'v');  // the chosen name, or none
      if (with_choose) out << " choose v in 0.." << pick(1, 2);
      if (chance(0.6)) out << " when " << condition(m, pick(1, 2), chosen);
      bool broadcast_receiver = false;
      if (chance(0.45)) {
        bool broadcast = chance(0.5);
        bool emit = chance(0.5);
        out << (emit ? " emit " : " on ") << (broadcast ? "bc" : "c") << (emit ? "!" : "?");
        broadcast_receiver = broadcast && !emit;
      }
      if (!broadcast_receiver && std::bernoulli_distribution(0.2)(asap_rng_)) out << " asap";
      std::vector<std::string> updates;
      if (!chosen.empty() && chance(0.6)) updates.push_back(std::string("x := ") += chosen);
      if (chance(0.35)) updates.push_back("x := (x + 1) % 4");
      if (chance(0.25)) updates.push_back(std::string("x := ") += std::to_string(pick(0, 3)));
      if (chance(0.25)) updates.push_back("b := !b");
      if (clocks_[m] && chance(0.4)) updates.push_back("t := 0");
      if (!updates.empty()) {
        out << " do {";
        for (const auto& u : updates) out << " " << u << ";";
        out << " }";
      }
      out << ";\n";
    }
    out << "}\n";
  }
};

}  // namespace

std::string random_spec(uint32_t seed) {
  Generator g(seed);
  return g.spec(seed);
}

std::string with_responses(const std::string& text, int bound) {
  auto condition = [&](const std::string& name) {
    const std::size_t at = text.find("reachable " + name + ": ");
    const std::size_t from = text.find(": ", at) + 2;
    return text.substr(from, text.find(";\n", from) - from);
  };
  return text + "response u01: " + condition("r0") + " leads_to " + condition("r1") + ";\n" + "response w01: " +
         condition("r0") + " leads_to " + condition("r1") + " within " + std::to_string(bound) + ";\n";
}

}  // namespace interlock::testing
