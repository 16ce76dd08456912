// Words joined with a separator ("a, b, c"): the lists that messages and outputs print.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace interlock {

inline std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += separator;
    out += s;
  }
  return out;
}

}  // namespace interlock
