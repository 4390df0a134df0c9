// The meshsim command line as a user meets it: exit statuses, messages, the report contract.
#include "apps/cli/cli.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/cli/run_command.h"
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
  CHECK(Cli({"run", "/nonexistent/x.json"}).err.find("/nonexistent/x.json: no such file") !=
        std::string::npos);
  CHECK(Cli({"run", "/nonexistent/x.json"}).status == 2);
  // Each bad flag: exit 2, nothing ran, and one line that names the flag, then the usage.
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"run", scenario, "--clock", "sundial"},
       "meshsim run: --clock: sundial not in {virtual,real}\n"},
      {{"run", scenario, "--seed", "-1"},
       "meshsim run: --seed: must be a non-negative integer, got \"-1\"\n"},
      {{"run", scenario, "--seed", "x"},
       "meshsim run: --seed: must be a non-negative integer, got \"x\"\n"},
      {{"run", scenario, "--seed"}, "meshsim run: --seed: 1 required N missing\n"},
      {{"run", scenario, "--backend"},
       "meshsim run: --backend: 1 required PORT=KIND[:ARGS] missing\n"},
      {{"run", scenario, "--frobnicate", "1"}, "meshsim run: unknown option --frobnicate\n"},
      {{"run", scenario, scenario}, "meshsim run: unexpected argument " + scenario + "\n"},
      {{"run"}, "meshsim run: FILE is required\n"},
  };
  for (const auto& c : cases) {
    const auto r = Cli(c.args);
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(c.says, 0) == 0);
    CHECK(r.err.find("\nusage: meshsim run FILE [--seed N]") != std::string::npos);
  }
  CHECK(Cli({"launch"}).status == 2);
  CHECK(Cli({"launch"}).err == "meshsim: unknown command \"launch\" (try meshsim help)\n");
  CHECK(Cli({}).status == 2);
  CHECK(Cli({"help"}).status == 0);
}

TEST_CASE("a number no double holds is exit 2 naming its position in run, validate and test") {
  // Once an uncaught nlohmann out_of_range (exit 134), and one such file took down `meshsim test`.
  const std::string dir = TempPath("overflow_dir");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string bad = dir + "/a_overflow.json";
  std::ofstream(bad) << "{\n  \"name\": \"o\",\n  \"duration_s\": 1e309\n}\n";
  std::ofstream(dir + "/b_tiny.json") << kTiny;
  for (const char* tool : {"run", "validate"}) {
    const Outcome r = Cli({tool, bad});
    INFO(tool << ": " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(bad + ":3:17: number 1e309 is out of range") != std::string::npos);
  }
  // One bad file and nothing runs (exit 2), but CI still gets a JUnit naming it and why.
  const std::string junit = dir + "/junit.xml";
  const Outcome r = Cli({"test", dir, "--junit", junit});
  INFO(r.out << r.err);
  CHECK(r.status == 2);
  CHECK(r.err.find(bad + ":3:17: number 1e309 is out of range") != std::string::npos);
  CHECK(r.out.find("PASS") == std::string::npos);
  std::stringstream xml;
  xml << std::ifstream(junit).rdbuf();
  CHECK(xml.str().find("<error") != std::string::npos);
  CHECK(xml.str().find("number 1e309 is out of range") != std::string::npos);
}

TEST_CASE("test --junit takes a bare file name, in the current folder") {
  const std::string dir = TempPath("bare_junit");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string scenario = dir + "/tiny.json";
  std::ofstream(scenario) << kTiny;
  const std::filesystem::path was = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  const Outcome r = Cli({"test", scenario, "--junit", "junit.xml"});
  std::filesystem::current_path(was);
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(std::filesystem::file_size(dir + "/junit.xml") > 0);
}

TEST_CASE("an output path that cannot be written is exit 2 before anything runs") {
  const std::string scenario = WriteFile("tiny_outputs.json", kTiny);
  const std::string folder = std::filesystem::temp_directory_path().string();
  const std::vector<std::vector<std::string>> cases = {
      {"run", scenario, "--report", "/nonexistent/r.json"},
      {"run", scenario, "--html", folder},
      {"test", scenario, "--junit", "/nonexistent/j.xml"},
      {"run", scenario, "--report", folder + "/not_yet_a_folder/"},
  };
  for (const auto& args : cases) {
    const Outcome r = Cli(args);
    INFO(r.out << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find("cannot write") != std::string::npos);
    CHECK(r.out.find("PASS") == std::string::npos);  // nothing ran
    CHECK(r.out.find("sim ") == std::string::npos);
  }
  const Outcome missing = Cli({"run", scenario, "--report", "/nonexistent/r.json"});
  CHECK(missing.err.find("the folder /nonexistent does not exist") != std::string::npos);
}

