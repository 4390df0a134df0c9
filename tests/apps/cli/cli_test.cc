// The meshsim command line as a user meets it: exit statuses, messages, the report contract.
#include "apps/cli/cli.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/cli_runner.h"

using namespace meshsim;

namespace {

using Outcome = meshsim::testing::CliOutcome;
using meshsim::testing::Cli;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("meshsim_cli_test_" + name)).string();
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path) << text;
  return path;
}

constexpr const char* kTiny = R"({
  "name": "tiny", "seed": 9, "duration_s": 20,
  "population": {"users": 50, "songs": 80, "podcasts": 10},
  "traffic": {"events_per_second": 20}
})";

}  // namespace

TEST_CASE("run prints the seed and the replay command, writes the report contract, exits 0") {
  const std::string scenario = WriteFile("tiny.json", kTiny);
  const std::string report_path = TempPath("tiny_report.json");
  auto r = Cli({"run", scenario, "--report", report_path});
  CHECK(r.status == 0);
  CHECK(r.out.find("seed 9") != std::string::npos);
  CHECK(r.out.find("replay: meshsim run " + scenario + " --seed 9") != std::string::npos);
  CHECK(r.out.find("PASSED") != std::string::npos);
  std::ifstream in(report_path);
  REQUIRE(in);
  const auto report = nlohmann::json::parse(in);
  for (const char* key : {"scenario", "seed", "clock", "sim_seconds", "wall_seconds", "passed",
                          "counts", "latency"}) {
    INFO(key);
    CHECK(report.contains(key));
  }
  CHECK(report["scenario"] == "tiny");
  CHECK(report["clock"] == "virtual");
  for (const char* key : {"produced", "delivered", "applied", "rejected", "lost"}) {
    INFO(key);
    CHECK(report["counts"].contains(key));
    for (const char* topic : {"users", "songs", "podcasts", "interactions"}) {
      CHECK(report["counts"]["by_topic"][topic].contains(key));
    }
  }
  for (const char* key : {"count", "p50_us", "p90_us", "p99_us", "p999_us", "max_us"}) {
    INFO(key);
    CHECK(report["latency"]["event_to_recommendation"].contains(key));
    for (const char* hop : {"produce", "deliver", "apply"}) {
      CHECK(report["latency"]["hops"][hop].contains(key));
    }
  }
}

TEST_CASE("a --seed flag overrides the scenario's seed") {
  const std::string scenario = WriteFile("tiny_seed.json", kTiny);
  auto r = Cli({"run", scenario, "--seed", "1234"});
  CHECK(r.status == 0);
  CHECK(r.out.find("seed 1234") != std::string::npos);
}

TEST_CASE("a broken scenario is refused with file, line and column, exit 2, nothing run") {
  const std::string scenario =
      WriteFile("broken.json", "{\n  \"name\": \"b\",\n  \"duration_s\": 10,\n  \"bogus\": 1\n}\n");
  auto r = Cli({"run", scenario});
  CHECK(r.status == 2);
  CHECK(r.err.find(scenario + ":4:3: at /bogus: unknown key \"bogus\"") != std::string::npos);
  CHECK(r.out.empty());  // nothing ran: not even the banner
}

TEST_CASE("bad flags and missing files exit 2 with a clear message") {
  const std::string scenario = WriteFile("tiny_flags.json", kTiny);
  CHECK(Cli({"run", "/nonexistent/x.json"}).err.find("/nonexistent/x.json: cannot open file") !=
        std::string::npos);
  CHECK(Cli({"run", "/nonexistent/x.json"}).status == 2);
  CHECK(Cli({"run", scenario, "--clock", "sundial"}).status == 2);
  CHECK(Cli({"run", scenario, "--seed", "-1"}).status == 2);
  CHECK(Cli({"run", scenario, "--seed"}).status == 2);
  CHECK(Cli({"run", scenario, "--frobnicate"}).err.find("unknown option --frobnicate") !=
        std::string::npos);
  CHECK(Cli({"run"}).status == 2);
  CHECK(Cli({"launch"}).status == 2);
  CHECK(Cli({}).status == 2);
  CHECK(Cli({"help"}).status == 0);
}

TEST_CASE("the shipped scenarios load and pass") {
  for (const auto& entry : std::filesystem::directory_iterator(MESHSIM_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
    INFO(entry.path().string());
    auto r = Cli({"run", entry.path().string()});
    CHECK(r.err.empty());
    CHECK(r.status == 0);
  }
}

TEST_CASE("run exits 1 when an expectation fails, and says which and what it observed") {
  std::string text = kTiny;
  text.replace(
      text.rfind('}'), 1,
      R"(, "expectations": [{"name": "too fast to be true", "metric": "latency.hops.produce.max_us", "op": "<", "value": 0}]})");
  const std::string scenario = WriteFile("tiny_expect.json", text);
  auto r = Cli({"run", scenario});
  CHECK(r.status == 1);
  CHECK(r.out.find("expectations: 0 of 1 passed") != std::string::npos);
  CHECK(r.out.find("FAIL  too fast to be true: observed ") != std::string::npos);
  CHECK(r.out.find(", expected < 0 (at the end; checked at ") != std::string::npos);
  CHECK(r.out.find("FAILED") != std::string::npos);
}

TEST_CASE("run --html writes the report as one HTML page") {
  const std::string scenario = WriteFile("tiny_html.json", kTiny);
  const std::string html = TempPath("tiny.html");
  std::filesystem::remove(html);
  auto r = Cli({"run", scenario, "--html", html});
  CHECK(r.status == 0);
  CHECK(r.out.find("HTML report written to " + html) != std::string::npos);
  std::ifstream in(html);
  const std::string page((std::istreambuf_iterator<char>(in)), {});
  CHECK(page.find("<html") != std::string::npos);
  CHECK(page.find("tiny") != std::string::npos);
  CHECK(Cli({"run", scenario, "--html"}).status == 2);
}

TEST_CASE("validate checks an aws-* recipe's hyperparameters against the recipe") {
  const std::string bad = WriteFile("bad_hyperparameter.json", R"({
  "name": "bad", "duration_s": 20,
  "recommender": {"recipe": "aws-user-personalization", "hyperparameters": {"bptt": 64}}
})");
  auto r = Cli({"validate", bad});
  CHECK(r.status == 2);
  CHECK(r.err.find(bad + ": at /recommender/hyperparameters: ") != std::string::npos);
  CHECK(r.err.find("bptt") != std::string::npos);
  const std::string good = WriteFile("good_hyperparameter.json", R"({
  "name": "good", "duration_s": 20,
  "recommender": {"recipe": "aws-user-personalization", "hyperparameters": {"bptt": 16}}
})");
  CHECK(Cli({"validate", good}).status == 0);
  CHECK(Cli({"run", bad}).status == 2);  // nothing runs
}
