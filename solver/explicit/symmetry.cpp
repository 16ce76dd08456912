#include "solver/explicit/symmetry.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

namespace interlock {
namespace {

using Op = Expr::Op;

// "Link[12]" -> ("Link", 12); false for a name without a trailing index.
bool split_indexed(const std::string& name, std::string& base, int64_t& index) {
  if (name.size() < 4 || name.back() != ']') return false;
  const std::size_t open = name.rfind('[');
  if (open == std::string::npos || open == 0 || open + 2 > name.size() - 1) return false;
  int64_t v = 0;
  for (std::size_t i = open + 1; i + 1 < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || v > (INT64_C(1) << 40)) return false;
    v = v * 10 + (name[i] - '0');
  }
  base = name.substr(0, open);
  index = v;
  return true;
}

struct Family {
  std::string machine;
  std::vector<int> copies;  // instance ids, by index
  int64_t first = 0, last = 0;
};

// A run of global slots or channels named base[0], base[1], ... in consecutive places.
struct Run {
  int first = 0, length = 0;
};

template <class Named, class Keep>
std::vector<Run> runs_of(const std::vector<Named>& items, Keep keep) {
  std::vector<Run> out;
  std::string run_base;
  int64_t expected = -1;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string base;
    int64_t index = 0;
    if (!keep(items[i]) || !split_indexed(items[i].name, base, index)) {
      expected = -1;
      continue;
    }
    if (expected >= 0 && base == run_base && index == expected) {
      ++out.back().length;
      ++expected;
      continue;
    }
    expected = -1;
    if (index != 0) continue;
    out.push_back({static_cast<int>(i), 1});
    run_base = base;
    expected = 1;
  }
  return out;
}

// Where a transposition sends slots, instances and channels (identity elsewhere).
struct Mapping {
  std::vector<int> slot, instance, channel;
};

constexpr int64_t kSmall = INT64_C(1) << 40;  // no sum of a few values of this size overflows

// Canonical printing of expressions and edges under a mapping: the same text for two pieces of
// the model exactly when they behave the same (faults included). Operands of commutative
// operators are sorted where their order cannot matter: == != and two-operand + *, whose
// operands are all evaluated; chains of && || + only when no operand can fail (then short-circuit
// evaluation cannot show the order either, and no partial sum can overflow). > >= become < <=.
class Printer {
 public:
  Printer(const Model& model, const Mapping* map) : model_(model), map_(map) {}

  bool ok() const { return why_.empty(); }
  const std::string& why() const { return why_; }

  std::string slot(int64_t s) const {
    return "s" + std::to_string(map_ ? map_->slot[static_cast<std::size_t>(s)] : s);
  }

  std::string expr(const Expr& e) {
    switch (e.op) {
      case Op::Const: return "#" + std::to_string(static_cast<int>(e.type)) + ":" + std::to_string(e.value);
      case Op::Param: return "p" + std::to_string(e.value);
      case Op::Slot: return slot(e.value);
      case Op::Element: {
        if (e.kids[0].is_const() && e.kids[0].value >= 0 && e.kids[0].value < e.size) return slot(e.value + e.kids[0].value);
        const std::size_t first = static_cast<std::size_t>(e.value);
        if (map_)
          for (int j = 0; j < e.size; ++j)
            if (map_->slot[first + static_cast<std::size_t>(j)] != map_->slot[first] + j)
              fail("an array whose elements are permuted is indexed by a value computed at run time");
        return "e" + slot(e.value) + ":" + std::to_string(e.size) + "[" + expr(e.kids[0]) + "]";
      }
      case Op::Choose: {
        auto it = choose_.find(e.value);
        return it == choose_.end() ? "v?" + std::to_string(e.value) : "v" + std::to_string(it->second);
      }
      case Op::Neg: return "(neg " + expr(e.kids[0]) + ")";
      case Op::Not: return "(! " + expr(e.kids[0]) + ")";
      case Op::Sub: return binary("-", e.kids[0], e.kids[1]);
      case Op::Div: return binary("/", e.kids[0], e.kids[1]);
      case Op::Mod: return binary("%", e.kids[0], e.kids[1]);
      case Op::Lt: return binary("<", e.kids[0], e.kids[1]);
      case Op::Le: return binary("<=", e.kids[0], e.kids[1]);
      case Op::Gt: return binary("<", e.kids[1], e.kids[0]);
      case Op::Ge: return binary("<=", e.kids[1], e.kids[0]);
      case Op::Implies: return binary("=>", e.kids[0], e.kids[1]);
      case Op::Ite: return "(? " + expr(e.kids[0]) + " " + expr(e.kids[1]) + " " + expr(e.kids[2]) + ")";
      case Op::Eq: return sorted_pair("==", e);
      case Op::Ne: return sorted_pair("!=", e);
      case Op::Mul: return sorted_pair("*", e);
      case Op::Add:
      case Op::And:
      case Op::Or: return chain(e);
    }
    return "?";
  }

