#include "cli/synth.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "cli/json_report.h"
#include "cli/lint_command.h"
#include "cli/load_spec.h"
#include "model/joined.h"
#include "model/lower.h"
#include "solver/analysis/synthesis.h"
#include "solver/z3/chc_engine.h"

namespace interlock {

namespace {

// The answer respects the spec's assumptions about the parameter: synthesis decides every value
// without them (a fix's condition may be the very answer looked for), and the values they rule
// out are not reported as safe.
void print_answer(const Options& options, const SynthesisResult& result, std::ostream& out) {
  const std::string& param = result.param;
  if (!result.set_aside.empty()) {
    std::vector<std::string> where;
    for (std::size_t k = 0; k < result.set_aside.size(); ++k)
      where.push_back(options.spec + ":" + std::to_string(result.set_aside[k].line) + ":" + std::to_string(result.set_aside[k].col) +
                      (k < result.assumptions.size() ? " (" + result.assumptions[k] + ")" : ""));
    const bool one = where.size() == 1;
    out << (one ? "assumed: the spec's assumption at " : "assumed: the spec's assumptions at ") << joined(where, ", ") << " mention"
        << (one ? "s " : " ") << param << "; synth decides every value without " << (one ? "it" : "them");
    if (result.allowed_known && result.allowed_condition() == "true")
      out << "; " << (one ? "it allows" : "they allow") << " every value here\n";
    else if (result.allowed_known)
      out << ", and answers for the values " << (one ? "it allows" : "they allow") << ": " << result.allowed_condition() << "\n";
    else
      out << "; the range is too wide to apply " << (one ? "it" : "them") << " value by value: the answer holds where "
          << (one ? "it holds" : "they hold") << "\n";
  }
  out << (result.exact() ? "holds exactly when: " : "holds at least when: ") << result.condition() << "\n";
  for (const ParamInterval& i : result.shown()) {
    if (!i.assumed) out << "  " << result.interval_text(i) << ": ruled out by the spec's assumptions, not in the answer\n";
    else out << "  " << result.interval_text(i) << ": " << verdict_name(i.verdict) << " (" << i.evidence << ")\n";
  }
  if (result.condition_set_aside() != result.condition())
    out << "with the assumptions about " << param << " set aside, it holds " << (result.exact() ? "exactly" : "at least")
        << " when: " << result.condition_set_aside() << "\n";
}

// Synthesis shows the assumptions as the lowered model has them (`120 / T`); the answer shows them
// as the spec writes them (`2h / T`), found by their place in the spec.
std::optional<std::string> assumption_as_written(const Model& model, const SpecText& text, SourceLoc at) {
  for (std::size_t a = 0; a < model.assumes.size(); ++a)
    if (model.assume_locs[a].line == at.line && model.assume_locs[a].col == at.col) return text.expr(model, model.assumes[a]);
  return std::nullopt;
}

void write_assumptions_as_the_spec_does(const Model& model, const SpecText& text, SynthesisResult& result) {
  for (std::size_t k = 0; k < result.assumptions.size() && k < result.set_aside.size(); ++k)
    if (const auto written = assumption_as_written(model, text, result.set_aside[k])) result.assumptions[k] = *written;
}

std::vector<std::string> property_names(const Model& model, const std::vector<int>& props) {
  std::vector<std::string> names;
  for (int i : props) names.push_back(model.properties[static_cast<std::size_t>(i)].name);
  return names;
}

int print_relation(const Options& options, const Limits& limits, const Model& model, const std::vector<int>& props,
                   const std::string& names, const Prover& prove, const SynthProgress& progress, std::ostream& out) {
  const std::string& p = options.synth_params[0];
  const std::vector<std::string> others(options.synth_params.begin() + 1, options.synth_params.end());
  std::string list;
  for (const std::string& q : others) list += (list.empty() ? "" : ", ") + q;
  RelationResult r = synthesize_relation(model, p, others, props, prove, limits, progress);
  const SpecText text = spec_text_of(model, options.spec);
  for (RelationResult::Sample& sample : r.samples) write_assumptions_as_the_spec_does(model, text, sample.answer);
  // The condition was found with P's assumptions set aside and proven under the others' (those
  // that mention a Q): it is an answer where all of them hold.
  std::vector<std::string> assumed = r.samples.empty() ? std::vector<std::string>{} : r.samples.front().answer.assumptions;
  for (const SourceLoc at : r.others_assumed)
    if (const auto written = assumption_as_written(model, text, at)) assumed.push_back(*written);
  if (options.format == "json") {
    out << relation_report_json(options.spec, property_names(model, props), options.synth_params, r, assumed,
                                r.proven && !r.condition.empty() ? 0 : 3);
    return r.proven && !r.condition.empty() ? 0 : 3;
  }
  out << "interlock synth: " << model.file << ": " << names << ", " << p << (others.size() == 1 ? " as a line in " : " as a linear function of ")
      << list << ", every other parameter at its value\n";
  for (const RelationResult::Sample& sample : r.samples) {
    out << "at " << sample.where << ":\n";
    print_answer(options, sample.answer, out);
  }
  for (const std::string& corner : r.outside) out << "at " << corner << ": outside the spec's assumptions, not sampled\n";
  for (const std::string& fault : r.unevaluable) out << "at " << fault << " (a model error), not sampled\n";
  if (r.condition.empty()) {
    out << "no linear condition: " << r.why_not << "\n";
    return 3;
  }
  out << (r.proven ? "holds when: " : "candidate, not proven: ") << r.condition
      << (assumed.empty() ? "" : ", where the spec's assumptions hold: " + joined(assumed, " && ")) << "\n";
  // A corner where every value of P is ruled out or a model error has no answer to be exact at.
  auto answers = [](const SynthesisResult& a) {
    for (const ParamInterval& i : a.shown())
      if (i.assumed && i.verdict != Verdict::ModelError) return true;
    return false;
  };
  // "L = 0 and L = 3"; corners of several others in parentheses: "(L = 0, N = 0) and (L = 2, N = 0)".
  std::vector<std::string> tight_at, loose_at, none_at;
  for (const RelationResult::Sample& sample : r.samples)
    (!answers(sample.answer) ? none_at : sample.tight ? tight_at : loose_at)
        .push_back(others.size() == 1 ? sample.where : "(" + sample.where + ")");
  auto listed = [](std::vector<std::string> corners) {
    if (corners.size() < 2) return joined(corners, "");
    const std::string last = corners.back();
    corners.pop_back();
    return joined(corners, ", ") + " and " + last;
  };
  const std::string tight = listed(tight_at), loose = listed(loose_at), none = listed(none_at);
  if (r.proven) {
    out << "proven by chc for every " << p << ", " << list << " at once";
    if (!tight.empty()) out << "; exact at " << tight;
    if (!loose.empty()) out << "; stricter than needed at " << loose;
    if (!none.empty()) out << "; no answer at " << none << " (every value of " << p << " there is ruled out or a model error)";
    out << "; elsewhere an under-approximation (the values on the other side are not all checked)\n";
  } else {
    out << "chc did not prove it for every value of " << list << (r.why_unproven.empty() ? "" : " (" + r.why_unproven + ")")
        << ": the exact answers are those above\n";
  }
  return r.proven ? 0 : 3;
}

}  // namespace

int run_synth(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext loading(options.limits, nullptr);
  Model model = load_spec(options.spec, options.lower, loading);
  // --timeout bounds the whole command: what loading took is not given to synthesis again.
  Limits limits = options.limits;
  if (limits.timeout_seconds > 0) limits.timeout_seconds = std::max(0.001, limits.timeout_seconds - loading.elapsed());
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
  // Lint's static part, on the spec with the searched parameters free: before a long search, the
  // edges that nothing forces (the state-space part would need a search per value).
  if (options.lint) {
    std::vector<int> searched;
    for (const std::string& name : options.synth_params)
      if (model.find_param(name) >= 0) searched.push_back(model.find_param(name));
    try {
      const Model open = with_free_params(model, searched);
      LintReport lint;
      lint.warnings = lint_edges(open, spec_text_of(open, options.spec));
      print_run_lint(err, options.spec, lint);
    } catch (const std::exception& e) {
      std::string why = e.what();
      while (!why.empty() && why.back() == '\n') why.pop_back();
      err << "lint: not run: " << why << "\n";
    }
  }
  ChcEngine chc;
  Prover prove = [&](const Model& m, const std::vector<int>& p, RunContext& context) { return chc.check(m, p, context); };
  std::string names;
  for (int i : props) names += (names.empty() ? "" : ", ") + model.properties[i].name;
  // Findings go to stderr as they are made (the answer comes at the end, on stdout).
  const auto start = std::chrono::steady_clock::now();
  SynthProgress progress;
  if (!options.quiet)
    progress = [&](const std::string& line) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char stamp[32];
      std::snprintf(stamp, sizeof stamp, "[%.1f s] ", seconds);
      err << stamp << line << std::endl;
    };
  if (options.synth_params.size() >= 2) return print_relation(options, limits, model, props, names, prove, progress, out);
  SynthesisResult result = synthesize(model, param, props, prove, limits, progress);
  write_assumptions_as_the_spec_does(model, spec_text_of(model, options.spec), result);

  if (options.format == "json") {
    out << synth_report_json(options.spec, property_names(model, props), result, result.exact() ? 0 : 3);
    return result.exact() ? 0 : 3;
  }
  const Param& p = model.params[model.find_param(param)];
  ParamInterval range;
  range.lo = p.lo;
  range.hi = p.hi;
  out << "interlock synth: " << model.file << ": " << names << ", over " << result.interval_text(range)
      << ", every other parameter at its value\n";
  print_answer(options, result, out);
  out << (result.exact() ? "exact: every value of " + param + " is decided\n"
                         : "an under-approximation: some values are undecided (see above)\n");
  return result.exact() ? 0 : 3;
}

}  // namespace interlock
