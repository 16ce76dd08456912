// UTF-8 and line structure of spec text, shared by the lexer (positions), the diagnostics (the
// quoted line and its caret) and the loader (which refuses text that is not UTF-8).
#pragma once

#include <cstddef>
#include <string>

namespace interlock {

// The UTF-8 byte-order mark some editors put at the start of a file; it is skipped.
inline constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";
std::size_t byte_order_mark_length(const std::string& text);  // 3 or 0

// The length of the well-formed UTF-8 sequence starting at text[i], or 0 if there is none:
// overlong encodings, UTF-16 surrogates, code points above U+10FFFF and cut-off sequences
// are not well-formed (RFC 3629).
std::size_t utf8_sequence_length(const std::string& text, std::size_t i);

// A byte that continues a multi-byte sequence: it starts no character of its own.
inline bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Whether the character at text[i] shows as itself on a terminal: a tab or a printable character
// (well-formed UTF-8). Other control characters (C0, DEL and C1, whose 0x9B starts an escape
// sequence on some terminals) and malformed bytes could move the cursor or recolour the screen;
// the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-E,
// U+2066-9) could show a line's text in another order than it is.
bool shows_as_itself(const std::string& text, std::size_t i);

// Text quoted from an input (a name in a trace, a file name, a value in a crontab) made safe to
// print: line breaks kept, each character that does not show as itself becomes '?'.
std::string terminal_safe(const std::string& text);

// The length of the line break at text[i]: 2 for "\r\n", 1 for "\n" or a lone "\r", else 0.
std::size_t line_break_length(const std::string& text, std::size_t i);

}  // namespace interlock
