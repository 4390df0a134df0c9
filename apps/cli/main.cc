#include <iostream>
#include <string>
#include <vector>

#include "apps/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return meshsim::RunCli(args, std::cout, std::cerr);
}
