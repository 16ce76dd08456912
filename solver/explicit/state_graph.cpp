#include "solver/explicit/state_graph.h"

// GCC 12 reports a false -Wmaybe-uninitialized inside Boost's graphviz writer at -O2 (clang,
// which builds the fuzzers, has no such warning).
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

#include "solver/explicit/explorer.h"

namespace interlock {
namespace {

struct VertexInfo {
  std::string label;
};
struct EdgeInfo {
  std::string label;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexInfo, EdgeInfo>;

std::string state_label(const Model& model, const std::vector<int32_t>& s) {
  std::string out;
  for (std::size_t i = 0; i < model.slots.size(); ++i) {
    const Slot& slot = model.slots[i];
    std::string v = format_value(model, static_cast<int>(i), s[i]);
    out += (out.empty() ? "" : "\\n") + (slot.kind == Slot::Kind::Location ? slot.name + "." + v : slot.name + "=" + v);
  }
  return out;
}

std::string step_label(const Semantics& sem, const Step& step) {
  if (step.tick) return "tick";
  std::string out;
  if (step.channel >= 0) out = sem.model().channels[step.channel].name + ": ";
  return out + describe_step_edges(sem.model(), step, "\\n");
}

// Writes `[label="..."]` for a vertex or an edge; labels hold only names, numbers and "\n".
struct LabelWriter {
  const Graph& g;
  template <class Descriptor>
  void operator()(std::ostream& out, const Descriptor& d) const {
    out << "[label=\"";
    for (char c : g[d].label) {
      if (c == '"') out << "\\\"";
      else out << c;
    }
    out << "\"]";
  }
};

}  // namespace

GraphResult write_state_graph(const Model& model, RunContext& context, uint64_t max_states,
                              const std::function<std::ostream&()>& output) {
  Semantics semantics(model);
  Explorer explorer(semantics, context);
  GraphResult result;
  bool too_big = false;
  Explorer::Outcome outcome = explorer.run_packed([&](uint32_t index, const uint8_t*) {
    if (index >= max_states) too_big = true;
    return too_big;
  });
  result.states = explorer.store().size();
  if (too_big) {
    result.message = "the state graph has more than " + std::to_string(max_states) +
                     " states; raise the limit with --max-states N";
    return result;
  }
  if (outcome == Explorer::Outcome::Fault) {
    result.message = "model error while exploring: " + explorer.fault().message;
    return result;
  }
  if (outcome == Explorer::Outcome::Limit) {
    result.message = explorer.limit_reason();
    return result;
  }
  const StateStore& store = explorer.store();
  Graph g(store.size());
  std::vector<uint8_t> packed(explorer.layout().buffer_bytes());
  uint64_t label_bytes = 0;  // the labels are most of the graph's memory: they count against --memory
  for (uint32_t v = 0; v < store.size(); ++v) {
    if (context.timed_out() || context.over_memory(store.memory_bytes() + label_bytes)) {
      result.message = context.timed_out() ? context.stop_reason() : context.memory_limit_reached();
      result.message += " while labelling the graph's states";
      return result;
    }
    std::vector<int32_t> s = explorer.unpacked(v);
    g[v].label = state_label(model, s);
    label_bytes += g[v].label.size();
    s.resize(s.size() + 1);
    ModelFault fault;
    semantics.successors(s.data(), [&](const Step& step, const int32_t* next) {
      explorer.layout().pack(next, packed.data());
      uint32_t w = store.find(packed.data());
      auto [e, added] = boost::add_edge(v, w, g);
      g[e].label = step_label(semantics, step);
      label_bytes += g[e].label.size() + sizeof(EdgeInfo);
    }, fault);
  }
  boost::write_graphviz(output(), g, LabelWriter{g}, LabelWriter{g});
  result.written = true;
  return result;
}
#pragma GCC diagnostic pop

}  // namespace interlock
