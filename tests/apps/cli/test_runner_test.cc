// `meshsim validate` and `meshsim test` as CI meets them: exit statuses 0, 1 and 2, one line per
// scenario and per failed expectation, the replay command, JUnit XML and report files.
#include "apps/cli/test_runner.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/cli/cli.h"
#include "tests/apps/cli/xml_check.h"
#include "tests/support/cli_runner.h"

using namespace meshsim;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

using Outcome = meshsim::testing::CliOutcome;
using meshsim::testing::Cli;

// A fresh folder per test case.
fs::path Folder(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("meshsim_test_runner_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path.string();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Tiny(const std::string& name, const std::string& expectations) {
  return R"({"name": ")" + name + R"(", "seed": 9, "duration_s": 20,
  "population": {"users": 50, "songs": 80, "podcasts": 10},
  "traffic": {"events_per_second": 20},
  "expectations": [)" +
         expectations + "]}\n";
}

constexpr const char* kPasses = R"({"metric": "counts.lost", "op": "==", "value": 0})";
constexpr const char* kFails =
    R"({"name": "impossible p99", "metric": "latency.event_to_recommendation.p99_us", "op": "<", "value": 1})";

}  // namespace

TEST_CASE("ScenarioFiles finds *.json recursively, sorted, without data sets or the schema") {
  const fs::path dir = Folder("files");
  Write(dir / "b.json", "{}");
  Write(dir / "a.json", "{}");
  Write(dir / "sub" / "c.json", "{}");
  Write(dir / "data" / "d.json", "{}");
  Write(dir / "sub" / "data" / "e.json", "{}");
  Write(dir / "schema.json", "{}");
  Write(dir / "notes.txt", "");
  auto files = ScenarioFiles({dir.string()});
  REQUIRE(files.ok());
  CHECK(*files == std::vector<std::string>{(dir / "a.json").string(), (dir / "b.json").string(),
                                           (dir / "sub" / "c.json").string()});
  // A file named on its own is taken as given, once.
  auto named = ScenarioFiles({(dir / "b.json").string(), dir.string()});
  REQUIRE(named.ok());
  CHECK(named->size() == 3);
  CHECK(named->front() == (dir / "b.json").string());

  CHECK(ScenarioFiles({(dir / "nope").string()}).status().message() ==
        (dir / "nope").string() + ": no such file or folder");
  const fs::path empty = Folder("files_empty");
  CHECK_THAT(ScenarioFiles({empty.string()}).status().message(),
             Contains("no scenario files (*.json)"));
}

TEST_CASE("validate prints ok per good file and every error of a bad one, exit 2") {
  const fs::path dir = Folder("validate");
  const std::string good = Write(dir / "good.json", Tiny("good", kPasses));
  const std::string bad = Write(dir / "bad.json", R"({
  "name": "bad", "duration_s": 20,
  "expectations": [{"metric": "latency.p99", "op": "<", "value": 1},
                   {"metric": "counts.lost", "op": "==", "value": 0, "when": {"at_s": 25}}]
})");
  auto ok = Cli({"validate", good});
  CHECK(ok.status == 0);
  CHECK(ok.out == good + ": ok\n");
  CHECK(ok.err.empty());

  auto r = Cli({"validate", good, bad});
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Contains(good + ": ok"));
  CHECK_THAT(r.err,
             Contains(bad + ":3:21: at /expectations/0/metric: unknown metric \"latency.p99\""));
  CHECK_THAT(r.err,
             Contains(bad + ":4:79: at /expectations/1/when/at_s: time 25 s is past the end"));
  CHECK_THAT(r.err, Contains("1 of 2 files invalid"));

  auto folder = Cli({"validate", dir.string()});  // a folder: each of its scenarios
  CHECK(folder.status == 2);
  CHECK_THAT(folder.out, Contains(good + ": ok"));

  CHECK(Cli({"validate"}).status == 2);
  CHECK(Cli({"validate", (dir / "missing.json").string()}).status == 2);
  CHECK(Cli({"validate", "--strict", good}).status == 2);
}

