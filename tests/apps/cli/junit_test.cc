// JUnit XML as CI systems read it: well-formed whatever the names hold, counts that add up, and a
// failure that carries what was observed, what was expected and how to replay it.
#include "apps/cli/junit.h"

#include <catch2/catch.hpp>

#include "tests/apps/cli/xml_check.h"

using namespace meshsim;
using Catch::Matchers::Contains;

namespace {

size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

nlohmann::ordered_json Report(uint64_t lost) {
  return nlohmann::ordered_json::parse(R"({
    "scenario": "launch", "seed": 7, "sim_seconds": 60.5, "wall_seconds": 0.25, "passed": false,
    "counts": {"lost": )" + std::to_string(lost) +
                                       R"(},
    "expectations": [
      {"name": "p99 < 1 s", "kind": "metric", "when": "at the end", "expected": "< 1000000",
       "passed": true, "status": "passed", "observed": 5000, "checked_at_s": 60.5, "checks": 1,
       "detail": ""},
      {"name": "u1 gets <p3> & \"p4\"", "kind": "recommendation", "when": "at 30 s",
       "expected": "p3 in the top 25", "passed": false, "status": "failed",
       "observed": {"items": ["s1", "s2"]}, "checked_at_s": 30.0, "checks": 1, "detail": ""},
      {"name": "p99 < 1 s", "kind": "metric", "when": "at 40 s", "expected": "< 1000000",
       "passed": false, "status": "pending", "observed": null, "checked_at_s": null, "checks": 0,
       "detail": "not checked: the run stopped at 35 s"}
    ]})");
}

}  // namespace

