// UsersUpdate: the users topic -> PutUsers into the users data set. A call holds consecutive
// records, at most kMaxRecordsPerPutUsers.
#include "sim/core/sim_epoch.h"
#include "sim/domains/recommender_calls.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"

namespace meshsim {
namespace {

class UsersUpdate final : public RecommenderCalls<PutUsersRequest> {
 public:
  explicit UsersUpdate(const FunctionContext& context) : RecommenderCalls(context, kUsersTopic) {}

 private:
  void Plan(const KafkaBatch& batch, Run& run) override {
    ForEachReadable(batch, [&](size_t i, std::string_view payload) {
      if (!DecodeUser(payload, &user_)) {
        return RejectUnreadable(batch, i, "not a " + topic() + " record");
      }
      JoinLastCall(run, i, kMaxRecordsPerPutUsers)
          .request.users.push_back(
              User{user_.user_id,
                   {{"GENRES", user_.genres},
                    {"CREATION_TIMESTAMP", std::to_string(SimUnixSeconds(user_.created_us))}}});
    });
  }

  void Open(PutUsersRequest& request) override {
    request.dataset_arn = context().config.users_dataset_arn;
    request.users.clear();
  }

  void Put(const PutUsersRequest& request,
           Recommender::Callback<Recommender::Empty> done) override {
    context().recommender.PutUsers(request, std::move(done));
  }

  UserProfile user_;  // the record being planned
};

}  // namespace

std::unique_ptr<RecommendationsFunction> MakeUsersUpdate(const FunctionContext& context) {
  return std::make_unique<UsersUpdate>(context);
}

}  // namespace meshsim
