// A second local user for the attack tests. As root (as CI runs), a throwaway system user,
// interlock-attacker, created with useradd the first time and reused after that; otherwise the
// test's own user, whose "planted" files the tests then make writable by everyone, so what must
// refuse them is the mode check instead of the owner check.
#pragma once

#include <sys/types.h>

#include <functional>

namespace interlock::testing {

struct OtherUser {
  uid_t uid = 0;
  gid_t gid = 0;
  bool separate = false;  // another user than the test's (the test runs as root)
};

// Throws std::runtime_error if the user cannot be created.
OtherUser other_user();

// Runs `action` in a forked child process as `user` and waits for it: true if it returned true.
// `action` should make system calls only (open, write, rename, ...).
bool run_as(const OtherUser& user, const std::function<bool()>& action);

// Starts `loop` in a forked child process as `user`; it runs until stop_child.
pid_t start_as(const OtherUser& user, const std::function<void()>& loop);
void stop_child(pid_t pid);

}  // namespace interlock::testing
