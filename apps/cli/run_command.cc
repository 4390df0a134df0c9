#include "apps/cli/run_command.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "apps/cli/flags.h"
#include "apps/cli/terminal.h"
#include "apps/harness/harness.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/report.h"
#include "sim/text/escape.h"

namespace meshsim {
namespace {

struct RunFlags {
  std::string file;
  std::string clock = "virtual";
  std::optional<std::string> report_path;
  std::optional<std::string> html_path;
  HarnessOptions options;
};

template <typename Write>
bool WriteFile(const std::string& path, Write write) {
  std::ofstream f(path);
  write(f);
  return static_cast<bool>(f);
}

int Run(RunFlags& flags, std::ostream& out, std::ostream& err) {
  HarnessOptions& options = flags.options;
  options.clock = flags.clock == "real" ? ClockKind::kReal : ClockKind::kVirtual;
  auto harness = Harness::FromFile(flags.file, options);
  if (!harness.ok()) {
    err << harness.status().message() << "\n";
    return kExitUsage;
  }
  // The outputs are checked before the run, not found unwritable after it.
  for (const auto& [flag, path] :
       {std::pair{"--report", &flags.report_path}, std::pair{"--html", &flags.html_path}}) {
    if (!*path) continue;
    if (auto problem = OutputFileProblem(**path)) {
      err << "meshsim run: " << flag << ": cannot write " << **path << ": " << *problem << "\n";
      return kExitUsage;
    }
  }
  Harness& h = **harness;
  out << "meshsim: running " << h.scenario().name << " with seed " << h.seed() << " on the "
      << flags.clock
      << " clock (replay: " << ReplayCommand(flags.file, h.seed(), options.backends, flags.clock)
      << ")\n"
      << std::flush;
  ProgressBar bar(h.scenario().duration_us, out, StdoutIsTerminal() && &out == &std::cout);
  const Status run =
      h.Run([&bar](int64_t sim_now_us, double wall_s) { bar.Update(sim_now_us, wall_s); });
  bar.Finish();
  if (auto s = run; !s.ok()) {
    err << "meshsim run: " << s.ToString() << "\n";
    return kExitFailed;
  }
  const auto report = h.Report();
  out << FormatSummary(report);
  if (flags.report_path) {
    if (!WriteFile(*flags.report_path, [&](std::ostream& f) {
          f << report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
        })) {
      err << "meshsim run: cannot write report to " << *flags.report_path << "\n";
      return kExitFailed;
    }
    out << "report written to " << *flags.report_path << "\n";
  }
  if (flags.html_path) {
    if (!WriteFile(*flags.html_path, [&](std::ostream& f) { f << RenderHtml(report); })) {
      err << "meshsim run: cannot write the HTML report to " << *flags.html_path << "\n";
      return kExitFailed;
    }
    out << "HTML report written to " << *flags.html_path << "\n";
  }
  return report["passed"].get<bool>() ? kExitOk : kExitFailed;
}

}  // namespace

ToolAction DefineRun(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  app.add_option("FILE", flags->file, "the scenario file")->required();
  AddSeedFlag(app, flags->options.seed, "overrides the scenario's seed");
  app.add_option("--clock", flags->clock,
                 "virtual jumps from event to event (the default), real waits on the wall clock")
      ->type_name("virtual|real")
      ->check(CLI::IsMember({"virtual", "real"}).description(""));
  app.add_option("--state", flags->options.state_dir,
                 "keeps the catalog and the grants in DIR for later runs and meshsim catalog")
      ->type_name("DIR");
  app.add_option("--report", flags->report_path, "writes the report as JSON")
      ->type_name("OUT.json");
  app.add_option("--html", flags->html_path, "writes the report as one HTML page")
      ->type_name("OUT.html");
  AddBackendFlag(app, flags->options.backends);
  return [flags](std::ostream& out, std::ostream& err) { return Run(*flags, out, err); };
}

std::string ReplayCommand(const std::string& file, uint64_t seed,
                          const std::vector<std::string>& backends, const std::string& clock) {
  std::string line = "meshsim run ";
  line.append(ShellWord(file)).append(" --seed ").append(std::to_string(seed));
  if (clock != "virtual") line.append(" --clock ").append(ShellWord(clock));
  for (const auto& b : backends) line.append(" --backend ").append(ShellWord(b));
  return line;
}

}  // namespace meshsim
