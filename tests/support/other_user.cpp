#include "support/other_user.h"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "support/native_cache_support.h"

namespace interlock::testing {
namespace {

constexpr const char* kUserName = "interlock-attacker";

// In the child: become `user` for good (no way back to root).
void become(const OtherUser& user) {
  if (!user.separate) return;
  if (setgroups(0, nullptr) != 0 || setresgid(user.gid, user.gid, user.gid) != 0 ||
      setresuid(user.uid, user.uid, user.uid) != 0)
    _exit(126);
}

}  // namespace

OtherUser other_user() {
  OtherUser user{getuid(), getgid(), false};
  if (geteuid() != 0) return user;
  // Two test processes may create it at once: one useradd wins, the other sees the user soon.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (const passwd* pw = getpwnam(kUserName)) return {pw->pw_uid, pw->pw_gid, true};
    if (attempt == 0)
      run_program({"useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                   "--shell", "/usr/sbin/nologin", kUserName});
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error(std::string("cannot create the user ") + kUserName + " (useradd, package passwd)");
}

bool run_as(const OtherUser& user, const std::function<bool()>& action) {
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    become(user);
    _exit(action() ? 0 : 1);
  }
  int status = 0;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

pid_t start_as(const OtherUser& user, const std::function<void()>& loop) {
  const pid_t pid = fork();
  if (pid == 0) {
    become(user);
    loop();
    _exit(0);
  }
  return pid;
}

void stop_child(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace interlock::testing
