// InteractionsUpdate: the interactions topic -> PutEvents. A call holds consecutive events of one
// user's session, at most kMaxEventsPerPutEvents; a user's calls go in offset order.
#include "sim/domains/recommender_calls.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"

namespace meshsim {
namespace {

class InteractionsUpdate final : public RecommenderCalls<PutEventsRequest> {
 public:
  explicit InteractionsUpdate(const FunctionContext& context)
      : RecommenderCalls(context, kInteractionsTopic) {}

 private:
  void Plan(const KafkaBatch& batch, Run& run) override {
    ForEachReadable(batch, [&](size_t i, std::string_view payload) {
      if (!DecodeInteraction(payload, &view_)) {
        return RejectUnreadable(batch, i, "not an Interaction record");
      }
      const uint64_t user = KeyHash(view_.user_id);
      Call& call = CallFor(run, user);
      call.records.push_back(i);
      Event& e = call.request.event_list.emplace_back();
      e.event_id = view_.event_id;
      e.event_type = view_.event_type;
      e.item_id = view_.item_id;
      e.sent_at_us = view_.timestamp_us;
    });
  }

  // The user's latest call if it is for the record's session and not full; otherwise a new call.
  // Never an earlier call of the user: a user's calls go in plan order, so joining one behind a
  // later call would apply the user's (the key's) records out of order. A batch holds at most
  // batch_size calls, so the scan back is cheap.
  Call& CallFor(Run& run, uint64_t user) {
    for (size_t c = run.planned; c-- > 0;) {
      Call& candidate = run.calls[c];
      if (candidate.keys.front() == user && candidate.request.user_id == view_.user_id) {
        if (candidate.request.session_id == view_.session_id &&
            candidate.request.event_list.size() < kMaxEventsPerPutEvents) {
          return candidate;
        }
        break;
      }
    }
    Call& call = AddCall(run);
    call.keys.push_back(user);  // the user, not the record's key: a call is one user's
    return call;
  }

  void Open(PutEventsRequest& request) override {
    request.tracking_id = context().config.tracking_id;
    request.user_id = view_.user_id;
    request.session_id = view_.session_id;
    request.event_list.clear();
  }

  void Put(const PutEventsRequest& request,
           Recommender::Callback<Recommender::Empty> done) override {
    context().recommender.PutEvents(request, std::move(done));
  }

  InteractionView view_;  // the record being planned, in place
};

}  // namespace

std::unique_ptr<RecommendationsFunction> MakeInteractionsUpdate(const FunctionContext& context) {
  return std::make_unique<InteractionsUpdate>(context);
}

}  // namespace meshsim
