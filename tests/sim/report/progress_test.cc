#include "sim/report/progress.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

namespace meshsim {
namespace {

constexpr int64_t kTotal = 600'000'000;  // ten simulated minutes

size_t Redraws(const std::string& out) { return std::count(out.begin(), out.end(), '\r'); }

TEST_CASE("progress: a disabled bar prints nothing", "[progress]") {
  std::ostringstream out;
  {
    ProgressBar bar(kTotal, out, /*enabled=*/false);
    for (double wall = 0; wall < 5; wall += 0.05)
      bar.Update(static_cast<int64_t>(wall * 1e8), wall);
    bar.Finish();
    CHECK_FALSE(bar.drawn());
  }
  CHECK(out.str().empty());
}

TEST_CASE("progress: nothing before the run has taken a second", "[progress]") {
  std::ostringstream out;
  ProgressBar bar(kTotal, out, true);
  bar.Update(1'000'000, 0.0);
  bar.Update(100'000'000, 0.5);
  bar.Update(200'000'000, 1.0);
  CHECK(out.str().empty());
  bar.Finish();  // a run shorter than a second leaves no trace at all
  CHECK(out.str().empty());
}

TEST_CASE("progress: draws once past a second, in place", "[progress]") {
  std::ostringstream out;
  ProgressBar bar(kTotal, out, true);
  bar.Update(300'000'000, 1.5);
  const std::string s = out.str();
  CHECK(bar.drawn());
  CHECK(s.rfind("\r[", 0) == 0);
  CHECK(s.find(" 50%") != std::string::npos);
  CHECK(s.find("300/600 s simulated") != std::string::npos);
  CHECK(s.find("200x") != std::string::npos);  // 300 simulated seconds in 1.5 wall seconds
  CHECK(s.find('\n') == std::string::npos);
  CHECK(s.size() < 100);  // fits a terminal line
}

TEST_CASE("progress: redraws at most ten times a second of wall time", "[progress]") {
  std::ostringstream out;
  ProgressBar bar(kTotal, out, true);
  // 2,000 updates over two wall seconds after the first.
  for (int i = 0; i <= 2000; ++i) {
    const double wall = 1.001 + i * 0.001;
    bar.Update(static_cast<int64_t>(wall * 1e8), wall);
  }
  const size_t redraws = Redraws(out.str());
  CHECK(redraws >= 19);
  CHECK(redraws <= 21);

  SECTION("updates closer than a tenth of a second apart are dropped") {
    std::ostringstream o;
    ProgressBar b(kTotal, o, true);
    b.Update(1, 1.20);
    b.Update(2, 1.25);
    b.Update(3, 1.29);
    CHECK(Redraws(o.str()) == 1);
    b.Update(4, 1.31);
    CHECK(Redraws(o.str()) == 2);
  }
}

TEST_CASE("progress: Finish clears the line, once, and later updates draw nothing", "[progress]") {
  std::ostringstream out;
  ProgressBar bar(kTotal, out, true);
  bar.Update(100'000'000, 2.0);
  const size_t drawn = out.str().size();
  bar.Finish();
  CHECK(out.str().substr(drawn) == "\r\x1b[K");
  bar.Finish();
  bar.Update(600'000'000, 9.0);
  CHECK(out.str().size() == drawn + 4);
}

TEST_CASE("progress: the destructor clears a drawn line", "[progress]") {
  std::ostringstream out;
  { ProgressBar(kTotal, out, true).Update(100'000'000, 2.0); }
  const std::string s = out.str();
  CHECK(s.size() > 4);
  CHECK(s.substr(s.size() - 4) == "\r\x1b[K");
}

TEST_CASE("progress: clamps past the end and copes with an unknown total", "[progress]") {
  std::ostringstream over;
  ProgressBar a(kTotal, over, true);
  a.Update(2 * kTotal, 3.0);
  CHECK(over.str().find("100%") != std::string::npos);

  std::ostringstream unknown;
  ProgressBar b(0, unknown, true);
  b.Update(42'000'000, 2.0);
  CHECK(unknown.str().find("42 s simulated") != std::string::npos);
  CHECK(unknown.str().find('%') == std::string::npos);
}

}  // namespace
}  // namespace meshsim
