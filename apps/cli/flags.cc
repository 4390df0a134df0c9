#include "apps/cli/flags.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace meshsim {
namespace {

const CLI::Validator& WholeNumber() {
  static const CLI::Validator kWholeNumber(
      [](const std::string& text) -> std::string {
        const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        });
        return digits ? "" : "must be a non-negative integer, got \"" + text + "\"";
      },
      "");
  return kWholeNumber;
}

template <typename Seed>
CLI::Option* AddSeed(CLI::App& app, Seed& seed, const std::string& description) {
  return app.add_option("--seed", seed, description)->type_name("N")->check(WholeNumber());
}

}  // namespace

CLI::Option* AddSeedFlag(CLI::App& app, uint64_t& seed, const std::string& description) {
  return AddSeed(app, seed, description);
}

CLI::Option* AddSeedFlag(CLI::App& app, std::optional<uint64_t>& seed,
                         const std::string& description) {
  return AddSeed(app, seed, description);
}

CLI::Option* AddBackendFlag(CLI::App& app, std::vector<std::string>& backends) {
  return app
      .add_option("--backend", backends,
                  "the implementation of a port, e.g. stream=fake; repeat for more ports, a later "
                  "one for the same port wins; unnamed ports run on the scenario's choice, else "
                  "fake")
      ->type_name("PORT=KIND[:ARGS]")
      // One value per --backend, so `--backend stream=fake FILE` leaves FILE positional.
      ->allow_extra_args(false);
}

std::string Synopsis(const CLI::App& app) {
  std::string line = app.get_name();
  for (const CLI::Option* o : app.get_options()) {
    if (o == app.get_help_ptr()) continue;
    std::string word = o->get_name();
    if (!o->get_positional() && !o->get_type_name().empty()) {
      word.append(" ").append(o->get_type_name());
    }
    const bool many = o->get_items_expected_max() > 1;
    if (o->get_positional() && many) word.append("...");
    if (!o->get_required()) word = "[" + word + "]";
    if (!o->get_positional() && many) word.append("...");
    line.append(" ").append(word);
  }
  std::string verbs;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    verbs.append(verbs.empty() ? " " : " | ").append(Synopsis(*sub));
  }
  return line + verbs;
}

std::optional<std::string> OutputFileProblem(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status target = fs::status(path, ec);  // "not found" is fine: it is made
  if (ec && ec != std::errc::no_such_file_or_directory) return path + ": " + ec.message();
  if (!path.empty() && path.back() == '/') return path + " names a folder";
  if (fs::is_directory(target)) return path + " is a folder";
  if (fs::exists(target)) {
    if (access(path.c_str(), W_OK) != 0) return path + " is not writable";
    return std::nullopt;
  }
  const fs::path parent = fs::path(path).parent_path();
  const std::string folder = parent.empty() ? "." : parent.string();
  if (!fs::is_directory(folder, ec)) return "the folder " + folder + " does not exist";
  if (access(folder.c_str(), W_OK) != 0) return "the folder " + folder + " is not writable";
  return std::nullopt;
}

}  // namespace meshsim
