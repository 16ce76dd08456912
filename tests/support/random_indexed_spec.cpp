#include "support/random_indexed_spec.h"

#include <random>
#include <sstream>
#include <vector>

namespace interlock::testing {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string spec(uint32_t seed, bool delays) {
    n_ = pick(2, 3);
    states_ = pick(2, 3);
    clock_ = chance(0.7);
    second_ = chance(0.5);
    plain_ = chance(0.6);
    singled_ = chance(0.2);
    std::ostringstream out;
    out << "system random_indexed" << seed << ";\n";
    out << "const N = " << n_ << ";\n";
    out << "var g : 0..3 = " << pick(0, 3) << ";\n";
    out << "var cnt : 0..9 = 0;\n";
    out << "var flag[N] : bool;\n";
    out << "chan c;\nbroadcast chan bc;\nchan d[N];\n";
    family(out);
    if (second_) {
      out << "machine B[i : 0..N-1] {\n  var got : 0..2;\n  state W, G;\n  init W;\n"
          << "  W -> G on d[i]? do got := (got + 1) % 3;\n"
          << "  G -> W" << (chance(0.5) ? " on bc?" : "") << ";\n}\n";
    }
    if (plain_) {
      out << "machine M {\n  state P0, P1;\n  init P0;\n"
          << "  P0 -> P1 " << (chance(0.5) ? "emit bc!" : "on c?") << (chance(0.5) ? " when g != 3" : "") << ";\n"
          << "  P1 -> P0" << (chance(0.5) ? " emit c!" : "") << (chance(0.4) ? " do g := (g + 1) % 4" : "") << ";\n}\n";
    }
    out << "reachable r0: " << quantified("exists") << ";\n";
    out << "reachable r1: " << quantified("forall") << ";\n";
    out << "invariant i0: " << quantified("forall") << " || " << global_atom() << ";\n";
    out << "invariant i1: " << quantified("exists") << " || " << global_atom() << " || " << global_atom() << ";\n";
    if (chance(0.5)) out << "deadlock_free;\n";
    if (singled_ || chance(0.1)) out << "reachable one: A[0].S1 && A[0].v == " << pick(0, 2) << ";\n";
    if (delays) {
      out << "response d0: " << quantified("exists") << " leads_to " << quantified(chance(0.5) ? "forall" : "exists");
      if (chance(0.5)) out << " within " << pick(1, 6);
      out << ";\n";
      out << "maximum d1: " << quantified("exists") << " leads_to " << (chance(0.7) ? quantified("forall") : global_atom()) << ";\n";
      if (chance(0.5)) out << "response d2: " << global_atom() << " leads_to " << quantified("exists") << " within " << pick(0, 4) << ";\n";
      if (chance(singled_ ? 0.5 : 0.15)) out << "response d3: A[1].S0 leads_to A[0].S1;\n";
    }
    return out.str();
  }

 private:
  std::mt19937 rng_;
  int n_ = 2, states_ = 2;
  bool clock_ = false, second_ = false, plain_ = false, singled_ = false;

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::string state() {
    std::string out = "S";  // (not "S" + ...: GCC 12 warns wrongly about that, -Wrestrict)
    out += std::to_string(pick(0, states_ - 1));
    return out;
  }