  // An edge as its instance's (mapped) copy: its choose variables by their place in the edge.
  std::string edge(const Edge& e) {
    choose_.clear();
    for (std::size_t k = 0; k < e.chooses.size(); ++k) choose_[e.chooses[k].scratch] = static_cast<int>(k);
    std::string out = "I" + std::to_string(map_ ? map_->instance[static_cast<std::size_t>(e.instance)] : e.instance) + " " +
                      std::to_string(e.src) + ">" + std::to_string(e.dst) + (e.asap ? " asap" : "") + " sync" +
                      std::to_string(static_cast<int>(e.sync)) + ":" +
                      std::to_string(e.channel < 0 ? -1 : map_ ? map_->channel[static_cast<std::size_t>(e.channel)] : e.channel);
    out += " when " + (e.guard ? expr(*e.guard) : std::string("-"));
    out += " choose";
    for (const ChooseVar& c : e.chooses) out += " [" + expr(c.lo) + ".." + expr(c.hi) + "]";
    out += " do";
    for (const Update& u : e.updates) out += " " + expr(u.target) + ":=" + expr(u.value) + ";";
    choose_.clear();
    return out;
  }

 private:
  void fail(const std::string& why) {
    if (why_.empty()) why_ = why;
  }
  std::string binary(const char* op, const Expr& a, const Expr& b) {
    return std::string("(") + op + " " + expr(a) + " " + expr(b) + ")";
  }
  std::string sorted_pair(const char* op, const Expr& e) {
    std::string a = expr(e.kids[0]), b = expr(e.kids[1]);
    if (b < a) std::swap(a, b);
    return std::string("(") + op + " " + a + " " + b + ")";
  }
  void flatten(const Expr& e, Op op, std::vector<const Expr*>& out) const {
    if (e.op == op) {
      for (const Expr& k : e.kids) flatten(k, op, out);
    } else {
      out.push_back(&e);
    }
  }
  std::string chain(const Expr& e) {
    std::vector<const Expr*> operands;
    flatten(e, e.op, operands);
    std::size_t nodes = 0;
    bool safe = true;
    for (const Expr* k : operands) safe = safe && cannot_fail(*k, nodes);
    safe = safe && nodes < (1u << 20);
    if (!safe && e.op == Op::Add) return sorted_pair("+", e);
    std::vector<std::string> texts;
    for (const Expr* k : operands) texts.push_back(expr(*k));
    if (safe) std::sort(texts.begin(), texts.end());
    std::string out = e.op == Op::Add ? "(+" : e.op == Op::And ? (safe ? "(&&" : "(&&>") : (safe ? "(||" : "(||>");
    for (const std::string& t : texts) out += " " + t;
    return out + ")";
  }
  // Whether evaluating `e` can never fail: no division, remainder, product, index computed at run
  // time or choose variable (whose range may be anything), and every constant and parameter small.
  bool cannot_fail(const Expr& e, std::size_t& nodes) const {
    ++nodes;
    switch (e.op) {
      case Op::Div:
      case Op::Mod:
      case Op::Mul:
      case Op::Choose: return false;
      case Op::Element:
        if (!e.kids[0].is_const()) return false;
        break;
      case Op::Const:
        if (e.value > kSmall || e.value < -kSmall) return false;
        break;
      case Op::Param: {
        const Param& p = model_.params[static_cast<std::size_t>(e.value)];
        if (p.lo < -kSmall || p.hi > kSmall) return false;
        break;
      }
      default: break;
    }
    for (const Expr& k : e.kids)
      if (!cannot_fail(k, nodes)) return false;
    return true;
  }

  const Model& model_;
  const Mapping* map_;
  std::unordered_map<int64_t, int> choose_;  // scratch -> place in the edge being printed
  std::string why_;
};

// Everything a transposition is checked against, printed once without a mapping.
struct Original {
  std::vector<std::string> edge;                 // per edge
  std::vector<std::vector<std::string>> invariant;  // [instance][location]
  std::vector<std::string> initial;              // per slot
  std::vector<std::string> property;             // per checked property: a, b, within
  std::vector<std::string> watch;
};

std::string property_text(Printer& p, const Property& prop) {
  return (prop.a ? p.expr(*prop.a) : "-") + " | " + (prop.b ? p.expr(*prop.b) : "-") + " | " +
         (prop.within ? p.expr(*prop.within) : "-");
}

