#include "support/spin_runner.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

namespace interlock::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool spin_installed() { return std::system("command -v spin >/dev/null 2>&1 && command -v cc >/dev/null 2>&1") == 0; }

SpinAnswer run_spin(const std::string& promela, const std::string& folder) {
  SpinAnswer answer;
  std::ofstream(folder + "/model.pml") << promela;
  // -o1 -o2: SPIN would leave variables that are only written out of its states (as interlock's
  // cone of influence does); the plain semantics keeps them.
  // -O0: these models are small, and compiling pan.c takes most of the time (-O2 doubles it).
  // -E: a state without successors is no error here (interlock reports deadlocks on its own).
  const std::string command = "cd '" + folder + "' && spin -o1 -o2 -a model.pml >log.txt 2>&1 && " +
                              "cc -O0 -DBFS -DSAFETY -DNOREDUCE -DVECTORSZ=4096 -o pan pan.c >>log.txt 2>&1 && " +
                              "./pan -E -c0 -m100000000 -w20 >pan.txt 2>&1";
  const int status = std::system(command.c_str());
  answer.log = read_file(folder + "/log.txt");
  if (status != 0) return answer;
  const std::string out = read_file(folder + "/pan.txt");
  answer.log += out;
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(R"((\d+) states, stored)"))) return answer;
  answer.states = std::stoull(m[1]);
  if (!std::regex_search(out, m, std::regex(R"(depth reached (\d+))"))) return answer;
  answer.depth = std::stoi(m[1]);
  answer.ran = true;
  answer.complete = out.find("Search not completed") == std::string::npos &&
                    out.find("max search depth too small") == std::string::npos;
  const std::regex failure(R"(assertion violated (\w+) \(at depth (\d+)\))");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), failure); it != std::sregex_iterator(); ++it) {
    const std::string label = (*it)[1];
    const int depth = std::stoi((*it)[2]);
    auto [at, inserted] = answer.first_failure.emplace(label, depth);
    if (!inserted && depth < at->second) at->second = depth;
  }
  return answer;
}

}  // namespace interlock::testing
