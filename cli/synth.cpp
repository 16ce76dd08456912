#include "cli/synth.h"

#include "model/lower.h"
#include "solver/synthesis.h"
#include "solver/z3/chc_engine.h"

namespace interlock {

int run_synth(const Options& options, std::ostream& out, std::ostream&) {
  Model model = load_model(options.spec, options.lower);
  std::vector<int> props;
  if (options.props.empty()) {
    for (std::size_t i = 0; i < model.properties.size(); ++i)
      if (model.properties[i].kind == Property::Kind::Invariant) props.push_back(static_cast<int>(i));
    if (props.empty()) throw InputError(options.spec + ": error: the spec has no invariant to synthesize for\n");
  } else {
    for (const std::string& name : options.props) {
      int index = model.find_property(name);
      if (index < 0) throw InputError(options.spec + ": error: no property named '" + name + "'\n");
      props.push_back(index);
    }
  }
  const std::string& param = options.synth_params.front();
  ChcEngine chc;
  Prover prove = [&](const Model& m, const std::vector<int>& p, RunContext& context) { return chc.check(m, p, context); };
  SynthesisResult result = synthesize(model, param, props, prove, options.limits);

  std::string names;
  for (int i : props) names += (names.empty() ? "" : ", ") + model.properties[i].name;
  const Param& p = model.params[model.find_param(param)];
  out << "interlock synth: " << options.spec << ": " << names << ", over " << param << " in " << p.lo << ".." << p.hi
      << ", every other parameter at its value\n";
  for (const SourceLoc& loc : result.set_aside)
    out << "set aside: the spec's assumption at " << options.spec << ":" << loc.line << ":" << loc.col << " mentions " << param
        << ", which is what synth looks for\n";
  out << (result.exact() ? "holds exactly when: " : "holds at least when: ") << result.condition() << "\n";
  for (const ParamInterval& i : result.intervals) {
    std::string range = i.lo == i.hi ? " = " + std::to_string(i.lo) : " in " + std::to_string(i.lo) + ".." + std::to_string(i.hi);
    out << "  " << param << range << ": " << verdict_name(i.verdict) << " (" << i.evidence << ")\n";
  }
  out << (result.exact() ? "exact: every value of " + param + " is decided\n"
                         : "an under-approximation: some values are undecided (see above)\n");
  return result.exact() ? 0 : 3;
}

}  // namespace interlock