TEST_CASE("test: all passing exits 0 with one line per scenario") {
  const fs::path dir = Folder("pass");
  const std::string a = Write(dir / "a.json", Tiny("alpha", kPasses));
  const std::string b = Write(dir / "b.json", Tiny("beta", ""));
  auto r = Cli({"test", dir.string()});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("PASS alpha (" + a + ") sim "));
  CHECK_THAT(r.out, Contains("PASS beta (" + b + ") sim "));
  CHECK(r.out.find("PASS alpha") < r.out.find("PASS beta"));  // sorted by file
  CHECK_THAT(r.out, Contains("2 scenarios: 2 passed, 0 failed"));
  CHECK(r.out.find("replay:") == std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("test: a failed expectation exits 1 and prints what it saw and how to replay it") {
  const fs::path dir = Folder("fail");
  const std::string good = Write(dir / "a.json", Tiny("alpha", kPasses));
  const std::string bad = Write(dir / "b.json", Tiny("beta", std::string(kPasses) + "," + kFails));
  const std::string junit = (dir / "out" / "junit.xml").string();
  fs::create_directories(dir / "out");
  auto r = Cli({"test", good, bad, "--junit", junit, "--seed", "31", "--report-dir",
                (dir / "reports").string()});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Contains("PASS alpha (" + good + ")"));
  CHECK_THAT(r.out, Contains("FAIL beta (" + bad + ") sim "));
  CHECK_THAT(r.out, Contains(", seed 31\n"));
  CHECK_THAT(r.out, Contains("\n    expectation impossible p99: observed "));
  CHECK_THAT(r.out, Contains(", expected < 1 (1 us) (at the end; checked at "));
  CHECK_THAT(r.out, Contains("\n    replay: meshsim run " + bad + " --seed 31\n"));
  CHECK(r.out.find("counts.lost == 0") == std::string::npos);  // only failed ones are listed
  CHECK_THAT(r.out, Contains("2 scenarios: 1 passed, 1 failed"));

  const std::string xml = ReadAll(junit);
  std::string why;
  INFO(xml);
  CHECK(testing::WellFormedXml(xml, &why));
  INFO(why);
  // Each suite: three invariant cases, then one per expectation.
  CHECK_THAT(xml, Contains("<testsuites name=\"meshsim\" tests=\"9\" failures=\"1\" errors=\"0\""));
  CHECK_THAT(xml, Contains("<testsuite name=\"beta\" tests=\"5\" failures=\"1\""));
  CHECK_THAT(xml, Contains("<testcase name=\"impossible p99\" classname=\"beta\" file=\"" + bad));
  CHECK_THAT(xml, Contains("replay: meshsim run " + bad + " --seed 31"));

  // One report per scenario, the report contract with its expectations.
  const auto report = nlohmann::json::parse(ReadAll((dir / "reports" / "b.json").string()));
  CHECK(report["seed"] == 31);
  CHECK(report["passed"] == false);
  CHECK(report["expectations"][1]["name"] == "impossible p99");
  CHECK(fs::exists(dir / "reports" / "a.json"));
  CHECK_THAT(ReadAll((dir / "reports" / "b.html").string()), Contains("impossible p99"));

  SECTION("the replay command reproduces the failure exactly") {
    auto replay = Cli({"run", bad, "--seed", "31"});
    CHECK(replay.status == 1);
    const std::string observed = "FAIL  impossible p99: observed ";
    REQUIRE(replay.out.find(observed) != std::string::npos);
    const size_t at = r.out.find("impossible p99: observed ");
    const std::string line = r.out.substr(at, r.out.find('\n', at) - at);
    CHECK_THAT(replay.out, Contains(line));
  }
}

TEST_CASE("test: invalid input exits 2 and runs nothing") {
  const fs::path dir = Folder("invalid");
  const std::string good = Write(dir / "a.json", Tiny("alpha", kPasses));
  const std::string bad =
      Write(dir / "b.json", Tiny("beta", R"({"metric": "nope", "op": "<", "value": 1})"));
  auto r = Cli({"test", dir.string(), "--junit", (dir / "junit.xml").string()});
  CHECK(r.status == 2);
  CHECK(r.out.find("PASS") == std::string::npos);  // not even the good one ran
  CHECK_THAT(r.err, Contains(bad + ":4:21: at /expectations/0/metric: unknown metric \"nope\""));
  CHECK_THAT(r.err, Contains("1 of 2 scenario files invalid; nothing ran"));
  // CI still gets its JUnit: the invalid file an error with why, the good one not run.
  std::stringstream junit;
  junit << std::ifstream(dir / "junit.xml").rdbuf();
  CHECK_THAT(junit.str(), Contains("<error"));
  CHECK_THAT(junit.str(), Contains("unknown metric"));
  CHECK_THAT(junit.str(), !Contains("alpha"));

  CHECK(Cli({"test"}).status == 2);
  CHECK(Cli({"test", (dir / "missing").string()}).status == 2);
  CHECK(Cli({"test", good, "--seed", "x"}).status == 2);
  CHECK(Cli({"test", good, "--junit"}).status == 2);
  CHECK(Cli({"test", good, "--html-please"}).status == 2);
  auto nowhere = Cli({"test", good, "--junit", (dir / "no" / "such" / "dir" / "j.xml").string()});
  CHECK(nowhere.status == 2);
  CHECK_THAT(nowhere.err, Contains("cannot write JUnit XML"));
  CHECK(nowhere.out.empty());
}

TEST_CASE("test: --backend reaches each run and its replay command, in order") {
  const fs::path dir = Folder("backend");
  const std::string bad = Write(dir / "b.json", Tiny("beta", kFails));
  auto r =
      Cli({"test", bad, "--backend", "stream=fake", "--seed", "31", "--backend", "catalog=fake"});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Contains("\n    replay: meshsim run " + bad +
                             " --seed 31 --backend stream=fake --backend catalog=fake\n"));
}

TEST_CASE("test and validate: backends the registry cannot build are bad input, exit 2") {
  const fs::path dir = Folder("backends");
  const std::string good = Write(dir / "a.json", Tiny("alpha", kPasses));
  auto flag = Cli({"test", good, "--backend", "stream=kafka:bootstrap.servers=127.0.0.1:9092"});
  CHECK(flag.status == 2);
  CHECK(flag.out.find("PASS") == std::string::npos);
  CHECK_THAT(flag.err, Contains("unknown kind \"kafka\" for stream; its kinds are fake"));
  CHECK_THAT(flag.err, Contains("nothing ran"));

  std::string text = Tiny("gamma", kPasses);
  text.insert(1, R"("backends": {"recommender": "personalize:us-east-1"}, )");
  const std::string named = Write(dir / "b.json", text);
  auto validate = Cli({"validate", named});
  CHECK(validate.status == 2);
  CHECK_THAT(validate.err, Contains(named + ":1:15: at /backends/recommender: unknown kind "
                                            "\"personalize\" for recommender"));
  auto test = Cli({"test", named});
  CHECK(test.status == 2);
  // A flag that chooses the fake makes the same file runnable.
  auto fixed = Cli({"test", named, "--backend", "recommender=fake"});
  CHECK(fixed.status == 0);
  CHECK_THAT(fixed.out, Contains("PASS gamma"));
}
