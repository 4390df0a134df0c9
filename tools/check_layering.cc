// check_layering ROOT LAYERS.txt: prints every layering violation (tools/layering.h) and exits 1
// if there is one. The build runs it after configuring, so a bad include fails the build.
#include <fstream>
#include <iostream>
#include <sstream>

#include "tools/layering.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: check_layering ROOT LAYERS.txt\n";
    return 2;
  }
  std::ifstream in(argv[2]);
  if (!in) {
    std::cerr << "check_layering: cannot read " << argv[2] << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  const auto violations =
      meshsim::layering::Check(argv[1], meshsim::layering::ParseLayers(text.str()));
  for (const auto& v : violations) std::cerr << v << "\n";
  if (!violations.empty()) {
    std::cerr << "check_layering: " << violations.size() << " layering violation(s)\n";
    return 1;
  }
  return 0;
}
