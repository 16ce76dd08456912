#include "model/parser.h"

#include "model/time_literals.h"
#include "model/timers.h"

namespace interlock {
namespace {

using ast::Expr;
using ast::ExprP;

struct SyntaxError {};

class Parser {
 public:
  Parser(std::vector<Token> tokens, Diagnostics& diags) : toks_(std::move(tokens)), diags_(diags) {}

  ast::Spec spec() {
    ast::Spec out;
    if (toks_.size() == 1) {
      diags_.error(peek().loc, "empty spec: expected 'system NAME;'");
      return out;
    }
    guarded([&] {
      out.system_loc = peek().loc;
      expect(Tok::KwSystem, "a spec starts with 'system NAME;'");
      out.system_name = expect(Tok::Ident, "expected the system's name").text;
      if (accept(Tok::KwIn)) {
        const Token unit = expect(Tok::Ident, "expected the unit of time after 'in' (say, minutes)");
        tick_seconds_ = seconds_per_tick(unit.text);
        // `in minute` is `in minutes`: outputs say "wait 3 minutes" either way.
        out.time_unit = tick_seconds_ && unit.text.back() != 's' ? unit.text + "s" : unit.text;
        if (accept(Tok::Comma)) {
          const Token period = expect(Tok::Ident, "expected 'daily' or 'weekly' after ','");
          if (period.text == "daily") out.calendar = ast::Calendar::Day;
          else if (period.text == "weekly") out.calendar = ast::Calendar::Week;
          else diags_.error(period.loc, "expected 'daily' or 'weekly' after ',', found '" + period.text + "'");
          if (out.calendar != ast::Calendar::None && tick_seconds_ == 0)
            diags_.error(period.loc, "'" + period.text + "' needs a unit of clock time: seconds, minutes or hours, not '" +
                                         unit.text + "'");
        }
      }
      expect(Tok::Semi, "expected ';' after the system name");
    });
    spec_ = &out;
    while (!at(Tok::End)) {
      std::size_t before = pos_;
      guarded([&] { top_decl(out); });
      if (pos_ == before) advance();  // never loop on a token nobody consumes
    }
    return out;
  }

 private:
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  Diagnostics& diags_;
  int depth_ = 0;
  int64_t tick_seconds_ = 0;   // of the system's unit of time; 0 when it is not clock time
  ast::Spec* spec_ = nullptr;  // once the system line is read: its unit and calendar

  // Bounds the depth of the expression tree (nesting plus operator chains), so that no later
  // recursive pass over it can exhaust the stack.
  static constexpr int kMaxDepth = 400;

