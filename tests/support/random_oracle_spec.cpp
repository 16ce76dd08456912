#include "support/random_oracle_spec.h"

#include <random>
#include <sstream>
#include <vector>

namespace interlock::testing {
namespace {

// A machine declaration: one plain machine, or a family of `copies` indexed machines W[i].
struct MachineShape {
  std::string name;
  int copies = 0;  // 0: a plain machine
  int states = 2;
  bool clock = false;
  bool local = false;  // a local variable n : 0..2
  std::vector<bool> urgent;
};

class OracleGenerator {
 public:
  explicit OracleGenerator(uint32_t seed) : rng_(seed ^ 0x5eedu), asap_rng_(seed * 7919u + 0xa5a9u) {}

  std::string spec(uint32_t seed) {
    faulty_ = chance(0.35);
    mode_ = chance(0.4);
    // Two to four machines, so that the state spaces stay small (up to some ten thousand states).
    const bool with_family = chance(0.6);
    const int plain = with_family ? pick(1, 2) : pick(2, 4);
    for (int m = 0; m < plain; ++m) shapes_.push_back(shape(std::string("M").append(std::to_string(m)), 0));
    if (with_family) shapes_.push_back(shape("W", plain == 2 ? 2 : pick(2, 3)));
    std::ostringstream out;
    out << "system oracle" << seed << ";\n";
    out << "const K = " << pick(1, 2) << ";\n";
    out << "param P : 0..3 = " << pick(0, 3) << ";\n";
    if (mode_) out << "type Mode = { Idle, Busy, Off };\nvar m : Mode = " << (chance(0.5) ? "Idle" : "Busy") << ";\n";
    out << "var x : 0..3 = " << pick(0, 3) << ";\n";
    out << "var b : bool = " << (chance(0.5) ? "true" : "false") << ";\n";
    out << "var a[3] : 0..1 = { " << pick(0, 1) << ", " << pick(0, 1) << ", " << pick(0, 1) << " };\n";
    out << "chan c;\nbroadcast chan bc;\n";
    if (family()) out << "chan d[" << family()->copies << "];\n";
    for (const MachineShape& s : shapes_) machine(out, s);
    out << "invariant i0: " << condition(nullptr, 2, true) << ";\n";
    out << "invariant i1: " << condition(nullptr, 1, true) << " || " << condition(nullptr, 1, true) << ";\n";
    out << "reachable r0: " << condition(nullptr, 2, true) << ";\n";
    out << "reachable r1: " << condition(nullptr, 1, true) << ";\n";
    out << "deadlock_free;\n";
    return out.str();
  }

 private:
  std::mt19937 rng_;
  // `asap` is drawn from its own stream, so that every other choice is what it was before
  // `asap` existed and the specs keep their shapes.
  std::mt19937 asap_rng_;
  bool faulty_ = false;  // this spec may fail at run time
  bool mode_ = false;    // it has the enumeration Mode and the variable m
  std::vector<MachineShape> shapes_;
  int clocked_ = 0;  // machine declarations with a clock so far

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& one_of(const std::vector<T>& options) { return options[static_cast<std::size_t>(pick(0, static_cast<int>(options.size()) - 1))]; }

  const MachineShape* family() const {
    for (const MachineShape& s : shapes_)
      if (s.copies) return &s;
    return nullptr;
  }

  MachineShape shape(const std::string& name, int copies) {
    MachineShape s;
    s.name = name;
    s.copies = copies;
    s.states = pick(2, 3);
    // Clocks and local variables multiply the states most (by copies in a family): clocks in at
    // most two machine declarations.
    s.clock = clocked_ < 2 && chance(copies ? 0.4 : 0.6);
    clocked_ += s.clock;
    s.local = chance(copies ? 0.35 : 0.5);
    for (int k = 0; k < s.states; ++k) s.urgent.push_back(k > 0 && chance(0.15));
    return s;
  }

  // How another machine (or a property) names machine `s`: "M1", or a copy "W[1]".
  std::string instance(const MachineShape& s) {
    if (!s.copies) return s.name;
    std::string out = s.name;
    out += '[';
    out += std::to_string(pick(0, s.copies - 1));
    out += ']';
    return out;
  }

  std::string comparison() {
    static const char* ops[] = {"==", "!=", "<", "<=", ">", ">="};
    return ops[pick(0, 5)];
  }

