// Files written where the user names them (graph -o, import -o, compare --output's folder and
// pages). Another local user must not be able to turn such a write to another file or read what it
// holds, so a file is not written through a symbolic link, nor into a FIFO or a device, nor into a
// file another user owns; and a folder written into must belong to the user (or root) and, unless
// it is sticky as /tmp is, not be writable by every user. A refusal is an InputError
// ("PATH: error: cannot write ...: it ...", exit 2).
#pragma once

#include <memory>
#include <ostream>
#include <string>

namespace interlock {

// Checks the folder `folder` (made when missing, in a parent that passes the same check).
void prepare_output_folder(const std::string& folder);

// A file opened for writing (created, or emptied) at construction, its folder checked first.
// `what` names it in errors: "the graph", "the spec". close() reports a write that failed.
class OutputFile {
 public:
  OutputFile(const std::string& path, const std::string& what);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  std::ostream& stream();
  void close();

 private:
  struct Open;
  std::string path_, what_;
  std::unique_ptr<Open> open_;
};

// An OutputFile with `text` in it.
void write_output_file(const std::string& path, const std::string& text, const std::string& what);

}  // namespace interlock