class Detector {
 public:
  Detector(const Model& model, const std::vector<int>& properties, const DeadClocks& dead, const std::vector<Expr>* watch)
      : model_(model), properties_(properties), dead_(dead), watch_(watch) {
    Printer p(model, nullptr);
    for (const Edge& e : model.edges) original_.edge.push_back(p.edge(e));
    for (const Instance& inst : model.instances) {
      original_.invariant.emplace_back();
      for (const Location& l : inst.locations) original_.invariant.back().push_back(l.invariant ? p.expr(*l.invariant) : "-");
    }
    for (const Expr& e : model.initial) original_.initial.push_back(p.expr(e));
    for (int prop : properties) original_.property.push_back(property_text(p, model.properties[static_cast<std::size_t>(prop)]));
    if (watch)
      for (const Expr& e : *watch) original_.watch.push_back(p.expr(e));
    owned_.resize(model.instances.size());
    for (std::size_t s = 0; s < model.slots.size(); ++s)
      if (model.slots[s].instance >= 0 && static_cast<int>(s) != model.instances[static_cast<std::size_t>(model.slots[s].instance)].location_slot)
        owned_[static_cast<std::size_t>(model.slots[s].instance)].push_back(static_cast<int>(s));
    slot_runs_ = runs_of(model.slots, [](const Slot& s) { return s.instance < 0; });
    channel_runs_ = runs_of(model.channels, [](const Channel&) { return true; });
    find_families();
    referenced_.resize(model.instances.size());
    uses_instance_.resize(model.instances.size());
    for (std::size_t i = 0; i < model.instances.size(); ++i) referenced_[i] = references(static_cast<int>(i));
  }

  const std::vector<Family>& families() const { return families_; }

  // Tries the families together as one group; on success appends it (and its transpositions'
  // edge and watch maps).
  bool try_group(const std::vector<int>& fams, std::vector<Symmetry::Group>& groups, std::vector<std::vector<int>>& edge_maps,
                 std::vector<std::vector<int>>& watch_maps, std::string& why) {
    Symmetry::Group g;
    if (!blocks_of(fams, g, why)) return false;
    if (g.blocks.size() > 256) {
      why = "more than 256 copies";
      return false;
    }
    for (const Symmetry::Group& other : groups)
      for (const auto& block : other.blocks)
        for (int s : block)
          for (const auto& mine : g.blocks)
            if (std::find(mine.begin(), mine.end(), s) != mine.end()) {
              why = "it shares " + model_.slots[static_cast<std::size_t>(s)].name + " with the group " + other.label;
              return false;
            }
    if (!receivers_commute(g, why)) return false;
    std::vector<std::vector<int>> new_edge_maps, new_watch_maps;
    for (std::size_t b = 0; b + 1 < g.blocks.size(); ++b) {
      Mapping m = transposition(g, b, b + 1);
      std::vector<int> edge_map, watch_map;
      if (!automorphism(m, edge_map, watch_map, why)) {
        why = "swapping blocks " + std::to_string(b) + " and " + std::to_string(b + 1) + " changes the model: " + why;
        return false;
      }
      new_edge_maps.push_back(std::move(edge_map));
      new_watch_maps.push_back(std::move(watch_map));
    }
    groups.push_back(std::move(g));
    for (auto& m : new_edge_maps) edge_maps.push_back(std::move(m));
    for (auto& m : new_watch_maps) watch_maps.push_back(std::move(m));
    return true;
  }

  std::string label(const std::vector<int>& fams) const {
    std::string out;
    for (int f : fams) {
      const Family& fam = families_[static_cast<std::size_t>(f)];
      out += (out.empty() ? "" : " with ") + fam.machine + "[" + std::to_string(fam.first) + ".." + std::to_string(fam.last) + "]";
    }
    return out;
  }

  // The arrays of slots and of channels the family's copies use (as ids: slot runs, then
  // channel runs after them).
  std::set<int> arrays_used(int f) const {
    std::set<int> out;
    for (int inst : families_[static_cast<std::size_t>(f)].copies)
      for (int r : referenced_[static_cast<std::size_t>(inst)]) out.insert(r);
    return out;
  }

  // Whether a copy of one family reads or writes a slot of a copy of the other.
  bool meet(int a, int b) const {
    for (int x : families_[static_cast<std::size_t>(a)].copies)
      for (int y : families_[static_cast<std::size_t>(b)].copies)
        if (uses_instance_[static_cast<std::size_t>(x)].count(y) || uses_instance_[static_cast<std::size_t>(y)].count(x)) return true;
    return false;
  }