TEST_CASE("the replay command of a real-clock run keeps --clock real") {
  CHECK(ReplayCommand("s.json", 7, {}) == "meshsim run s.json --seed 7");
  CHECK(ReplayCommand("s.json", 7, {"stream=fake"}, "real") ==
        "meshsim run s.json --seed 7 --clock real --backend stream=fake");
}

TEST_CASE("what is not a regular file is refused at once, exit 2: a device, a FIFO, a folder") {
  // /dev/zero once ate memory until bad_alloc; /dev/null said "no such file".
  for (const char* path : {"/dev/zero", "/dev/urandom", "/dev/null"}) {
    const Outcome r = Cli({"validate", path});
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(std::string(path) + ": is not a regular file") != std::string::npos);
  }
  const Outcome folder = Cli({"run", std::filesystem::temp_directory_path().string()});
  CHECK(folder.status == 2);
  CHECK(folder.err.find("is a directory, not a file") != std::string::npos);
}

TEST_CASE("help lists every tool with its flags, and TOOL --help describes them") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"help"}, {"--help"}, {"-h"}}) {
    const auto r = Cli(args);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    for (const char* line :
         {"  meshsim run FILE [--seed N] [--clock virtual|real] [--state DIR] [--report OUT.json] "
          "[--html OUT.html] [--backend PORT=KIND[:ARGS]]...\n",
          "  meshsim validate PATH...\n",
          "  meshsim test PATH... [--junit OUT.xml] [--seed N] [--report-dir DIR] "
          "[--backend PORT=KIND[:ARGS]]...\n",
          "  meshsim catalog --state DIR list | describe DB[.TABLE] | search TEXT | grants "
          "[PRINCIPAL]\n",
          "  meshsim eval --interactions FILE.csv [--items FILE.csv] [--users FILE.csv] --recipe "
          "NAME "
          "[--split personalize|stratified:RATIO|chronological:RATIO] [--k K] [--seed N] "
          "[--json]\n",
          "  meshsim help [TOOL]\n"}) {
      CHECK(r.out.find(line) != std::string::npos);
    }
  }
  CHECK(Cli({}).err == Cli({"help"}).out);  // no tool: the same list, as an error
  const auto run = Cli({"run", "--help"});
  CHECK(run.status == 0);
  CHECK(run.out.find("Usage: meshsim run [OPTIONS] FILE") != std::string::npos);
  CHECK(run.out.find("--backend PORT=KIND[:ARGS]") != std::string::npos);
  CHECK(Cli({"help", "run"}).out == run.out);
  CHECK(Cli({"--help", "run"}).out == run.out);
  CHECK(Cli({"catalog", "--state", "x", "describe", "--help"})
            .out.find("Usage: meshsim catalog describe") != std::string::npos);
  const auto nope = Cli({"help", "launch"});
  CHECK(nope.status == 2);
  CHECK(nope.err == "meshsim help: no tool \"launch\" (try meshsim help)\n");
}