  const Token& peek(std::size_t ahead = 0) const {
    std::size_t p = pos_ + ahead;
    return p < toks_.size() ? toks_[p] : toks_.back();
  }
  bool at(Tok k) const { return peek().kind == k; }
  Token advance() {
    Token t = peek();
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool accept(Tok k) {
    if (!at(k)) return false;
    advance();
    return true;
  }
  [[noreturn]] void fail(const std::string& message) {
    const Token& t = peek();
    std::string found = t.kind == Tok::End ? "end of file"
                        : t.kind == Tok::Ident || t.kind == Tok::Int || t.kind == Tok::Time || t.kind == Tok::Duration
                            ? "'" + t.text + "'"
                                                                     : describe(t.kind);
    diags_.error(t.loc, message + ", found " + found);
    throw SyntaxError{};
  }
  Token expect(Tok k, const std::string& message) {
    if (!at(k)) fail(message);
    return advance();
  }

  // Runs one declaration; on a syntax error skips to a point where parsing can resume.
  template <class F>
  void guarded(F&& body) {
    try {
      body();
    } catch (const SyntaxError&) {
      synchronize();
    }
  }

  static bool starts_declaration(Tok k) {
    switch (k) {
      case Tok::KwConst: case Tok::KwParam: case Tok::KwAssume: case Tok::KwType: case Tok::KwVar:
      case Tok::KwChan: case Tok::KwBroadcast: case Tok::KwMachine: case Tok::KwInvariant:
      case Tok::KwReachable: case Tok::KwDeadlockFree: case Tok::KwResponse: case Tok::KwMaximum:
      case Tok::KwState: case Tok::KwUrgent: case Tok::KwClock: case Tok::KwInit: case Tok::KwSystem:
        return true;
      default:
        return false;
    }
  }

  void synchronize() {
    depth_ = 0;
    int braces = 0;
    while (!at(Tok::End)) {
      Tok k = peek().kind;
      if (k == Tok::LBrace) ++braces;
      if (k == Tok::RBrace) {
        if (braces == 0) return;  // let the enclosing block close itself
        --braces;
      }
      if (k == Tok::Semi && braces == 0) {
        advance();
        return;
      }
      if (braces == 0 && starts_declaration(k) && k != Tok::KwInvariant) return;
      advance();
    }
  }

  // ---- declarations ----
  void top_decl(ast::Spec& out) {
    switch (peek().kind) {
      case Tok::KwConst: {
        advance();
        ast::Const c;
        c.loc = peek().loc;
        c.name = expect(Tok::Ident, "expected a constant name").text;
        expect(Tok::Eq, "expected '=' after the constant name");
        c.value = expr();
        expect(Tok::Semi, "expected ';' after the constant");
        out.consts.push_back(std::move(c));
        return;
      }
      case Tok::KwParam: {
        advance();
        ast::Param p;
        p.loc = peek().loc;
        p.name = expect(Tok::Ident, "expected a parameter name").text;
        expect(Tok::Colon, "expected ':' and a range after the parameter name");
        p.range = range();
        if (accept(Tok::Eq)) p.default_value = expr();
        expect(Tok::Semi, "expected ';' after the parameter");
        out.params.push_back(std::move(p));
        return;
      }
      case Tok::KwAssume: {
        ast::Assume a;
        a.loc = advance().loc;
        a.cond = expr();
        expect(Tok::Semi, "expected ';' after the assumption");
        out.assumes.push_back(std::move(a));
        return;
      }
      case Tok::KwType: {
        advance();
        ast::EnumType e;
        e.loc = peek().loc;
        e.name = expect(Tok::Ident, "expected a type name").text;
        expect(Tok::Eq, "expected '=' after the type name");
        expect(Tok::LBrace, "expected '{' to list the enumeration's values");
        do {
          Token v = expect(Tok::Ident, "expected an enumeration value");
          e.values.emplace_back(v.text, v.loc);
        } while (accept(Tok::Comma));
        expect(Tok::RBrace, "expected ',' or '}' in the enumeration");
        expect(Tok::Semi, "expected ';' after the type");
        out.enums.push_back(std::move(e));
        return;
      }
      case Tok::KwVar:
        out.vars.push_back(var_decl());
        return;
      case Tok::KwChan:
      case Tok::KwBroadcast:
        chan_decl(out);
        return;
      case Tok::KwMachine:
        out.machines.push_back(machine());
        return;
      case Tok::KwInvariant:
      case Tok::KwReachable:
      case Tok::KwDeadlockFree:
      case Tok::KwResponse:
      case Tok::KwMaximum:
        out.properties.push_back(property());
        return;
      case Tok::KwClock:
      case Tok::KwState:
      case Tok::KwUrgent:
      case Tok::KwInit:
        fail(std::string(describe(peek().kind)) + " belongs inside a machine");
      default:
        // `timer` is a keyword only where a declaration starts, so a name `timer` elsewhere still works.
        if (peek().kind == Tok::Ident && peek().text == "timer" && peek(1).kind == Tok::Ident) {
          out.timers.push_back(timer());
          return;
        }
        fail("expected a declaration (const, param, assume, type, var, chan, machine, timer or a property)");
    }
  }

  ast::Timer timer() {
    advance();  // `timer`
    ast::Timer t;
    t.loc = peek().loc;
    t.name = expect(Tok::Ident, "expected the timer's name").text;
    expect(Tok::Eq, "expected '=' after the timer's name, as in 'timer nightly = cron \"30 2 * * *\" emit rotate!;'");
    const Token kind = expect(Tok::Ident, "expected 'cron' or 'systemd' after '='");
    if (kind.text == "cron") t.kind = ast::Timer::Kind::Cron;
    else if (kind.text == "systemd") t.kind = ast::Timer::Kind::Systemd;
    else diags_.error(kind.loc, "expected 'cron' or 'systemd' after '=', found '" + kind.text + "'");
    do {
      const Token text = expect(Tok::String, t.kind == ast::Timer::Kind::Cron ? "expected the cron schedule in quotes, as in \"30 2 * * *\""
                                                                            : "expected a setting in quotes, as in \"OnCalendar=daily\"");
      t.settings.push_back({text.text, {text.loc.line, text.loc.col + 1}});
    } while (accept(Tok::Comma));
    if (accept(Tok::KwWhen)) t.gate = expr();
    expect(Tok::KwEmit, "expected 'emit CHANNEL!' (or 'when CONDITION' before it): what the timer fires");
    t.emit.emit = true;
    t.emit.loc = peek().loc;
    t.emit.chan = expect(Tok::Ident, "expected a channel name").text;
    if (accept(Tok::LBracket)) {
      t.emit.index = expr();
      expect(Tok::RBracket, "expected ']' after the channel index");
    }
    expect(Tok::Bang, "expected '!' after the channel in 'emit c!'");
    expect(Tok::Semi, "expected ';' after the timer");
    return t;
  }

  ast::Range range() {
    ast::Range r;
    r.lo = additive();
    expect(Tok::DotDot, "expected '..' in a range 'lo..hi'");
    r.hi = additive();
    return r;
  }

  ast::Var var_decl() {
    expect(Tok::KwVar, "expected 'var'");
    ast::Var v;
    v.loc = peek().loc;
    v.name = expect(Tok::Ident, "expected a variable name").text;
    if (accept(Tok::LBracket)) {
      v.size = expr();
      expect(Tok::RBracket, "expected ']' after the array size");
    }
    expect(Tok::Colon, "expected ':' and a type after the variable name");
    v.type.loc = peek().loc;
    if (accept(Tok::KwBool)) {
      v.type.kind = ast::TypeRef::Kind::Bool;
    } else {
      ExprP first = additive();
      if (accept(Tok::DotDot)) {
        v.type.kind = ast::TypeRef::Kind::Range;
        v.type.range.lo = std::move(first);
        v.type.range.hi = additive();
      } else if (first->kind == Expr::Kind::Name) {
        v.type.kind = ast::TypeRef::Kind::Named;
        v.type.name = first->name;
      } else {
        diags_.error(v.type.loc, "expected a type: 'bool', an enumeration name, or a range 'lo..hi'");
        throw SyntaxError{};
      }
    }
    if (accept(Tok::Eq)) {
      if (accept(Tok::LBrace)) {
        v.has_init_list = true;
        do v.init_list.push_back(expr());
        while (accept(Tok::Comma));
        expect(Tok::RBrace, "expected ',' or '}' in the initial values");
      } else {
        v.init = expr();
      }
    }
    expect(Tok::Semi, "expected ';' after the variable");
    return v;
  }

  void chan_decl(ast::Spec& out) {
    bool broadcast = accept(Tok::KwBroadcast);
    expect(Tok::KwChan, "expected 'chan' after 'broadcast'");
    do {
      ast::Chan c;
      c.broadcast = broadcast;
      c.loc = peek().loc;
      c.name = expect(Tok::Ident, "expected a channel name").text;
      if (accept(Tok::LBracket)) {
        c.size = expr();
        expect(Tok::RBracket, "expected ']' after the channel array size");
      }
      out.chans.push_back(std::move(c));
    } while (accept(Tok::Comma));
    expect(Tok::Semi, "expected ';' after the channel declaration");
  }

  ast::Property property() {
    ast::Property p;
    p.loc = peek().loc;
    Tok k = advance().kind;
    if (k == Tok::KwDeadlockFree) {
      p.kind = ast::Property::Kind::DeadlockFree;
      p.name = "deadlock_free";
      expectation(p);
      expect(Tok::Semi, "expected ';' after 'deadlock_free'");
      return p;
    }
    p.name = expect(Tok::Ident, "expected the property's name").text;
    expect(Tok::Colon, "expected ':' after the property's name");
    switch (k) {
      case Tok::KwInvariant:
        p.kind = ast::Property::Kind::Invariant;
        p.a = expr();
        break;
      case Tok::KwReachable:
        p.kind = ast::Property::Kind::Reachable;
        p.a = expr();
        break;
      case Tok::KwResponse:
        p.kind = ast::Property::Kind::Response;
        p.a = expr();
        expect(Tok::KwLeadsTo, "expected 'leads_to' in a response property");
        p.b = expr();
        if (accept(Tok::KwWithin)) p.within = expr();
        break;
      default:
        p.kind = ast::Property::Kind::Maximum;
        p.a = expr();
        if (accept(Tok::KwLeadsTo)) {
          p.delay = true;
          p.b = expr();
        } else if (accept(Tok::KwWhen)) {
          p.b = expr();
        }
        break;
    }
    expectation(p);
    expect(Tok::Semi, "expected ';' after the property");
    return p;
  }

  // `expect holds|violated|reachable|unreachable|<= BOUND` before a property's ';' (a contextual
  // keyword: `expect` is an ordinary name elsewhere).
  void expectation(ast::Property& p) {
    if (!(peek().kind == Tok::Ident && peek().text == "expect")) return;
    p.expect_loc = advance().loc;
    if (accept(Tok::Le)) {
      p.expect = "<=";
      p.expect_bound = expr();
      return;
    }
    // `reachable` is a keyword (a property's kind), the other words are names.
    if (at(Tok::KwReachable)) {
      p.expect_loc = advance().loc;
      p.expect = "reachable";
      return;
    }
    const std::string& word = peek().text;
    if (!at(Tok::Ident) || (word != "holds" && word != "violated" && word != "unreachable"))
      fail("expected holds, violated, reachable, unreachable or '<= BOUND' after 'expect'");
    p.expect_loc = peek().loc;
    p.expect = advance().text;
  }

  ast::Machine machine() {
    expect(Tok::KwMachine, "expected 'machine'");
    ast::Machine m;
    m.loc = peek().loc;
    m.name = expect(Tok::Ident, "expected the machine's name").text;
    if (accept(Tok::LBracket)) {
      m.index_loc = peek().loc;
      m.index_name = expect(Tok::Ident, "expected an index name, as in 'machine Link[i : 0..N-1]'").text;
      expect(Tok::Colon, "expected ':' and a range after the index name");
      m.index_range = range();
      expect(Tok::RBracket, "expected ']' after the index range");
    }
    expect(Tok::LBrace, "expected '{' to open the machine's body");
    while (!at(Tok::RBrace) && !at(Tok::End)) {
      std::size_t before = pos_;
      guarded([&] { machine_member(m); });
      if (pos_ == before) advance();
    }
    expect(Tok::RBrace, "expected '}' to close machine '" + m.name + "'");
    return m;
  }

  void machine_member(ast::Machine& m) {
    switch (peek().kind) {
      case Tok::KwClock:
        advance();
        do {
          Token c = expect(Tok::Ident, "expected a clock name");
          m.clocks.emplace_back(c.text, c.loc);
        } while (accept(Tok::Comma));
        expect(Tok::Semi, "expected ';' after the clock declaration");
        return;
      case Tok::KwVar:
        m.vars.push_back(var_decl());
        return;
      case Tok::KwUrgent:
      case Tok::KwState:
        state_decl(m);
        return;
      case Tok::KwInit: {
        SourceLoc loc = advance().loc;
        if (m.has_init) diags_.error(loc, "machine '" + m.name + "' has more than one 'init'");
        m.init_loc = peek().loc;
        m.init = expect(Tok::Ident, "expected the initial state's name").text;
        m.has_init = true;
        expect(Tok::Semi, "expected ';' after 'init'");
        return;
      }
      case Tok::Ident:
        m.edges.push_back(edge());
        return;
      default:
        fail("expected a machine member (clock, var, state, init, or an edge 'A -> B ...;')");
    }
  }

  void state_decl(ast::Machine& m) {
    bool urgent = accept(Tok::KwUrgent);
    expect(Tok::KwState, "expected 'state' after 'urgent'");
    bool listed = false;  // a name after a comma
    do {
      ast::State s;
      s.urgent = urgent;
      s.loc = peek().loc;
      s.name = expect(Tok::Ident, "expected a state name").text;
      // `state A, B { invariant ... }` would read as an invariant of both, yet the body is B's.
      if (listed && at(Tok::LBrace))
        fail("a state with a body is declared alone ('state " + s.name +
             " { ... }'): the names before it in this list would not get its invariant");
      listed = true;
      if (accept(Tok::LBrace)) {
        while (!at(Tok::RBrace)) {
          expect(Tok::KwInvariant, "expected 'invariant' or '}' in a state body");
          s.invariants.push_back(expr());
          expect(Tok::Semi, "expected ';' after the invariant");
        }
        advance();
        m.states.push_back(std::move(s));
        accept(Tok::Semi);
        return;
      }
      m.states.push_back(std::move(s));
    } while (accept(Tok::Comma));
    expect(Tok::Semi, "expected ';' or '{' after the state name");
  }

  ast::Edge edge() {
    ast::Edge e;
    e.loc = peek().loc;
    e.src_loc = peek().loc;
    e.src = expect(Tok::Ident, "expected a source state").text;
    expect(Tok::Arrow, "expected '->' between source and target state");
    e.dst_loc = peek().loc;
    e.dst = expect(Tok::Ident, "expected a target state").text;
    while (!at(Tok::Semi)) {
      switch (peek().kind) {
        case Tok::KwWhen: {
          SourceLoc loc = advance().loc;
          if (e.guard) diags_.error(loc, "an edge has at most one 'when'; join conditions with &&");
          e.guard = expr();
          break;
        }
        case Tok::KwOn:
        case Tok::KwEmit: {
          bool emit = advance().kind == Tok::KwEmit;
          ast::Sync s;
          s.emit = emit;
          s.loc = peek().loc;
          s.chan = expect(Tok::Ident, "expected a channel name").text;
          if (accept(Tok::LBracket)) {
            s.index = expr();
            expect(Tok::RBracket, "expected ']' after the channel index");
          }
          if (emit) expect(Tok::Bang, "expected '!' after the channel in 'emit c!'");
          else expect(Tok::Question, "expected '?' after the channel in 'on c?'");
          e.syncs.push_back(std::move(s));
          break;
        }
        case Tok::KwChoose: {
          advance();
          ast::Choose c;
          c.loc = peek().loc;
          c.name = expect(Tok::Ident, "expected a name after 'choose'").text;
          expect(Tok::KwIn, "expected 'in' after the chosen name");
          c.range = range();
          e.chooses.push_back(std::move(c));
          break;
        }
        case Tok::KwDo:
          advance();
          if (accept(Tok::LBrace)) {
            while (!at(Tok::RBrace)) {
              e.updates.push_back(assignment());
              if (!accept(Tok::Semi) && !at(Tok::RBrace)) fail("expected ';' after the assignment");
            }
            advance();
          } else {
            do e.updates.push_back(assignment());
            while (accept(Tok::Comma));
          }
          break;
        default:
          // `asap` is a keyword only here, so that a name `asap` elsewhere keeps working.
          if (peek().kind == Tok::Ident && peek().text == "asap") {
            SourceLoc loc = advance().loc;
            if (e.asap) diags_.error(loc, "an edge has at most one 'asap'");
            e.asap = true;
            e.asap_loc = loc;
            break;
          }
          fail("expected 'when', 'on', 'emit', 'choose', 'do', 'asap' or ';' in an edge");
      }
    }
    advance();
    return e;
  }

  ast::Assignment assignment() {
    ast::Assignment a;
    a.loc = peek().loc;
    a.target = postfix();
    expect(Tok::Assign, "expected ':=' in an assignment");
    a.value = expr();
    return a;
  }

  // ---- expressions, lowest precedence first ----
  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > kMaxDepth) {
        p.depth_ = 0;
        p.fail("expression nested too deeply");
      }
    }
    ~DepthGuard() { if (p.depth_ > 0) --p.depth_; }
  };

