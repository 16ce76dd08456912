// read_command: the program a job's command runs and the flock(1) lock it takes, through quotes,
// wrappers, subshells and redirections; and the errors, located in the command.
#include "cli/import/shell_command.h"

#include <gtest/gtest.h>

#include "cli/import/names.h"

namespace interlock::importer {
namespace {

CommandInfo info(const std::string& command) {
  auto read = read_command(command, 0);
  if (const auto* e = std::get_if<schedules::ParseError>(&read)) {
    ADD_FAILURE() << command << ": refused at " << e->offset << ": " << e->message;
    return {};
  }
  return std::get<CommandInfo>(read);
}

schedules::ParseError refused(const std::string& command) {
  auto read = read_command(command, 100);  // located in a file, 100 bytes in
  if (!std::holds_alternative<schedules::ParseError>(read)) {
    ADD_FAILURE() << command << ": accepted";
    return {};
  }
  return std::get<schedules::ParseError>(read);
}

TEST(ShellCommand, ProgramsThroughWrappersQuotesAndGlue) {
  struct Case {
    const char* command;
    const char* program;
  };
  for (const Case& c : {
           Case{"/usr/local/bin/backup.sh --full", "backup.sh"},
           Case{"nice -n 10 ionice -c3 /usr/bin/updatedb", "updatedb"},
           Case{"sudo -u www-data php /var/www/cron.php", "cron.php"},
           Case{"timeout -s KILL 1h /opt/sync/run-sync", "run-sync"},
           Case{"env LANG=C FOO=1 /usr/bin/reindex", "reindex"},
           Case{"PATH=/opt/bin:$PATH HOME=/srv mirror --all", "mirror"},
           Case{"cd / && run-parts --report /etc/cron.daily", "cron.daily"},
           Case{"test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )", "cron.daily"},
           Case{"sh -c 'exec /opt/jobs/clean.sh'", "clean.sh"},
           Case{"/bin/bash /opt/jobs/rotate.sh > /dev/null 2>&1", "rotate.sh"},
           Case{"/usr/bin/python3 -u /opt/report.py --mail", "report.py"},
           Case{"'/opt/my jobs/run it.sh' --now", "run it.sh"}, Case{"\"/opt/x\"/fetch\\ mail", "fetch mail"},
           Case{"[ -f /etc/ready ] && /usr/sbin/logrotate /etc/logrotate.conf", "logrotate"},
           Case{"echo $(date) >> /var/log/x.log; /usr/bin/certbot renew", "certbot"},
           Case{"rm -rf /tmp/cache/*", "rm"},  // only glue: the first program names it
           Case{"/opt/bin/ship --host $(hostname -f) --tag \"$(date +%F)\"", "ship"},
           Case{"$(command -v borg) create ::x",
                "$(command -v borg)"},  // a substitution is one word, not run
       }) {
    EXPECT_EQ(info(c.command).program, c.program) << c.command;
    EXPECT_FALSE(info(c.command).lock) << c.command;
  }
}

TEST(ShellCommand, FlockModesAndTheirSpellings) {
  struct Case {
    const char* command;
    LockUse::Mode mode;
    double wait;
    const char* program;
  };
  using M = LockUse::Mode;
  for (const Case& c : {
           Case{"flock /var/lock/db.lock /usr/bin/vacuumdb", M::Wait, 0, "vacuumdb"},
           Case{"/usr/bin/flock -x /var/lock/db.lock vacuumdb", M::Wait, 0, "vacuumdb"},
           Case{"flock -n /var/lock/db.lock /usr/local/bin/backup.sh", M::NoWait, 0, "backup.sh"},
           Case{"flock --nonblock /var/lock/db.lock backup", M::NoWait, 0, "backup"},
           Case{"flock --nb /var/lock/db.lock backup", M::NoWait, 0, "backup"},
           Case{"flock -xn /var/lock/db.lock backup", M::NoWait, 0, "backup"},
           Case{"flock -w 30 /var/lock/db.lock backup", M::Timeout, 30, "backup"},
           Case{"flock -w5 /var/lock/db.lock backup", M::Timeout, 5, "backup"},
           Case{"flock -w 0.5 /var/lock/db.lock backup", M::Timeout, 0.5, "backup"},
           Case{"flock --wait 120 /var/lock/db.lock backup", M::Timeout, 120, "backup"},
           Case{"flock --wait=120 /var/lock/db.lock backup", M::Timeout, 120, "backup"},
           Case{"flock --timeout=7 /var/lock/db.lock backup", M::Timeout, 7, "backup"},
           Case{"flock -E 0 -n /var/lock/db.lock backup", M::NoWait, 0, "backup"},
           Case{"flock --conflict-exit-code=3 -o -F --verbose /var/lock/db.lock backup", M::Wait, 0,
                "backup"},
           Case{"flock /var/lock/db.lock -c 'cd /srv && ./dump.sh'", M::Wait, 0, "dump.sh"},
           Case{"flock -n /var/lock/db.lock --command \"/opt/x/dump --all\"", M::NoWait, 0, "dump"},
           Case{"nice flock -n /var/lock/db.lock nice /usr/bin/dump", M::NoWait, 0, "dump"},
           Case{"flock -- /var/lock/db.lock dump", M::Wait, 0, "dump"},
       }) {
    const CommandInfo i = info(c.command);
    ASSERT_TRUE(i.lock) << c.command;
    EXPECT_EQ(i.lock->path, "/var/lock/db.lock") << c.command;
    EXPECT_EQ(i.lock->mode, c.mode) << c.command;
    EXPECT_EQ(i.lock->wait_seconds, c.wait) << c.command;
    EXPECT_EQ(i.program, c.program) << c.command;
  }
}

TEST(ShellCommand, FlockOnADescriptorLocksTheFileItsRedirectionOpens) {
  const CommandInfo i = info("( flock -n 9 || exit 1; /usr/local/bin/report-mail ) 9>/var/lock/report.lock");
  ASSERT_TRUE(i.lock);
  EXPECT_EQ(i.lock->path, "/var/lock/report.lock");
  EXPECT_EQ(i.lock->mode, LockUse::Mode::NoWait);
  EXPECT_EQ(i.program, "report-mail");
  EXPECT_EQ(info("{ flock 8; job; } 8>> /run/j.lock").lock->path, "/run/j.lock");
  // A descriptor nothing opens: flock(1) fails with "Bad file descriptor" and locks nothing, so
  // jobs written so are not kept apart (the skeleton used to model a lock "file descriptor 9"
  // shared by all of them).
  for (const char* command : {"flock -n 9 && job", "flock 9; job", "( flock -n 9 || exit 1; job ) 8>/var/lock/x.lock"}) {
    const schedules::ParseError e = refused(command);
    EXPECT_NE(e.message.find("nothing in this command opens file descriptor"), std::string::npos) << command << ": " << e.message;
    EXPECT_EQ(e.length, 1u) << command;
  }
  EXPECT_EQ(refused("flock -n 9 && job").offset, 109u);
}

// systemd does not run ExecStart= through a shell: `9>/run/lock/x.lock` after the `sh -c` string is
// an argument of sh, and opens nothing, so the flock inside locks no file of that name (an
// outside tester's unit: the skeleton modelled a lock on x.lock). A `sh -c` script is a shell's.
TEST(ShellCommand, ExecStartIsNotReadAsAShellLine) {
  auto exec = [](const std::string& command) {
    auto read = read_exec_start(command, 0);
    EXPECT_TRUE(std::holds_alternative<CommandInfo>(read)) << command;
    return std::holds_alternative<CommandInfo>(read) ? std::get<CommandInfo>(read) : CommandInfo{};
  };
  const auto outside = read_exec_start("/bin/sh -c \"flock -n 9 || exit 1; job\" 9>/run/lock/x.lock", 0);
  ASSERT_TRUE(std::holds_alternative<schedules::ParseError>(outside));
  EXPECT_NE(std::get<schedules::ParseError>(outside).message.find("nothing in this command opens file descriptor 9"),
            std::string::npos);
  const CommandInfo inside = exec("/bin/sh -c \"( flock -n 9 || exit 1; job ) 9>/run/lock/x.lock\"");
  ASSERT_TRUE(inside.lock);
  EXPECT_EQ(inside.lock->path, "/run/lock/x.lock");
  EXPECT_EQ(exec("/usr/bin/flock -n /run/lock/y.lock /usr/bin/job").lock->path, "/run/lock/y.lock");
  // No pipes or operators: `|` and `&&` are arguments, and the program is the first word's.
  EXPECT_EQ(exec("/usr/bin/report | mail root").program, "report");
  EXPECT_FALSE(exec("/usr/bin/report && flock /l x").lock);
  EXPECT_TRUE(info("/usr/bin/report && flock /l x").lock);  // a shell line: the flock runs
}

TEST(ShellCommand, FlockErrorsAreLocated) {
  struct Case {
    const char* command;
    std::size_t offset;  // in the command; the file adds 100
    std::size_t length;
    const char* says;
  };
  for (const Case& c : {
           Case{"flock -s /l job", 6, 2, "flock -s takes a shared lock, which is not supported yet"},
           Case{"flock --shared /l job", 6, 8, "shared lock"},
           Case{"flock -xs /l job", 6, 3, "shared lock"},
           Case{"flock", 0, 5, "flock needs a lock file"},
           Case{"flock -n", 0, 5, "flock needs a lock file"},
           Case{"flock -w", 6, 2, "flock -w needs a value"},
           Case{"flock -w abc /l job", 9, 3, "flock -w takes a number of seconds"},
           Case{"flock --wait=-1 /l job", 6, 9, "not '-1'"},
           Case{"flock -q /l job", 6, 2, "flock option '-q' is not supported here"},
           Case{"flock --unlock /l job", 6, 8, "flock option '--unlock' is not supported here"},
           Case{"flock /a flock /b job", 9, 5, "a second flock in one command"},
           Case{"flock /a -c", 9, 2, "flock -c needs a command"},
           Case{"  nice   flock -s /l job", 15, 2, "shared"},
       }) {
    const schedules::ParseError e = refused(c.command);
    EXPECT_EQ(e.offset, 100 + c.offset) << c.command << ": " << e.message;
    EXPECT_EQ(e.length, c.length) << c.command << ": " << e.message;
    EXPECT_NE(e.message.find(c.says), std::string::npos) << c.command << ": " << e.message;
  }
}

TEST(ShellCommand, AnythingIsReadWithoutACrash) {
  for (const char* text : {"",
                           "   ",
                           "'unterminated",
                           "\"unterminated \\",
                           "\\",
                           "$(",
                           "`",
                           "((((",
                           ">",
                           "9>",
                           "2>&",
                           "flock '' x",
                           "flock -w '' /l x",
                           ";;;&&||",
                           "a=b",
                           "sh -c",
                           "run-parts",
                           "timeout",
                           "sudo -u",
                           "flock -c x",
                           "flock 99999999999999 x",
                           "< in > out 2>&1"}) {
    auto read = read_command(text, 0);
    if (const auto* e = std::get_if<schedules::ParseError>(&read)) {
      EXPECT_LE(e->offset + e->length, std::string(text).size() + 1) << text;
    }
  }
}

TEST(Names, IdentifiersFromProgramsAndFiles) {
  EXPECT_EQ(identifier_from("backup.sh", "job"), "backup");
  EXPECT_EQ(identifier_from("vacuum-db", "job"), "vacuum_db");
  EXPECT_EQ(identifier_from("db.lock", "lock"), "db_lock");
  EXPECT_EQ(identifier_from("cron.daily", "job"), "cron_daily");
  EXPECT_EQ(identifier_from("2fa-audit", "job"), "job_2fa_audit");
  EXPECT_EQ(identifier_from("--", "job"), "job");
  EXPECT_EQ(identifier_from("Make Report!.py", "job"), "make_report");
  EXPECT_EQ(identifier_from("backup.timer", "job"), "backup");
  EXPECT_EQ(machine_name("vacuum_db"), "VacuumDb");
  EXPECT_EQ(upper_name("vacuum_db"), "VACUUM_DB");
  NameTable t;
  EXPECT_EQ(t.unique("backup"), "backup");
  EXPECT_EQ(t.unique("backup"), "backup_2");
  EXPECT_EQ(t.unique("backup"), "backup_3");
  EXPECT_EQ(t.unique("wall"), "wall_2");  // Wall is the wall clock's machine
  EXPECT_EQ(t.unique("x_1"), "x_1");
  EXPECT_EQ(t.unique("x1"), "x1_2");  // X1 either way
}

}  // namespace
}  // namespace interlock::importer
