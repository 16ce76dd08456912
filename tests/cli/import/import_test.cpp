// `interlock import crontab|systemd`, end to end through the command line: the skeleton's text
// (names, parameters, locks, properties), the options, bad input located to file:line:col, the
// committed skeletons of tests/data/import/generated/ (written by tests/data/import/generate.sh)
// written again the same and loading, and the verdicts `check` gives on them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cli/commands.h"
#include "model/lower.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

const std::string kData = "tests/data/import/";  // the tests run in the source folder

struct CliRun {
  int code;
  std::string out, err;
};

CliRun run(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int code = run_command_line(args, out, err);
  return {code, out.str(), err.str()};
}

CliRun import(const std::vector<std::string>& rest) {
  std::vector<std::string> args{"import"};
  args.insert(args.end(), rest.begin(), rest.end());
  return run(args);
}

// Each line of `wanted` is in `text`, in this order.
void expect_lines(const std::string& text, const std::vector<std::string>& wanted) {
  std::size_t at = 0;
  for (const std::string& line : wanted) {
    const std::size_t found = text.find(line, at);
    EXPECT_NE(found, std::string::npos) << "missing (or out of order): " << line << "\nin:\n" << text;
    if (found != std::string::npos) at = found + line.size();
  }
}

void expect_no(const std::string& text, const std::string& part) {
  EXPECT_EQ(text.find(part), std::string::npos) << "unexpected: " << part << "\nin:\n" << text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ImportCrontab, JobsLocksParametersAndProperties) {
  const CliRun r = import({"crontab", kData + "shared_lock.crontab"});
  ASSERT_EQ(r.code, 0) << r.err;
  expect_lines(
      r.out,
      {
          "// Written by `interlock import crontab tests/data/import/shared_lock.crontab`.",
          "system shared_lock_crontab in minutes, weekly;",  // sync-mail names weekdays
          "// line 2: MAILTO=ops@example.com  (an environment setting: not modelled)",
          "// line 3: SHELL=/bin/bash  (an environment setting: not modelled)",
          "var db_lock_held : bool = false;  // /var/lock/db.lock: backup, vacuum_db",
          "// # The backup: skips when the database is busy.",
          "// line 6: 30 2 * * * flock -n /var/lock/db.lock /usr/local/bin/backup.sh --full",
          "// flock -n: when the lock db_lock is held at its elapse, this run is skipped.",
          "timer backup_timer = cron \"30 2 * * *\" emit backup_due!;",
          "param BACKUP_MIN : 1min..1d = 1min;  // its shortest run",
          "param BACKUP_MAX : 1min..1d = 10min;  // its longest run",
          "// The run time above is a guess, to be set: here or with --duration backup=MIN..MAX",
          "assume BACKUP_MIN <= BACKUP_MAX;",
          "machine Backup {",
          "  clock c;",
          "  state Idle;",
          "  state Running { invariant c <= BACKUP_MAX; }",
          "  state Skipped;",
          "  init Idle;",
          "  Idle -> Running on backup_due? when !db_lock_held do { db_lock_held := true; c := 0; };",
          "  Idle -> Skipped on backup_due? when db_lock_held;",
          "  Skipped -> Running on backup_due? when !db_lock_held do { db_lock_held := true; c := 0; };",
          "  Skipped -> Skipped on backup_due? when db_lock_held;",
          "  Running -> Idle when c >= BACKUP_MIN do db_lock_held := false;",
          "// line 8: 0 * * * * flock /var/lock/db.lock /usr/local/bin/vacuum-db",
          "// flock: waits for the lock db_lock as long as it takes.",
          "timer vacuum_db_timer = cron \"0 * * * *\" emit vacuum_db_due!;",
          "machine VacuumDb {",
          "  state Waiting;  // for the lock",
          "  Idle -> Waiting on vacuum_db_due? when db_lock_held do c := 0;",
          "  Waiting -> Running when !db_lock_held asap do { db_lock_held := true; c := 0; };",
          "timer sync_mail_timer = cron \"*/15 9-17 * * mon-fri\" emit sync_mail_due!;",
          "machine SyncMail {",
          "  Idle -> Running on sync_mail_due? do c := 0;",
          "  Running -> Idle when c >= SYNC_MAIL_MIN;",
          "invariant db_lock_apart: !(Backup.Running && VacuumDb.Running);",
          "response backup_runs: !Backup.Idle leads_to Backup.Idle within 23h59min;",
          "response vacuum_db_runs: !VacuumDb.Idle leads_to VacuumDb.Idle within 59min;",
          "response sync_mail_runs: !SyncMail.Idle leads_to SyncMail.Idle within 14min;",
          "deadlock_free;",
      });
  // The job without a lock has neither Waiting nor Skipped.
  const std::string sync = r.out.substr(r.out.find("machine SyncMail"), 300);
  expect_no(sync.substr(0, sync.find('}')), "Waiting");
  expect_no(sync.substr(0, sync.find('}')), "Skipped");
  EXPECT_EQ(r.err,
            "interlock import: 3 jobs from tests/data/import/shared_lock.crontab; run times are guesses for "
            "backup, "
            "vacuum_db, sync_mail (--duration JOB=MIN..MAX)\n");
}

