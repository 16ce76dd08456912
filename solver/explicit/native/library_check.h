// The checks a compiled library found in the cache must pass before it is loaded, made on the
// open file: a regular file of this user's that no one else may write and that has no other
// name, a whole shared library (every part the loader maps lies inside the file: one cut short
// would crash the process when touched), and one that carries `binding`, the mark of the source,
// compiler and interlock it was built from.
#pragma once

#include <string>
#include <string_view>

namespace interlock {

// What is wrong with the library open as `fd` ("" if nothing).
std::string library_problem(int fd, const std::string& binding);

// What is wrong with `bytes` as a shared library for this machine's word size and byte order
// ("" if nothing); only what loading it relies on.
std::string elf_problem(std::string_view bytes);

}  // namespace interlock
