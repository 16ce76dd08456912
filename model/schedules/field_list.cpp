#include "model/schedules/field_list.h"

#include <cctype>

namespace interlock::schedules::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// One value of an item: a number or a name, at text[pos..]; advances pos.
struct ValueRead {
  bool ok = false;
  int value = 0;
  std::optional<ParseError> error;
};

class ItemReader {
 public:
  ItemReader(std::string_view item, std::size_t offset, const FieldSpec& spec, const ListSyntax& syntax)
      : item_(item), offset_(offset), spec_(spec), syntax_(syntax) {}

  Parsed<Mask> read() {
    int lo = spec_.min, hi = spec_.max;
    bool star = false, range = false;
    if (pos_ < item_.size() && item_[pos_] == '*') {
      if (!syntax_.star) return error_whole("'*' is not allowed here");
      star = true;
      ++pos_;
    } else {
      const std::size_t start = pos_;
      auto first = value();
      if (auto* e = std::get_if<ParseError>(&first)) return *e;
      lo = hi = std::get<int>(first);
      if (item_.substr(pos_).starts_with(syntax_.range)) {
        pos_ += syntax_.range.size();
        auto second = value();
        if (auto* e = std::get_if<ParseError>(&second)) return *e;
        hi = std::get<int>(second);
        range = true;
        if (hi < lo) {
          return field_error(spec_, offset_ + start, pos_ - start, item_.substr(start, pos_ - start),
                             cat("runs backwards (from ", lo, " down to ", hi, ")"));
        }
      }
    }
    int step = 1;
    if (pos_ < item_.size() && item_[pos_] == '/') {
      const bool allowed = star    ? syntax_.step_after_star
                           : range ? syntax_.step_after_range
                                   : syntax_.step_after_value;
      if (!allowed) {
        std::string problem =
            cat("has a ", syntax_.step_word, " where none is allowed: a ", syntax_.step_word, " follows ");
        if (syntax_.step_after_star && syntax_.step_after_range) {
          problem += "'*' or a range (*/15, 1-5/2)";
        } else if (syntax_.step_after_value) {
          problem += "a value or a range (0/15, 5..50/10)";
        } else {
          problem += "a range";
        }
        return error_whole(problem);
      }
      if (!range && !star) hi = spec_.max;  // systemd: 0/15 is 0, 15, 30, 45
      ++pos_;
      const std::size_t start = pos_;
      while (pos_ < item_.size() && is_digit(item_[pos_])) ++pos_;
      if (pos_ == start) {
        return error_whole(cat("needs a number after '/' (the ", syntax_.step_word, ")"));
      }
      if (pos_ - start > 6) return error_whole(cat("has a ", syntax_.step_word, " out of range"));
      step = std::stoi(std::string(item_.substr(start, pos_ - start)));
      if (step == 0) return error_whole(cat("has a ", syntax_.step_word, " of 0"));
      if (syntax_.repetition_must_fit && !range && lo + step > spec_.max)
        return error_whole(cat("repeats every ", step, " from ", lo, ", past the largest value ", spec_.max,
                               " at once: systemd refuses it (systemd-analyze calendar says 'Invalid argument'), so "
                               "the timer would never elapse for it"));
    }
    if (pos_ != item_.size()) return error_whole(cat("is not a value, a range or a ", syntax_.step_word));
    if (syntax_.one_value_range_refused && range && lo == hi && item_.find('/') == std::string_view::npos)
      return error_whole(cat("is a range of one value: systemd refuses that here (systemd-analyze calendar says "
                             "'Invalid argument'); write the value alone"));
    Mask mask = 0;
    for (int v = lo; v <= hi; v += step) mask |= Mask{1} << v;
    return mask;
  }

 private:
  ParseError error_whole(const std::string& problem) const {
    return field_error(spec_, offset_, item_.size(), item_, problem);
  }

