// A temporary file that only this process can use: it has no name (or loses it at once), mode
// 0600, in $TMPDIR (else /tmp). The state store writes its parent links there
// (solver/explicit/parent_links.h).
#pragma once

#include <string>

namespace interlock {

// The folder temporary files go to: $TMPDIR if set and not empty, else /tmp.
std::string temp_folder();

// Opens a new file for reading and writing in `folder` (close-on-exec, so no child process
// inherits it). With O_TMPFILE the file never has a name: no other user can open, replace or
// even see it. Where the filesystem does not support that, mkostemp creates it under a new
// random name with mode 0600 and O_EXCL (never an existing file or a link someone planted), and
// the name is removed at once; from then on only the descriptor reaches it. Returns -1 and says
// why in `why` if neither works.
int open_private_temp_file(const std::string& folder, std::string& why);

}  // namespace interlock