TEST_CASE("run --backend is repeatable, and the replay command carries the backends in order") {
  const std::string scenario = WriteFile("tiny_backend.json", kTiny);
  auto r = Cli({"run", "--backend", "stream=fake", scenario, "--backend", "catalog=fake"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("(replay: meshsim run " + scenario +
                   " --seed 9 --backend stream=fake --backend catalog=fake)") != std::string::npos);
}

TEST_CASE("a --backend the registry cannot build is bad input: exit 2, nothing runs") {
  const std::string scenario = WriteFile("tiny_bad_backend.json", kTiny);
  const std::string report = WriteFile("tiny_bad_backend_report.json", "");
  std::filesystem::remove(report);
  auto r = Cli({"run", scenario, "--backend", "stream=kafka:bootstrap.servers=127.0.0.1:9092",
                "--report", report});
  CHECK(r.status == 2);
  CHECK(r.err.find("--backend stream=kafka:bootstrap.servers=127.0.0.1:9092: unknown kind "
                   "\"kafka\" for stream; its kinds are fake") != std::string::npos);
  CHECK(r.out.find("PASSED") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(report));
  auto port = Cli({"run", scenario, "--backend", "broker=fake"});
  CHECK(port.status == 2);
  CHECK(port.err.find("unknown port \"broker\"") != std::string::npos);
}

TEST_CASE("backends lists every port with its kinds") {
  const auto r = Cli({"backends"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("port             kind   what it is\n", 0) == 0);
  for (const char* port :
       {"stream", "catalog", "object_store", "stores", "recommender", "schema_registry"}) {
    INFO(port);
    CHECK(r.out.find(std::string("\n") + port) != std::string::npos);
  }
  CHECK(r.out.find("stream           fake   the in-process Kafka broker") != std::string::npos);
}

TEST_CASE("a flag given twice takes the later value") {
  const std::string scenario = WriteFile("tiny_twice.json", kTiny);
  auto r = Cli({"run", scenario, "--seed", "5", "--seed", "1234"});
  CHECK(r.status == 0);
  CHECK(r.out.find("with seed 1234 ") != std::string::npos);
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
  // A latency in microseconds also as people read it.
  CHECK(r.out.find(" ms), expected < 0 (0 us) (at the end; checked at ") != std::string::npos);
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

TEST_CASE("a range error shows its bounds and the value exactly, and takes 1.0 as an integer") {
  // Once "value 2.592e+06 is out of range [0.001, 2.592e+06]" for 2592001, and a too-big
  // integer was "a number".
  auto error_of = [](const std::string& name, const std::string& field) {
    const std::string file = WriteFile(name, R"({"name": "r", )" + field + "}");
    return Cli({"validate", file}).err;
  };
  CHECK(error_of("range1.json", R"("duration_s": 2592001)")
            .find("value 2592001 is out of range [0.001, 2592000]") != std::string::npos);
  CHECK(error_of("range2.json", R"("duration_s": 10, "seed": 123456789012345678901234567890)")
            .find("value 1.2345678901234568e+29 is out of range [0, ") != std::string::npos);
  CHECK(error_of("range3.json", R"("duration_s": 10, "seed": 1.5)")
            .find("expected an integer, got 1.5") != std::string::npos);
  CHECK(error_of("range4.json", R"("duration_s": 10, "seed": 18446744073709551615)")
            .find("value 18446744073709551615 is out of range") != std::string::npos);
  // As JSON Schema's "integer" (scenarios/schema.json): a number with no fraction is one.
  CHECK(Cli({"validate", WriteFile("range5.json", R"({"name": "r", "duration_s": 10,
    "seed": 1e1, "population": {"users": 50.0}})")})
            .status == 0);
}

TEST_CASE("a file with many errors lists the first 20 and counts the rest") {
  // Each message finds its position in the text again: a million bad values once meant a
  // million scans.
  std::string values;
  for (int i = 0; i < 500; ++i) values += (i ? ", " : "") + std::to_string(i);
  const std::string file = WriteFile(
      "many_errors.json",
      R"({"name": "m", "duration_s": 10, "population": {"song_genres": [)" + values + "]}}");
  const Outcome r = Cli({"validate", file});
  CHECK(r.status == 2);
  CHECK(r.err.find("/population/song_genres/19: expected a string") != std::string::npos);
  CHECK(r.err.find("/population/song_genres/20:") == std::string::npos);
  CHECK(r.err.find("\n... and 48") != std::string::npos);  // 480 values, and what they break
  CHECK(r.err.find(" more errors\n") != std::string::npos);
}

TEST_CASE("validate checks an aws-* recipe's hyperparameters against the recipe") {
  const std::string bad = WriteFile("bad_hyperparameter.json", R"({
  "name": "bad", "duration_s": 20,
  "recommender": {"recipe": "aws-user-personalization", "hyperparameters": {"bptt": 64}}
})");
  auto r = Cli({"validate", bad});
  CHECK(r.status == 2);
  // The hyperparameter's own line and column (once only the file).
  CHECK(r.err.find(bad + ":3:77: at /recommender/hyperparameters/bptt: ") != std::string::npos);
  CHECK(r.err.find("bptt") != std::string::npos);
  const std::string good = WriteFile("good_hyperparameter.json", R"({
  "name": "good", "duration_s": 20,
  "recommender": {"recipe": "aws-user-personalization", "hyperparameters": {"bptt": 16}}
})");
  CHECK(Cli({"validate", good}).status == 0);
  CHECK(Cli({"run", bad}).status == 2);  // nothing runs
  // Valid together, though not each beside the other's default.
  const std::string pair = WriteFile("pair_hyperparameters.json", R"({
  "name": "pair", "duration_s": 20,
  "recommender": {"recipe": "aws-user-personalization", "hyperparameters": {
    "min_user_history_length_percentile": 0.995, "max_user_history_length_percentile": 1.0}}
})");
  const Outcome paired = Cli({"validate", pair});
  INFO(paired.err);
  CHECK(paired.status == 0);
}