  // A condition a copy's edge may test: its own state of things, the shared ones, or all copies.
  std::string local_atom() {
    static const char* cmp[] = {"==", "!=", "<", "<=", ">", ">="};
    switch (pick(0, clock_ ? 6 : 5)) {
      case 0: return std::string("v ") + cmp[pick(0, 5)] + " " + std::to_string(pick(0, 2));
      case 1: return std::string("g ") + cmp[pick(0, 5)] + " " + std::to_string(pick(0, 3));
      case 2: return chance(0.5) ? "flag[i]" : "!flag[i]";
      case 3: return "exists j in 0..N-1 : A[j]." + state();
      case 4: return "cnt " + std::string(cmp[pick(0, 5)]) + " " + std::to_string(pick(0, 3));
      case 5: return "forall j in 0..N-1 : A[j].v <= " + std::to_string(pick(0, 2));
      default: return std::string("t ") + cmp[pick(0, 5)] + " " + std::to_string(pick(0, 3));
    }
  }
  std::string global_atom() {
    switch (pick(0, 2)) {
      case 0: return "g == " + std::to_string(pick(0, 3));
      case 1: return "cnt >= " + std::to_string(pick(1, 4));
      default: return plain_ ? "M.P1" : "g != " + std::to_string(pick(0, 3));
    }
  }
  std::string quantified(const char* q) {
    std::string body = "A[i]." + state();
    if (chance(0.5)) body += (chance(0.6) ? " && A[i].v == " : " || A[i].v == ") + std::to_string(pick(0, 2));
    if (chance(0.3)) body += chance(0.5) ? " && flag[i]" : " && !flag[i]";
    if (clock_ && chance(0.3)) body += " && A[i].t >= " + std::to_string(pick(0, 3));
    return std::string(q) + " i in 0..N-1 : (" + body + ")";
  }

  void family(std::ostringstream& out) {
    out << "machine A[i : 0..N-1] {\n";
    if (clock_) out << "  clock t;\n";
    out << "  var v : 0..2;\n";
    for (int s = 0; s < states_; ++s) {
      out << "  " << (s > 0 && chance(0.1) ? "urgent " : "") << "state S" << s;
      if (clock_ && chance(0.35)) out << " { invariant t <= " << pick(1, 3) << "; }";
      else out << ";";
      out << "\n";
    }
    out << "  init S0;\n";
    const int edges = pick(2, 5);
    bool emitted_d = false;
    for (int e = 0; e < edges; ++e) {
      out << "  " << state() << " -> " << state();
      const bool with_choose = chance(0.15);
      if (with_choose) out << " choose w in 0.." << pick(1, 2);
      std::vector<std::string> guard;
      if (chance(0.6)) guard.push_back(local_atom());
      if (chance(0.2)) guard.push_back(local_atom());
      if (singled_ && e == 0) guard.push_back(chance(0.5) ? "i == 0" : "i != 1");
      std::string when;
      if (!guard.empty()) {
        when = guard[0];
        for (std::size_t k = 1; k < guard.size(); ++k) when += (chance(0.7) ? " && " : " || ") + guard[k];
      }
      bool receiver = false;
      const int sync = pick(0, 9);
      if (sync <= 1) out << " emit c!";
      else if (sync == 2) out << " on c?";
      else if (sync == 3) out << " emit bc!";
      else if (sync == 4) {
        out << " on bc?";
        receiver = true;
      } else if (sync == 5 && second_ && !emitted_d) {
        out << " emit d[i]!";
        emitted_d = true;
      }
      const bool counts = chance(0.25);  // this edge adds one to cnt: at most 5 at once (emitter, receivers)
      if (counts) when = when.empty() ? "cnt < 3" : "(" + when + ") && cnt < 3";
      if (!when.empty()) out << " when " << when;
      std::vector<std::string> updates;
      if (with_choose && chance(0.6)) updates.push_back("v := w");
      if (chance(0.3)) updates.push_back("v := (v + 1) % 3");
      if (chance(0.2)) updates.push_back("flag[i] := !flag[i]");
      if (clock_ && chance(0.4)) updates.push_back("t := 0");
      // A shared update: order-free counters are permuted, `g := ...` in a broadcast receiver
      // makes the order of the copies matter (and the detection refuses it).
      if (chance(receiver ? 0.3 : 0.2)) updates.push_back(chance(0.5) ? "g := (g + 1) % 4" : "g := " + std::to_string(pick(0, 3)));
      if (counts) updates.push_back("cnt := cnt + 1");
      if (!updates.empty()) {
        out << " do {";
        for (const auto& u : updates) out << " " << u << ";";
        out << " }";
      }
      out << ";\n";
    }
    if (second_ && !emitted_d) out << "  S0 -> S0 emit d[i]! when v == " << pick(0, 2) << ";\n";
    out << "}\n";
  }
};

}  // namespace

std::string random_indexed_spec(uint32_t seed, bool delays) {
  Generator g(seed);
  return g.spec(seed, delays);
}

}  // namespace interlock::testing
