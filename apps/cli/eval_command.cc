#include "apps/cli/eval_command.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "apps/cli/cli.h"
#include "fakes/personalize/evaluation.h"
#include "fakes/personalize/model.h"
#include "sim/text/json_source.h"

namespace meshsim {
namespace {

namespace pz = fakes::personalize;

constexpr const char* kUsage =
    "usage: meshsim eval --interactions FILE.csv [--items FILE.csv] [--users FILE.csv] --recipe "
    "NAME [--split personalize|stratified:RATIO|chronological:RATIO] [--k K] [--seed N] [--json]";

template <typename T>
bool ParseWhole(const std::string& text, T& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<pz::CsvText> ReadCsv(const std::optional<std::string>& path, std::ostream& err) {
  auto text = ReadTextFile(*path);
  if (!text.ok()) {
    err << "meshsim eval: " << text.status().message() << "\n";
    return std::nullopt;
  }
  return pz::CsvText{*path, std::move(*text)};
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

int EvalCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::map<std::string, std::optional<std::string>> files = {
      {"--interactions", std::nullopt}, {"--items", std::nullopt}, {"--users", std::nullopt}};
  std::optional<std::string> recipe;
  pz::EvalOptions options;
  bool json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      json = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') {
      err << "meshsim eval: unexpected argument " << a << "\n" << kUsage << "\n";
      return kExitUsage;
    }
    if (i + 1 >= args.size()) {
      err << "meshsim eval: " << a << " needs a value\n";
      return kExitUsage;
    }
    const std::string& v = args[++i];
    if (auto f = files.find(a); f != files.end()) {
      f->second = v;
    } else if (a == "--recipe") {
      recipe = v;
    } else if (a == "--split") {
      auto split = pz::ParseSplit(v);
      if (!split.ok()) {
        err << "meshsim eval: " << split.status().message() << "\n";
        return kExitUsage;
      }
      options.split = *split;
    } else if (a == "--k") {
      if (!ParseWhole(v, options.k) || options.k == 0 || options.k > 500) {
        err << "meshsim eval: --k must be a whole number from 1 to 500, got \"" << v << "\"\n";
        return kExitUsage;
      }
    } else if (a == "--seed") {
      if (!ParseWhole(v, options.seed)) {
        err << "meshsim eval: --seed must be a non-negative integer, got \"" << v << "\"\n";
        return kExitUsage;
      }
    } else {
      err << "meshsim eval: unknown option " << a << "\n" << kUsage << "\n";
      return kExitUsage;
    }
  }
  if (!files["--interactions"] || !recipe) {
    err << "meshsim eval: " << (files["--interactions"] ? "--recipe" : "--interactions")
        << " is required\n"
        << kUsage << "\n";
    return kExitUsage;
  }
  const pz::RecipeInfo* info = nullptr;
  std::string known;
  for (const pz::RecipeInfo& r : pz::ImplementedRecipes()) {
    if (r.name == *recipe) info = &r;
    known.append(known.empty() ? "" : ", ").append(r.name);
  }
  if (info == nullptr) {
    err << "meshsim eval: unknown recipe \"" << *recipe << "\" (implemented: " << known << ")\n";
    return kExitUsage;
  }
  options.type = info->type;

  std::optional<pz::CsvText> csv[3];
  const char* flags[3] = {"--interactions", "--items", "--users"};
  for (int f = 0; f < 3; ++f) {
    if (!files[flags[f]]) continue;
    csv[f] = ReadCsv(files[flags[f]], err);
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
    return pz::TrainModel(*recipe, defaults, td, nullptr);
  });
  if (!report.ok()) {
    err << "meshsim eval: " << report.status().ToString() << "\n";
    const Code c = report.status().code();
    return c == Code::kValidation || c == Code::kInvalidInput ? kExitUsage : kExitFailed;
  }

  if (json) {
    nlohmann::ordered_json j;
    j["recipe"] = *recipe;
    j["split"] = report->split;
    j["k"] = report->k;
    j["users_evaluated"] = report->users_evaluated;
    j["metrics"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : report->metrics) j["metrics"][name] = value;
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  out << "meshsim eval: " << *recipe << " on " << csv[0]->name << ", split " << report->split
      << ", seed " << options.seed << ", k " << report->k << ": " << report->users_evaluated
      << " users evaluated\n\n";
  for (const auto& [name, value] : report->metrics) {
    out << "  " << name << std::string(name.size() < 44 ? 44 - name.size() : 1, ' ') << Fixed(value)
        << "\n";
  }
  return kExitOk;
}

}  // namespace meshsim
