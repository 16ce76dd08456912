// interlock-mpi: the explicit search of `interlock check` spread over the processes of an MPI job
// (solver/distributed/distributed_search.h), started by mpirun (kUsage below). It takes check's
// options (those that make sense without a choice of engine) and prints what check prints, from
// rank 0, plus a line on how the states were spread.
#include <mpi.h>
#include <sched.h>

#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/load_spec.h"
#include "cli/options.h"
#include "model/diagnostics.h"
#include "solver/distributed/distributed_search.h"
#include "solver/trace/report.h"

namespace interlock {
namespace {

// mpirun binds each rank to one core by default (Open MPI, with few ranks): then --threads N
// shares that core and gains nothing. Said once, by rank 0, on its own binding.
void warn_if_bound(int threads, int rank) {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (rank != 0 || threads <= 1 || sched_getaffinity(0, sizeof cpus, &cpus) != 0) return;
  const int usable = CPU_COUNT(&cpus);
  if (usable < threads)
    std::cerr << "interlock-mpi: note: rank 0 is bound to " << usable << (usable == 1 ? " core, so its " : " cores, so its ")
              << threads << " threads share " << (usable == 1 ? "it" : "them") << ": start mpirun with --bind-to none, "
              << "or --map-by slot:PE=" << threads << "\n";
}

constexpr const char* kUsage =
    "usage: mpirun -np K interlock-mpi SPEC [--prop NAME]... [--set P=V]... [--timeout S] [--depth K]\n"
    "                                   [--native auto|on|off] [--reduce on|off] [--symmetry on|off]\n"
    "                                   [--threads N] [--quiet]\n"
    "The explicit search of `interlock check` spread over the processes of an MPI job: each owns the\n"
    "states whose hash falls to it. It decides every kind of property check does; the options are\n"
    "check's (see `interlock check --help`; `interlock-mpi check SPEC ...` is read the same), and\n"
    "--threads is per\n"
    "process, 1 unless given (start mpirun with --bind-to none, or --map-by slot:PE=N, to give each\n"
    "process N cores). docs/engines.md, \"The explicit search on many machines\", says how it works.\n";

int run(const std::vector<std::string>& args, int rank, int ranks, int thread_support) {
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      if (rank == 0) std::cout << kUsage;
      return 0;
    }
  if (args.empty()) throw UsageError("a spec file is needed (interlock-mpi --help says how)");
  // `interlock-mpi check SPEC`, as one writes `interlock check SPEC`: the word is the command's.
  const bool worded = args.size() > 1 && args[0] == "check";
  std::vector<std::string> check_args{"check"};
  check_args.insert(check_args.end(), args.begin() + (worded ? 1 : 0), args.end());
  const Options options = parse_options(check_args);
  if (options.command != "check") throw UsageError("interlock-mpi takes the options of 'check'");
  // Options of the one-process engines that the distributed search does not have (no partial-order
  // reduction): refused rather than ignored. --threads is per rank, and 1 unless given.
  for (const char* engine_only : {"--engine", "--free", "--trace", "--format", "--memory", "--lint", "--por"})
    for (const std::string& a : args)
      if (a == engine_only || a.rfind(std::string(engine_only) + "=", 0) == 0)
        throw UsageError(std::string(engine_only) + " is not an option of interlock-mpi (the distributed explicit search)");
  if (options.limits.threads > 1 && thread_support < MPI_THREAD_FUNNELED)
    throw UsageError("this MPI library runs no threads beside MPI: --threads must be 1 here");
  warn_if_bound(options.limits.threads, rank);
  RunContext context(options.limits, nullptr);
  Model model = load_spec(options.spec, options.lower, context);
  for (const Param& p : model.params)
    if (!p.value)
      throw InputError(options.spec + ": error: parameter '" + p.name +
                       "' has no value: the distributed search needs one for every parameter (--set " + p.name + "=V)\n");
  std::vector<int> props = property_indexes(model, options.props, options.spec);
  if (options.props.empty())
    for (std::size_t i = 0; i < model.properties.size(); ++i) props.push_back(static_cast<int>(i));
  DistributedOutcome outcome = check_distributed(model, props, context, MPI_COMM_WORLD);
  if (rank != 0) return 0;
  if (!options.quiet) std::cout << "interlock-mpi: " << model.file << " (system " << model.system << "), " << ranks << " ranks\n";
  print_results(std::cout, model, outcome.results, options.quiet ? ResultDetail::VerdictsOnly : ResultDetail::Traces);
  if (!options.quiet) {
    std::cout << "ranks: " << ranks << "; states per rank:";
    for (std::size_t r = 0; r < outcome.states_per_rank.size(); ++r)
      std::cout << (r ? ", " : " ") << outcome.states_per_rank[r];
    std::cout << "; " << outcome.bytes_sent / (1024 * 1024) << " MB sent between ranks in " << outcome.rounds << " rounds\n";
  }
  return exit_code(worst_verdict(outcome.results));
}

}  // namespace
}  // namespace interlock

int main(int argc, char** argv) {
  // A rank's other threads only expand states (solver/distributed/round_expansion.h): every MPI
  // call is made by the main thread.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = 0;
  // Every rank reads the same spec and options, so a bad input fails on every rank alike; rank 0
  // says why.
  try {
    code = interlock::run(args, rank, ranks, provided);
  } catch (const interlock::UsageError& e) {
    if (rank == 0) std::cerr << "interlock-mpi: error: " << e.what() << "\n";
    code = 2;
  } catch (const interlock::InputError& e) {
    if (rank == 0) std::cerr << e.what();
    code = 2;
  } catch (const std::exception& e) {
    std::cerr << "interlock-mpi: internal error on rank " << rank << ": " << e.what() << "; the verdict is unknown\n";
    MPI_Abort(MPI_COMM_WORLD, 3);
  }
  MPI_Finalize();
  return rank == 0 ? code : 0;
}
