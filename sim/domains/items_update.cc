// SongsUpdate and PodcastsUpdate: the songs or podcasts topic -> PutItems into the items data set,
// with ITEM_TYPE. A call holds consecutive records, at most kMaxRecordsPerPutItems.
#include "sim/core/sim_epoch.h"
#include "sim/domains/recommender_calls.h"
#include "sim/serde/entity_avro.h"

namespace meshsim {
namespace {

class ItemsUpdate final : public RecommenderCalls<PutItemsRequest> {
 public:
  ItemsUpdate(const FunctionContext& context, std::string topic)
      : RecommenderCalls(context, std::move(topic)) {}

 private:
  void Plan(const KafkaBatch& batch, Run& run) override {
    ForEachReadable(batch, [&](size_t i, std::string_view payload) {
      if (!DecodeItem(payload, &item_)) {
        return RejectUnreadable(batch, i, "not a " + topic() + " record");
      }
      JoinLastCall(run, i, kMaxRecordsPerPutItems)
          .request.items.push_back(
              Item{item_.item_id,
                   {{"ITEM_TYPE", std::string(ItemTypeName(item_.type))},
                    {"GENRE", item_.genre},
                    {"CREATION_TIMESTAMP", std::to_string(SimUnixSeconds(item_.created_us))}}});
    });
  }

  void Open(PutItemsRequest& request) override {
    request.dataset_arn = context().config.items_dataset_arn;
    request.items.clear();
  }

  void Put(const PutItemsRequest& request,
           Recommender::Callback<Recommender::Empty> done) override {
    context().recommender.PutItems(request, std::move(done));
  }

  CatalogItem item_;  // the record being planned
};

}  // namespace

std::unique_ptr<RecommendationsFunction> MakeItemsUpdate(const FunctionContext& context,
                                                         std::string topic) {
  return std::make_unique<ItemsUpdate>(context, std::move(topic));
}

}  // namespace meshsim
