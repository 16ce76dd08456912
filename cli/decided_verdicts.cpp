#include "cli/decided_verdicts.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <sstream>

#include "solver/trace/report.h"

namespace interlock {

namespace {

// Two buffers: a publication fills the one not shown, then shows it. Once the guard has begun
// to read (`closed`), nothing is written again, so the buffer it reads stays whole.
constexpr std::size_t kBufferBytes = 32 * 1024;
char buffers[2][kBufferBytes];
std::atomic<uint64_t> shown{0};  // the buffer shown (bit 0) and its length (the rest)
std::atomic<bool> closed{false};

void show(const std::string& text) {
  if (closed.load()) return;
  const uint64_t now = shown.load();
  const uint64_t other = (now & 1) ^ 1;
  std::size_t length = std::min(text.size(), kBufferBytes);
  if (length < text.size()) length = text.rfind('\n', kBufferBytes - 1) + 1;  // whole lines only
  std::memcpy(buffers[other], text.data(), length);
  shown.store(other | static_cast<uint64_t>(length) << 1);
}

}  // namespace

void publish_decided(const Model& model, const std::vector<PropertyResult>& results) {
  std::vector<PropertyResult> decided;
  for (const PropertyResult& r : results)
    if (r.verdict != Verdict::Unknown) decided.push_back(r);
  std::ostringstream lines;
  if (!decided.empty()) print_results(lines, model, decided, ResultDetail::VerdictsOnly);
  show(lines.str());
}

void clear_decided() { show(""); }

bool write_decided(int fd, const char* heading) noexcept {
  closed.store(true);
  const uint64_t now = shown.load();
  const std::size_t length = static_cast<std::size_t>(now >> 1);
  if (length == 0) return false;
  ssize_t ignored = write(fd, heading, std::strlen(heading));
  ignored = write(fd, buffers[now & 1], length);
  (void)ignored;
  return true;
}

}  // namespace interlock
