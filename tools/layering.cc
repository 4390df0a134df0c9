#include "tools/layering.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

namespace meshsim::layering {
namespace {

namespace fs = std::filesystem;

// The top-level folders that hold layered code, and which others each may never depend on.
const std::map<std::string, std::set<std::string>> kForbidden = {
    {"sim", {"fakes", "backends", "serve", "apps", "tools"}},
    {"fakes", {"backends", "serve", "apps", "tools"}},
    {"backends", {"fakes", "serve", "apps", "tools"}},
    {"serve", {"fakes", "backends", "apps", "tools"}},
    {"apps", {"tools"}},
    {"tools", {"fakes", "backends", "serve", "apps"}},
};

std::string TopOf(const std::string& folder) { return folder.substr(0, folder.find('/')); }

void CheckDeclarations(const Layers& layers, std::vector<std::string>* out) {
  for (const auto& [folder, deps] : layers) {
    for (const auto& dep : deps) {
      if (!layers.count(dep)) {
        out->push_back("layers: " + folder + " depends on " + dep + ", which is no library");
      }
      auto forbidden = kForbidden.find(TopOf(folder));
      if (forbidden != kForbidden.end() && forbidden->second.count(TopOf(dep))) {
        out->push_back("layers: " + folder + " depends on " + dep + ": " + TopOf(folder) +
                       "/ may not depend on " + TopOf(dep) + "/");
      }
    }
  }
  // A cycle: depth-first search with the path on a stack.
  std::map<std::string, int> state;  // 0 unseen, 1 on the path, 2 done
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& f) {
    state[f] = 1;
    path.push_back(f);
    auto it = layers.find(f);
    if (it != layers.end()) {
      for (const auto& dep : it->second) {
        if (state[dep] == 1) {
          std::string cycle;
          auto from = std::find(path.begin(), path.end(), dep);
          for (auto p = from; p != path.end(); ++p) cycle += *p + " -> ";
          out->push_back("layers: a cycle: " + cycle + dep);
        } else if (state[dep] == 0) {
          visit(dep);
        }
      }
    }
    path.pop_back();
    state[f] = 2;
  };
  for (const auto& [folder, deps] : layers) {
    if (state[folder] == 0) visit(folder);
  }
}

void CheckFile(const fs::path& root, const fs::path& file, const std::string& folder,
               const Layers& layers, std::vector<std::string>* out) {
  // Quoted and angle-bracket includes alike: every library has the root on its include path, so
  // <fakes/kafka/broker.h> reaches a fake as well as "fakes/kafka/broker.h" does.
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  const std::set<std::string>& allowed = layers.at(folder);
  std::ifstream in(file);
  std::string line;
  int number = 0;
  const std::string name = fs::relative(file, root).generic_string();
  while (std::getline(in, line)) {
    ++number;
    std::smatch m;
    if (!std::regex_search(line, m, kInclude)) continue;
    const std::string included = m[1];
    auto report = [&](const std::string& why) {
      out->push_back(name + ":" + std::to_string(number) + ": includes \"" + included + "\": " + why);
    };
    if (included.find("..") != std::string::npos) {
      report("a relative path; name the folder from the root");
      continue;
    }
    const std::string included_folder = fs::path(included).parent_path().generic_string();
    if (included_folder.empty()) continue;  // a system header, or a file beside this one
    const std::string top = TopOf(included_folder);
    if (!kForbidden.count(top)) {
      // tests/, bench/, scenarios/...: folders of the project no library may use.
      if (fs::is_directory(root / top)) report("no library may include from " + top + "/");
      continue;  // a system or third-party header
    }
    if (included_folder == folder || allowed.count(included_folder)) continue;
    auto forbidden = kForbidden.find(TopOf(folder));
    if (forbidden != kForbidden.end() && forbidden->second.count(top)) {
      report(TopOf(folder) + "/ may not include from " + top + "/");
    } else {
      report(folder + " does not declare " + included_folder);
    }
  }
}

}  // namespace

Layers ParseLayers(const std::string& text) {
  Layers layers;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto colon = line.find(':');
    std::set<std::string>& deps = layers[line.substr(0, colon)];
    if (colon == std::string::npos) continue;
    std::istringstream list(line.substr(colon + 1));
    std::string dep;
    while (std::getline(list, dep, ',')) {
      if (!dep.empty()) deps.insert(dep);
    }
  }
  return layers;
}

std::vector<std::string> Check(const fs::path& root, const Layers& layers) {
  std::vector<std::string> out;
  CheckDeclarations(layers, &out);
  for (const auto& [top, forbidden] : kForbidden) {
    if (!fs::is_directory(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const fs::path& file = entry.path();
      if (!entry.is_regular_file() || (file.extension() != ".h" && file.extension() != ".cc")) {
        continue;
      }
      const std::string folder = fs::relative(file.parent_path(), root).generic_string();
      if (!layers.count(folder)) {
        out.push_back(fs::relative(file, root).generic_string() + ":1: " + folder +
                      " has source files but is no library (meshsim_folder_library)");
        continue;
      }
      CheckFile(root, file, folder, layers, &out);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace meshsim::layering
