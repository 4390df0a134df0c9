// The layering check: every project include in a folder's files names its own folder or one the
// folder declares as a dependency, the declared dependencies form no cycle, and they respect the
// house rules between the top-level folders (DESIGN.md): nothing in sim/ depends on fakes/,
// backends/, serve/ or apps/; fakes/ and backends/ never depend on each other; serve/ speaks to the
// ports only, so depends on neither; tools/ depends on sim/ only. Includes are checked in either
// form ("..." or <...>); a relative path, or one into tests/, bench/ or another folder of the
// project that holds no library, is a violation. tests/ and bench/ themselves are not checked:
// a suite may link and include whatever it tests.
//
// The declarations are the ones CMake builds with: each folder's meshsim_folder_library(DEPENDS
// ...) is written to build/layers.txt, one "folder:dep,dep,..." line per library, so the check and
// the link dependencies cannot disagree. The build runs it (tools/check_layering.cc, the
// `layering` target, part of every build) and tests/tools/layering_test.cc tests it.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace meshsim::layering {

// folder -> the folders it may include from (its own always).
using Layers = std::map<std::string, std::set<std::string>>;

// Reads build/layers.txt. Lines are "folder:dep,dep"; blank lines are skipped.
Layers ParseLayers(const std::string& text);

// Every violation in the tree under `root`, one line each, "FILE:LINE: what is wrong", or
// "layers: what is wrong" for the declarations themselves. Empty when the tree is layered.
std::vector<std::string> Check(const std::filesystem::path& root, const Layers& layers);

}  // namespace meshsim::layering
