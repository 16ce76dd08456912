#include "model/lexer.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <unordered_map>

#include "model/time_literals.h"
#include "model/utf8.h"

namespace interlock {

const char* describe(Tok kind) {
  switch (kind) {
    case Tok::End: return "end of file";
    case Tok::Ident: return "identifier";
    case Tok::Int: return "integer";
    case Tok::Time: return "time of day";
    case Tok::Duration: return "duration";
    case Tok::String: return "string";
    case Tok::Semi: return "';'";
    case Tok::Colon: return "':'";
    case Tok::Comma: return "','";
    case Tok::Dot: return "'.'";
    case Tok::DotDot: return "'..'";
    case Tok::Assign: return "':='";
    case Tok::Eq: return "'='";
    case Tok::EqEq: return "'=='";
    case Tok::NotEq: return "'!='";
    case Tok::Lt: return "'<'";
    case Tok::Le: return "'<='";
    case Tok::Gt: return "'>'";
    case Tok::Ge: return "'>='";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::Percent: return "'%'";
    case Tok::Bang: return "'!'";
    case Tok::AndAnd: return "'&&'";
    case Tok::OrOr: return "'||'";
    case Tok::Question: return "'?'";
    case Tok::Arrow: return "'->'";
    case Tok::Implies: return "'=>'";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::LBrace: return "'{'";
    case Tok::RBrace: return "'}'";
    case Tok::KwSystem: return "'system'";
    case Tok::KwConst: return "'const'";
    case Tok::KwParam: return "'param'";
    case Tok::KwAssume: return "'assume'";
    case Tok::KwType: return "'type'";
    case Tok::KwVar: return "'var'";
    case Tok::KwChan: return "'chan'";
    case Tok::KwBroadcast: return "'broadcast'";
    case Tok::KwMachine: return "'machine'";
    case Tok::KwClock: return "'clock'";
    case Tok::KwState: return "'state'";
    case Tok::KwUrgent: return "'urgent'";
    case Tok::KwInit: return "'init'";
    case Tok::KwInvariant: return "'invariant'";
    case Tok::KwWhen: return "'when'";
    case Tok::KwOn: return "'on'";
    case Tok::KwEmit: return "'emit'";
    case Tok::KwChoose: return "'choose'";
    case Tok::KwIn: return "'in'";
    case Tok::KwDo: return "'do'";
    case Tok::KwBool: return "'bool'";
    case Tok::KwTrue: return "'true'";
    case Tok::KwFalse: return "'false'";
    case Tok::KwReachable: return "'reachable'";
    case Tok::KwDeadlockFree: return "'deadlock_free'";
    case Tok::KwResponse: return "'response'";
    case Tok::KwLeadsTo: return "'leads_to'";
    case Tok::KwWithin: return "'within'";
    case Tok::KwMaximum: return "'maximum'";
    case Tok::KwForall: return "'forall'";
    case Tok::KwExists: return "'exists'";
  }
  return "token";
}

namespace {

const std::unordered_map<std::string, Tok>& keywords() {
  static const std::unordered_map<std::string, Tok> table = {
      {"system", Tok::KwSystem},       {"const", Tok::KwConst},
      {"param", Tok::KwParam},         {"assume", Tok::KwAssume},
      {"type", Tok::KwType},           {"var", Tok::KwVar},
      {"chan", Tok::KwChan},           {"broadcast", Tok::KwBroadcast},
      {"machine", Tok::KwMachine},     {"clock", Tok::KwClock},
      {"state", Tok::KwState},         {"urgent", Tok::KwUrgent},
      {"init", Tok::KwInit},           {"invariant", Tok::KwInvariant},
      {"when", Tok::KwWhen},           {"on", Tok::KwOn},
      {"emit", Tok::KwEmit},           {"choose", Tok::KwChoose},
      {"in", Tok::KwIn},               {"do", Tok::KwDo},
      {"bool", Tok::KwBool},           {"true", Tok::KwTrue},
      {"false", Tok::KwFalse},         {"reachable", Tok::KwReachable},
      {"deadlock_free", Tok::KwDeadlockFree}, {"response", Tok::KwResponse},
      {"leads_to", Tok::KwLeadsTo},    {"within", Tok::KwWithin},
      {"maximum", Tok::KwMaximum},     {"forall", Tok::KwForall},
      {"exists", Tok::KwExists},
  };
  return table;
}

// Why a character in a comment is refused: a control character (named by its code, as the
// lexer names one elsewhere) could move a terminal's cursor or hide text when the spec is shown;
// a bidirectional formatting character could show the line's text in another order than it is
// read (Trojan Source: code that looks commented out, or a comment that looks like code).
std::string hidden_character_message(const std::string& s, std::size_t i) {
  const std::size_t length = utf8_sequence_length(s, i);
  const unsigned lead = static_cast<unsigned char>(s[i]);
  char name[16];
  if (length == 0) {  // the loader refuses such text; a lexer given it directly still says why
    std::snprintf(name, sizeof name, "0x%02x", lead);
    return std::string("byte ") + name + " in a comment is not UTF-8";
  }
  uint32_t code = length == 1 ? lead : lead & (0xFFu >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) code = code << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  if (code == 0) return "NUL byte in a comment; is this a binary file?";
  if (code < 0xA0) {  // C0, DEL, C1
    std::snprintf(name, sizeof name, code < 0x80 ? "'\\x%02x'" : "U+%04X", static_cast<unsigned>(code));
    return std::string("control character ") + name +
           " in a comment: a terminal or an editor could show the spec otherwise than interlock reads it; remove it";
  }
  std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(code));
  return std::string("bidirectional formatting character ") + name +
         " in a comment: an editor could show the line in another order than interlock reads it (code that looks "
         "commented out, or a comment that looks like code); remove it";
}

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string leading_zero_message(const std::string& digits, bool negative) {
  std::string message = "integer '" + digits + "' has a leading zero: ";
  if (digits.size() == 2 && !negative) return message + "did you mean " + digits + ":00?";
  message += negative ? "write -" : "write ";
  message += digits.substr(std::min(digits.find_first_not_of('0'), digits.size() - 1));
  return message;
}

std::vector<Token> lex(const SourceFile& file, Diagnostics& diags) {
  const std::string& s = file.text();
  std::vector<Token> out;
  std::size_t i = byte_order_mark_length(s);
  int line = 1, col = 1;
  // Lines end in "\n", "\r\n" or a lone "\r"; columns count characters, not bytes.
  auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < s.size(); ++k, ++i) {
      const std::size_t newline = line_break_length(s, i);
      if (newline == 1) {
        ++line;
        col = 1;
      } else if (newline == 0 && !is_continuation_byte(s[i])) {
        ++col;
      }
    }
  };
  auto push = [&](Tok kind, std::size_t len, SourceLoc loc) {
    Token t;
    t.kind = kind;
    t.text = s.substr(i, len);
    t.loc = loc;
    out.push_back(std::move(t));
    advance(len);
  };
  while (i < s.size()) {
    char c = s[i];
    SourceLoc loc{line, col};
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { advance(1); continue; }
    // A comment may hold any text that shows as itself; the first character that does not is an
    // error (one per comment), since the spec could then read otherwise than it runs.
    bool comment_reported = false;
    auto check_comment_character = [&]() {
      if (comment_reported || line_break_length(s, i) || is_continuation_byte(s[i]) || shows_as_itself(s, i)) return;
      comment_reported = true;
      diags.error({line, col}, hidden_character_message(s, i));
    };
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
      while (i < s.size() && !line_break_length(s, i)) {
        check_comment_character();
        advance(1);
      }
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      advance(2);
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/') { advance(2); closed = true; break; }
        check_comment_character();
        advance(1);
      }
      if (!closed) diags.error(loc, "unterminated comment");
      continue;
    }
    if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < s.size() && (is_ident_start(s[j]) || is_digit(s[j]))) ++j;
      std::string word = s.substr(i, j - i);
      auto kw = keywords().find(word);
      push(kw == keywords().end() ? Tok::Ident : kw->second, j - i, loc);
      continue;
    }
    if (is_digit(c)) {
      const TimeScan time = scan_time_literal(s, i);
      if (time.length > 0) {
        if (!time.error.empty()) {
          diags.error(loc, time.error);
          push(Tok::Int, time.length, loc);  // stands in for it, so that parsing goes on without a second error
          continue;
        }
        push(time.kind == TimeLiteralKind::ClockTime ? Tok::Time : Tok::Duration, time.length, loc);
        out.back().value = time.seconds;
        continue;
      }
      constexpr int64_t kMaxLiteral = INT64_C(1) << 40;  // docs/language.md
      std::size_t j = i;
      int64_t value = 0;
      bool overflow = false;
      while (j < s.size() && is_digit(s[j])) {
        const int digit = s[j] - '0';
        if (overflow || value > (kMaxLiteral - digit) / 10) overflow = true;
        else value = value * 10 + digit;
        ++j;
      }
      // Digits followed by a letter were scanned above, as a duration or a malformed number.
      if (overflow) diags.error(loc, "integer literal too large (limit is 2^40)");
      else if (c == '0' && j - i > 1) {
        // `02` was read as 2 before clock times existed; now it is most likely a time cut short.
        diags.error(loc, leading_zero_message(s.substr(i, j - i)));
      }
      push(Tok::Int, j - i, loc);
      out.back().value = overflow ? 0 : value;
      continue;
    }
    if (c == '"') {
      // A timer's schedule: printable ASCII on one line, no escapes (cron lines and systemd
      // settings need none), so a column inside it is the quote's column plus its offset.
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != '"' && s[j] >= 0x20 && s[j] < 0x7f) ++j;
      if (j >= s.size() || s[j] != '"') {
        const bool control = j < s.size() && !line_break_length(s, j);
        diags.error(loc, control ? "a string holds printable ASCII characters only" : "unterminated string: close it with '\"' on the same line");
        // Skip the rest of the string (or of the line), so that its words give no second error.
        while (j < s.size() && s[j] != '"' && !line_break_length(s, j)) ++j;
        if (j < s.size() && s[j] == '"') ++j;
        advance(j - i);
        continue;
      }
      std::string text = s.substr(i + 1, j - i - 1);
      push(Tok::String, j + 1 - i, loc);
      out.back().text = std::move(text);
      continue;
    }
    auto two = [&](char a, char b) { return c == a && i + 1 < s.size() && s[i + 1] == b; };
    if (two('.', '.')) { push(Tok::DotDot, 2, loc); continue; }
    if (two(':', '=')) { push(Tok::Assign, 2, loc); continue; }
    if (two('=', '=')) { push(Tok::EqEq, 2, loc); continue; }
    if (two('=', '>')) { push(Tok::Implies, 2, loc); continue; }
    if (two('!', '=')) { push(Tok::NotEq, 2, loc); continue; }
    if (two('<', '=')) { push(Tok::Le, 2, loc); continue; }
    if (two('>', '=')) { push(Tok::Ge, 2, loc); continue; }
    if (two('&', '&')) { push(Tok::AndAnd, 2, loc); continue; }
    if (two('|', '|')) { push(Tok::OrOr, 2, loc); continue; }
    if (two('-', '>')) { push(Tok::Arrow, 2, loc); continue; }
    Tok single = Tok::End;
    switch (c) {
      case ';': single = Tok::Semi; break;
      case ':': single = Tok::Colon; break;
      case ',': single = Tok::Comma; break;
      case '.': single = Tok::Dot; break;
      case '=': single = Tok::Eq; break;
      case '<': single = Tok::Lt; break;
      case '>': single = Tok::Gt; break;
      case '+': single = Tok::Plus; break;
      case '-': single = Tok::Minus; break;
      case '*': single = Tok::Star; break;
      case '/': single = Tok::Slash; break;
      case '%': single = Tok::Percent; break;
      case '!': single = Tok::Bang; break;
      case '?': single = Tok::Question; break;
      case '(': single = Tok::LParen; break;
      case ')': single = Tok::RParen; break;
      case '[': single = Tok::LBracket; break;
      case ']': single = Tok::RBracket; break;
      case '{': single = Tok::LBrace; break;
      case '}': single = Tok::RBrace; break;
      default: break;
    }
    if (single != Tok::End) { push(single, 1, loc); continue; }
    unsigned char u = static_cast<unsigned char>(c);
    if (u == 0) {
      diags.error(loc, "this file contains a NUL byte; is it a binary file?");
      break;  // no point lexing binary data
    }
    if (u >= 0x80) {
      diags.error(loc, "non-ASCII character; identifiers and operators are ASCII");
      std::size_t j = i;
      while (j < s.size() && static_cast<unsigned char>(s[j]) >= 0x80) ++j;
      advance(j - i);
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned>(u));
    std::string shown = (u >= 0x20 && u < 0x7f) ? std::string(1, c) : std::string(hex);
    diags.error(loc, "unexpected character '" + shown + "'");
    advance(1);
  }
  Token end;
  end.kind = Tok::End;
  end.loc = {line, col};
  out.push_back(end);
  return out;
}

}  // namespace interlock
