#include "support/random_param_spec.h"

#include <random>
#include <sstream>
#include <vector>

namespace interlock::testing {
namespace {

class ParamSpecGenerator {
 public:
  explicit ParamSpecGenerator(uint32_t seed) : rng_(seed) {}

  std::string spec(uint32_t seed) {
    machines_ = pick(2, 3);
    for (int m = 0; m < machines_; ++m) states_.push_back(pick(2, 3));
    std::ostringstream out;
    out << "system rp" << seed << ";\n";
    out << "param A : 0..4 = " << pick(0, 4) << ";\n";
    out << "param B : 1..4 = " << pick(1, 4) << ";\n";
    out << "param C : 0..3 = " << pick(0, 3) << ";\n";
    out << "var x : 0..3 = 0;\n";
    out << "broadcast chan go;\nchan hand;\n";
    for (int m = 0; m < machines_; ++m) machine(out, m);
    out << "invariant i0: !(" << location() << " && " << location() << ");\n";
    if (chance(0.5)) out << "invariant i1: " << var_atom() << " || " << location() << ";\n";
    return out.str();
  }

 private:
  std::mt19937 rng_;
  int machines_ = 0;
  std::vector<int> states_;

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::string param() { return std::string(1, static_cast<char>('A' + pick(0, 2))); }

  // A bound that reads a parameter: A, B + 1, C * 2, ...
  std::string bound() {
    switch (pick(0, 3)) {
      case 0: return param();
      case 1: return param() + " + " + std::to_string(pick(1, 2));
      case 2: return param() + " * 2";
      default: return std::to_string(pick(0, 4));
    }
  }
  // Built by appending: GCC 12 warns (wrongly, -Wrestrict) about "M" + std::to_string(m).
  std::string machine_name(int m) {
    std::string out = "M";
    out += std::to_string(m);
    return out;
  }
  std::string location() {
    const int m = pick(0, machines_ - 1);
    std::string out = machine_name(m);
    out += ".S";
    out += std::to_string(pick(0, states_[m] - 1));
    return out;
  }
  std::string var_atom() {
    static const char* cmp[] = {"==", "!=", "<", "<=", ">", ">="};
    return std::string("x ") + cmp[pick(0, 5)] + " " + (chance(0.5) ? param() : std::to_string(pick(0, 3)));
  }
  std::string clock_atom() {
    static const char* cmp[] = {"==", "<", "<=", ">", ">="};
    std::string out = chance(0.8) ? "t" : machine_name(pick(0, machines_ - 1)) + ".t";
    out += " ";
    out += cmp[pick(0, 4)];
    out += " ";
    out += bound();
    return out;
  }
  std::string guard() {
    std::string out = chance(0.6) ? clock_atom() : var_atom();
    if (chance(0.4)) out += (chance(0.7) ? " && " : " || ") + (chance(0.5) ? clock_atom() : location());
    return out;
  }

  void machine(std::ostringstream& out, int m) {
    out << "machine M" << m << " {\n  clock t;\n";
    for (int s = 0; s < states_[m]; ++s) {
      out << "  state S" << s;
      if (chance(0.5)) out << " { invariant t <= " << bound() << "; }";
      else out << ";";
      out << "\n";
    }
    out << "  init S0;\n";
    const int edges = pick(2, 4);
    for (int e = 0; e < edges; ++e) {
      out << "  S" << pick(0, states_[m] - 1) << " -> S" << pick(0, states_[m] - 1);
      const bool with_choose = chance(0.2);
      if (with_choose) out << " choose v in 0.." << (chance(0.5) ? "C" : "2");
      if (chance(0.8)) out << " when " << guard();
      if (chance(0.35)) {
        const bool broadcast = chance(0.5), emit = chance(0.5);
        out << (emit ? " emit " : " on ") << (broadcast ? "go" : "hand") << (emit ? "!" : "?");
      }
      std::vector<std::string> updates;
      if (with_choose && chance(0.6)) updates.push_back("x := v");
      switch (pick(0, 5)) {
        case 0: updates.push_back("x := (x + 1) % 4"); break;
        case 1: updates.push_back("x := " + param() + " % 4"); break;
        case 2: updates.push_back("x := 6 / (B + x)"); break;
        case 3: if (chance(0.3)) updates.push_back("x := x + 1"); break;  // may leave the range
        case 4: if (chance(0.3)) updates.push_back("x := 3 / " + param()); break;  // may divide by 0
        default: break;
      }
      if (chance(0.5)) updates.push_back("t := 0");
      if (!updates.empty()) {
        out << " do {";
        for (const std::string& u : updates) out << " " << u << ";";
        out << " }";
      }
      out << ";\n";
    }
    out << "}\n";
  }
};

}  // namespace

std::string random_param_spec(uint32_t seed) { return ParamSpecGenerator(seed).spec(seed); }

}  // namespace interlock::testing
