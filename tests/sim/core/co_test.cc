#include "sim/core/co.h"

#include <catch2/catch.hpp>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace meshsim {
namespace {

// A port whose calls answer at once, or (deferred) when the test says.
struct Port {
  bool deferred = false;
  mutable std::deque<std::function<void()>> waiting;
  mutable std::vector<std::string> calls;

  void LengthAsync(const std::string& text, Done<int> done) const {
    calls.push_back(text);
    auto answer = [text, done] { done(static_cast<int>(text.size())); };
    if (deferred) {
      waiting.push_back(answer);
    } else {
      answer();
    }
  }
  void AnswerOne() const {
    auto next = std::move(waiting.front());
    waiting.pop_front();
    next();
  }
};

Co<int> Length(const Port& port, std::string text) {
  co_return co_await Call<&Port::LengthAsync>(port, text);
}

Co<int> SumOfLengths(const Port& port, std::vector<std::string> texts) {
  int sum = 0;
  for (const std::string& t : texts) sum += co_await Length(port, t);
  co_return sum;
}

TEST_CASE("a Co over calls that answer at once ends within Spawn, in order") {
  Port port;
  std::optional<int> out;
  Spawn<int>(SumOfLengths(port, {"a", "bb", "ccc"}), [&](int v) { out = v; });
  REQUIRE(out == 6);
  CHECK(port.calls == std::vector<std::string>{"a", "bb", "ccc"});
}

TEST_CASE("a Co waits on a call that has not answered, and goes on when it does") {
  Port port;
  port.deferred = true;
  std::optional<int> out;
  Spawn<int>(SumOfLengths(port, {"a", "bb", "ccc"}), [&](int v) { out = v; });
  // One call at a time: the second is not made before the first answers.
  REQUIRE_FALSE(out.has_value());
  CHECK(port.calls == std::vector<std::string>{"a"});
  port.AnswerOne();
  CHECK_FALSE(out.has_value());
  CHECK(port.calls == std::vector<std::string>{"a", "bb"});
  port.AnswerOne();
  port.AnswerOne();
  REQUIRE(out == 6);
  CHECK(port.waiting.empty());
}

TEST_CASE("Call copies its arguments, so a temporary outlives the statement that passed it") {
  Port port;
  port.deferred = true;
  std::optional<int> out;
  auto co = [](const Port& p) -> Co<int> {
    co_return co_await Call<&Port::LengthAsync>(p, std::string(40, 'x'));  // a heap string
  };
  Spawn<int>(co(port), [&](int v) { out = v; });
  port.AnswerOne();
  CHECK(out == 40);
}

TEST_CASE("a long run of nested Co's answered at once does not grow the stack") {
  Port port;
  std::vector<std::string> texts(20'000, "ab");
  std::optional<int> out;
  Spawn<int>(SumOfLengths(port, std::move(texts)), [&](int v) { out = v; });
  CHECK(out == 40'000);
}

TEST_CASE("several Co's waiting at once each go on with their own answer") {
  Port port;
  port.deferred = true;
  std::optional<int> first;
  std::optional<int> second;
  Spawn<int>(Length(port, "four"), [&](int v) { first = v; });
  Spawn<int>(Length(port, "seven!!"), [&](int v) { second = v; });
  REQUIRE(port.waiting.size() == 2);
  port.AnswerOne();
  CHECK(first == 4);
  CHECK_FALSE(second.has_value());
  port.AnswerOne();
  CHECK(second == 7);
}

}  // namespace
}  // namespace meshsim
