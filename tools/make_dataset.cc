// Writes the planted data set (tools/planted_dataset.h) to a folder:
//   build/tools/make_dataset scenarios/data/small
//   build/tools/make_dataset --eval scenarios/data/planted   (the larger set `meshsim eval` uses)
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tools/planted_dataset.h"

int main(int argc, char** argv) {
  const bool eval = argc == 3 && std::strcmp(argv[1], "--eval") == 0;
  if (argc != 2 && !eval) {
    std::fprintf(stderr, "usage: make_dataset [--eval] OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path dir(argv[argc - 1]);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto d = meshsim::tools::MakePlantedDataset(
      eval ? meshsim::tools::EvalPlantedDatasetOptions() : meshsim::tools::PlantedDatasetOptions{});
  for (const auto& [name, text] :
       {std::pair{"users.csv", &d.users_csv}, std::pair{"items.csv", &d.items_csv},
        std::pair{"interactions.csv", &d.interactions_csv}}) {
    std::ofstream out(dir / name, std::ios::binary);
    out << *text;
    if (!out) {
      std::fprintf(stderr, "make_dataset: cannot write %s\n", (dir / name).c_str());
      return 1;
    }
  }
  return 0;
}
