// What the Recommendations functions share: a batch is decoded once into a plan of recommender
// calls of one kind (Request: PutEventsRequest, PutItemsRequest or PutUsersRequest), and the calls
// go one at a time, as a Lambda handler awaiting each would — or up to `concurrent_calls` at once,
// never two sharing a key, so order per key holds. Here too: reading a record in the topic's
// schema through the schema registry, the SDK's retries of a throttled call, dead letters, the
// topic's counts and applied traces, and applying each record once however often it is delivered.
// A function type says only how its records become calls (Plan, Open) and which call it makes
// (Put).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/domains/delivery_ledger.h"
#include "sim/domains/recommendations_function.h"
#include "sim/serde/schema_serde.h"

namespace meshsim {

template <class Request>
class RecommenderCalls : public RecommendationsFunction {
 public:
  void Handle(const KafkaBatch& batch, std::function<void(Status)> done) final;
  void OnFailure(const KafkaBatch& batch, const Status& status) final;

 protected:
  struct Run;
  struct Call {
    Run* run = nullptr;
    int attempts = 0;             // sends after a throttle
    std::vector<size_t> records;  // indices into the batch, in the call's order
    // Hashes of the records' distinct keys (KeyHash): calls sharing one keep order.
    std::vector<uint64_t> keys;
    Request request;
  };
  // One batch's calls. Runs are pooled per function and their calls kept between batches, so a
  // batch reuses the vectors and strings of an earlier one instead of allocating its own.
  struct Run {
    const KafkaBatch* batch = nullptr;  // owned by the mapping until `done` runs
    std::function<void(Status)> done;
    std::vector<Call> calls;  // [0, planned) in use; the rest kept for reuse
    size_t planned = 0;
    size_t next = 0;  // the next call to launch, in plan order
    size_t in_flight = 0;
    Status failure;  // a retriable error: launch nothing more, then fail the batch
    bool ended = false;
    bool launching = false;  // Launch is on the stack: a reply arriving inline only asks again
    bool relaunch = false;
    std::vector<uint64_t> busy;  // keys of calls in flight
  };

  // `topic` names the function's records: their reader schema, counts, traces and dead letters.
  RecommenderCalls(const FunctionContext& context, std::string topic);

  // Appends the batch's calls to `run`, in the order they may go. A record that does not decode
  // is dead-lettered here (RejectUnreadable).
  virtual void Plan(const KafkaBatch& batch, Run& run) = 0;
  // Empties a new call's request and fills what every entry of it shares.
  virtual void Open(Request& request) = 0;
  // Makes the call: PutEvents, PutItems or PutUsers.
  virtual void Put(const Request& request, Recommender::Callback<Recommender::Empty> done) = 0;

  // For Plan: calls plan(i, payload) for each record i of the batch not finished on an earlier
  // delivery, with its value in the topic's reader schema; a record that cannot be read is
  // dead-lettered instead.
  template <class PlanRecord>
  void ForEachReadable(const KafkaBatch& batch, PlanRecord&& plan) {
    const int32_t partition = batch.tp.partition;
    for (size_t i = 0; i < batch.records.size(); ++i) {
      const ConsumedRecord& record = batch.records[i];
      // Finished on an earlier delivery (a retried batch, a restarted consumer): no call again.
      if (ledger_.Finished(partition, record.offset)) continue;
      std::string_view payload;
      if (!Read(partition, record, &payload)) continue;
      plan(i, payload);
    }
  }
  // A new call at the end of the plan, its request Open.
  Call& AddCall(Run& run);
  // For PutItems and PutUsers, whose calls take consecutive records: record i joins the plan's
  // last call, or a new one when that holds `limit` records already.
  Call& JoinLastCall(Run& run, size_t i, size_t limit);
  // Dead-letters record i as undecodable: "SerializationException: <reason>".
  void RejectUnreadable(const KafkaBatch& batch, size_t i, std::string_view reason);

  const FunctionContext& context() const { return context_; }
  const std::string& topic() const { return topic_; }

 private:
  // Handle, once every record's writer version is known: plans the batch's calls and launches
  // them.
  void Begin(const KafkaBatch& batch, std::function<void(Status)> done);
  // The value in this function's reader schema; false once the record is dead-lettered because it
  // cannot be read (not a Glue record, an unknown schema version, a schema it cannot resolve).
  bool Read(int32_t partition, const ConsumedRecord& record, std::string_view* payload);
  void Reject(int32_t partition, const ConsumedRecord& record, const char* stage,
              std::string reason);
  Run* TakeRun();
  void Launch(Run* run);
  void End(Run* run);
  void Send(Call& call);
  void OnReply(Call& call, const Result<Recommender::Empty>& reply);
  void Applied(const Call& call);

  const FunctionContext context_;
  const std::string topic_;
  TopicCounts& counts_;
  DeliveryLedger ledger_;
  ApplyOrderCheck order_;
  std::vector<std::unique_ptr<Run>> runs_;  // every run, pooled
  std::vector<Run*> free_runs_;
  RecordDeserializer serde_;
  std::string resolved_;  // a record resolved from another writer's schema
};

}  // namespace meshsim
