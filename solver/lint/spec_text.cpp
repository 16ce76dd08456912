#include "solver/lint/spec_text.h"

#include <optional>

#include "model/diagnostics.h"
#include "model/stuck_explanation.h"
#include "model/time_literals.h"

namespace interlock {

SpecText::SpecText(const Model& model, const std::string& text) : tick_seconds_(model.tick_seconds) {
  SourceFile file(model.file, text);
  Diagnostics diags(file);  // the spec was read before: any error here only leaves numbers shown
  tokens_ = lex(file, diags);
  auto is = [&](std::size_t k, Tok kind) { return k < tokens_.size() && tokens_[k].kind == kind; };
  for (std::size_t k = 0; k < tokens_.size(); ++k) {
    at_[{tokens_[k].loc.line, tokens_[k].loc.col}] = k;
    if (is(k, Tok::KwConst) && is(k + 1, Tok::Ident)) consts_.insert(tokens_[k + 1].text);
    // `machine Link[i : ...]` (a quantified name is not kept: its expansion gives it a value in
    // each term, `tok == 1 || tok == 2`)
    if (is(k, Tok::KwMachine) && is(k + 1, Tok::Ident) && is(k + 2, Tok::LBracket) && is(k + 3, Tok::Ident) && is(k + 4, Tok::Colon))
      indexes_.insert(tokens_[k + 3].text);
  }
  // Lines as the lexer counts them: a line ends at "\n", "\r\n" or a lone "\r".
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') {
      current += text[i];
      continue;
    }
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    lines_.push_back(std::move(current));
    current.clear();
  }
  lines_.push_back(std::move(current));
}

bool SpecText::nolint(int line) const {
  if (line < 1 || line > static_cast<int>(lines_.size())) return false;
  const std::string& text = lines_[static_cast<std::size_t>(line - 1)];
  const std::size_t comment = text.find("//");
  return comment != std::string::npos && text.find("nolint", comment) != std::string::npos;
}

bool SpecText::suppressed(SourceLoc loc) const { return loc.line > 0 && (nolint(loc.line) || nolint(loc.line - 1)); }

std::string SpecText::constant(const Expr& e, bool names) const {
  auto found = at_.find({e.loc.line, e.loc.col});
  if (found == at_.end()) return "";
  const Token& t = tokens_[found->second];
  auto ticks = [&](int64_t seconds) -> std::optional<int64_t> {
    if (tick_seconds_ <= 0) return std::nullopt;
    return literal_ticks(seconds, tick_seconds_);
  };
  switch (t.kind) {
    case Tok::Int:
      return t.value == e.value ? t.text : "";
    case Tok::Time:
    case Tok::Duration:
      return ticks(t.value) == e.value ? t.text : "";
    case Tok::Ident: {
      const int day = weekday_index(t.text);
      if (day >= 0 && found->second + 1 < tokens_.size() && tokens_[found->second + 1].kind == Tok::Time) {
        const Token& time = tokens_[found->second + 1];
        return ticks(time.value + day * kSecondsPerDay) == e.value ? t.text + " " + time.text : "";
      }
      // A constant's name; a machine's index shows its value instead, unless `names`.
      return consts_.count(t.text) || (names && indexes_.count(t.text)) ? t.text : "";
    }
    default:
      return "";
  }
}

bool SpecText::folded_truth(const Expr& e) const {
  if (e.op != Expr::Op::Const || e.type != ValueType::Bool) return false;
  auto found = at_.find({e.loc.line, e.loc.col});
  if (found == at_.end()) return true;
  const Tok kind = tokens_[found->second].kind;
  return kind != Tok::KwTrue && kind != Tok::KwFalse;
}

Expr SpecText::without_folded_truths(const Expr& e) const {
  using Op = Expr::Op;
  Expr out = e;
  for (Expr& k : out.kids) k = without_folded_truths(k);
  if (out.op == Op::Not && out.kids.size() == 1 && folded_truth(out.kids[0])) {
    Expr negated = out.kids[0];  // still folded: its place holds no `true` or `false`
    negated.value = !negated.value;
    return negated;
  }
  if ((out.op != Op::And && out.op != Op::Or && out.op != Op::Implies) || out.kids.size() != 2) return out;
  if (out.op == Op::Implies) {
    // `true => b` is b, `false => b` and `a => true` are true, `a => false` is !a.
    const Expr &a = out.kids[0], &b = out.kids[1];
    if (folded_truth(a)) {
      if (a.value) return b;
      Expr truth = a;
      truth.value = 1;
      return truth;
    }
    if (folded_truth(b)) {
      if (b.value) return b;
      Expr negation;
      negation.op = Op::Not;
      negation.type = ValueType::Bool;
      negation.loc = a.loc;
      negation.kids.push_back(a);
      return negation;
    }
    return out;
  }
  // `a && true`, `a || false`: the folded part says nothing; `a && false`, `a || true`: it decides.
  const int64_t neutral = out.op == Op::And ? 1 : 0;
  for (std::size_t k = 0; k < out.kids.size(); ++k) {
    const Expr& kid = out.kids[k];
    if (!folded_truth(kid)) continue;
    return kid.value != neutral ? kid : out.kids[1 - k];
  }
  return out;
}

std::string SpecText::expr(const Model& model, const Expr& e, int own, bool names) const {
  if (tokens_.empty()) return expr_text(model, e, own);
  auto shown = [this, names](const Expr& c) { return constant(c, names); };
  // A copy's guard has its index folded in (`tok == 3 && i == 2` is `tok == 3 && true` in P[2]):
  // the folded truths are left out, as they hold or fail for that copy alone.
  if (names) return expr_text(model, without_folded_truths(e), own, shown);
  return expr_text(model, e, own, shown);
}

}  // namespace interlock
