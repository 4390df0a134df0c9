// The backend registry's selection: defaults, the scenario's `backends` section, --backend flags
// (later ones winning), and a clear error, naming its origin, for everything it cannot build.
#include "apps/registry/backend_registry.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sim/core/runtime.h"

namespace meshsim {
namespace {

Scenario Load(const std::string& backends_section = "") {
  std::string text = R"({"name": "b", "duration_s": 1)";
  if (!backends_section.empty()) text += ",\n \"backends\": " + backends_section;
  text += "}";
  auto s = ParseScenario(text, "b.json");
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(*s);
}

const BackendChoice& Of(const std::vector<BackendChoice>& choices, const std::string& port) {
  for (const auto& c : choices) {
    if (c.port == port) return c;
  }
  FAIL("no choice for " << port);
  return choices.front();
}

TEST_CASE("backends: every port runs on its fake unless told otherwise", "[registry]") {
  auto choices = ChooseBackends(Load(), {});
  REQUIRE(choices.ok());
  REQUIRE(choices->size() == kBackendPorts.size());
  size_t i = 0;
  for (const char* port : kBackendPorts) {
    CHECK((*choices)[i].port == port);
    CHECK((*choices)[i].kind == "fake");
    CHECK((*choices)[i].origin == "the default");
    ++i;
  }
}

TEST_CASE("backends: the registry lists a kind for every port", "[registry]") {
  for (const char* port : kBackendPorts) {
    bool listed = false;
    for (const BackendKind& k : BackendKinds()) listed = listed || std::string(k.port) == port;
    INFO(port);
    CHECK(listed);
  }
}

TEST_CASE("backends: the scenario chooses, --backend overrides, the last flag wins", "[registry]") {
  const Scenario s = Load(R"({"stream": "fake", "recommender": "fake"})");
  auto choices = ChooseBackends(s, {"catalog=fake", "stream=fake"});
  REQUIRE(choices.ok());
  CHECK(Of(*choices, "stream").origin == "--backend stream=fake");
  CHECK(Of(*choices, "catalog").origin == "--backend catalog=fake");
  CHECK(Of(*choices, "recommender").origin == "b.json:2:33: at /backends/recommender");
  CHECK(Of(*choices, "stores").origin == "the default");
}

TEST_CASE("backends: a bad --backend is an error naming the flag", "[registry]") {
  const Scenario s = Load();
  struct Case {
    std::string flag;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"stream", "--backend stream: expected PORT=KIND[:ARGS], e.g. stream=fake"},
           {"=fake", "--backend =fake: expected PORT=KIND[:ARGS], e.g. stream=fake"},
           {"stream=", "--backend stream=: expected PORT=KIND[:ARGS], e.g. stream=fake"},
           {"broker=fake",
            "--backend broker=fake: unknown port \"broker\"; the ports are stream, catalog, "
            "object_store, stores, recommender, schema_registry"},
           {"stream=kafka:bootstrap.servers=127.0.0.1:9092",
            "--backend stream=kafka:bootstrap.servers=127.0.0.1:9092: unknown kind \"kafka\" for "
            "stream; its kinds are fake"},
           {"recommender=fake:fast",
            "--backend recommender=fake:fast: the fake recommender takes no arguments, got "
            "\"fast\""},
       }) {
    auto choices = ChooseBackends(s, {"stream=fake", c.flag});
    INFO(c.flag);
    REQUIRE(!choices.ok());
    CHECK(choices.status().code() == Code::kInvalidInput);
    CHECK(choices.status().message() == c.message);
  }
}

TEST_CASE("backends: a kind the scenario names but the registry lacks points into the file",
          "[registry]") {
  const Scenario s = Load(R"({"stream": "kafka:bootstrap.servers=x"})");
  auto choices = ChooseBackends(s, {});
  REQUIRE(!choices.ok());
  CHECK(choices.status().message() ==
        "b.json:2:15: at /backends/stream: unknown kind \"kafka\" for stream; its kinds are fake");
  // And building refuses before building anything.
  auto runtime = MakeVirtualRuntime(1);
  auto backends = MakeBackends(*runtime, s, {});
  CHECK(backends.status().code() == Code::kInvalidInput);
  // A flag that chooses the fake for that port makes the same scenario buildable.
  auto fixed = MakeBackends(*runtime, s, {"stream=fake"});
  INFO(fixed.status().ToString());
  REQUIRE(fixed.ok());
  CHECK(fixed->stream != nullptr);
  CHECK(fixed->recommender != nullptr);
  CHECK(fixed->registry != nullptr);
}

TEST_CASE("backends: the scenario loader checks ports and the KIND[:ARGS] form", "[registry]") {
  auto unknown = ParseScenario(R"({"name": "b", "duration_s": 1,
    "backends": {"broker": "fake"}})",
                               "b.json");
  REQUIRE(!unknown.ok());
  CHECK_THAT(unknown.status().message(),
             Catch::Contains("b.json:2:18: at /backends/broker: unknown port \"broker\""));
  auto malformed = ParseScenario(R"({"name": "b", "duration_s": 1,
    "backends": {"stream": "Kafka Cluster"}})",
                                 "b.json");
  REQUIRE(!malformed.ok());
  CHECK_THAT(malformed.status().message(),
             Catch::Contains("at /backends/stream: expected \"KIND\" or \"KIND:ARGS\""));
  auto not_string = ParseScenario(R"({"name": "b", "duration_s": 1,
    "backends": {"stream": 3}})",
                                  "b.json");
  REQUIRE(!not_string.ok());
  CHECK_THAT(not_string.status().message(), Catch::Contains("at /backends/stream"));
}

}  // namespace
}  // namespace meshsim