TEST(ImportCrontab, DurationsNamesAndResources) {
  const CliRun r =
      import({"crontab", kData + "shared_lock.crontab", "--duration", "backup=20min..50min", "--duration",
              "vacuum_db=90s..2h", "--name", "9=mail", "--resource", "spool=backup,mail,vacuum_db"});
  ASSERT_EQ(r.code, 0) << r.err;
  expect_lines(r.out,
               {
                   "param BACKUP_MIN : 1min..1d = 20min;  // its shortest run",
                   "param BACKUP_MAX : 1min..1d = 50min;  // its longest run",
                   "param VACUUM_DB_MIN : 1min..1d = 2min;",  // 90 s, rounded up to whole minutes
                   "param VACUUM_DB_MAX : 1min..1d = 2h;  // its longest run (rounded up to whole minutes)",
                   "timer mail_timer = cron \"*/15 9-17 * * mon-fri\" emit mail_due!;",
                   "// The run time above is a guess, to be set: here or with --duration mail=MIN..MAX",
                   "machine Mail {",
                   "// backup, mail, vacuum_db share the resource spool: they never run at once.",
                   "invariant spool_apart: !(Backup.Running && Mail.Running) && !(Backup.Running && "
                   "VacuumDb.Running) && "
                   "!(Mail.Running && VacuumDb.Running);",
                   "response mail_runs: !Mail.Idle leads_to Mail.Idle within 14min;",
               });
  expect_no(r.out, "--duration backup=MIN..MAX");
  expect_no(r.out, "--duration vacuum_db=MIN..MAX");
  EXPECT_NE(r.err.find("run times are guesses for mail ("), std::string::npos) << r.err;
  // A duration beyond a day widens the parameter's range.
  const CliRun long_run =
      import({"crontab", kData + "shared_lock.crontab", "--duration", "backup=1d..2 days"});
  EXPECT_NE(long_run.out.find("param BACKUP_MAX : 1min..2d = 2d;"), std::string::npos) << long_run.out;
}