  // A condition atom. `own` is the machine whose edge or invariant it is (null in a property);
  // `chosen` the choose variables in scope; faults only in specs that may fail.
  std::string atom(const MachineShape* own, const std::vector<std::string>& chosen, bool property) {
    const int kinds = 11;
    for (;;) {
      switch (pick(0, kinds)) {
        case 0: return "x " + comparison() + " " + std::to_string(pick(0, 3));
        case 1: return chance(0.5) ? "b" : "!b";
        case 2: {
          const MachineShape& s = shapes_[static_cast<std::size_t>(pick(0, static_cast<int>(shapes_.size()) - 1))];
          return instance(s) + ".S" + std::to_string(pick(0, s.states - 1));
        }
        case 3: {  // a clock: the machine's own, or another's
          if (own && own->clock && chance(0.6)) return "t " + comparison() + " " + std::to_string(pick(0, 3));
          const MachineShape& s = shapes_[static_cast<std::size_t>(pick(0, static_cast<int>(shapes_.size()) - 1))];
          if (!s.clock) continue;
          return instance(s) + ".t " + comparison() + " " + std::to_string(pick(0, 3));
        }
        case 4: {  // a local variable
          if (own && own->local && chance(0.6)) return "n " + comparison() + " " + std::to_string(pick(0, 2));
          const MachineShape& s = shapes_[static_cast<std::size_t>(pick(0, static_cast<int>(shapes_.size()) - 1))];
          if (!s.local) continue;
          return instance(s) + ".n " + comparison() + " " + std::to_string(pick(0, 2));
        }
        case 5: {  // an array element, at a constant or a computed index (x may be 3: outside)
          if (faulty_ && chance(0.3)) return "a[x] == " + std::to_string(pick(0, 1));
          return chance(0.5) ? "a[" + std::to_string(pick(0, 2)) + "] == 1" : "a[x % 3] != " + std::to_string(pick(0, 1));
        }
        case 6: {
          if (chosen.empty()) continue;
          return one_of(chosen) + " " + comparison() + " " + std::to_string(pick(0, 2));
        }
        case 7: {  // arithmetic, with a division that may be by zero
          if (faulty_ && chance(0.4)) return "2 / (x - " + std::to_string(pick(1, 2)) + ") >= 0";
          return "(x + P) % " + std::to_string(pick(2, 3)) + " == " + std::to_string(pick(0, 1));
        }
        case 8: {
          if (!mode_) continue;
          return std::string("m ") + (chance(0.5) ? "==" : "!=") + (chance(0.5) ? " Busy" : " Idle");
        }
        case 9: {  // inside a family: its index, or a neighbour
          if (!own || !own->copies) continue;
          if (chance(0.5)) return "i == " + std::to_string(pick(0, own->copies - 1));
          return "W[(i + 1) % " + std::to_string(own->copies) + "].S" + std::to_string(pick(0, own->states - 1));
        }
        case 10: return "x < K + P";
        default: {
          if (property) continue;
          return "(b ? x : 3 - x) >= " + std::to_string(pick(0, 3));
        }
      }
    }
  }

  std::string condition(const MachineShape* own, int atoms, bool property, const std::vector<std::string>& chosen = {}) {
    std::string out = atom(own, chosen, property);
    for (int k = 1; k < atoms; ++k) out += (chance(0.6) ? " && " : chance(0.5) ? " || " : " => ") + atom(own, chosen, property);
    if (atoms > 1 && chance(0.2)) out = "!(" + out + ")";
    return out;
  }

  // A clock-free condition for a state invariant: globals, other machines' states and variables.
  std::string invariant_condition(const MachineShape& own) {
    switch (pick(0, 4)) {
      case 0: return "x != " + std::to_string(pick(0, 3));
      case 1: {
        const MachineShape& s = shapes_[static_cast<std::size_t>(pick(0, static_cast<int>(shapes_.size()) - 1))];
        return std::string("!").append(instance(s)).append(".S").append(std::to_string(pick(1, s.states - 1)));
      }
      case 2: {
        const MachineShape& s = shapes_[static_cast<std::size_t>(pick(0, static_cast<int>(shapes_.size()) - 1))];
        if (s.local) return instance(s) + ".n <= " + std::to_string(pick(0, 1));
        return chance(0.5) ? "b" : "!b";
      }
      case 3: return faulty_ && chance(0.7) ? "a[x] == 0 || b" : "a[" + std::to_string(pick(0, 2)) + "] == 0 || x > 1";
      default: return own.local ? "n + x <= " + std::to_string(pick(2, 4)) : "x <= " + std::to_string(pick(1, 3));
    }
  }

