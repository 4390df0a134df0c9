#include "apps/cli/cli.h"

#include <charconv>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>

#include "apps/cli/catalog_command.h"
#include "apps/cli/eval_command.h"
#include "apps/cli/terminal.h"
#include "apps/cli/test_runner.h"
#include "apps/harness/harness.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/report.h"

namespace meshsim {
namespace {

struct Tool {
  const char* name;
  const char* usage;
  const char* summary;
  std::function<int(const std::vector<std::string>&, std::ostream&, std::ostream&)> run;
};

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::optional<std::string> file, report_path, html_path;
  HarnessOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        err << "meshsim run: " << flag << " needs a value\n";
        return std::nullopt;
      }
      return args[++i];
    };
    if (a == "--seed") {
      auto v = value("--seed");
      if (!v) return kExitUsage;
      uint64_t seed = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), seed);
      if (ec != std::errc() || end != v->data() + v->size()) {
        err << "meshsim run: --seed must be a non-negative integer, got \"" << *v << "\"\n";
        return kExitUsage;
      }
      options.seed = seed;
    } else if (a == "--clock") {
      auto v = value("--clock");
      if (!v) return kExitUsage;
      if (*v == "virtual") {
        options.clock = ClockKind::kVirtual;
      } else if (*v == "real") {
        options.clock = ClockKind::kReal;
      } else {
        err << "meshsim run: --clock must be virtual or real, got \"" << *v << "\"\n";
        return kExitUsage;
      }
    } else if (a == "--report") {
      report_path = value("--report");
      if (!report_path) return kExitUsage;
    } else if (a == "--state") {
      auto v = value("--state");
      if (!v) return kExitUsage;
      options.state_dir = *v;
    } else if (a == "--html") {
      html_path = value("--html");
      if (!html_path) return kExitUsage;
    } else if (a.size() > 1 && a[0] == '-') {
      err << "meshsim run: unknown option " << a << "\n";
      return kExitUsage;
    } else if (!file) {
      file = a;
    } else {
      err << "meshsim run: one scenario file at a time (got " << *file << " and " << a << ")\n";
      return kExitUsage;
    }
  }
  if (!file) {
    err << "meshsim run: which scenario? usage: meshsim run FILE [--seed N] "
           "[--clock virtual|real] [--state DIR] [--report OUT.json] [--html OUT.html]\n";
    return kExitUsage;
  }
  auto harness = Harness::FromFile(*file, options);
  if (!harness.ok()) {
    err << harness.status().message() << "\n";
    return kExitUsage;
  }
  Harness& h = **harness;
  out << "meshsim: running " << h.scenario().name << " with seed " << h.seed() << " on the "
      << (options.clock == ClockKind::kVirtual ? "virtual" : "real")
      << " clock (replay: meshsim run " << *file << " --seed " << h.seed() << ")\n"
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
  if (report_path) {
    std::ofstream f(*report_path);
    f << report.dump(2) << "\n";
    if (!f) {
      err << "meshsim run: cannot write report to " << *report_path << "\n";
      return kExitFailed;
    }
    out << "report written to " << *report_path << "\n";
  }
  if (html_path) {
    std::ofstream f(*html_path);
    f << RenderHtml(report);
    if (!f) {
      err << "meshsim run: cannot write the HTML report to " << *html_path << "\n";
      return kExitFailed;
    }
    out << "HTML report written to " << *html_path << "\n";
  }
  return report["passed"].get<bool>() ? kExitOk : kExitFailed;
}

const std::vector<Tool>& Tools();

int Help(const std::vector<std::string>&, std::ostream& out, std::ostream&) {
  out << "meshsim — the AWS real-time recommendations data mesh in one process\n\nusage:\n";
  for (const auto& t : Tools()) out << "  meshsim " << t.usage << "\n      " << t.summary << "\n";
  return kExitOk;
}

const std::vector<Tool>& Tools() {
  static const std::vector<Tool> kTools = {
      {"run",
       "run FILE [--seed N] [--clock virtual|real] [--state DIR] [--report OUT.json] "
       "[--html OUT.html]",
       "run a scenario end to end and print its summary; exit 1 if it failed. --state DIR keeps "
       "the catalog and the grants there for later runs",
       Run},
      {"validate", "validate PATH...",
       "check scenario files (folders: their *.json) and print every error; exit 2 on any",
       ValidateCommand},
      {"test", "test PATH... [--junit OUT.xml] [--seed N] [--report-dir DIR]",
       "run scenarios as tests: a line each, JUnit XML, JSON and HTML reports in DIR; exit 1 if "
       "any failed, 2 on bad input",
       TestCommand},
      {"catalog",
       "catalog --state DIR list | describe DB[.TABLE] | search TEXT | grants [PRINCIPAL]",
       "look at the catalog and the Lake Formation grants a run left in DIR", CatalogCommand},
      {"eval",
       "eval --interactions FILE.csv [--items FILE.csv] [--users FILE.csv] --recipe NAME "
       "[--split personalize|stratified:RATIO|chronological:RATIO] [--k K] [--seed N] [--json]",
       "train a recipe on part of a data set and score it on the rest: GetSolutionMetrics' "
       "figures, and Microsoft Recommenders' for its splits",
       EvalCommand},
      {"help", "help", "this list", Help},
  };
  return kTools;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    Help({}, out, err);
    return args.empty() ? kExitUsage : kExitOk;
  }
  for (const auto& tool : Tools()) {
    if (args[0] == tool.name) return tool.run({args.begin() + 1, args.end()}, out, err);
  }
  err << "meshsim: unknown command \"" << args[0] << "\" (try meshsim help)\n";
  return kExitUsage;
}

}  // namespace meshsim