  // Counts each operator of a left-associative chain (a + b + c ...) towards kMaxDepth.
  struct ChainGuard {
    Parser& p;
    int added = 0;
    explicit ChainGuard(Parser& parser) : p(parser) {}
    void step() {
      ++added;
      if (++p.depth_ > kMaxDepth) {
        p.depth_ = 0;
        added = 0;
        p.fail("expression nested too deeply");
      }
    }
    ~ChainGuard() { p.depth_ = p.depth_ > added ? p.depth_ - added : 0; }
  };

  ExprP make(Expr::Kind kind, SourceLoc loc) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->loc = loc;
    return e;
  }
  ExprP binary(std::string op, SourceLoc loc, ExprP a, ExprP b) {
    auto e = make(Expr::Kind::Binary, loc);
    e->op = std::move(op);
    e->kids.push_back(std::move(a));
    e->kids.push_back(std::move(b));
    return e;
  }

  // A left-associative chain: `a + b - c`, `a && b && c`, `a * b / c`. Short chains, and chains
  // with an operator that does not associate (`/`, `%`), are built left-deep, each operator
  // counting towards kMaxDepth. Longer chains whose operators all associate (`+` and `-`, `*`,
  // `&&`, `||`; `associates` says which) are built as a balanced tree of the same value, so a
  // flat sum of any length is not deep: it counts only ceil(log2(terms)) levels. Operands keep
  // their order, so evaluation and short-circuiting go left to right as written.
  static constexpr std::size_t kLeftDeepChain = 8;
  template <class Operand, class IsOperator, class Associates>
  ExprP chain(Operand operand, IsOperator is_operator, Associates associates) {
    std::vector<ExprP> operands;
    std::vector<Token> operators;
    operands.push_back(operand());
    ChainGuard guard(*this);
    bool balanced = true;
    while (is_operator(peek().kind)) {
      const std::size_t n = operators.size() + 1;
      if (n <= kLeftDeepChain || (n & (n - 1)) == 0) guard.step();  // log2 of the length, past the first few
      operators.push_back(advance());
      balanced = balanced && associates(operators.back().text);
      operands.push_back(operand());
    }
    if (!balanced || operators.size() <= kLeftDeepChain) {
      if (operators.size() > kLeftDeepChain)
        for (std::size_t n = kLeftDeepChain + 1; n <= operators.size(); ++n)
          if ((n & (n - 1)) != 0) guard.step();  // left-deep after all: every operator counts
      ExprP left = std::move(operands[0]);
      for (std::size_t k = 0; k < operators.size(); ++k)
        left = binary(operators[k].text, operators[k].loc, std::move(left), std::move(operands[k + 1]));
      return left;
    }
    return balance(operands, operators, 0, operands.size(), false);
  }
  // operands[lo..hi) joined by operators[lo..hi-1), as a balanced tree. With `negated`, the value
  // is that of the range with every `+` and `-` swapped: `a - (b - c)` stands for `a - b + c`.
  ExprP balance(std::vector<ExprP>& operands, const std::vector<Token>& operators, std::size_t lo, std::size_t hi, bool negated) {
    if (hi - lo == 1) return std::move(operands[lo]);
    const std::size_t mid = lo + (hi - lo) / 2;
    const Token& joint = operators[mid - 1];
    ExprP left = balance(operands, operators, lo, mid, negated);
    if (joint.text != "+" && joint.text != "-")
      return binary(joint.text, joint.loc, std::move(left), balance(operands, operators, mid, hi, false));
    // The right half starts with `joint`'s sign (swapped if `negated`); subtracting the half is
    // adding it with every sign in it swapped once more.
    const bool subtract = (joint.text == "-") != negated;
    return binary(subtract ? "-" : "+", joint.loc, std::move(left), balance(operands, operators, mid, hi, negated != subtract));
  }

  ExprP expr() {
    DepthGuard guard(*this);
    ExprP cond = implication();
    if (at(Tok::Question)) {
      SourceLoc loc = advance().loc;
      const std::size_t first = pos_;
      ExprP a = expr();
      if (!at(Tok::Colon)) {
        // `b ? 1:30 : 0` lexes `1:30` as a time of day: say so, where the time is.
        for (std::size_t k = first; k < pos_; ++k)
          if (toks_[k].kind == Tok::Time && toks_[k].text.find(':') != std::string::npos)
            fail("expected ':' in 'c ? a : b' ('" + toks_[k].text + "' at " + std::to_string(toks_[k].loc.line) + ":" +
                 std::to_string(toks_[k].loc.col) + " is read as a time of day: write spaces around the ':' of 'c ? a : b')");
      }
      expect(Tok::Colon, "expected ':' in 'c ? a : b'");
      ExprP b = expr();
      auto e = make(Expr::Kind::Ternary, loc);
      e->kids.push_back(std::move(cond));
      e->kids.push_back(std::move(a));
      e->kids.push_back(std::move(b));
      return e;
    }
    return cond;
  }
  ExprP implication() {
    ExprP left = disjunction();
    if (at(Tok::Implies)) {
      SourceLoc loc = advance().loc;
      DepthGuard guard(*this);
      return binary("=>", loc, std::move(left), implication());
    }
    return left;
  }
  ExprP disjunction() {
    return chain([this] { return conjunction(); }, [](Tok k) { return k == Tok::OrOr; }, [](const std::string&) { return true; });
  }
  ExprP conjunction() {
    return chain([this] { return equality(); }, [](Tok k) { return k == Tok::AndAnd; }, [](const std::string&) { return true; });
  }
  ExprP equality() {
    ExprP left = comparison();
    ChainGuard chain(*this);
    while (at(Tok::EqEq) || at(Tok::NotEq)) {
      chain.step();
      Token t = advance();
      left = binary(t.text, t.loc, std::move(left), comparison());
    }
    return left;
  }
  ExprP comparison() {
    ExprP left = additive();
    ChainGuard chain(*this);
    while (at(Tok::Lt) || at(Tok::Le) || at(Tok::Gt) || at(Tok::Ge)) {
      chain.step();
      Token t = advance();
      left = binary(t.text, t.loc, std::move(left), additive());
    }
    return left;
  }
  ExprP additive() {
    return chain([this] { return multiplicative(); }, [](Tok k) { return k == Tok::Plus || k == Tok::Minus; },
                 [](const std::string&) { return true; });
  }
  ExprP multiplicative() {
    return chain([this] { return unary(); }, [](Tok k) { return k == Tok::Star || k == Tok::Slash || k == Tok::Percent; },
                 [](const std::string& op) { return op == "*"; });
  }
  ExprP unary() {
    if (at(Tok::Bang) || at(Tok::Minus)) {
      DepthGuard guard(*this);
      Token t = advance();
      auto e = make(Expr::Kind::Unary, t.loc);
      e->op = t.text;
      e->kids.push_back(unary());
      return e;
    }
    return postfix();
  }
  ExprP postfix() {
    ExprP e = primary();
    ChainGuard chain(*this);
    for (;;) {
      if (at(Tok::Dot) || at(Tok::LBracket)) chain.step();
      if (at(Tok::Dot)) {
        advance();
        auto m = make(Expr::Kind::Member, e->loc);  // located where `Machine.` starts
        m->name = expect(Tok::Ident, "expected a state or variable name after '.'").text;
        m->kids.push_back(std::move(e));
        e = std::move(m);
      } else if (at(Tok::LBracket)) {
        SourceLoc loc = advance().loc;
        auto ix = make(Expr::Kind::Index, loc);
        ix->kids.push_back(std::move(e));
        ix->kids.push_back(expr());
        expect(Tok::RBracket, "expected ']' after the index");
        e = std::move(ix);
      } else {
        return e;
      }
    }
  }
  // A time literal as an integer of the system's ticks; `day` >= 0 for `Mon 02:30` and the like.
  ExprP time_literal(const Token& lit, SourceLoc loc, const std::string& shown, int day) {
    auto e = make(Expr::Kind::Int, loc);
    const bool clock = lit.kind == Tok::Time;
    e->time = day >= 0 ? ast::TimeKind::WeekTime : clock ? ast::TimeKind::TimeOfDay : ast::TimeKind::Duration;
    const std::string unit = spec_ && !spec_->time_unit.empty() ? spec_->time_unit : "ticks";
    if (spec_) (clock ? spec_->clock_literals : spec_->duration_literals) = true;
    if (tick_seconds_ == 0) {
      diags_.error(loc, "'" + shown + "' is a " + (clock ? "time of day" : "duration") + " but this spec counts time in " + unit +
                            ": write 'system NAME in minutes;' (or seconds, or hours) to use clock time");
      return e;
    }
    if (day >= 0 && spec_ && spec_->calendar == ast::Calendar::None) {
      spec_->weekday_literals.emplace_back(loc, shown);  // a weekly timer may still make the days a week
    } else if (day >= 0 && (!spec_ || spec_->calendar != ast::Calendar::Week)) {
      diags_.error(loc, "'" + shown + "' names a day of the week, but this spec's days are not a week: write 'system NAME in " +
                            unit + ", weekly;'");
      return e;
    }
    const int64_t seconds = lit.value + (day >= 0 ? day * kSecondsPerDay : 0);
    const std::optional<int64_t> ticks = literal_ticks(seconds, tick_seconds_);
    if (!ticks) {
      diags_.error(loc, "'" + shown + "' is not a whole number of " + unit + ", the unit of time of this spec");
      return e;
    }
    e->value = *ticks;
    return e;
  }

  ExprP primary() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Int: {
        auto e = make(Expr::Kind::Int, t.loc);
        e->value = t.value;
        advance();
        return e;
      }
      case Tok::Time:
      case Tok::Duration: {
        const Token lit = advance();
        return time_literal(lit, lit.loc, lit.text, -1);
      }
      case Tok::KwTrue:
      case Tok::KwFalse: {
        auto e = make(Expr::Kind::Bool, t.loc);
        e->value = t.kind == Tok::KwTrue;
        advance();
        return e;
      }
      case Tok::Ident: {
        const int day = weekday_index(t.text);
        if (day >= 0 && peek(1).kind == Tok::Time) {  // `Tue 02:30`
          const Token name = advance();
          const Token lit = advance();
          return time_literal(lit, name.loc, name.text + " " + lit.text, day);
        }
        auto e = make(Expr::Kind::Name, t.loc);
        e->name = t.text;
        advance();
        return e;
      }
      case Tok::LParen: {
        advance();
        ExprP e = expr();
        expect(Tok::RParen, "expected ')'");
        return e;
      }
      case Tok::KwForall:
      case Tok::KwExists: {
        DepthGuard guard(*this);
        auto e = make(Expr::Kind::Quant, t.loc);
        e->op = t.kind == Tok::KwForall ? "forall" : "exists";
        advance();
        e->name = expect(Tok::Ident, "expected a bound name after the quantifier").text;
        expect(Tok::KwIn, "expected 'in' and a range after the bound name");
        ast::Range r = range();
        expect(Tok::Colon, "expected ':' before the quantified condition");
        e->kids.push_back(std::move(r.lo));
        e->kids.push_back(std::move(r.hi));
        e->kids.push_back(expr());
        return e;
      }
      default:
        fail("expected an expression");
    }
  }
};

}  // namespace

ast::Spec parse(const SourceFile& file, Diagnostics& diags) {
  std::vector<Token> tokens = lex(file, diags);
  Parser parser(std::move(tokens), diags);
  ast::Spec spec = parser.spec();
  expand_timers(spec, diags);
  return spec;
}

}  // namespace interlock
