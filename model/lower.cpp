#include "model/lower.h"

#include <cstdio>

#include "model/input_file.h"
#include "model/lowerer.h"
#include "model/parser.h"
#include "model/stop.h"
#include "model/utf8.h"

namespace interlock {
namespace lowering {

void Lowerer::lower_all() {
  model_.system = spec_.system_name;
  if (!spec_.time_unit.empty()) model_.time_unit = spec_.time_unit;
  const int64_t tick_seconds = seconds_per_tick(spec_.time_unit);
  const bool clock = spec_.clock_literals || spec_.calendar != Calendar::None;
  if (tick_seconds > 0 && (clock || spec_.duration_literals)) model_.tick_seconds = tick_seconds;
  if (tick_seconds > 0 && clock) model_.calendar = spec_.calendar == Calendar::None ? Calendar::Day : spec_.calendar;
  model_.timers = spec_.timer_names;
  model_.timer_period = spec_.timer_period;
  model_.file = terminal_safe(diags_.file().path());
  declare_globals();
  declare_enums();
  declare_params();
  declare_channels();
  declare_global_vars();
  check_timer_delays();
  declare_machines();
  lower_initial_values();
  lower_machine_bodies();
  lower_assumes();
  lower_properties();
  finish_clocks();
}

void Lowerer::check_stop() const {
  std::string why = options_.stop_reason ? options_.stop_reason() : stop_requested() ? describe_stop_request() : "";
  if (!why.empty()) throw LoadStopped(diags_.file().path() + ": " + why + " while loading the spec");
}

void Lowerer::too_large(SourceLoc loc, const std::string& message) {
  diags_.error(loc, message);
  throw TooLarge{};
}

void Lowerer::note_work() {
  if (++work_ % kStopCheckEvery == 0) check_stop();
}

void Lowerer::count_node(const ast::Expr& e) {
  note_work();
  ++nodes_;
  if (nodes_ > kMaxNodes)
    too_large(expanding_ ? expanding_->loc : e.loc, "the spec is too large once quantifiers and machine copies are expanded: more than " +
                                                        std::to_string(kMaxNodes) + " operators and operands");
}

void Lowerer::reserve_slots(std::size_t more, SourceLoc loc) {
  if (model_.slots.size() + more > kMaxSlots)
    too_large(loc, "the state would hold more than " + std::to_string(kMaxSlots) +
                       " values (variables, array elements, clocks and machine states, in every machine copy)");
}

void Lowerer::abort_at(SourceLoc loc, const std::string& message) {
  diags_.error(loc, message);
  throw LowerAbort{};
}

void Lowerer::declare_name(const std::string& name, NameKind kind, int index, SourceLoc loc) {
  auto it = globals_.find(name);
  if (it != globals_.end()) {
    diags_.error(loc, "'" + name + "' is already declared at line " +
                          std::to_string(it->second.loc.line));
    return;
  }
  globals_[name] = {kind, index, loc};
}

}  // namespace lowering

Model lower(const ast::Spec& spec, Diagnostics& diags, const LowerOptions& options) {
  lowering::Lowerer lowerer(spec, diags, options);
  return lowerer.run();
}

namespace {

// A spec is UTF-8 text (non-ASCII is fine in comments); anything else is refused up front with
// one message instead of a screenful of lexer errors.
void check_is_text(const SourceFile& file) {
  const std::string& text = file.text();
  if (text.find('\0') != std::string::npos)
    throw InputError(file.path() + ": error: this is not a text file (it contains NUL bytes); a spec is UTF-8 text\n");
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[i]));
      throw InputError(render_diagnostic(file, {file.location_of(i), std::string("invalid UTF-8 (byte ") + byte +
                                                                         "); a spec is UTF-8 text"}));
    }
    i += length;
  }
}

}  // namespace

Model load_model_from_text(const std::string& path, const std::string& text, const LowerOptions& options) {
  SourceFile file(path, text);
  check_is_text(file);
  Diagnostics diags(file);
  Model model;
  try {
    ast::Spec spec = parse(file, diags);
    if (!diags.has_errors()) model = lower(spec, diags, options);  // no cascades from a broken parse
  } catch (const TooManyErrors&) {
  }
  if (diags.has_errors()) throw InputError(diags.render());
  return model;
}

Model load_model(const std::string& path, const LowerOptions& options) {
  constexpr std::size_t kMaxSpecBytes = 8u << 20;
  return load_model_from_text(path, read_input_file(path, "spec file", kMaxSpecBytes), options);
}

}  // namespace interlock
