#include "apps/cli/junit.h"

#include <cstdio>
#include <map>

#include "sim/report/report.h"
#include "sim/report/verdict.h"

namespace meshsim {
namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

std::string Attr(const char* name, std::string_view value) {
  return std::string(" ") + name + "=\"" + XmlEscape(value, true) + "\"";
}

size_t Count(const std::vector<JUnitCase>& cases, JUnitCase::Outcome outcome) {
  size_t n = 0;
  for (const auto& c : cases) n += c.outcome == outcome ? 1 : 0;
  return n;
}

}  // namespace

std::string RenderJUnit(const std::vector<JUnitSuite>& suites, const std::string& name) {
  size_t tests = 0, failures = 0, errors = 0;
  double seconds = 0;
  for (const auto& s : suites) {
    tests += s.cases.size();
    failures += Count(s.cases, JUnitCase::Outcome::kFailed);
    errors += Count(s.cases, JUnitCase::Outcome::kError);
    seconds += s.seconds;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + Attr("name", name) + Attr("tests", std::to_string(tests)) +
         Attr("failures", std::to_string(failures)) + Attr("errors", std::to_string(errors)) +
         Attr("time", Seconds(seconds)) + ">\n";
  for (const auto& s : suites) {
    out += "  <testsuite" + Attr("name", s.name) + Attr("tests", std::to_string(s.cases.size())) +
           Attr("failures", std::to_string(Count(s.cases, JUnitCase::Outcome::kFailed))) +
           Attr("errors", std::to_string(Count(s.cases, JUnitCase::Outcome::kError))) +
           Attr("skipped", "0") + Attr("time", Seconds(s.seconds)) + ">\n";
    for (const auto& c : s.cases) {
      out += "    <testcase" + Attr("name", c.name) + Attr("classname", c.classname);
      if (!c.file.empty()) out += Attr("file", c.file);
      out += Attr("time", Seconds(c.seconds));
      if (c.outcome == JUnitCase::Outcome::kPassed) {
        out += "/>\n";
        continue;
      }
      const char* tag = c.outcome == JUnitCase::Outcome::kFailed ? "failure" : "error";
      out += ">\n      <" + std::string(tag) + Attr("message", c.message) + Attr("type", c.type) +
             ">" + XmlEscape(c.text) + "</" + tag + ">\n    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

JUnitSuite JUnitSuiteOfReport(const nlohmann::ordered_json& report, const std::string& file,
                              const std::string& replay) {
  JUnitSuite suite;
  suite.name = report.value("scenario", file);
  suite.seconds = report.value("wall_seconds", 0.0);
  const std::string seed = "seed " + std::to_string(report.value("seed", uint64_t{0}));
  const std::string footer = seed + "\nreplay: " + replay + "\n";

  // One case per invariant: each fails the run whatever the scenario expects.
  for (const InvariantCheck& check : InvariantChecks(report)) {
    JUnitCase c{std::string("invariants: ") + check.name, suite.name, file, 0, {}, {}, {}, {}};
    if (check.violations > 0) {
      c.outcome = JUnitCase::Outcome::kFailed;
      c.type = "invariant";
      c.message = std::to_string(check.violations) + " " + check.what;
      c.text = std::string(check.what) + ": " + std::to_string(check.violations) + "\n" + footer;
    }
    suite.cases.push_back(std::move(c));
  }

  // CI systems key test cases by name: a repeated name gets " (2)", " (3)", ...
  std::map<std::string, int> seen;
  for (const auto& c : suite.cases) seen[c.name] = 1;

  for (const auto& x : report.value("expectations", nlohmann::ordered_json::array())) {
    JUnitCase c{x.value("name", ""), suite.name, file, 0, {}, {}, {}, {}};
    if (const int n = ++seen[c.name]; n > 1) c.name += " (" + std::to_string(n) + ")";
    if (!x.value("passed", false)) {
      c.outcome = JUnitCase::Outcome::kFailed;
      c.type = "expectation";
      c.message = "observed " + FormatObserved(x["observed"]) + ", expected " +
                  x.value("expected", "") + " (" + x.value("when", "") + ")";
      c.text = x.value("kind", "") + " expectation \"" + c.name +
               "\"\nexpected: " + x.value("expected", "") + " (" + x.value("when", "") +
               ")\nobserved: " + FormatObserved(x["observed"], 4000) + "\n";
      if (!x["checked_at_s"].is_null()) {
        c.text += "checked at: " + Seconds(x["checked_at_s"].get<double>()) + " s\n";
      }
      if (!x.value("detail", "").empty()) c.text += "detail: " + x.value("detail", "") + "\n";
      c.text += footer;
    }
    suite.cases.push_back(std::move(c));
  }
  return suite;
}

}  // namespace meshsim
