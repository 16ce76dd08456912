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
