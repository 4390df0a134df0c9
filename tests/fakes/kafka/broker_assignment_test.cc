// Partition assignment on the fake broker: Kafka's RangeAssignor and RoundRobinAssignor, chosen
// per group by partition.assignment.strategy, and the rebalance when members join and leave.
#include <catch2/catch.hpp>

#include "fakes/kafka/assignors.h"
#include "tests/fakes/kafka/broker_fixture.h"

using namespace meshsim;
using testing::BrokerFixture;

namespace {

using Tps = std::vector<TopicPartition>;

std::vector<Tps> Assignments(const std::vector<std::unique_ptr<Consumer>>& members) {
  std::vector<Tps> out;
  for (const auto& m : members) out.push_back(m ? m->Assignment() : Tps{});
  return out;
}

}  // namespace

TEST_CASE("range and round-robin assign a two-topic subscription as Kafka's assignors do") {
  // Topics a (3 partitions) and b (2); every member subscribes to both.
  struct Row {
    AssignmentStrategy strategy;
    std::vector<Tps> expected;  // by member, in join (= member id) order
  };
  const Row rows[] = {
      {AssignmentStrategy::kRange, {{{"a", 0}, {"a", 1}, {"a", 2}, {"b", 0}, {"b", 1}}}},
      {AssignmentStrategy::kRoundRobin, {{{"a", 0}, {"a", 1}, {"a", 2}, {"b", 0}, {"b", 1}}}},
      // Range: per topic, the first member takes the extra partition of a.
      {AssignmentStrategy::kRange, {{{"a", 0}, {"a", 1}, {"b", 0}}, {{"a", 2}, {"b", 1}}}},
      // Round-robin: a0 a1 a2 b0 b1 dealt in turn.
      {AssignmentStrategy::kRoundRobin, {{{"a", 0}, {"a", 2}, {"b", 1}}, {{"a", 1}, {"b", 0}}}},
      {AssignmentStrategy::kRange, {{{"a", 0}, {"b", 0}}, {{"a", 1}, {"b", 1}}, {{"a", 2}}}},
      {AssignmentStrategy::kRoundRobin, {{{"a", 0}, {"b", 0}}, {{"a", 1}, {"b", 1}}, {{"a", 2}}}},
      {AssignmentStrategy::kRange, {{{"a", 0}, {"b", 0}}, {{"a", 1}, {"b", 1}}, {{"a", 2}}, {}}},
      {AssignmentStrategy::kRoundRobin, {{{"a", 0}, {"b", 1}}, {{"a", 1}}, {{"a", 2}}, {{"b", 0}}}},
  };
  for (const auto& row : rows) {
    INFO("strategy " << static_cast<int>(row.strategy) << ", " << row.expected.size()
                     << " members");
    BrokerFixture f;
    REQUIRE(f.broker.CreateTopic({"a", 3}).ok());
    REQUIRE(f.broker.CreateTopic({"b", 2}).ok());
    std::vector<std::unique_ptr<Consumer>> members;
    for (size_t i = 0; i < row.expected.size(); ++i) {
      members.push_back(f.Join({"g", {"a", "b"}, OffsetReset::kEarliest, row.strategy}));
    }
    CHECK(Assignments(members) == row.expected);
  }
}

TEST_CASE("different subscriptions follow the RoundRobinAssignor's documented example") {
  // RoundRobinAssignor's javadoc: C0 subscribes to t0; C1 to t0, t1; C2 to t0, t1, t2; t0 has
  // one partition, t1 two, t2 three. Range, giving each topic to its own subscribers, agrees.
  for (auto strategy : {AssignmentStrategy::kRoundRobin, AssignmentStrategy::kRange}) {
    INFO("strategy " << static_cast<int>(strategy));
    CHECK(fakes::Assign(strategy, {{"t0"}, {"t0", "t1"}, {"t0", "t1", "t2"}},
                        {{"t0", 1}, {"t1", 2}, {"t2", 3}}) ==
          std::vector<Tps>{{{"t0", 0}}, {{"t1", 0}}, {{"t1", 1}, {"t2", 0}, {"t2", 1}, {"t2", 2}}});
  }
  CHECK(fakes::Assign(AssignmentStrategy::kRange, {}, {{"t0", 1}}).empty());
}

TEST_CASE("both strategies rebalance when members join and leave") {
  const AssignmentStrategy strategy =
      GENERATE(AssignmentStrategy::kRange, AssignmentStrategy::kRoundRobin);
  const bool rr = strategy == AssignmentStrategy::kRoundRobin;
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic({"a", 3}).ok());
  REQUIRE(f.broker.CreateTopic({"b", 2}).ok());
  for (int i = 0; i < 30; ++i) {
    f.Send("a", std::to_string(i), "v");
    f.Send("b", std::to_string(i), "v");
  }
  const ConsumerConfig config{"g", {"a", "b"}, OffsetReset::kEarliest, strategy};
  std::vector<std::unique_ptr<Consumer>> m;
  m.push_back(f.Join(config));
  m.push_back(f.Join(config));
  // The first member reads and commits everything it owns.
  for (const auto& tp : m[0]->Assignment()) {
    const auto records = BrokerFixture::FetchAll(*m[0], tp);
    REQUIRE(m[0]->Commit(tp, records.back().offset + 1).ok());
  }
  m.push_back(f.Join(config));  // join
  // Three members happen to get the same under both strategies.
  CHECK(Assignments(m) == std::vector<Tps>{{{"a", 0}, {"b", 0}}, {{"a", 1}, {"b", 1}}, {{"a", 2}}});
  m[0]->Close();  // leave
  m[0].reset();
  const std::vector<Tps> left =
      rr ? std::vector<Tps>{{}, {{"a", 0}, {"a", 2}, {"b", 1}}, {{"a", 1}, {"b", 0}}}
         : std::vector<Tps>{{}, {{"a", 0}, {"a", 1}, {"b", 0}}, {{"a", 2}, {"b", 1}}};
  CHECK(Assignments(m) == left);
  // A partition that moved starts at the group's committed offset: what the first member read
  // does not come again.
  for (size_t i = 1; i < m.size(); ++i) {
    for (const auto& tp : m[i]->Assignment()) {
      INFO(tp.topic << "-" << tp.partition);
      const int64_t committed = m[i]->Committed(tp).value();
      CHECK(m[i]->Position(tp).value() == (committed < 0 ? 0 : committed));
    }
  }
  const bool a0_committed = m[1]->Committed({"a", 0}).value() >= 0;
  CHECK(a0_committed);  // a0 was the first member's under both strategies
  CHECK(BrokerFixture::FetchAll(*m[1], TopicPartition{"a", 0}).empty());
}

TEST_CASE("a member with another assignment strategy is refused INCONSISTENT_GROUP_PROTOCOL") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic({"t", 2}).ok());
  auto range = f.Join({"g", {"t"}, OffsetReset::kEarliest, AssignmentStrategy::kRange});
  auto refused =
      f.broker.Subscribe({"g", {"t"}, OffsetReset::kEarliest, AssignmentStrategy::kRoundRobin});
  CHECK(refused.status().code() == Code::kInconsistentGroupProtocol);
  CHECK(range->Assignment().size() == 2);  // the group did not rebalance
  range->Close();
  // An empty group takes the strategy of its next member.
  CHECK(f.broker.Subscribe({"g", {"t"}, OffsetReset::kEarliest, AssignmentStrategy::kRoundRobin})
            .ok());
}
