// SHA-256 (FIPS 180-4). The native-code cache names each library, and binds it, by the digest of
// what it was built from: a short, non-cryptographic hash could be made to collide on purpose by
// a crafted spec, and another model's library would then be taken for this one's.
#pragma once

#include <string>
#include <string_view>

namespace interlock {

// The digest of `data` as 64 lowercase hexadecimal digits.
std::string sha256_hex(std::string_view data);

}  // namespace interlock
