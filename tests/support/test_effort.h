#pragma once
// How much a test does in the build it runs in. Under the sanitizers (scripts/sanitize.sh) a search
// runs several times slower; there the tests that repeat one check over many random specs, or over
// one large model, do a part of it: the same code runs, on fewer inputs. The release build
// (test.sh) does all of it.
#include <algorithm>
#include <cstdint>

namespace interlock::testing {

#ifdef INTERLOCK_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// How many of `all` random specs (seeds 1..n) a random-spec test tries: a fifth under the
// sanitizers.
constexpr uint32_t specs_to_try(uint32_t all) { return kSanitized ? std::max<uint32_t>(1, all / 5) : all; }

}  // namespace interlock::testing
