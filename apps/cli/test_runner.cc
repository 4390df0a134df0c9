#include "apps/cli/test_runner.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <set>

#include "apps/cli/flags.h"
#include "apps/cli/junit.h"
#include "apps/cli/run_command.h"
#include "apps/harness/expectation_runner.h"
#include "apps/harness/harness.h"
#include "apps/registry/backend_registry.h"
#include "sim/report/html_report.h"
#include "sim/report/report.h"
#include "sim/report/verdict.h"
#include "sim/scenario/scenario.h"

namespace meshsim {
namespace {

namespace fs = std::filesystem;

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

bool UnderDataFolder(const fs::path& file, const fs::path& root) {
  for (const auto& part : file.parent_path().lexically_relative(root)) {
    if (part == "data") return true;
  }
  return false;
}

struct TestOptions {
  std::vector<std::string> paths;
  std::optional<std::string> junit;
  std::optional<std::string> report_dir;
  std::optional<uint64_t> seed;
  std::vector<std::string> backends;
};

// Where the outputs go must be writable before anything runs.
bool CheckOutputs(TestOptions& o, std::ostream& err) {
  if (o.report_dir) {
    std::error_code ec;
    fs::create_directories(*o.report_dir, ec);
    if (!fs::is_directory(*o.report_dir, ec)) {
      err << "meshsim test: cannot create the report folder " << *o.report_dir << "\n";
      return false;
    }
  }
  if (o.junit) {
    // A bare file name is in the current folder (once refused: a missing file set the
    // error_code that said the path was bad).
    if (auto problem = OutputFileProblem(*o.junit)) {
      err << "meshsim test: cannot write JUnit XML to " << *o.junit << ": " << *problem << "\n";
      return false;
    }
  }
  return true;
}

// A report file name per scenario file, unique within the run.
std::string ReportPath(const std::string& dir, const std::string& file,
                       std::set<std::string>* used) {
  const std::string stem = fs::path(file).stem().string();
  std::string name = stem + ".json";
  for (int n = 2; !used->insert(name).second; ++n) name = stem + "-" + std::to_string(n) + ".json";
  return (fs::path(dir) / name).string();
}

JUnitSuite ErrorSuite(const std::string& name, const std::string& file, const std::string& message,
                      const std::string& replay) {
  JUnitCase c{"run", name, file, 0, JUnitCase::Outcome::kError, message, "run", {}};
  c.text = message + "\nreplay: " + replay + "\n";
  return JUnitSuite{name, 0, {std::move(c)}};
}

}  // namespace

Result<std::vector<std::string>> ScenarioFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return Status(Code::kResourceNotFound, p + ": no such file or folder");
    if (!fs::is_directory(p, ec)) {
      // A file, or something that is not one (a device, a FIFO), which the loader then refuses
      // by name.
      if (seen.insert(p).second) files.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      const fs::path& f = it->path();
      if (it->is_regular_file(ec) && f.extension() == ".json" && f.filename() != "schema.json" &&
          !UnderDataFolder(f, p)) {
        found.push_back(f.string());
      }
    }
    if (ec) return Status(Code::kResourceNotFound, p + ": " + ec.message());
    if (found.empty()) return Status(Code::kResourceNotFound, p + ": no scenario files (*.json)");
    std::sort(found.begin(), found.end());
    for (auto& f : found) {
      if (seen.insert(f).second) files.push_back(std::move(f));
    }
  }
  return files;
}