TEST_CASE("XmlEscape escapes markup, and what attributes would lose") {
  CHECK(XmlEscape("a<b>&\"c\"'d'") == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
  CHECK(XmlEscape("line1\nline2\tx") == "line1\nline2\tx");
  CHECK(XmlEscape("line1\nline2\tx", true) == "line1&#10;line2&#9;x");
  // XML 1.0 cannot carry most control characters at all, not even as references.
  CHECK(XmlEscape(std::string("a\x01z\x1b", 4)) == "a\xEF\xBF\xBDz\xEF\xBF\xBD");
  CHECK(XmlEscape("µs ✓") == "µs ✓");  // UTF-8 passes through
}

TEST_CASE("RenderJUnit counts tests, failures and errors per suite and in total") {
  std::vector<JUnitSuite> suites = {
      {"one",
       1.5,
       {{"a", "one", "one.json", 0, JUnitCase::Outcome::kPassed, "", "", ""},
        {"b", "one", "one.json", 0, JUnitCase::Outcome::kFailed, "observed 3, expected < 2",
         "expectation", "replay: meshsim run one.json --seed 1"}}},
      {"two", 0.25, {{"run", "two", "two.json", 0, JUnitCase::Outcome::kError, "boom", "run", ""}}},
  };
  const std::string xml = RenderJUnit(suites);
  std::string why;
  INFO(xml);
  CHECK(testing::WellFormedXml(xml, &why));
  INFO(why);
  CHECK_THAT(xml, Contains("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  CHECK_THAT(xml, Contains("<testsuites name=\"meshsim\" tests=\"3\" failures=\"1\" errors=\"1\" "
                           "time=\"1.750\">"));
  CHECK_THAT(xml, Contains("<testsuite name=\"one\" tests=\"2\" failures=\"1\" errors=\"0\" "
                           "skipped=\"0\" time=\"1.500\">"));
  CHECK_THAT(xml, Contains("<testsuite name=\"two\" tests=\"1\" failures=\"0\" errors=\"1\""));
  CHECK_THAT(xml,
             Contains("<testcase name=\"a\" classname=\"one\" file=\"one.json\" time=\"0.000\"/>"));
  CHECK_THAT(xml, Contains("<failure message=\"observed 3, expected &lt; 2\" "
                           "type=\"expectation\">replay: meshsim run one.json --seed 1</failure>"));
  CHECK_THAT(xml, Contains("<error message=\"boom\" type=\"run\"></error>"));
  CHECK(Occurrences(xml, "<testcase ") == 3);
}

TEST_CASE("a report becomes a suite: a case per invariant and one per expectation") {
  const auto suite =
      JUnitSuiteOfReport(Report(0), "launch.json", "meshsim run launch.json --seed 7");
  CHECK(suite.name == "launch");
  CHECK(suite.seconds == 0.25);
  REQUIRE(suite.cases.size() == 6);
  CHECK(suite.cases[0].name == "invariants: nothing lost");
  CHECK(suite.cases[1].name == "invariants: nothing applied twice");
  CHECK(suite.cases[2].name == "invariants: order per key kept");
  for (size_t i = 0; i < 3; ++i) CHECK(suite.cases[i].outcome == JUnitCase::Outcome::kPassed);
  CHECK(suite.cases[3].name == "p99 < 1 s");
  CHECK(suite.cases[3].outcome == JUnitCase::Outcome::kPassed);
  CHECK(suite.cases[3].classname == "launch");
  CHECK(suite.cases[3].file == "launch.json");

  const JUnitCase& failed = suite.cases[4];
  CHECK(failed.outcome == JUnitCase::Outcome::kFailed);
  CHECK(failed.type == "expectation");
  CHECK(failed.message ==
        "observed {\"items\":[\"s1\",\"s2\"]}, expected p3 in the top 25 (at 30 s)");
  CHECK_THAT(failed.text, Contains("checked at: 30.000 s"));
  CHECK_THAT(failed.text, Contains("seed 7\nreplay: meshsim run launch.json --seed 7\n"));

  // A second case of the same name is told apart, as CI systems key cases by name.
  CHECK(suite.cases[5].name == "p99 < 1 s (2)");
  CHECK(suite.cases[5].outcome == JUnitCase::Outcome::kFailed);
  CHECK(suite.cases[5].message == "observed nothing, expected < 1000000 (at 40 s)");
  CHECK_THAT(suite.cases[5].text, Contains("detail: not checked: the run stopped at 35 s"));

  const std::string xml = RenderJUnit({suite});
  std::string why;
  INFO(xml);
  CHECK(testing::WellFormedXml(xml, &why));
  INFO(why);
  CHECK_THAT(xml, Contains("name=\"u1 gets &lt;p3&gt; &amp; &quot;p4&quot;\""));
  CHECK_THAT(xml, Contains("tests=\"6\" failures=\"2\" errors=\"0\""));
}

TEST_CASE("lost records fail the invariants case") {
  const auto suite =
      JUnitSuiteOfReport(Report(3), "launch.json", "meshsim run launch.json --seed 7");
  CHECK(suite.cases[0].outcome == JUnitCase::Outcome::kFailed);
  CHECK(suite.cases[0].type == "invariant");
  CHECK(suite.cases[0].message ==
        "3 records acknowledged by the broker but neither applied nor dead-lettered");
  CHECK_THAT(suite.cases[0].text, Contains("replay: meshsim run launch.json --seed 7"));
}

TEST_CASE("each invariant's violations fail its own case") {
  auto report = Report(0);
  report["invariants"] = {{"applied_twice", 0}, {"applied_out_of_order", 2}};
  const auto suite = JUnitSuiteOfReport(report, "launch.json", "meshsim run launch.json --seed 7");
  CHECK(suite.cases[0].outcome == JUnitCase::Outcome::kPassed);
  CHECK(suite.cases[1].outcome == JUnitCase::Outcome::kPassed);
  CHECK(suite.cases[2].outcome == JUnitCase::Outcome::kFailed);
  CHECK(suite.cases[2].message == "2 records applied after a later record of their key");
}

TEST_CASE("the well-formedness check itself rejects broken XML") {
  std::string why;
  CHECK_FALSE(testing::WellFormedXml("<a><b></a></b>", &why));
  CHECK_FALSE(testing::WellFormedXml("<a x=\"1 < 2\"/>", &why));
  CHECK_FALSE(testing::WellFormedXml("<a>fish & chips</a>", &why));
  CHECK_FALSE(testing::WellFormedXml("<a x=\"1\" x=\"2\"/>", &why));
  CHECK_FALSE(testing::WellFormedXml("<a/><b/>", &why));
  CHECK_FALSE(testing::WellFormedXml("<a>", &why));
  CHECK(testing::WellFormedXml("<a x='1'>&amp;&#10;<b/></a>", &why));
}
