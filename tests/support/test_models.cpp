#include "support/test_models.h"

#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <system_error>

namespace interlock::testing {

std::vector<std::pair<std::string, Model>> repository_models(const std::function<bool(const std::string&)>& skip) {
  std::vector<std::pair<std::string, Model>> models;
  for (const char* dir : {"specs", "tests/regress", "tests/data"})
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::filesystem::path(INTERLOCK_SOURCE_DIR) / dir)) {
      const std::string path = entry.path().string();
      if (entry.path().extension() != ".sched" || (skip && skip(path))) continue;
      Model model;
      try {
        model = load_model(path);
      } catch (const InputError&) {
        continue;  // the specs that are meant to be rejected
      }
      bool free = false;
      for (const Param& p : model.params) free = free || !p.value;
      if (!free) models.emplace_back(path, std::move(model));
    }
  return models;
}

namespace {

// The folder of this test process's spec files: made by mkdtemp (private, a name no one else can
// have taken, so no planted link is followed) and removed with its files when the process ends.
// Each test runs in a process of its own.
class TempSpecFolder {
 public:
  TempSpecFolder() {
    std::string name = (std::filesystem::temp_directory_path() / "interlock-test-XXXXXX").string();
    if (mkdtemp(name.data())) path_ = name;
  }
  ~TempSpecFolder() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

std::string write_temp_spec(const std::string& name, const std::string& text) {
  static TempSpecFolder folder;
  if (folder.path().empty()) throw std::runtime_error("cannot make a temporary folder for test specs");
  const std::filesystem::path path = folder.path() / (name + ".sched");
  std::ofstream(path) << text;
  return path.string();
}

std::string far_target_spec(int rounds) {
  const std::string n = std::to_string(rounds);
  return "system far in minutes;\n"
         "var blocked : bool = false;\n"
         "var n : 0.." + n + " = 0;\n"
         "machine Guard { state Open; state Shut; init Open; Open -> Shut do blocked := true; }\n"
         "machine Job { clock c; state Wait { invariant c <= 2; } state Done; init Wait;\n"
         "  Wait -> Wait when c == 2 && blocked do c := 0;\n"
         "  Wait -> Wait when c == 2 && !blocked && n < " + n + " do { c := 0; n := n + 1; };\n"
         "  Wait -> Done when !blocked && n == " + n + "; }\n"
         "response finishes: Job.Wait leads_to Job.Done;\n";
}

std::string replay(const Model& model, const Trace& trace) {
  Semantics sem(model);
  std::vector<int32_t> state;
  ModelFault fault;
  if (!sem.initial(state, fault)) return "initial state fails: " + fault.message;
  if (trace.states.empty() || trace.states[0] != state) return "the trace does not start in the initial state";
  if (trace.states.size() != trace.steps.size() + 1) return "states and steps do not line up";
  std::vector<int32_t> next(state.size() + 1);
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    state.resize(model.slots.size() + 1);
    Applied a = sem.apply(state.data(), trace.steps[i], next.data(), fault);
    if (a != Applied::Taken) return "step " + std::to_string(i + 1) + " cannot be taken";
    state.assign(next.begin(), next.begin() + static_cast<std::ptrdiff_t>(model.slots.size()));
    if (state != trace.states[i + 1]) return "step " + std::to_string(i + 1) + " leads elsewhere";
  }
  if (trace.loop_start >= 0 &&
      (static_cast<std::size_t>(trace.loop_start) >= trace.steps.size() || trace.states.back() != trace.states[static_cast<std::size_t>(trace.loop_start)]))
    return "the cycle does not come back to the state at step " + std::to_string(trace.loop_start);
  return "";
}

NaiveSearch naive_bfs(const Model& model, const std::string& bad_property) {
  Semantics sem(model);
  Compiled bad;
  bool have_bad = false;
  if (!bad_property.empty()) {
    const Property& p = model.properties.at(model.find_property(bad_property));
    Expr negated;
    negated.op = Expr::Op::Not;
    negated.type = ValueType::Bool;
    negated.kids.push_back(*p.a);
    bad = sem.compile(p.kind == Property::Kind::Invariant ? negated : *p.a);
    have_bad = true;
  }
  NaiveSearch out;
  std::map<std::vector<int32_t>, int> depth;
  std::deque<std::vector<int32_t>> queue;
  std::vector<int32_t> init;
  ModelFault fault;
  if (!sem.initial(init, fault)) throw std::runtime_error("initial state fails");
  depth[init] = 0;
  queue.push_back(init);
  while (!queue.empty()) {
    std::vector<int32_t> s = queue.front();
    queue.pop_front();
    int d = depth[s];
    if (have_bad && out.steps_to_bad < 0 && sem.holds(bad, s.data(), fault)) out.steps_to_bad = d;
    s.resize(model.slots.size() + 1);
    sem.successors(s.data(), [&](const Step&, const int32_t* next) {
      ++out.transitions;
      std::vector<int32_t> n(next, next + model.slots.size());
      if (depth.emplace(n, d + 1).second) queue.push_back(n);
    }, fault);
  }
  out.states = depth.size();
  return out;
}

namespace {

// What the naive searches look for: a state where an invariant fails, or where a reachable
// condition holds; and where they start.
struct Goal {
  Goal(const Model& model, const std::string& property) : sem(model) {
    const Property& p = model.properties.at(model.find_property(property));
    cond = sem.compile(*p.a);
    want = p.kind == Property::Kind::Reachable;
  }
  bool reached(const std::vector<int32_t>& s) {
    ModelFault fault;
    return sem.holds(cond, s.data(), fault) == want;
  }
  std::vector<int32_t> initial() {
    std::vector<int32_t> init;
    ModelFault fault;
    if (!sem.initial(init, fault)) throw std::runtime_error("initial state fails");
    return init;
  }
  Semantics sem;
  Compiled cond;
  bool want = false;
};

}  // namespace

int64_t earliest_time(const Model& model, const std::string& property) {
  Goal goal(model, property);
  Semantics& sem = goal.sem;
  std::map<std::vector<int32_t>, int64_t> time;
  std::deque<std::vector<int32_t>> queue;
  const std::vector<int32_t> init = goal.initial();
  ModelFault fault;
  time[init] = 0;
  queue.push_back(init);
  while (!queue.empty()) {
    std::vector<int32_t> s = queue.front();
    queue.pop_front();
    int64_t t = time[s];
    if (goal.reached(s)) return t;  // 0-1 BFS pops states in time order
    s.resize(model.slots.size() + 1);
    sem.successors(s.data(), [&](const Step& step, const int32_t* next) {
      std::vector<int32_t> n(next, next + model.slots.size());
      int64_t nt = t + (step.tick ? 1 : 0);
      auto it = time.find(n);
      if (it != time.end() && it->second <= nt) return;
      time[n] = nt;
      if (step.tick) queue.push_back(n);
      else queue.push_front(n);
    }, fault);
  }
  return -1;
}

int fewest_symbolic_steps(const Model& model, const std::string& property) {
  Goal goal(model, property);
  Semantics& sem = goal.sem;
  std::map<std::vector<int32_t>, int> steps;
  std::deque<std::vector<int32_t>> queue;
  const std::vector<int32_t> init = goal.initial();
  ModelFault fault;
  steps[init] = 0;
  queue.push_back(init);
  const std::size_t n = model.slots.size();
  while (!queue.empty()) {
    std::vector<int32_t> s = queue.front();
    queue.pop_front();
    const int d = steps[s];
    if (goal.reached(s)) return d;
    auto reach = [&](const int32_t* next) {
      std::vector<int32_t> key(next, next + n);
      if (steps.emplace(key, d + 1).second) queue.push_back(key);
    };
    s.resize(n + 1);
    sem.successors(s.data(), [&](const Step& step, const int32_t* next) {
      if (!step.tick) reach(next);
    }, fault);
    // One delay step reaches every state a run of one or more ticks reaches.
    std::vector<int32_t> now = s, later(n + 1);
    while (sem.tick(now.data(), later.data(), fault) && !std::equal(later.begin(), later.begin() + n, now.begin())) {
      reach(later.data());
      now = later;
    }
  }
  return -1;
}

}  // namespace interlock::testing
