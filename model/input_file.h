// Reads an input file whole (a spec, a trace): only a regular file, and only up to a size. A FIFO
// or a device given by mistake would block for ever or never end, so it is refused with a
// message, as is a folder; so is a file above the size, before it is read.
#pragma once

#include <cstddef>
#include <string>

namespace interlock {

// Throws InputError ("PATH: error: cannot open the WHAT (reason)", "PATH: error: ... is a FIFO,
// not a WHAT", "PATH: error: WHAT is larger than ...") for anything it cannot return.
std::string read_input_file(const std::string& path, const std::string& what, std::size_t max_bytes);

}  // namespace interlock