 private:
  void find_families() {
    std::map<std::string, std::vector<std::pair<int64_t, int>>> by_machine;
    std::set<std::string> not_copies;
    for (std::size_t i = 0; i < model_.instances.size(); ++i) {
      const Instance& inst = model_.instances[i];
      std::string base;
      int64_t index = 0;
      if (!split_indexed(inst.name, base, index) || base != inst.machine) {
        not_copies.insert(inst.machine);
        continue;
      }
      by_machine[inst.machine].emplace_back(index, static_cast<int>(i));
    }
    for (auto& [machine, copies] : by_machine) {
      if (copies.size() < 2 || not_copies.count(machine)) continue;
      std::sort(copies.begin(), copies.end());
      Family f;
      f.machine = machine;
      f.first = copies.front().first;
      f.last = copies.back().first;
      bool distinct = true;
      for (std::size_t k = 0; k < copies.size(); ++k) {
        if (k > 0 && copies[k].first == copies[k - 1].first) distinct = false;
        f.copies.push_back(copies[k].second);
      }
      if (distinct) families_.push_back(std::move(f));
    }
  }

  // The slot runs (ids 0..) and channel runs (ids after the slot runs) an instance's edges and
  // invariants touch.
  std::set<int> references(int instance) {
    std::vector<bool> read(model_.slots.size(), false);
    std::set<int> channels;
    const Instance& inst = model_.instances[static_cast<std::size_t>(instance)];
    for (const Location& l : inst.locations)
      if (l.invariant) mark_reads(*l.invariant, read);
    for (int e : inst.edges) {
      const Edge& edge = model_.edges[static_cast<std::size_t>(e)];
      if (edge.guard) mark_reads(*edge.guard, read);
      for (const ChooseVar& c : edge.chooses) {
        mark_reads(c.lo, read);
        mark_reads(c.hi, read);
      }
      for (const Update& u : edge.updates) {
        mark_reads(u.target, read);
        mark_reads(u.value, read);
      }
      if (edge.channel >= 0) channels.insert(edge.channel);
    }
    for (std::size_t k = 0; k < read.size(); ++k)
      if (read[k] && model_.slots[k].instance >= 0 && model_.slots[k].instance != instance)
        uses_instance_[static_cast<std::size_t>(instance)].insert(model_.slots[k].instance);
    std::set<int> out;
    for (std::size_t r = 0; r < slot_runs_.size(); ++r)
      for (int k = 0; k < slot_runs_[r].length; ++k)
        if (read[static_cast<std::size_t>(slot_runs_[r].first + k)]) out.insert(static_cast<int>(r));
    for (std::size_t r = 0; r < channel_runs_.size(); ++r)
      for (int k = 0; k < channel_runs_[r].length; ++k)
        if (channels.count(channel_runs_[r].first + k)) out.insert(static_cast<int>(slot_runs_.size() + r));
    return out;
  }

  // Block b: copy b of each family (its location, then its clocks and variables), then element
  // b of every global array of N elements the copies use; its channels: element b of every
  // channel array of N the copies use.
  bool blocks_of(const std::vector<int>& fams, Symmetry::Group& g, std::string& why) const {
    const std::size_t n = families_[static_cast<std::size_t>(fams[0])].copies.size();
    g.label = label(fams);
    g.blocks.assign(n, {});
    g.channels.assign(n, {});
    std::set<int> used;
    for (int f : fams) {
      const Family& fam = families_[static_cast<std::size_t>(f)];
      if (fam.copies.size() != n) {
        why = "the families have different numbers of copies";
        return false;
      }
      for (int inst : fam.copies) {
        g.instances.push_back(inst);
        for (int r : referenced_[static_cast<std::size_t>(inst)]) used.insert(r);
      }
      const Instance& first = model_.instances[static_cast<std::size_t>(fam.copies[0])];
      for (std::size_t b = 0; b < n; ++b)
        if (fam.copies[b] != fam.copies[0] + static_cast<int>(b)) {
          // Broadcast receivers update in instance order: the argument in receivers_commute
          // needs each family's copies next to each other, in index order.
          why = "the copies of " + fam.machine + " are not consecutive machines";
          return false;
        }
      for (std::size_t b = 0; b < n; ++b) {
        const Instance& inst = model_.instances[static_cast<std::size_t>(fam.copies[b])];
        const auto& mine = owned_[static_cast<std::size_t>(fam.copies[b])];
        const auto& theirs = owned_[static_cast<std::size_t>(fam.copies[0])];
        if (mine.size() != theirs.size() || inst.locations.size() != first.locations.size()) {
          why = inst.name + " and " + first.name + " differ in shape";
          return false;
        }
        g.blocks[b].push_back(inst.location_slot);
        for (std::size_t k = 0; k < mine.size(); ++k) {
          const std::string& a = model_.slots[static_cast<std::size_t>(mine[k])].name;
          const std::string& z = model_.slots[static_cast<std::size_t>(theirs[k])].name;
          if (a.compare(0, inst.name.size(), inst.name) != 0 || z.compare(0, first.name.size(), first.name) != 0 ||
              a.substr(inst.name.size()) != z.substr(first.name.size())) {
            why = a + " has no counterpart in " + first.name;
            return false;
          }
          g.blocks[b].push_back(mine[k]);
        }
      }
    }
    for (int r : used) {
      if (r < static_cast<int>(slot_runs_.size())) {
        const Run& run = slot_runs_[static_cast<std::size_t>(r)];
        if (run.length != static_cast<int>(n)) continue;
        for (std::size_t b = 0; b < n; ++b) g.blocks[b].push_back(run.first + static_cast<int>(b));
      } else {
        const Run& run = channel_runs_[static_cast<std::size_t>(r) - slot_runs_.size()];
        if (run.length != static_cast<int>(n)) continue;
        for (std::size_t b = 0; b < n; ++b) g.channels[b].push_back(run.first + static_cast<int>(b));
      }
    }
    return true;
  }

