#include "apps/cli/eval_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "apps/cli/flags.h"
#include "fakes/personalize/evaluation.h"
#include "fakes/personalize/model.h"
#include "sim/text/json_source.h"

namespace meshsim {
namespace {

namespace pz = fakes::personalize;

std::optional<pz::CsvText> ReadCsv(const std::string& path, std::ostream& err) {
  auto text = ReadTextFile(path);
  if (!text.ok()) {
    err << "meshsim eval: " << text.status().message() << "\n";
    return std::nullopt;
  }
  return pz::CsvText{path, std::move(*text)};
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

struct EvalFlags {
  std::string interactions;
  std::optional<std::string> items;
  std::optional<std::string> users;
  std::string recipe;
  std::optional<std::string> split;
  pz::EvalOptions options;
  bool json = false;
};

int Eval(EvalFlags& flags, std::ostream& out, std::ostream& err) {
  pz::EvalOptions& options = flags.options;
  if (flags.split) {
    auto split = pz::ParseSplit(*flags.split);
    if (!split.ok()) {
      err << "meshsim eval: " << split.status().message() << "\n";
      return kExitUsage;
    }
    options.split = *split;
  }
  const std::string& recipe = flags.recipe;
  const pz::RecipeInfo* info = nullptr;
  std::string known;
  for (const pz::RecipeInfo& r : pz::ImplementedRecipes()) {
    if (r.name == recipe) info = &r;
    known.append(known.empty() ? "" : ", ").append(r.name);
  }
  if (info == nullptr) {
    err << "meshsim eval: unknown recipe \"" << recipe << "\" (implemented: " << known << ")\n";
    return kExitUsage;
  }
  options.type = info->type;

  std::optional<pz::CsvText> csv[3];
  const std::optional<std::string> files[3] = {flags.interactions, flags.items, flags.users};
  for (int f = 0; f < 3; ++f) {
    if (!files[f]) continue;
    csv[f] = ReadCsv(*files[f], err);
    if (!csv[f]) return kExitUsage;
  }
  auto data =
      pz::ReadEvalDataset(*csv[0], csv[1] ? &*csv[1] : nullptr, csv[2] ? &*csv[2] : nullptr);
  if (!data.ok()) {
    err << data.status().message() << "\n";
    return kExitUsage;
  }
  const pz::Hyperparameters defaults;
  auto report = pz::Evaluate(*data, options, [&](const pz::TrainingData& td) {
    return pz::TrainModel(recipe, defaults, td, nullptr);
  });
  if (!report.ok()) {
    err << "meshsim eval: " << report.status().ToString() << "\n";
    const Code c = report.status().code();
    return c == Code::kValidation || c == Code::kInvalidInput ? kExitUsage : kExitFailed;
  }

  if (flags.json) {
    nlohmann::ordered_json j;
    j["recipe"] = recipe;
    j["split"] = report->split;
    j["k"] = report->k;
    j["users_evaluated"] = report->users_evaluated;
    j["metrics"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : report->metrics) j["metrics"][name] = value;
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  out << "meshsim eval: " << recipe << " on " << csv[0]->name << ", split " << report->split
      << ", seed " << options.seed << ", k " << report->k << ": " << report->users_evaluated
      << " users evaluated\n\n";
  for (const auto& [name, value] : report->metrics) {
    out << "  " << name << std::string(name.size() < 44 ? 44 - name.size() : 1, ' ') << Fixed(value)
        << "\n";
  }
  return kExitOk;
}

}  // namespace

ToolAction DefineEval(CLI::App& app) {
  auto flags = std::make_shared<EvalFlags>();
  app.add_option("--interactions", flags->interactions,
                 "USER_ID, ITEM_ID, TIMESTAMP and optionally EVENT_TYPE, EVENT_VALUE")
      ->type_name("FILE.csv")
      ->required();
  app.add_option("--items", flags->items, "ITEM_ID and optionally CREATION_TIMESTAMP")
      ->type_name("FILE.csv");
  app.add_option("--users", flags->users, "USER_ID")->type_name("FILE.csv");
  app.add_option("--recipe", flags->recipe, "the recipe to train, e.g. aws-user-personalization")
      ->type_name("NAME")
      ->required();
  app.add_option("--split", flags->split,
                 "personalize (the default) as Personalize splits, or Microsoft Recommenders' "
                 "stratified or chronological split with RATIO of each user's interactions to "
                 "train")
      ->type_name("personalize|stratified:RATIO|chronological:RATIO");
  app.add_option("--k", flags->options.k, "the cutoff of Recommenders' metrics (default 10)")
      ->type_name("K")
      ->check(CLI::Range(1, 500).description(""));
  AddSeedFlag(app, flags->options.seed, "fixes the split (default 42)");
  app.add_flag("--json", flags->json, "prints one JSON object instead of the table");
  return [flags](std::ostream& out, std::ostream& err) { return Eval(*flags, out, err); };
}

}  // namespace meshsim
