// The layering check on the real tree, and on small trees with one deliberate fault each, so a
// check that passed everything would fail here.
#include "tools/layering.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace meshsim::layering {
namespace {

using meshsim::testing::TempDir;

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// sim/core at the bottom, sim/mesh above it, a fake and a backend beside each other.
const char* kLayers =
    "sim/core:\n"
    "sim/mesh:sim/core\n"
    "fakes/kafka:sim/core\n"
    "backends/kafka:sim/core\n";

TEST_CASE("layering: the tree includes only what its folders declare", "[layering]") {
  std::ifstream in(MESHSIM_BINARY_DIR "/layers.txt");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const Layers layers = ParseLayers(text.str());
  REQUIRE(layers.count("sim/core"));
  REQUIRE(layers.count("apps/registry"));
  const auto violations = Check(MESHSIM_SOURCE_DIR, layers);
  INFO(Joined(violations));
  CHECK(violations.empty());
}

TEST_CASE("layering: a clean small tree passes", "[layering]") {
  TempDir dir;
  dir.Write("sim/core/a.h", "#pragma once\n#include <string>\n");
  dir.Write("sim/mesh/b.h", "#include \"sim/core/a.h\"\n#include \"sim/mesh/c.h\"\n");
  dir.Write("sim/mesh/c.h", "#pragma once\n");
  dir.Write("fakes/kafka/d.cc", "#include \"sim/core/a.h\"\n");
  CHECK(Check(dir.path(), ParseLayers(kLayers)).empty());
}

// The one violation of a tree holding only `text` at `path`.
std::string OnlyViolation(const std::string& path, const std::string& text) {
  TempDir dir;
  dir.Write(path, text);
  const auto v = Check(dir.path(), ParseLayers(kLayers));
  REQUIRE(v.size() == 1);
  return v[0];
}

TEST_CASE("layering: sim/ including a fake fails, naming file and line", "[layering]") {
  CHECK(OnlyViolation("sim/core/a.h", "#pragma once\n\n#include \"fakes/kafka/broker.h\"\n") ==
        "sim/core/a.h:3: includes \"fakes/kafka/broker.h\": sim/ may not include from "
        "fakes/");
}

TEST_CASE("layering: an include from a folder above fails", "[layering]") {
  CHECK(OnlyViolation("sim/core/a.cc", "#include \"sim/mesh/mesh.h\"\n") ==
        "sim/core/a.cc:1: includes \"sim/mesh/mesh.h\": sim/core does not declare "
        "sim/mesh");
}

TEST_CASE("layering: an angle-bracket include is checked like a quoted one", "[layering]") {
  CHECK(OnlyViolation("sim/core/a.h", "#include <vector>\n#include <fakes/kafka/broker.h>\n") ==
        "sim/core/a.h:2: includes \"fakes/kafka/broker.h\": sim/ may not include from "
        "fakes/");
}

TEST_CASE("layering: relative paths and folders that hold no library are refused", "[layering]") {
  TempDir dir;
  dir.Write("tests/support/helper.h", "#pragma once\n");
  dir.Write("sim/mesh/a.cc",
            "#include \"../core/b.h\"\n#include \"tests/support/helper.h\"\n"
            "#include <nlohmann/json.hpp>\n");
  const auto v = Check(dir.path(), ParseLayers(kLayers));
  REQUIRE(v.size() == 2);
  CHECK(v[0] ==
        "sim/mesh/a.cc:1: includes \"../core/b.h\": a relative path; name the folder "
        "from the root");
  CHECK(v[1] ==
        "sim/mesh/a.cc:2: includes \"tests/support/helper.h\": no library may include "
        "from tests/");
}

TEST_CASE("layering: fakes and backends never include each other", "[layering]") {
  TempDir dir;
  dir.Write("fakes/kafka/a.cc", "#include \"backends/kafka/b.h\"\n");
  dir.Write("backends/kafka/b.h", "#include \"fakes/kafka/a.h\"\n");
  const auto v = Check(dir.path(), ParseLayers(kLayers));
  REQUIRE(v.size() == 2);
  CHECK(v[0].find("backends/ may not include from fakes/") != std::string::npos);
  CHECK(v[1].find("fakes/ may not include from backends/") != std::string::npos);
}

TEST_CASE("layering: declarations that cross the house rules or loop fail", "[layering]") {
  TempDir dir;
  SECTION("sim/ declaring a fake") {
    const auto v = Check(dir.path(), ParseLayers("sim/core:fakes/kafka\nfakes/kafka:\n"));
    REQUIRE(v.size() == 1);
    CHECK(v[0] == "layers: sim/core depends on fakes/kafka: sim/ may not depend on fakes/");
  }
  SECTION("a cycle") {
    const auto v = Check(dir.path(), ParseLayers("sim/a:sim/b\nsim/b:sim/c\nsim/c:sim/a\n"));
    REQUIRE(v.size() == 1);
    CHECK(v[0] == "layers: a cycle: sim/a -> sim/b -> sim/c -> sim/a");
  }
  SECTION("a dependency on no library") {
    const auto v = Check(dir.path(), ParseLayers("sim/a:sim/nowhere\n"));
    REQUIRE(v.size() == 1);
    CHECK(v[0] == "layers: sim/a depends on sim/nowhere, which is no library");
  }
}

TEST_CASE("layering: a folder of sources that is no library fails", "[layering]") {
  TempDir dir;
  dir.Write("sim/stray/x.cc", "int x;\n");
  const auto v = Check(dir.path(), ParseLayers(kLayers));
  REQUIRE(v.size() == 1);
  CHECK(v[0] ==
        "sim/stray/x.cc:1: sim/stray has source files but is no library "
        "(meshsim_folder_library)");
}

}  // namespace
}  // namespace meshsim::layering