  Mapping transposition(const Symmetry::Group& g, std::size_t b, std::size_t c) const {
    Mapping m;
    m.slot.resize(model_.slots.size());
    std::iota(m.slot.begin(), m.slot.end(), 0);
    m.instance.resize(model_.instances.size());
    std::iota(m.instance.begin(), m.instance.end(), 0);
    m.channel.resize(model_.channels.size());
    std::iota(m.channel.begin(), m.channel.end(), 0);
    for (std::size_t k = 0; k < g.blocks[b].size(); ++k) std::swap(m.slot[g.blocks[b][k]], m.slot[g.blocks[c][k]]);
    for (std::size_t k = 0; k < g.channels[b].size(); ++k) std::swap(m.channel[g.channels[b][k]], m.channel[g.channels[c][k]]);
    for (std::size_t k = 0; k < g.blocks[b].size(); ++k) {
      const int sb = model_.slots[static_cast<std::size_t>(g.blocks[b][k])].instance;
      const int sc = model_.slots[static_cast<std::size_t>(g.blocks[c][k])].instance;
      if (sb >= 0 && sc >= 0) {
        m.instance[static_cast<std::size_t>(sb)] = sc;
        m.instance[static_cast<std::size_t>(sc)] = sb;
      }
    }
    return m;
  }

  // Whether the mapping takes the model (as far as the search and the checked properties see
  // it) to itself; fills where it sends each edge and each watched condition.
  bool automorphism(const Mapping& m, std::vector<int>& edge_map, std::vector<int>& watch_map, std::string& why) const {
    Printer p(model_, &m);
    for (std::size_t s = 0; s < model_.slots.size(); ++s) {
      const Slot& a = model_.slots[s];
      const Slot& z = model_.slots[static_cast<std::size_t>(m.slot[s])];
      const int inst = a.instance < 0 ? -1 : m.instance[static_cast<std::size_t>(a.instance)];
      if (a.kind != z.kind || a.lo != z.lo || a.hi != z.hi || a.type != z.type || a.enum_id != z.enum_id || inst != z.instance) {
        why = a.name + " and " + z.name + " differ";
        return false;
      }
      if (p.expr(model_.initial[s]) != original_.initial[static_cast<std::size_t>(m.slot[s])]) {
        why = a.name + " and " + z.name + " start differently";
        return false;
      }
    }
    for (std::size_t c = 0; c < model_.channels.size(); ++c)
      if (model_.channels[c].broadcast != model_.channels[static_cast<std::size_t>(m.channel[c])].broadcast) {
        why = "channels " + model_.channels[c].name + " and " + model_.channels[static_cast<std::size_t>(m.channel[c])].name + " differ";
        return false;
      }
    edge_map.assign(model_.edges.size(), -1);
    for (std::size_t i = 0; i < model_.instances.size(); ++i) {
      const Instance& a = model_.instances[i];
      const std::size_t j = static_cast<std::size_t>(m.instance[i]);
      const Instance& z = model_.instances[j];
      if (a.machine != z.machine || a.initial != z.initial || a.locations.size() != z.locations.size() ||
          a.edges.size() != z.edges.size() || m.slot[static_cast<std::size_t>(a.location_slot)] != z.location_slot) {
        why = a.name + " and " + z.name + " differ";
        return false;
      }
      for (std::size_t l = 0; l < a.locations.size(); ++l) {
        const std::string inv = a.locations[l].invariant ? p.expr(*a.locations[l].invariant) : "-";
        if (a.locations[l].name != z.locations[l].name || a.locations[l].urgent != z.locations[l].urgent ||
            inv != original_.invariant[j][l]) {
          why = "state " + a.locations[l].name + " of " + a.name + " and of " + z.name + " differ";
          return false;
        }
        if (!dead_.empty()) {
          std::vector<int> mapped, theirs = dead_[j][l];
          for (int c : dead_[i][l]) mapped.push_back(m.slot[static_cast<std::size_t>(c)]);
          std::sort(mapped.begin(), mapped.end());
          std::sort(theirs.begin(), theirs.end());
          if (mapped != theirs) {
            why = "the clocks held at 0 in " + a.name + "." + a.locations[l].name + " differ";
            return false;
          }
        }
      }
      // Edges, up to their order: each mapped edge of `a` is an edge of `z`, one to one.
      std::unordered_map<std::string, std::vector<int>> free;
      for (auto it = z.edges.rbegin(); it != z.edges.rend(); ++it) free[original_.edge[static_cast<std::size_t>(*it)]].push_back(*it);
      for (int e : a.edges) {
        const std::string text = p.edge(model_.edges[static_cast<std::size_t>(e)]);
        auto it = free.find(text);
        if (it == free.end() || it->second.empty()) {
          why = "an edge of " + a.name + " (line " + std::to_string(model_.edges[static_cast<std::size_t>(e)].loc.line) +
                ") has no counterpart in " + z.name;
          return false;
        }
        edge_map[static_cast<std::size_t>(e)] = it->second.back();
        it->second.pop_back();
      }
    }
    for (std::size_t k = 0; k < properties_.size(); ++k) {
      const Property& prop = model_.properties[static_cast<std::size_t>(properties_[k])];
      if (property_text(p, prop) != original_.property[k]) {
        why = "property '" + prop.name + "' is not symmetric";
        return false;
      }
    }
    if (watch_) {
      std::unordered_map<std::string, std::vector<int>> free;
      for (std::size_t w = watch_->size(); w-- > 0;) free[original_.watch[w]].push_back(static_cast<int>(w));
      for (const Expr& e : *watch_) {
        auto it = free.find(p.expr(e));
        if (it == free.end() || it->second.empty()) {
          why = "a watched condition has no counterpart";
          return false;
        }
        watch_map.push_back(it->second.back());
        it->second.pop_back();
      }
    }
    if (!p.ok()) {
      why = p.why();
      return false;
    }
    return true;
  }