TEST(ImportCrontab, BadOptionsSayWhatIsWrong) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const std::string file = kData + "shared_lock.crontab";
  for (const Case& c : {
           Case{{"--duration", "nope=1min"},
                "--duration names 'nope', which is not a job here (jobs: backup, vacuum_db, sync_mail)"},
           Case{{"--duration", "backup=1h..20min"}, "the shortest run is longer than the longest"},
           Case{{"--duration", "backup=5x"}, "--duration backup: '5x': 'x' is not a unit"},
           Case{{"--duration", "backup"}, "--duration expects JOB=MIN..MAX"},
           Case{{"--duration", "backup=1min", "--duration", "backup=2min"}, "--duration gives backup twice"},
           Case{{"--name", "99=x"}, "--name 99=...: there is no job at line 99 (jobs are at 6, 8, 9)"},
           Case{{"--name", "6=vacuum_db", "--name", "8=vacuum_db"}, "the name vacuum_db is taken"},
           Case{{"--resource", "db=backup"}, "needs two jobs or more"},
           Case{{"--resource", "db=backup,nope"}, "--resource db names 'nope', which is not a job here"},
           Case{{"--resource", "db=backup,backup"}, "names backup twice"},
           Case{{"--resource", "db=backup,vacuum_db", "--resource", "db=backup,sync_mail"},
                "--resource db is given twice: give each resource once"},
       }) {
    std::vector<std::string> args{"crontab", file};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const CliRun r = import(args);
    EXPECT_EQ(r.code, 2) << c.says;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  for (const Case& c : {
           Case{{"import"}, "'import' needs what to read"},
           Case{{"import", "anacron", "x"}, "'import' reads 'crontab' or 'systemd', not 'anacron'"},
           Case{{"import", "crontab"}, "'import crontab' needs a crontab file"},
           Case{{"import", "crontab", "a", "b"}, "'import crontab' reads one crontab file"},
           Case{{"import", "systemd"}, "'import systemd' needs a .timer unit file"},
           Case{{"import", "crontab", file, "--bogus"}, "unknown option '--bogus' for 'import crontab'"},
           Case{{"import", "systemd", kData + "systemd/backup.timer", "--system"},
                "unknown option '--system'"},
           Case{{"import", "crontab", file, "--duration"}, "--duration needs a value"},
       }) {
    const CliRun r = run(c.args);
    EXPECT_EQ(r.code, 2) << c.says;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
}

TEST(ImportCrontab, EveryFormOfCommandAndSchedule) {
  const CliRun r = import({"crontab", kData + "features.crontab"});
  ASSERT_EQ(r.code, 0) << r.err;
  expect_lines(
      r.out,
      {
          "// line 2: MAILTO=\"\"  (an environment setting: not modelled)",
          "var mail_lock_held : bool = false;  // /var/lock/mail.lock: fetchmail, fetchmail_2",
          "var report_lock_held : bool = false;  // /var/lock/report.lock: report, report_mail",
          "timer warm_cache_timer = cron \"@reboot\" emit warm_cache_due!;",
          "timer rotate_logs_timer = cron \"@daily\" emit rotate_logs_due!;",
          "// line 7: @hourly flock -xn /var/lock/mail.lock sudo -u mail /usr/local/bin/fetchmail",
          "// flock -n: when the lock mail_lock is held at its elapse, this run is skipped.",
          "timer fetchmail_timer = cron \"@hourly\" emit fetchmail_due!;",
          "// flock -w 120: waits up to 2min for the lock mail_lock, then gives this run up.",
          "timer fetchmail_2_timer = cron \"*/20 * * * *\" emit fetchmail_2_due!;",
          "  state Waiting { invariant c <= 2min; }  // for the lock",
          "  state Skipped;  // the lock was taken: this run did not happen",
          "  Skipped -> Waiting on fetchmail_2_due? when mail_lock_held do c := 0;",
          "  Waiting -> Skipped when mail_lock_held && c >= 2min;",
          "// flock -w 30: waits up to 1min for the lock report_lock, then gives this run up.",  // 30 s in
                                                                                                 // minutes
          "timer report_timer = cron \"0 3 * * *\" emit report_due!;",
          "timer report_mail_timer = cron \"15 3 * * *\" emit report_mail_due!;",
          "// (the text after its '%' is the command's input)",
          "timer mysqldump_timer = cron \"45 23 * * 0-7\" emit mysqldump_due!;",
          "timer job_2fa_audit_timer = cron \"0 12 * * sun-sat\" emit job_2fa_audit_due!;",
          "response warm_cache_runs: !WarmCache.Idle leads_to WarmCache.Idle;  // it elapses at boot",
          "response fetchmail_2_runs: !Fetchmail2.Idle leads_to Fetchmail2.Idle within 19min;",
          "response mysqldump_runs: !Mysqldump.Idle leads_to Mysqldump.Idle within 23h59min;",
      });
}

TEST(ImportCrontab, SystemCrontabsByPathOrOption) {
  const CliRun r = import({"crontab", kData + "cron.d/backups"});
  ASSERT_EQ(r.code, 0) << r.err;
  expect_lines(r.out, {
                          "// Read as a system crontab (a user field after the schedule), by its path "
                          "(/etc/crontab or a cron.d folder).",
                          "system backups in minutes, weekly;",
                          "// (runs as root)",
                          "timer cron_hourly_timer = cron \"17 * * * *\" emit cron_hourly_due!;",
                          "timer cron_daily_timer = cron \"25 6 * * *\" emit cron_daily_due!;",
                          "// (runs as backup)",
                          "// flock -w 300: waits up to 5min for the lock tape_lock, then gives this run up.",
                          "timer tape_backup_timer = cron \"30 1 * * 6\" emit tape_backup_due!;",
                          "timer tape_backup_2_timer = cron \"30 1 * * 1-5\" emit tape_backup_2_due!;",
                          "invariant tape_lock_apart: !(TapeBackup.Running && TapeBackup2.Running);",
                      });
  // Read as a user crontab, the user is the program; --system says otherwise.
  const fs::path copy =
      fs::temp_directory_path() / ("interlock_import_" + std::to_string(getpid()) + ".crontab");
  fs::copy_file(kData + "cron.d/backups", copy, fs::copy_options::overwrite_existing);
  const CliRun user = import({"crontab", copy.string()});
  EXPECT_NE(user.out.find("timer backup_timer = cron \"30 1 * * 6\""), std::string::npos) << user.out;
  const CliRun system = import({"crontab", copy.string(), "--system"});
  EXPECT_NE(system.out.find("Read as a system crontab (a user field after the schedule), as --system says."),
            std::string::npos)
      << system.out;
  EXPECT_NE(system.out.find("timer tape_backup_timer"), std::string::npos);
  fs::remove(copy);
}

// The system is named after the file, and a file named like a keyword does not make a bad spec.
TEST(ImportCrontab, TheSystemIsNamedAfterTheFile) {
  const fs::path dir = fs::temp_directory_path() / ("interlock_import_names_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::copy_file(kData + "check/locked.crontab", dir / "in", fs::copy_options::overwrite_existing);
  const CliRun r = import({"crontab", (dir / "in").string()});
  EXPECT_NE(r.out.find("system in_jobs in minutes, daily;"), std::string::npos) << r.out;
  EXPECT_NO_THROW(load_model_from_text("in.sched", r.out));
  fs::remove_all(dir);
}

TEST(ImportCrontab, OutputToAFile) {
  const fs::path path =
      fs::temp_directory_path() / ("interlock_import_" + std::to_string(getpid()) + ".sched");
  const CliRun r = import({"crontab", kData + "check/locked.crontab", "-o", path.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("written to " + path.string()), std::string::npos) << r.err;
  const std::string text = read_file(path.string());
  EXPECT_NE(text.find("// Written by `interlock import crontab tests/data/import/check/locked.crontab`."),
            std::string::npos)
      << text;
  EXPECT_EQ(import({"crontab", kData + "check/locked.crontab", "--quiet"}).out, text);
  EXPECT_EQ(import({"crontab", kData + "check/locked.crontab", "--quiet"}).err, "");
  fs::remove(path);
  const CliRun nowhere =
      import({"crontab", kData + "check/locked.crontab", "-o", "/nonexistent-folder/x.sched"});
  EXPECT_EQ(nowhere.code, 2);
  EXPECT_NE(nowhere.err.find("/nonexistent-folder/x.sched: error: cannot write the spec here: its folder /nonexistent-folder: No "
                                 "such file or directory"),
            std::string::npos) << nowhere.err;
}

TEST(ImportSystemd, TimersAndServices) {
  const CliRun r = import({"systemd", kData + "systemd/backup.timer", kData + "systemd/vacuum.timer",
                           kData + "systemd/report.timer"});
  ASSERT_EQ(r.code, 0) << r.err;
  expect_lines(
      r.out,
      {
          "system timers in minutes, weekly;",
          "var db_lock_held : bool = false;  // /run/lock/db.lock: backup, vacuum",
          "// backup.timer:",
          "//   line 5: OnCalendar=*-*-* 00,12:00:00",
          "//   line 6: RandomizedDelaySec=1h",
          "//   line 7: Persistent=true",
          "// backup.service:",
          "//   line 6: ExecStart=/usr/bin/flock -w 600 /run/lock/db.lock /usr/local/bin/backup.sh --full",
          "// flock -w 600: waits up to 10min for the lock db_lock, then gives this run up.",
          "timer backup_timer = systemd \"OnCalendar=*-*-* 00,12:00:00\", \"RandomizedDelaySec=1h\", "
          "\"Persistent=true\" "
          "emit backup_due!;",
          "machine Backup {",
          "  state Waiting { invariant c <= 10min; }  // for the lock",
          "// vacuum.service:",
          "//   line 3: ExecStart=-/usr/bin/flock --nonblock /run/lock/db.lock      /usr/local/bin/vacuum-db "
          "--analyze",
          "timer vacuum_timer = systemd \"OnCalendar=hourly\", \"AccuracySec=1min\" emit vacuum_due!;",
          "// report.timer:",
          "//   line 2: OnCalendar=Mon..Fri 07:30",
          "//   line 3: OnCalendar=Sat,Sun 10:00",
          "//   line 4: Unit=weekly-report.service  (the service it starts)",
          "// weekly-report.service:",
          "timer report_timer = systemd \"OnCalendar=Mon..Fri 07:30\", \"OnCalendar=Sat,Sun 10:00\" emit "
          "report_due!;",
          "invariant db_lock_apart: !(Backup.Running && Vacuum.Running);",
          // 12 h apart, less 1 h of random delay and the default 1 min of accuracy, less a tick
          "response backup_runs: !Backup.Idle leads_to Backup.Idle within 10h58min;",
          "response vacuum_runs: !Vacuum.Idle leads_to Vacuum.Idle within 58min;",
          // Sun 10:00 to Mon 07:30, less the default accuracy and a tick
          "response report_runs: !Report.Idle leads_to Report.Idle within 21h28min;",
      });
  // A timer alone, with no service beside it, takes no lock; Persistent=yes is written as true.
  const CliRun lonely = import({"systemd", kData + "systemd/lonely.timer"});
  ASSERT_EQ(lonely.code, 0) << lonely.err;
  expect_lines(lonely.out, {"system lonely in minutes, weekly;",
                            "// (no lonely.service beside it: the job takes no lock here)",
                            "timer lonely_timer = systemd \"OnCalendar=Sat,Sun 04:00\" emit lonely_due!;"});
  const CliRun nightly = import({"systemd", kData + "systemd/nightly.timer", "--name", "nightly.timer=dump"});
  expect_lines(nightly.out, {"\"Persistent=true\" emit dump_due!;", "machine Dump {"});
}

// file:line:col, the source line and a caret, for every mistake of the file.
TEST(ImportErrors, CrontabErrorsAreLocated) {
  const CliRun r = import({"crontab", kData + "bad/fields.crontab"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  const std::string f = kData + "bad/fields.crontab:";
  expect_lines(
      r.err,
      {
          f + "2:1: error: the minute field allows 0-59, '*', lists (1,30), ranges (1-5) and steps (*/15); "
              "'61' is out of range\n"
              "  61 2 * * * /usr/local/bin/a.sh\n  ^\n",
          f + "3:6: error: the day-of-month field must name every day ('*' or 1-31): schedules here repeat "
              "over a day or a "
              "week, and '1' names only some days of the month\n",
          f + "4:1: error: @monthly runs on one day of the month",
          f + "5:10: error: the day-of-week field allows 0-7 (0 and 7 are Sunday) or sun..sat",
          f + "6:11: error: the command is missing: after the schedule comes the command to run\n",
          f + "7:18: error: flock -s takes a shared lock, which is not supported yet",
          f + "8:1: error: this line is not a job",
          f + "9:21: error: flock -w takes a number of seconds (flock -w 30 LOCK COMMAND), not 'soon'\n"
              "  30 2 * * * flock -w soon /var/lock/x.lock /usr/local/bin/f.sh\n                      ^\n",
          // An outside tester's: a lock file without a command (flock(1) fails and locks
          // nothing), a wait too long (it is a number), four time fields, a field quoted whole.
          f + "10:18: error: flock /var/lock/x.lock has no command after its lock file, so flock(1) reads",
          f + "11:21: error: flock -w 99999999999999 waits longer than interlock models",
          f + "12:10: error: this line has 4 time fields before the command '/usr/local/bin/h.sh'",
          f + "13:1: error: the minute field allows 0-59, '*', lists (1,30), ranges (1-5) and steps (*/15); '" +
              std::string(40, '1') + "...' is out of range\n",
      });
  const CliRun system = import({"crontab", kData + "bad/system.crontab"});
  EXPECT_EQ(system.code, 2);
  EXPECT_EQ(system.err,
            kData +
                "bad/system.crontab:3:16: error: the command is missing: after the schedule and the user "
                "comes the command to run\n  25 6\t* * *\troot\n      \t     \t    ^\n");
  const CliRun missing = import({"crontab", kData + "bad/none.crontab"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("bad/none.crontab: error: cannot open the crontab"), std::string::npos)
      << missing.err;
  const CliRun folder = import({"crontab", kData + "bad"});
  EXPECT_NE(folder.err.find("is a directory, not a crontab"), std::string::npos) << folder.err;
  const CliRun device = import({"crontab", "/dev/null"});
  EXPECT_EQ(device.code, 2);
  const fs::path comments =
      fs::temp_directory_path() / ("interlock_import_" + std::to_string(getpid()) + ".crontab");
  std::ofstream(comments) << "# nothing yet\nMAILTO=root\n\n";
  const CliRun empty = import({"crontab", comments.string()});
  EXPECT_EQ(empty.code, 2);
  EXPECT_EQ(empty.err, comments.string() + ": error: no job in this crontab: nothing to import\n");
  // cron ends a line at "\n" only: after a lone "\r" comes more of the same line, not a job
  // (an outside tester). A "\r\n" ending is read as one.
  std::ofstream(comments) << "30 2 * * * /usr/bin/backup\r\n15 3 * * * /usr/bin/a\r15 4 * * * /usr/bin/b\n";
  const CliRun lone = import({"crontab", comments.string()});
  EXPECT_EQ(lone.code, 2);
  EXPECT_NE(lone.err.find(comments.string() + ":2:22: error: a carriage return without a line feed after it: cron does not end a "
                                              "line there"),
            std::string::npos)
      << lone.err;
  std::ofstream(comments) << "30 2 * * * /usr/bin/backup\r\n15 3 * * * /usr/bin/a\r\n";
  EXPECT_EQ(import({"crontab", comments.string()}).code, 0);
  // Every lone "\r" is said, and the file's other mistakes too, on the lines an editor shows.
  std::ofstream(comments) << "0 3 * * * /usr/bin/b\r.sh\n0 4 * * * /usr/bin/c\r\r\n61 2 * * * /usr/bin/d\r\n";
  const CliRun many = import({"crontab", comments.string()});
  EXPECT_EQ(many.code, 2);
  for (const std::string place : {":1:21: error: a carriage return", ":3:21: error: a carriage return", ":5:1: error: the minute field"})
    EXPECT_NE(many.err.find(comments.string() + place), std::string::npos) << place << "\n" << many.err;
  // cron reads a byte-order mark as part of the first line's minute field and refuses the crontab:
  // the import refuses it too (an outside tester), and still says the file's other mistakes.
  std::ofstream(comments) << "\xEF\xBB\xBF" "0 2 * * * /usr/bin/a\n61 2 * * * /usr/bin/d\n";
  const CliRun marked = import({"crontab", comments.string()});
  EXPECT_EQ(marked.code, 2);
  for (const std::string place : {":1:1: error: the file begins with a byte-order mark", ":2:1: error: the minute field"})
    EXPECT_NE(marked.err.find(comments.string() + place), std::string::npos) << place << "\n" << marked.err;
  fs::remove(comments);
}

TEST(ImportErrors, UnitErrorsAreLocated) {
  const CliRun r = import({"systemd", kData + "bad/monotonic.timer"});
  EXPECT_EQ(r.code, 2);
  const std::string f = kData + "bad/monotonic.timer:";
  expect_lines(
      r.err,
      {
          f + "2:1: error: OnBootSec= (a monotonic timer, counted from boot, activation or the unit's last "
              "run) is not "
              "supported yet: only OnCalendar= timers are imported\n",
          f + "3:16: error: OnCalendar=: a date other than *-*-* is not supported: schedules here repeat "
              "over a day or a "
              "week, and '01' names only some days of the month\n  OnCalendar=*-*-01 04:00\n                 "
              "^\n",
          f + "4:22: error: RandomizedDelaySec=: 'fortnights' is not a unit",
          f + "5:12: error: Persistent= takes a boolean (true/false, yes/no, on/off, 1/0), not 'maybe'",
      });
  const CliRun noise = import({"systemd", kData + "bad/noise.timer"});
  const std::string n = kData + "bad/noise.timer:";
  expect_lines(noise.err,
               {
                   n + "1:1: error: a setting before any section: settings go under a header such as [Timer]",
                   n + "2:1: error: a section header is [Name]: this one has no ']'",
                   n + "4:1: error: this line is not a setting (Key=value), a section header ([Timer]) or a "
                       "comment (#)",
                   n + "5:17: error: OnCalendar=: the weekdays allow day names",
               });
  expect_no(noise.err, "AccuracySec");  // 500ms: systemd's resolution is a microsecond
  const CliRun none = import({"systemd", kData + "bad/nocalendar.timer"});
  EXPECT_EQ(none.err,
            kData +
                "bad/nocalendar.timer: error: the [Timer] section has no OnCalendar=: only calendar "
                "timers are imported\n");
  const CliRun shared = import({"systemd", kData + "bad/service_flock.timer"});
  EXPECT_NE(shared.err.find(kData + "bad/service_flock.service:2:26: error: flock -s takes a shared lock"),
            std::string::npos)
      << shared.err;
  const CliRun orphan = import({"systemd", kData + "bad/orphan.service"});
  EXPECT_NE(orphan.err.find("a .service file follows the .timer file that starts it"), std::string::npos);
  const CliRun service_missing =
      import({"systemd", kData + "systemd/lonely.timer", kData + "systemd/none.service"});
  EXPECT_NE(service_missing.err.find("none.service: error: cannot open the service unit"), std::string::npos);
}

// (Skeletons over a week with timers of many elapses are left out: the native-code test compiles
// every spec under tests/data, and such a timer takes it half a minute or more.)
const char* const kGenerated[] = {
    "shared_lock", "shared_lock_durations", "features",      "cron_d", "locked", "unlocked",
    "skipping",    "systemd_nightly",       "systemd_lonely"};

// The command that wrote each committed skeleton is on its first line: run it again.
std::vector<std::string> command_of(const std::string& spec) {
  const std::string head = "// Written by `interlock ";
  EXPECT_EQ(spec.rfind(head, 0), 0u);
  const std::string command = spec.substr(head.size(), spec.find("`.\n") - head.size());
  std::vector<std::string> args;
  std::istringstream words(command);
  for (std::string w; words >> w;) args.push_back(w);
  return args;
}

// An outside tester's timers: systemd accepts them, but interlock cannot model them (a delay of a
// whole day or more; an elapse every second). Import wrote the skeleton and exited 0, and `check`
// then refused it at a line of the generated file. Now import refuses, naming the unit, and
// writes nothing.
TEST(ImportErrors, AScheduleInterlockCannotModelIsRefusedAndNothingWritten) {
  const fs::path dir = fs::temp_directory_path() / ("interlock_import_unmodelled_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[Timer]\nOnCalendar=daily\nRandomizedDelaySec=2d\n", "may fire a whole day late"},
      {"[Timer]\nOnCalendar=daily\nRandomizedDelaySec=23h59min\n", "may fire a whole day late"},
      {"[Timer]\nOnCalendar=*-*-* *:*:*\n", "elapses more than 10080 times a day"}};
  for (const auto& [timer, why] : cases) {
    const fs::path unit = dir / "late.timer", spec = dir / "late.sched";
    std::ofstream(unit) << timer;
    const CliRun r = import({"systemd", unit.string(), "-o", spec.string()});
    EXPECT_EQ(r.code, 2) << timer;
    expect_lines(r.err, {unit.string() + ": error: interlock cannot model this schedule: timer 'late_timer' " + why, "; nothing written"});
    EXPECT_FALSE(fs::exists(spec)) << timer;
  }
  fs::remove_all(dir);
}

// An outside tester's findings. CRON_TZ= moves the job times to another zone: jobs in two zones
// cannot share the model's one clock (07:00 in New York is 12:00 UTC in winter, and the two jobs
// below collide there), so that is a located error, not a silent "holds". One zone for every job
// is modelled on its clock. A repetition systemd refuses (its timer never elapses) is an error too.
TEST(ImportErrors, TimeZonesAndCalendarsSystemdRefuses) {
  const fs::path dir = fs::temp_directory_path() / ("interlock_import_zones_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path two = dir / "two.crontab", one = dir / "one.crontab", never = dir / "never.timer";
  std::ofstream(two) << "CRON_TZ=UTC\n0 12 * * * flock /var/lock/x.lock /bin/a\nCRON_TZ=America/New_York\n"
                        "0 7 * * * /bin/b\n0 8 * * * /bin/c\n";
  std::ofstream(one) << "SHELL=/bin/sh\nCRON_TZ=UTC\n0 12 * * * /bin/a\nMAILTO=root\nCRON_TZ=\"UTC\"\n0 7 * * * /bin/b\n";
  std::ofstream(never) << "[Timer]\nOnCalendar=*:0/100\n";
  const CliRun zones = import({"crontab", two.string(), "-q"});
  EXPECT_EQ(zones.code, 2);
  EXPECT_EQ(zones.out, "");
  expect_lines(zones.err, {two.string() + ":4:1: error: this job's times are written in the zone of line 3: "
                                          "CRON_TZ=America/New_York, the jobs before it in the zone of line 1: CRON_TZ=UTC"});
  EXPECT_EQ(zones.err.find(two.string() + ":5:"), std::string::npos) << "said once for the zone: " << zones.err;
  const CliRun same = import({"crontab", one.string(), "-q"});
  EXPECT_EQ(same.code, 0) << same.err;
  expect_lines(same.out, {"// line 1: SHELL=/bin/sh  (an environment setting: not modelled)",
                          "// line 2: CRON_TZ=UTC  (the time zone of the job times after it: the model's clock is in it)"});
  const CliRun refused = import({"systemd", never.string(), "-q"});
  EXPECT_EQ(refused.code, 2);
  expect_lines(refused.err, {never.string() + ":2:14: error: OnCalendar=: ", "'0/100' repeats every 100 from 0, past the largest "
                                                                             "value 59 at once: systemd refuses it"});
  // A Unit= that is a path: the service was read from it, any file the user can read, and quoted
  // in the errors (an outside tester read another user's secrets this way). systemd refuses it.
  for (const std::string unit : {"/etc/passwd", "../../../etc/passwd", "x", "a/b.service"}) {
    const fs::path timer = dir / "path.timer";
    std::ofstream(timer) << "[Timer]\nOnCalendar=daily\nUnit=" << unit << "\n";
    const CliRun path = import({"systemd", timer.string(), "-q"});
    EXPECT_EQ(path.code, 2) << unit;
    expect_lines(path.err, {timer.string() + ":3:6: error: Unit= takes a unit name", "not '" + unit + "': systemd refuses it"});
    EXPECT_EQ(path.err.find("root:"), std::string::npos) << path.err;
  }
  fs::remove_all(dir);
}

// A timer's lateness is the sum of RandomizedDelaySec= and AccuracySec=, in microseconds, rounded
// down to the tick once, as the timer model counts it: the skeleton's deadline rounded it up (30 s +
// 1 min was "2 min late" against the model's 1), and a job of 13 min every 15 broke JOB_runs.
// AccuracySec=1us (systemd.timer(5)'s advice for exact timing) is no lateness at all.
TEST(ImportSystemd, LatenessIsCountedAsTheTimerModelCountsIt) {
  const fs::path dir = fs::temp_directory_path() / ("interlock_import_late_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path quarter = dir / "quarter.timer", exact = dir / "exact.timer";
  const fs::path quarter_spec = dir / "quarter.sched", exact_spec = dir / "exact.sched";
  std::ofstream(quarter) << "[Timer]\nOnCalendar=*:0/15\nRandomizedDelaySec=30s\n";
  std::ofstream(exact) << "[Timer]\nOnCalendar=*-*-* 02:00\nAccuracySec=1us\n";
  ASSERT_EQ(import({"systemd", quarter.string(), "--duration", "quarter=13min", "-q", "-o", quarter_spec.string()}).code, 0);
  const CliRun exact_import = import({"systemd", exact.string(), "--duration", "exact=30min", "-q", "-o", exact_spec.string()});
  ASSERT_EQ(exact_import.code, 0) << exact_import.err;
  expect_lines(read_file(quarter_spec.string()),
               {"within 13min;  // elapses 15min apart or more, each up to 1min late"});
  expect_lines(read_file(exact_spec.string()), {"\"AccuracySec=1us\"", "within 23h59min;  // elapses 1d apart or more\n"});
  const CliRun checked = run({"check", quarter_spec.string(), "--prop", "quarter_runs", "--quiet"});
  EXPECT_EQ(checked.code, 0) << checked.out;
  const CliRun on_time = run({"check", exact_spec.string(), "--prop", "exact_runs", "--quiet"});
  EXPECT_EQ(on_time.code, 0) << on_time.out;
  fs::remove_all(dir);
}

TEST(ImportGenerated, CommittedSkeletonsAreWrittenAgainTheSameAndLoad) {
  for (const char* name : kGenerated) {
    const std::string path = kData + "generated/" + name + ".sched";
    const std::string committed = read_file(path);
    ASSERT_FALSE(committed.empty()) << path;
    const CliRun again = run(command_of(committed));
    EXPECT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(again.out, committed)
        << path << " differs from what import writes now: run tests/data/import/generate.sh";
    try {
      const Model model = load_model_from_text(path, committed);
      EXPECT_FALSE(model.instances.empty()) << path;
    } catch (const InputError& e) {
      ADD_FAILURE() << path << " does not load:\n" << e.what();
    }
  }
}

// tests/fuzz/run.sh starts the spec fuzzer from every .sched under tests/data, so from these.
TEST(ImportGenerated, TheSpecFuzzerStartsFromThem) {
  const std::string script = read_file("tests/fuzz/run.sh");
  const std::size_t find = script.find("find specs tests/bad tests/data ");
  ASSERT_NE(find, std::string::npos) << "tests/fuzz/run.sh no longer seeds from tests/data";
  EXPECT_NE(script.find("-name '*.sched'", find), std::string::npos);
  for (const char* name : kGenerated) EXPECT_TRUE(fs::exists(kData + "generated/" + name + ".sched")) << name;
}

std::string verdict_line(const std::string& out, const std::string& property) {
  for (const char* verdict : {"holds     ", "violated  ", "unknown   "}) {
    const std::size_t at = out.find(std::string(verdict) + property + " ");
    if (at != std::string::npos) return std::string(verdict).substr(0, std::string(verdict).find(' '));
  }
  return "missing";
}

// Two jobs at 02:00: with a shared plain flock one waits and they never overlap; without it they
// run at once; with flock -n one of them skips, and its "runs in every period" is violated.
TEST(ImportGenerated, CheckGivesTheExpectedVerdicts) {
  struct Case {
    const char* spec;
    std::vector<std::pair<const char*, const char*>> verdicts;
    int code;
  };
  for (const Case& c : {
           Case{"locked",
                {{"db_lock_apart", "holds"},
                 {"dump_db_runs", "holds"},
                 {"vacuum_db_runs", "holds"},
                 {"deadlock_free", "holds"}},
                0},
           Case{"unlocked",
                {{"db_apart", "violated"},
                 {"dump_db_runs", "holds"},
                 {"vacuum_db_runs", "holds"},
                 {"deadlock_free", "holds"}},
                1},
           Case{"skipping",
                {{"db_lock_apart", "holds"},
                 {"dump_db_runs", "violated"},
                 {"vacuum_db_runs", "violated"},
                 {"deadlock_free", "holds"}},
                1},
           Case{"systemd_nightly",
                {{"db_lock_apart", "holds"},
                 {"nightly_runs", "holds"},
                 {"reindex_runs", "violated"},
                 {"deadlock_free", "holds"}},
                1},
       }) {
    const CliRun r = run({"check", kData + "generated/" + c.spec + ".sched", "--quiet"});
    EXPECT_EQ(r.code, c.code) << c.spec << "\n" << r.out << r.err;
    for (const auto& [property, verdict] : c.verdicts) {
      EXPECT_EQ(verdict_line(r.out, property), verdict) << c.spec << ": " << property << "\n" << r.out;
    }
  }
  // The locked pair waits: the longest run from due to idle is the other's run and its own.
  const CliRun locked = run({"check", kData + "generated/locked.sched", "--prop", "dump_db_runs", "--quiet"});
  EXPECT_NE(locked.out.find("the longest wait is 30 min"), std::string::npos) << locked.out;
  // The trace of the violation shows the skipped run.
  const CliRun skipped =
      run({"check", kData + "generated/skipping.sched", "--prop", "dump_db_runs"});
  EXPECT_NE(skipped.out.find("DumpDb: Idle -> Skipped"), std::string::npos) << skipped.out;
}

// Random crontabs and timer units, well-formed or not: import never fails otherwise than with a
// located error (exit 2), and what it accepts is a spec that loads.
TEST(ImportRobustness, WhateverIsImportedLoads) {
  std::mt19937 rng(2026);
  const auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  const std::vector<std::string> schedules = {
      "0 2 * * *", "*/5 * * * *", "30 2 * * 1-5",     "0 0,12 * * sun",       "@daily",      "@hourly",
      "@weekly",   "@reboot",     "15 3 * * mon-fri", "0 */4 1-31 jan-dec *", "59 23 * * 7", "61 2 * * *",
      "0 2 1 * *", "@monthly",    "0 2 * *",          "0 2 * * * *",          "x y z",       "* * * * *"};
  const std::vector<std::string> commands = {"/usr/local/bin/backup.sh",
                                             "flock -n /var/lock/a.lock /usr/bin/x",
                                             "flock /var/lock/a.lock y --all",
                                             "flock -w 30 /var/lock/b.lock -c 'cd / && ./z.sh'",
                                             "flock -s /l q",
                                             "flock",
                                             "nice -n 5 sudo -u a /bin/w",
                                             "( flock -n 9 || exit 1; job ) 9>/var/lock/a.lock",
                                             "echo 'unterminated",
                                             "run-parts /etc/cron.daily",
                                             "cmd % input %% more",
                                             "/opt/\xc3\xa9t\xc3\xa9/run",
                                             "/opt/bad\xff\xfe/run",
                                             "wall",
                                             "\x01\x7f ctrl",
                                             "/usr/bin/b\x1b[31m\xc2\x9b" "2J",
                                             "/opt/\xe2\x80\xae" "evil",
                                             "2fa",
                                             "flock -w 1e99 /l x",
                                             "flock --bogus /l x",
                                             "sh -c \"flock /var/lock/a.lock inner\"",
                                             ""};
  const fs::path file =
      fs::temp_directory_path() / ("interlock_import_fuzz_" + std::to_string(getpid()) + ".crontab");
  int imported = 0;
  for (int round = 0; round < 120; ++round) {
    std::string text;
    const int lines = 1 + static_cast<int>(rng() % 8);
    for (int l = 0; l < lines; ++l) {
      switch (rng() % 8) {
        case 0:
          text += "# a comment \xff\n";
          break;
        case 1:
          text += "MAILTO=root\n";
          break;
        case 2:
          text += "\n";
          break;
        case 3:
          text += "\t  " + pick(schedules) + "\troot " + pick(commands) + "\r\n";
          break;
        default:
          text += pick(schedules) + " " + pick(commands) + "\n";
          break;
      }
    }
    std::ofstream(file, std::ios::binary) << text;
    std::vector<std::string> args{"crontab", file.string()};
    if (rng() % 4 == 0) args.push_back("--system");
    const CliRun r = import(args);
    ASSERT_TRUE(r.code == 0 || r.code == 2) << r.err << "\n" << text;
    if (r.code == 2) {
      EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
      continue;
    }
    ++imported;
    // The commands are quoted in comments: nothing there may drive a terminal that shows the
    // skeleton (an escape, a C1 control, a bidirectional override).
    for (const char* driving : {"\x1b", "\xc2\x9b", "\xe2\x80\xae", "\x01"})
      EXPECT_EQ(r.out.find(driving), std::string::npos) << r.out;
    try {
      load_model_from_text("imported.sched", r.out);
    } catch (const InputError& e) {
      ADD_FAILURE() << "the skeleton of\n" << text << "does not load:\n" << e.what() << "\n" << r.out;
    }
  }
  EXPECT_GT(imported, 10);
  fs::remove(file);

  const std::vector<std::string> settings = {"OnCalendar=daily",
                                             "OnCalendar=Mon..Fri 02:30",
                                             "OnCalendar=*-*-* 00,12:00:00",
                                             "OnCalendar=0/2:15",
                                             "OnCalendar=*-*-* 02:00:30",
                                             "OnCalendar=",
                                             "RandomizedDelaySec=10min",
                                             "RandomizedDelaySec=90",
                                             "AccuracySec=1s",
                                             "AccuracySec=",
                                             "Persistent=yes",
                                             "Persistent=0",
                                             "OnBootSec=5min",
                                             "Unit=other.service",
                                             "WakeSystem=true",
                                             "OnCalendar=*-*-01",
                                             "OnCalendar=Mon\t02:00",
                                             "RandomizedDelaySec=1000000\xce\xbcs",
                                             "RandomizedDelaySec=2d",
                                             "RandomizedDelaySec=23h59min",
                                             "OnCalendar=*-*-* *:*:*",
                                             "[Install]",
                                             "junk"};
  const fs::path dir = fs::temp_directory_path() / ("interlock_import_fuzz_" + std::to_string(getpid()));
  fs::create_directories(dir);
  imported = 0;
  for (int round = 0; round < 80; ++round) {
    std::string timer = "[Timer]\n";
    const int lines = 1 + static_cast<int>(rng() % 5);
    for (int l = 0; l < lines; ++l) timer += pick(settings) + "\n";
    std::ofstream(dir / "job.timer", std::ios::binary) << timer;
    std::ofstream(dir / "job.service", std::ios::binary) << "[Service]\nExecStart=" << pick(commands) << "\n";
    const CliRun r = import({"systemd", (dir / "job.timer").string()});
    ASSERT_TRUE(r.code == 0 || r.code == 2) << r.err << "\n" << timer;
    if (r.code == 2) {
      EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
      continue;
    }
    ++imported;
    try {
      load_model_from_text("imported.sched", r.out);
    } catch (const InputError& e) {
      ADD_FAILURE() << "the skeleton of\n" << timer << "does not load:\n" << e.what() << "\n" << r.out;
    }
  }
  EXPECT_GT(imported, 5);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace interlock
