// The flags several tools share, declared once so they read, check and document alike, and the
// one-line synopsis of a tool that `meshsim help` and the usage errors print.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace meshsim {

// --seed N: digits only, since CLI11 would read "-1" into an unsigned as 2^64-1.
CLI::Option* AddSeedFlag(CLI::App& app, uint64_t& seed, const std::string& description);
CLI::Option* AddSeedFlag(CLI::App& app, std::optional<uint64_t>& seed,
                         const std::string& description);

// --backend PORT=KIND[:ARGS], repeatable, kept in order and unparsed: the registry reads them
// (HarnessOptions::backends).
CLI::Option* AddBackendFlag(CLI::App& app, std::vector<std::string>& backends);

// Whether a file can be written at `path` before anything runs: the path is not a folder, its
// folder exists, and the file (or, when there is none yet, its folder) is writable. The message
// names the path and why.
std::optional<std::string> OutputFileProblem(const std::string& path);

// "run FILE [--seed N] [--backend PORT=KIND[:ARGS]]..." from the App's own options and
// subcommands ("list | describe DB[.TABLE]"), in the order they were declared.
std::string Synopsis(const CLI::App& app);

}  // namespace meshsim