  // The receivers of a broadcast run their updates in instance order: where copies in two
  // blocks receive the same broadcast, swapping the blocks swaps the order of their updates. That
  // order must not matter: the receivers of different blocks write no slot the others read or
  // write, except counters that each receiver only moves by a constant of one sign (`n := n + 1`):
  // their final value is the same in any order, and so is whether some step leaves their range.
  bool receivers_commute(const Symmetry::Group& g, std::string& why) const {
    std::vector<int> block_of(model_.instances.size(), -1);
    for (std::size_t b = 0; b < g.blocks.size(); ++b)
      for (int s : g.blocks[b])
        if (model_.slots[static_cast<std::size_t>(s)].kind == Slot::Kind::Location)
          block_of[static_cast<std::size_t>(model_.slots[static_cast<std::size_t>(s)].instance)] = static_cast<int>(b);
    for (std::size_t c = 0; c < model_.channels.size(); ++c) {
      if (!model_.channels[c].broadcast) continue;
      struct Use {
        int block;
        std::vector<bool> written, read;
      };
      std::vector<Use> uses;
      std::set<int> blocks;
      std::map<int, int> counter_sign;  // slot -> +1 / -1 for a counter, 0 when the signs are mixed
      for (const Edge& e : model_.edges) {
        if (e.sync != SyncKind::Receive || e.channel != static_cast<int>(c)) continue;
        const int b = block_of[static_cast<std::size_t>(e.instance)];
        if (b < 0) continue;
        blocks.insert(b);
        Use u{b, std::vector<bool>(model_.slots.size(), false), std::vector<bool>(model_.slots.size(), false)};
        for (const Update& up : e.updates) {
          const Expr& v = up.value;
          if (up.target.op == Op::Slot && v.op == Op::Add && v.kids.size() == 2) {
            const Expr* other = nullptr;
            if (v.kids[0].op == Op::Slot && v.kids[0].value == up.target.value) other = &v.kids[1];
            if (v.kids[1].op == Op::Slot && v.kids[1].value == up.target.value) other = &v.kids[0];
            if (other && other->is_const() && other->value != 0 && other->value < kSmall && other->value > -kSmall) {
              const int sign = other->value > 0 ? 1 : -1;
              auto [it, fresh] = counter_sign.emplace(static_cast<int>(up.target.value), sign);
              if (!fresh && it->second != sign) it->second = 0;
              continue;
            }
          }
          mark_reads(up.value, u.read);
          if (up.target.op == Op::Element) {
            mark_reads(up.target.kids[0], u.read);
            for (int k = 0; k < up.target.size; ++k) u.written[static_cast<std::size_t>(up.target.value + k)] = true;
          } else {
            u.written[static_cast<std::size_t>(up.target.value)] = true;
          }
        }
        uses.push_back(std::move(u));
      }
      if (blocks.size() < 2) continue;
      const std::string chan = "the receivers of broadcast " + model_.channels[c].name + " in different copies ";
      for (const auto& [slot, sign] : counter_sign) {
        bool touched = sign == 0;
        for (const Use& u : uses) touched = touched || u.written[static_cast<std::size_t>(slot)] || u.read[static_cast<std::size_t>(slot)];
        if (touched) {
          why = chan + "update " + model_.slots[static_cast<std::size_t>(slot)].name + " in an order that may matter";
          return false;
        }
      }
      for (std::size_t x = 0; x < uses.size(); ++x)
        for (std::size_t y = 0; y < uses.size(); ++y) {
          if (uses[x].block == uses[y].block) continue;
          for (std::size_t s = 0; s < model_.slots.size(); ++s)
            if (uses[x].written[s] && (uses[y].written[s] || uses[y].read[s])) {
              why = chan + "both use " + model_.slots[s].name + ", one writing it";
              return false;
            }
        }
    }
    return true;
  }

