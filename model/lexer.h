// Lexer for .sched files: identifiers, keywords, integers, time literals (model/time_literals.h),
// one-line strings (a timer's schedule), punctuation, // and /* */ comments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/diagnostics.h"

namespace interlock {

enum class Tok {
  End, Ident, Int,
  Time /* 02:30, value in seconds since midnight */, Duration /* 1h30min, value in seconds */,
  String /* "30 2 * * *": text is what is between the quotes, loc the opening quote */,
  // punctuation
  Semi, Colon, Comma, Dot, DotDot, Assign /* := */, Eq /* = */, EqEq, NotEq, Lt, Le, Gt, Ge,
  Plus, Minus, Star, Slash, Percent, Bang, AndAnd, OrOr, Question, Arrow /* -> */,
  Implies /* => */, LParen, RParen, LBracket, RBracket, LBrace, RBrace,
  // keywords
  KwSystem, KwConst, KwParam, KwAssume, KwType, KwVar, KwChan, KwBroadcast, KwMachine, KwClock,
  KwState, KwUrgent, KwInit, KwInvariant, KwWhen, KwOn, KwEmit, KwChoose, KwIn, KwDo, KwBool,
  KwTrue, KwFalse, KwReachable, KwDeadlockFree, KwResponse, KwLeadsTo, KwWithin, KwMaximum,
  KwForall, KwExists,
};

struct Token {
  Tok kind = Tok::End;
  std::string text;
  int64_t value = 0;
  SourceLoc loc;
};

const char* describe(Tok kind);

// Lexes the whole file; lexical errors go to diags and the offending characters are skipped.
std::vector<Token> lex(const SourceFile& file, Diagnostics& diags);

// The error for an integer written with a leading zero (`digits`, two or more, the first '0';
// `negative`: a '-' before them): `02` is most likely a time cut short, `007` is 7. The lexer's
// and --set's words.
std::string leading_zero_message(const std::string& digits, bool negative = false);

}  // namespace interlock
