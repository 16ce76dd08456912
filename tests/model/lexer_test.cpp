#include <gtest/gtest.h>

#include "model/lexer.h"

namespace interlock {
namespace {

std::vector<Token> lex_text(const std::string& text, std::string* errors = nullptr) {
  SourceFile file("t.sched", text);
  Diagnostics diags(file);
  auto tokens = lex(file, diags);
  if (errors) *errors = diags.render();
  return tokens;
}

TEST(Lexer, KeywordsOperatorsAndPositions) {
  auto t = lex_text("system s;\nvar x : 0..8 = 3; // comment\n a := b -> c => d != e");
  ASSERT_GE(t.size(), 20u);
  EXPECT_EQ(t[0].kind, Tok::KwSystem);
  EXPECT_EQ(t[1].kind, Tok::Ident);
  EXPECT_EQ(t[3].kind, Tok::KwVar);
  EXPECT_EQ(t[3].loc.line, 2);
  EXPECT_EQ(t[3].loc.col, 1);
  EXPECT_EQ(t[6].kind, Tok::Int);
  EXPECT_EQ(t[7].kind, Tok::DotDot);
  EXPECT_EQ(t[8].value, 8);
  EXPECT_EQ(t[13].kind, Tok::Assign);
  EXPECT_EQ(t[15].kind, Tok::Arrow);
  EXPECT_EQ(t[17].kind, Tok::Implies);
  EXPECT_EQ(t[19].kind, Tok::NotEq);
  EXPECT_EQ(t.back().kind, Tok::End);
}

TEST(Lexer, ReportsBadCharactersAndKeepsGoing) {
  std::string errors;
  auto t = lex_text("a $ b # c", &errors);
  EXPECT_NE(errors.find("t.sched:1:3: error: unexpected character '$'"), std::string::npos);
  EXPECT_NE(errors.find("t.sched:1:7: error: unexpected character '#'"), std::string::npos);
  EXPECT_EQ(t.size(), 4u);  // a b c End
  // A control character is named by its code in hexadecimal (0x1f was shown as '\x31').
  lex_text("a \x1f b \x7f c \x1b d", &errors);
  EXPECT_NE(errors.find("t.sched:1:3: error: unexpected character '\\x1f'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("t.sched:1:7: error: unexpected character '\\x7f'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("t.sched:1:11: error: unexpected character '\\x1b'"), std::string::npos) << errors;
}

TEST(Lexer, BlockCommentsAndUnterminated) {
  std::string errors;
  auto t = lex_text("a /* x\n y */ b", &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(t[1].loc.line, 2);
  lex_text("a /* never closed", &errors);
  EXPECT_NE(errors.find("unterminated comment"), std::string::npos);
}

// Trojan Source: a comment whose characters do not show as themselves makes the spec read
// otherwise than it runs. Here RLO ... PDI make `x := 1` look like part of the comment.
TEST(Lexer, CommentsHoldOnlyCharactersThatShowAsThemselves) {
  std::string errors;
  auto t = lex_text("a /* \u00e9t\u00e9 \u05e9\u05dc\u05d5\u05dd \u2014 caf\u00e9 */ b // tab\there\n c", &errors);
  EXPECT_EQ(errors, "");  // accented letters, Hebrew, a dash and a tab are text
  EXPECT_EQ(t.size(), 4u);
  const std::pair<std::string, std::string> refused[] = {
      {"\u202e", "bidirectional formatting character U+202E"}, {"\u2066", "bidirectional formatting character U+2066"},
      {"\u2069", "bidirectional formatting character U+2069"}, {"\u202a", "bidirectional formatting character U+202A"},
      {"\u200f", "bidirectional formatting character U+200F"}, {"\u061c", "bidirectional formatting character U+061C"},
      {"\x1b", "control character '\\x1b'"},                   {"\x7f", "control character '\\x7f'"},
      {"\u009b", "control character U+009B"},                     {"\x0c", "control character '\\x0c'"},
      {std::string(1, '\0'), "NUL byte"},
  };
  for (const auto& [character, message] : refused) {
    for (const std::string& text : {"a // x" + character + "y" + character + "\nb", "a /* x" + character + "y" + character + " */ b"}) {
      const auto tokens = lex_text(text, &errors);
      EXPECT_NE(errors.find("t.sched:1:7: error: " + message + " in a comment"), std::string::npos) << errors;
      EXPECT_EQ(errors.find("t.sched:1:9"), std::string::npos) << "one error per comment: " << errors;
      EXPECT_EQ(tokens.size(), 3u) << text;  // lexing goes on: a b End
    }
  }
  lex_text("x := 1; /*\u202e } \u2066 if admin \u2069 \u2066 begin */", &errors);
  EXPECT_NE(errors.find("t.sched:1:11: error: bidirectional formatting character U+202E"), std::string::npos) << errors;
  // A line break ends a `//` comment and is no error inside a block one.
  lex_text("a // x\r b /* \r\n */", &errors);
  EXPECT_EQ(errors, "");
}

TEST(Lexer, BinaryInputIsRejectedOnce) {
  std::string errors;
  lex_text(std::string("system\0\x01\x02", 9), &errors);
  EXPECT_NE(errors.find("NUL byte"), std::string::npos);
}

TEST(Lexer, HugeNumberIsAnError) {
  std::string errors;
  lex_text("99999999999999999999999", &errors);
  EXPECT_NE(errors.find("too large"), std::string::npos);
}

TEST(Lexer, LiteralsGoUpToTwoToTheFortyExactly) {
  std::string errors;
  auto tokens = lex_text("1099511627776", &errors);  // 2^40
  EXPECT_EQ(errors, "");
  EXPECT_EQ(tokens[0].value, INT64_C(1) << 40);
  for (const char* above : {"1099511627777", "10995116277760", "10995116277769"}) {
    lex_text(above, &errors);
    EXPECT_NE(errors.find("t.sched:1:1: error: integer literal too large"), std::string::npos) << above;
  }
}

TEST(Lexer, LinesEndInLfCrLfOrCrAlone) {
  for (const char* newline : {"\n", "\r\n", "\r"}) {
    const std::string nl = newline;
    auto tokens = lex_text("a" + nl + nl + "  b" + nl + "/* x" + nl + "y */ c // d" + nl + "e");
    ASSERT_EQ(tokens.size(), 5u);
    EXPECT_EQ(tokens[1].loc.line, 3) << "after " << tokens[0].loc.line;
    EXPECT_EQ(tokens[1].loc.col, 3);
    EXPECT_EQ(tokens[2].loc.line, 5);
    EXPECT_EQ(tokens[2].loc.col, 6);
    EXPECT_EQ(tokens[3].loc.line, 6);
  }
}

TEST(Lexer, ColumnsCountCharactersNotBytes) {
  auto tokens = lex_text("/* caf\xc3\xa9 */ x");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].loc.col, 12);
}

}  // namespace
}  // namespace interlock