  const Model& model_;
  const std::vector<int>& properties_;
  const DeadClocks& dead_;
  const std::vector<Expr>* watch_;
  Original original_;
  std::vector<std::vector<int>> owned_;  // per instance: its slots but its location, in order
  std::vector<Run> slot_runs_, channel_runs_;
  std::vector<Family> families_;
  std::vector<std::set<int>> referenced_;  // per instance: the runs it uses
  std::vector<std::set<int>> uses_instance_;  // per instance: the other instances whose slots it reads or writes
};

// Lexicographic order of two blocks' values, `width` values each.
template <class T>
bool before(const T* a, const T* b, std::size_t width) {
  for (std::size_t k = 0; k < width; ++k)
    if (a[k] != b[k]) return a[k] < b[k];
  return false;
}

// The blocks' order once sorted (insertion sort: few blocks); false when they already are.
template <class T>
bool sort_order(const T* values, std::size_t blocks, std::size_t width, uint8_t* order) {
  bool sorted = true;
  for (std::size_t b = 1; b < blocks && sorted; ++b) sorted = !before(values + b * width, values + (b - 1) * width, width);
  if (sorted) return false;
  for (std::size_t b = 0; b < blocks; ++b) {
    std::size_t at = b;
    while (at > 0 && before(values + b * width, values + order[at - 1] * width, width)) {
      order[at] = order[at - 1];
      --at;
    }
    order[at] = static_cast<uint8_t>(b);
  }
  return true;
}

}  // namespace

Symmetry::Symmetry(const Model& model) : layout_(model) {}

std::unique_ptr<Symmetry> Symmetry::detect(const Model& model, const std::vector<int>& properties, const DeadClocks& dead,
                                           const std::vector<Expr>* watch, std::vector<std::string>* notes) {
  bool copies = false;  // the usual case, no indexed machine, costs nothing more
  for (const Instance& inst : model.instances) copies = copies || inst.name != inst.machine;
  if (!copies) return nullptr;
  Detector detector(model, properties, dead, watch);
  const auto& families = detector.families();
  if (families.empty()) return nullptr;
  auto out = std::make_unique<Symmetry>(model);
  std::vector<bool> placed(families.size(), false);
  auto attempt = [&](const std::vector<int>& fams) {
    std::string why;
    if (detector.try_group(fams, out->groups_, out->edge_maps_, out->watch_maps_, why)) {
      for (int f : fams) placed[static_cast<std::size_t>(f)] = true;
      return;
    }
    if (notes) notes->push_back(detector.label(fams) + ": " + why);
  };
  for (std::size_t f = 0; f < families.size(); ++f) attempt({static_cast<int>(f)});
  // The families left, joined where they use the same arrays (of slots or channels) and have as
  // many copies: Link[i] and Remote[i] over dial[i].
  std::vector<int> component(families.size());
  std::iota(component.begin(), component.end(), 0);
  std::function<int(int)> root = [&](int f) { return component[f] == f ? f : component[f] = root(component[f]); };
  for (std::size_t a = 0; a < families.size(); ++a)
    for (std::size_t b = a + 1; b < families.size(); ++b) {
      if (placed[a] || placed[b] || families[a].copies.size() != families[b].copies.size()) continue;
      std::set<int> ua = detector.arrays_used(static_cast<int>(a)), ub = detector.arrays_used(static_cast<int>(b));
      bool shared = detector.meet(static_cast<int>(a), static_cast<int>(b));
      for (int r : ua) shared = shared || ub.count(r);
      if (shared) component[static_cast<std::size_t>(root(static_cast<int>(a)))] = root(static_cast<int>(b));
    }
  std::map<int, std::vector<int>> joined;
  for (std::size_t f = 0; f < families.size(); ++f)
    if (!placed[f]) joined[root(static_cast<int>(f))].push_back(static_cast<int>(f));
  for (const auto& [r, fams] : joined)
    if (fams.size() >= 2) attempt(fams);
  // Last, every family left with as many copies, all together.
  std::map<std::size_t, std::vector<int>> by_size;
  for (std::size_t f = 0; f < families.size(); ++f)
    if (!placed[f]) by_size[families[f].copies.size()].push_back(static_cast<int>(f));
  for (const auto& [size, fams] : by_size) {
    bool tried = fams.size() < 2;
    for (const auto& [r, component_fams] : joined) tried = tried || component_fams == fams;
    if (!tried) attempt(fams);
  }
  if (out->groups_.empty()) return nullptr;

  // Where each group's slots are in the packed state.
  std::vector<int> field_of(model.slots.size(), -1);
  for (std::size_t f = 0; f < out->layout_.fields().size(); ++f) field_of[out->layout_.fields()[f].slot] = static_cast<int>(f);
  for (const Group& g : out->groups_) {
    Packed p;
    p.blocks = g.blocks.size();
    std::vector<std::size_t> kept;
    for (std::size_t k = 0; k < g.blocks[0].size(); ++k)
      if (field_of[static_cast<std::size_t>(g.blocks[0][k])] >= 0) kept.push_back(k);
    p.width = kept.size();
    for (std::size_t b = 0; b < p.blocks; ++b)
      for (std::size_t k : kept) {
        const int f = field_of[static_cast<std::size_t>(g.blocks[b][k])];
        if (f < 0) throw std::logic_error("internal error: corresponding slots of a symmetry group are packed differently");
        const StateLayout::Field& field = out->layout_.fields()[static_cast<std::size_t>(f)];
        p.byte.push_back(field.byte);
        p.shift.push_back(field.shift);
        p.mask.push_back(field.mask);
      }
    out->packed_.push_back(std::move(p));
  }
  return out;
}