namespace {

int Validate(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err) {
  auto files = ScenarioFiles(paths);
  if (!files.ok()) {
    err << "meshsim validate: " << files.status().message() << "\n";
    return kExitUsage;
  }
  size_t bad = 0;
  for (const auto& f : *files) {
    auto s = LoadScenario(f);
    if (s.ok()) {
      if (Status backend = CheckBackends(*s, {}); !backend.ok()) s = backend;
    }
    if (s.ok()) {
      out << f << ": ok\n" << std::flush;
    } else {
      ++bad;
      err << s.status().message() << "\n" << std::flush;
    }
  }
  if (bad > 0) {
    err << "meshsim validate: " << bad << " of " << files->size() << " files invalid\n";
    return kExitUsage;
  }
  return kExitOk;
}

int Test(TestOptions& options, std::ostream& out, std::ostream& err) {
  auto files = ScenarioFiles(options.paths);
  if (!files.ok()) {
    err << "meshsim test: " << files.status().message() << "\n";
    return kExitUsage;
  }
  // Every file is read, and its backends checked, before anything runs: one bad file and
  // nothing runs.
  std::vector<Scenario> scenarios;
  std::vector<JUnitSuite> invalid;
  for (const auto& f : *files) {
    auto s = LoadScenario(f);
    if (s.ok()) {
      if (Status backend = CheckBackends(*s, options.backends); !backend.ok()) s = backend;
    }
    if (!s.ok()) {
      err << s.status().message() << "\n";
      invalid.push_back(ErrorSuite(fs::path(f).stem().string(), f, s.status().message(),
                                   "meshsim validate " + ShellWord(f)));
      continue;
    }
    scenarios.push_back(std::move(*s));
  }
  if (!invalid.empty()) {
    err << "meshsim test: " << invalid.size() << " of " << files->size()
        << " scenario files invalid; nothing ran\n";
    // CI still gets its JUnit: each invalid file an error, with why.
    if (options.junit && CheckOutputs(options, err)) {
      std::ofstream f(*options.junit);
      f << RenderJUnit(invalid);
      if (f) out << "JUnit XML written to " << *options.junit << "\n";
    }
    return kExitUsage;
  }
  if (!CheckOutputs(options, err)) return kExitUsage;

  std::vector<JUnitSuite> suites;
  std::set<std::string> report_names;
  size_t failed = 0;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const std::string& file = (*files)[i];
    const std::string name = scenarios[i].name;
    HarnessOptions harness_options;
    harness_options.seed = options.seed;
    harness_options.backends = options.backends;
    const uint64_t seed = options.seed.value_or(scenarios[i].seed);
    const std::string replay = ReplayCommand(file, seed, options.backends);
    auto harness = Harness::FromScenario(std::move(scenarios[i]), harness_options);
    Status run = harness.ok() ? (*harness)->Run() : harness.status();
    if (!run.ok()) {
      ++failed;
      out << "FAIL " << name << " (" << file << "): " << run.ToString() << "\n"
          << "    replay: " << replay << "\n"
          << std::flush;
      suites.push_back(ErrorSuite(name, file, run.ToString(), replay));
      continue;
    }
    const auto report = (*harness)->Report();
    const bool passed = report["passed"].get<bool>();
    out << (passed ? "PASS " : "FAIL ") << name << " (" << file << ") sim "
        << Fixed(report["sim_seconds"].get<double>(), 1) << " s in "
        << Fixed(report["wall_seconds"].get<double>(), 2) << " s"
        << (passed ? "" : ", seed " + std::to_string(seed)) << "\n";
    if (!passed) {
      ++failed;
      for (const std::string& reason : FailureReasons(report)) out << "    " << reason << "\n";
      out << "    replay: " << replay << "\n";
    }
    out << std::flush;
    if (options.report_dir) {
      // DIR/<file stem>.json and .html: the report for CI to keep, the page for people.
      const std::string path = ReportPath(*options.report_dir, file, &report_names);
      std::ofstream json(path);
      // A path or name that is not UTF-8 is replaced (U+FFFD), not thrown on after the run.
      json << report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
      const std::string html_path = path.substr(0, path.size() - 5) + ".html";
      std::ofstream html(html_path);
      html << RenderHtml(report);
      if (!json || !html) err << "meshsim test: cannot write the reports to " << path << "\n";
    }
    suites.push_back(JUnitSuiteOfReport(report, file, replay));
  }

  out << scenarios.size() << (scenarios.size() == 1 ? " scenario: " : " scenarios: ")
      << scenarios.size() - failed << " passed, " << failed << " failed\n";
  if (options.junit) {
    std::ofstream f(*options.junit);
    f << RenderJUnit(suites);
    if (!f) {
      err << "meshsim test: cannot write JUnit XML to " << *options.junit << "\n";
      return kExitFailed;
    }
    out << "JUnit XML written to " << *options.junit << "\n";
  }
  return failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace

ToolAction DefineValidate(CLI::App& app) {
  auto paths = std::make_shared<std::vector<std::string>>();
  app.add_option("PATH", *paths, "scenario files, or folders of them (their *.json, recursively)")
      ->required();
  return [paths](std::ostream& out, std::ostream& err) { return Validate(*paths, out, err); };
}

ToolAction DefineTest(CLI::App& app) {
  auto options = std::make_shared<TestOptions>();
  app.add_option("PATH", options->paths,
                 "scenario files, or folders of them (their *.json, recursively)")
      ->required();
  app.add_option("--junit", options->junit, "writes JUnit XML for CI")->type_name("OUT.xml");
  AddSeedFlag(app, options->seed, "runs every scenario with this seed instead of its own");
  app.add_option("--report-dir", options->report_dir,
                 "writes each scenario's report as DIR/<file stem>.json and .html")
      ->type_name("DIR");
  AddBackendFlag(app, options->backends);
  return [options](std::ostream& out, std::ostream& err) { return Test(*options, out, err); };
}

}  // namespace meshsim
