#include "apps/cli/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <ostream>

#include "apps/cli/catalog_command.h"
#include "apps/cli/eval_command.h"
#include "apps/cli/flags.h"
#include "apps/cli/run_command.h"
#include "apps/cli/test_runner.h"
#include "apps/registry/backend_registry.h"

namespace meshsim {
namespace {

struct Tool {
  const char* name;
  const char* summary;
  // Declares the tool's flags on its App and returns what runs once they have parsed.
  ToolAction (*define)(CLI::App& app);
};

ToolAction DefineHelp(CLI::App& app);

// The registry's table: each port and the kinds --backend PORT=KIND[:ARGS] can choose for it.
ToolAction DefineBackends(CLI::App&) {
  return [](std::ostream& out, std::ostream&) {
    out << fmt::format("{:<16} {:<6} {}\n", "port", "kind", "what it is");
    for (const BackendKind& k : BackendKinds()) {
      out << fmt::format("{:<16} {:<6} {}\n", k.port, k.kind, k.summary);
    }
    out << "\nchoose with --backend PORT=KIND[:ARGS] (run, test) or a scenario's \"backends\" "
           "section\n";
    return kExitOk;
  };
}

constexpr Tool kTools[] = {
    {"run",
     "run a scenario end to end and print its summary; exit 1 if it failed. --state DIR keeps "
     "the catalog and the grants there for later runs",
     DefineRun},
    {"validate",
     "check scenario files (folders: their *.json) and print every error; exit 2 on any",
     DefineValidate},
    {"test",
     "run scenarios as tests: a line each, JUnit XML, JSON and HTML reports in DIR; exit 1 if any "
     "failed, 2 on bad input",
     DefineTest},
    {"catalog", "look at the catalog and the Lake Formation grants a run left in DIR",
     DefineCatalog},
    {"eval",
     "train a recipe on part of a data set and score it on the rest: GetSolutionMetrics' figures, "
     "and Microsoft Recommenders' for its splits",
     DefineEval},
    {"backends", "list each port and the kinds of implementation --backend can choose for it",
     DefineBackends},
    {"help", "this list, or with a TOOL its flags (as meshsim TOOL --help)", DefineHelp},
};

const Tool* FindTool(const std::string& name) {
  for (const Tool& tool : kTools) {
    if (name == tool.name) return &tool;
  }
  return nullptr;
}

// The tool's App, with its flags declared; `action` receives what runs after parsing.
std::unique_ptr<CLI::App> MakeApp(const Tool& tool, ToolAction* action) {
  auto app = std::make_unique<CLI::App>(tool.summary, std::string("meshsim ") + tool.name);
  // A flag given twice takes the later value, as a shell alias plus an override expects.
  app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  ToolAction defined = tool.define(*app);
  if (action != nullptr) *action = std::move(defined);
  return app;
}

void Overview(std::ostream& out) {
  out << "meshsim — the AWS real-time recommendations data mesh in one process\n\nusage:\n";
  for (const Tool& tool : kTools) {
    out << "  " << Synopsis(*MakeApp(tool, nullptr)) << "\n      " << tool.summary << "\n";
  }
  out << "\nmeshsim TOOL --help describes each flag.\n";
}

ToolAction DefineHelp(CLI::App& app) {
  auto tool = std::make_shared<std::string>();
  app.add_option("TOOL", *tool, "the tool whose flags to describe");
  return [tool](std::ostream& out, std::ostream& err) {
    if (tool->empty()) {
      Overview(out);
      return kExitOk;
    }
    const Tool* found = FindTool(*tool);
    if (found == nullptr) {
      err << "meshsim help: no tool \"" << *tool << "\" (try meshsim help)\n";
      return kExitUsage;
    }
    out << MakeApp(*found, nullptr)->help();
    return kExitOk;
  };
}

// CLI11 2.1 lists extra arguments back to front ("1 --frobnicate"): name the first instead.
std::string Unexpected(const CLI::App& app) {
  const std::vector<std::string> extras = app.remaining(true);
  if (extras.empty()) return "unexpected arguments";
  const std::string& first = extras.front();
  const bool option = first.size() > 1 && first[0] == '-';
  return std::string(option ? "unknown option " : "unexpected argument ").append(first);
}

int RunTool(const Tool& tool, const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  ToolAction action;
  std::unique_ptr<CLI::App> app;
  try {
    app = MakeApp(tool, &action);
    app->parse(std::vector<std::string>(args.rbegin(), args.rend()));  // CLI11 reads from the back
  } catch (const CLI::CallForHelp&) {
    out << app->help();
    return kExitOk;
  } catch (const CLI::Error& e) {
    const bool extras = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;
    err << "meshsim " << tool.name << ": " << (extras ? Unexpected(*app) : e.what()) << "\n";
    if (app) err << "usage: " << Synopsis(*app) << "\n";
    return kExitUsage;
  }
  return action(out, err);
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    Overview(err);
    return kExitUsage;
  }
  const bool help = args[0] == "--help" || args[0] == "-h";
  const Tool* tool = FindTool(help ? "help" : args[0]);
  if (tool == nullptr) {
    err << "meshsim: unknown command \"" << args[0] << "\" (try meshsim help)\n";
    return kExitUsage;
  }
  return RunTool(*tool, {args.begin() + 1, args.end()}, out, err);
}

}  // namespace meshsim