void Symmetry::canonicalise(uint8_t* packed) const {
  for (const Packed& p : packed_) {
    const std::size_t n = p.blocks * p.width;
    thread_local std::vector<uint64_t> values;
    if (values.size() < n) values.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      uint64_t word;
      std::memcpy(&word, packed + p.byte[i], 8);
      values[i] = (word >> p.shift[i]) & p.mask[i];
    }
    uint8_t order[256];
    if (p.blocks > 256 || !sort_order(values.data(), p.blocks, p.width, order)) continue;
    for (std::size_t t = 0; t < p.blocks; ++t) {
      if (order[t] == t) continue;
      const uint64_t* from = values.data() + order[t] * p.width;
      for (std::size_t k = 0; k < p.width; ++k) {
        const std::size_t i = t * p.width + k;
        uint64_t word;
        std::memcpy(&word, packed + p.byte[i], 8);
        word = (word & ~(p.mask[i] << p.shift[i])) | (from[k] << p.shift[i]);
        std::memcpy(packed + p.byte[i], &word, 8);
      }
    }
  }
}

void Symmetry::canonicalise(int32_t* state) const {
  for (const Group& g : groups_) {
    const std::size_t blocks = g.blocks.size(), width = g.blocks[0].size();
    std::vector<int32_t> values(blocks * width);
    for (std::size_t b = 0; b < blocks; ++b)
      for (std::size_t k = 0; k < width; ++k) values[b * width + k] = state[g.blocks[b][k]];
    uint8_t order[256];
    if (blocks > 256 || !sort_order(values.data(), blocks, width, order)) continue;
    for (std::size_t t = 0; t < blocks; ++t)
      for (std::size_t k = 0; k < width; ++k) state[g.blocks[t][k]] = values[order[t] * width + k];
  }
}

void Symmetry::close_edges(std::vector<uint8_t>& taken) const {
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& map : edge_maps_)
      for (std::size_t e = 0; e < map.size() && e < taken.size(); ++e)
        if (taken[e] && !taken[static_cast<std::size_t>(map[e])]) {
          taken[static_cast<std::size_t>(map[e])] = 1;
          changed = true;
        }
  }
}

void Symmetry::close_watched(std::vector<Coverage::Seen>& seen) const {
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& map : watch_maps_)
      for (std::size_t w = 0; w < map.size() && w < seen.size(); ++w) {
        Coverage::Seen& image = seen[static_cast<std::size_t>(map[w])];
        if (seen[w] != Coverage::Seen::Never && image == Coverage::Seen::Never) {
          image = seen[w];
          changed = true;
        }
      }
  }
}

std::string Symmetry::describe() const {
  std::string out;
  for (const Group& g : groups_)
    out += (out.empty() ? "" : "; ") + g.label + " (" + std::to_string(g.blocks.size()) + " blocks)";
  return out;
}

}  // namespace interlock