  std::vector<std::string> updates(const MachineShape& s, const std::vector<std::string>& chosen) {
    std::vector<std::string> out;
    const int count = pick(0, 3);
    for (int k = 0; k < count; ++k) {
      switch (pick(0, 9)) {
        case 0: out.push_back(faulty_ && chance(0.5) ? "x := x + 1" : "x := (x + 1) % 4"); break;
        case 1: out.push_back(chosen.empty() ? "x := " + std::to_string(pick(0, 3)) : "x := " + one_of(chosen)); break;
        case 2: out.push_back("b := !b"); break;
        case 3: {
          std::string value = chosen.empty() ? std::to_string(pick(0, 1)) : one_of(chosen) + " % 2";
          out.push_back((faulty_ && chance(0.4) ? "a[x] := " : "a[(x + 1) % 3] := ") + value);
          break;
        }
        case 4:
          if (s.local) out.push_back(faulty_ && chance(0.5) ? "n := n + 1" : "n := (n + 1) % 3");
          break;
        case 5:
          if (s.clock) out.push_back(chance(0.7) ? "t := 0" : "t := x");
          break;
        case 6:
          if (faulty_ && s.local) out.push_back(chance(0.5) ? "x := 3 / n" : "x := 4 / (x + 1)");
          else out.push_back("x := b ? x : 3 - x");
          break;
        case 7:
          if (mode_) out.push_back(chance(0.5) ? "m := Busy" : "m := x > 1 ? Off : Idle");
          break;
        case 8:
          if (!chosen.empty()) out.push_back(faulty_ ? "x := x + " + one_of(chosen) : "x := (x + " + one_of(chosen) + ") % 4");
          break;
        default:
          if (s.copies) out.push_back("x := i");
          break;
      }
    }
    return out;
  }

  // Edge k leaves state k (modulo the states), so that every state has a way on; the first
  // edge is internal, so that every machine can move on its own.
  void edge(std::ostringstream& out, const MachineShape& s, int k) {
    out << "  S" << k % s.states << " -> S" << (k == 0 ? 1 : pick(0, s.states - 1));
    std::string sync;
    bool broadcast_receiver = false;
    if (k > 0 && chance(0.5)) {
      const bool emit = chance(0.5);
      std::string channel = chance(0.5) ? "bc" : "c";
      if (family() && chance(0.3)) {
        const int copies = family()->copies;
        if (s.copies) channel = emit ? "d[i]" : "d[(i + 1) % " + std::to_string(copies) + "]";
        else channel = "d[" + std::to_string(pick(0, copies - 1)) + "]";
      }
      sync = (emit ? " emit " : " on ") + channel + (emit ? "!" : "?");
      broadcast_receiver = !emit && channel == "bc";
    }
    std::vector<std::string> chosen;
    if (chance(0.3)) {
      chosen.push_back("v");
      // Each copy of a family receiving a broadcast multiplies the ways the broadcast can go: at
      // most two values there.
      switch (pick(0, broadcast_receiver && s.copies ? 1 : 4)) {
        case 0: out << " choose v in 0.." << pick(1, 2 - (broadcast_receiver && s.copies)); break;
        case 1: out << " choose v in x..x + 1"; break;  // the range depends on the state
        case 2: out << " choose v in 0..P"; break;
        case 3:
          if (faulty_ && chance(0.5)) out << " choose v in 0..(b ? 70000 : 1)";  // too wide while b holds
          else out << " choose v in 1..K";
          break;
        default:
          out << " choose v in 0..1 choose w in v..2";  // the second range reads the first value
          chosen.push_back("w");
          break;
      }
    }
    if (chance(k == 0 ? 0.3 : 0.6)) out << " when " << condition(&s, pick(1, 2), false, chosen);
    out << sync;
    if (!broadcast_receiver && std::bernoulli_distribution(0.25)(asap_rng_)) out << " asap";
    std::vector<std::string> u = updates(s, chosen);
    if (!u.empty()) {
      out << " do {";
      for (const std::string& x : u) out << " " << x << ";";
      out << " }";
    }
    out << ";\n";
  }

  void machine(std::ostringstream& out, const MachineShape& s) {
    out << "machine " << s.name;
    if (s.copies) out << "[i : 0.." << s.copies - 1 << "]";
    out << " {\n";
    if (s.clock) out << "  clock t;\n";
    if (s.local) out << "  var n : 0..2;\n";
    for (int k = 0; k < s.states; ++k) {
      out << "  " << (s.urgent[static_cast<std::size_t>(k)] ? "urgent " : "") << "state S" << k;
      std::vector<std::string> lines;
      if (s.clock && chance(0.35)) lines.push_back("t <= " + std::to_string(pick(1, 3)));
      // In the initial state an invariant that may be false makes the spec a model error at once:
      // only in some of the specs that may fail.
      if (k > 0 ? chance(0.25) : faulty_ && chance(0.1)) lines.push_back(invariant_condition(s));
      if (lines.empty()) {
        out << ";\n";
        continue;
      }
      out << " {";
      for (const std::string& l : lines) out << " invariant " << l << ";";
      out << " }\n";
    }
    out << "  init S0;\n";
    const int edges = pick(3, 5);
    for (int e = 0; e < edges; ++e) edge(out, s, e);
    out << "}\n";
  }
};

}  // namespace

std::string random_oracle_spec(uint32_t seed) {
  OracleGenerator g(seed);
  return g.spec(seed);
}

}  // namespace interlock::testing
