#include "model/utf8.h"

#include <algorithm>

namespace interlock {

std::size_t byte_order_mark_length(const std::string& text) { return text.rfind(kByteOrderMark, 0) == 0 ? 3 : 0; }

std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
  auto byte = [&](std::size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  const unsigned lead = byte(i);
  if (i >= text.size()) return 0;
  if (lead < 0x80) return 1;
  // The range of the second byte depends on the lead byte: that is what rules out overlong
  // forms (E0, F0), surrogates (ED) and values past U+10FFFF (F4).
  std::size_t length = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead == 0xE0) length = 3, lo = 0xA0;
  else if (lead >= 0xE1 && lead <= 0xEC) length = 3;
  else if (lead == 0xED) length = 3, hi = 0x9F;
  else if (lead >= 0xEE && lead <= 0xEF) length = 3;
  else if (lead == 0xF0) length = 4, lo = 0x90;
  else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
  else if (lead == 0xF4) length = 4, hi = 0x8F;
  else return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (!is_continuation_byte(static_cast<char>(byte(i + k))) || i + k >= text.size()) return 0;
  return length;
}

bool shows_as_itself(const std::string& text, std::size_t i) {
  const std::size_t length = utf8_sequence_length(text, i);
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  if (length == 1) return byte(0) == '\t' || (byte(0) >= 0x20 && byte(0) != 0x7f);
  if (length == 2) return !(byte(0) == 0xC2 && byte(1) < 0xA0) && !(byte(0) == 0xD8 && byte(1) == 0x9C);  // C1; U+061C
  if (length == 3 && byte(0) == 0xE2 && byte(1) == 0x80) return !(byte(2) >= 0xAA && byte(2) <= 0xAE) && byte(2) != 0x8E && byte(2) != 0x8F;
  if (length == 3 && byte(0) == 0xE2 && byte(1) == 0x81) return !(byte(2) >= 0xA6 && byte(2) <= 0xA9);
  return length > 1;
}

std::string terminal_safe(const std::string& text) {
  std::string safe;
  safe.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = std::max<std::size_t>(utf8_sequence_length(text, i), 1);
    if (text[i] == '\n' || shows_as_itself(text, i))
      safe.append(text, i, length);
    else
      safe += '?';
    i += length;
  }
  return safe;
}

std::size_t line_break_length(const std::string& text, std::size_t i) {
  if (i >= text.size()) return 0;
  if (text[i] == '\n') return 1;
  if (text[i] != '\r') return 0;
  return i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
}

}  // namespace interlock