  Parsed<int> value() {
    const std::size_t start = pos_;
    if (pos_ < item_.size() && is_digit(item_[pos_])) {
      while (pos_ < item_.size() && is_digit(item_[pos_])) ++pos_;
      const std::string_view digits = item_.substr(start, pos_ - start);
      if (pos_ < item_.size() && is_letter(item_[pos_])) return not_a_value(start);
      if (digits.size() > 6 || std::stoi(std::string(digits)) < spec_.min ||
          std::stoi(std::string(digits)) > spec_.max) {
        return field_error(spec_, offset_ + start, digits.size(), digits, "is out of range");
      }
      return std::stoi(std::string(digits));
    }
    if (pos_ < item_.size() && is_letter(item_[pos_])) {
      while (pos_ < item_.size() && (is_letter(item_[pos_]) || is_digit(item_[pos_]))) ++pos_;
      const std::string_view word = item_.substr(start, pos_ - start);
      for (int i = 0; i < spec_.names_count; ++i) {
        if (equals_ignoring_case(word, spec_.names[i])) return spec_.names_first + i;
      }
      return not_a_value(start);
    }
    if (pos_ >= item_.size()) {
      // "1-" or "1.." at the end: the range misses its end.
      return field_error(spec_, offset_, item_.size(), item_, "misses a value at its end");
    }
    return not_a_value(start);
  }

  ParseError not_a_value(std::size_t start) {
    std::size_t end = start;
    while (end < item_.size() && item_[end] != '/' && item_[end] != ',' &&
           !item_.substr(end).starts_with(syntax_.range)) {
      ++end;
    }
    if (end == start) end = start + 1;
    if (end > item_.size()) end = item_.size();
    const std::string_view word = item_.substr(start, end - start);
    const std::string problem =
        spec_.names_what ? cat("is neither a number nor ", spec_.names_what) : std::string("is not a number");
    return field_error(spec_, offset_ + start, std::max<std::size_t>(word.size(), 1), word, problem);
  }

  std::string_view item_;
  std::size_t offset_;
  const FieldSpec& spec_;
  const ListSyntax& syntax_;
  std::size_t pos_ = 0;
};

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

Mask all_of(int lo, int hi) {
  Mask m = 0;
  for (int v = lo; v <= hi; ++v) m |= Mask{1} << v;
  return m;
}

ParseError field_error(const FieldSpec& spec, std::size_t offset, std::size_t length, std::string_view item,
                       const std::string& problem) {
  ParseError e;
  e.offset = offset;
  e.length = std::max<std::size_t>(length, 1);
  // Appended piece by piece: GCC 12 warns (-Wrestrict, wrongly) about a chain of '+' here.
  e.message = spec.what;
  e.message += " allows ";
  e.message += spec.allowed;
  e.message += "; '";
  // A field of a million characters is quoted by its start: the caret line shows where it is.
  constexpr std::size_t kQuoted = 40;
  e.message.append(item.substr(0, kQuoted));
  if (item.size() > kQuoted) e.message += "...";
  e.message += "' ";
  e.message += problem;
  return e;
}

Parsed<FieldValue> read_field(std::string_view text, std::size_t offset, const FieldSpec& spec,
                              const ListSyntax& syntax) {
  FieldValue result;
  result.starts_with_star = !text.empty() && text[0] == '*';
  if (text.empty()) return field_error(spec, offset, 1, text, "is empty");
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
    const std::string_view item = text.substr(start, end - start);
    if (item.empty()) {
      ParseError e = field_error(spec, offset + start, 1, text, "has an empty entry in its list");
      e.offset = offset + (comma == std::string_view::npos ? (start > 0 ? start - 1 : 0) : comma);
      return e;
    }
    auto read = ItemReader(item, offset + start, spec, syntax).read();
    if (auto* e = std::get_if<ParseError>(&read)) return *e;
    result.mask |= std::get<Mask>(read);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return result;
}

}  // namespace interlock::schedules::detail
