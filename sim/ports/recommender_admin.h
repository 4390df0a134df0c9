// RecommenderAdmin: what the Recommendations domain's deployment does to its recommender beyond
// the event and runtime calls of recommender.h — the steps a team scripts against Personalize's
// control plane (the AWS CLI's `personalize create-dataset-import-job`, `create-solution-version`,
// `create-campaign` / `update-campaign`, polling `describe-*` until ACTIVE).
//
// Abstract so the domain runs unchanged on the in-process Personalize
// (fakes/personalize/deployment.h) and on Amazon Personalize through SigV4-signed HTTPS.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "sim/core/status.h"

namespace meshsim {

// The recipe a deployment trains, with solutionConfig.algorithmHyperParameters.
struct RecommenderSolution {
  std::string recipe = "aws-user-personalization";
  std::map<std::string, std::string> hyperparameters;
  int min_provisioned_tps = 1;
};

// Files in Personalize's CSV layout to import before training, as s3:// URIs; an empty URI
// imports nothing into that dataset (it keeps what it has: earlier imports and, for
// interactions, every PutEvents).
struct RecommenderImports {
  std::string interactions;
  std::string items;
  std::string users;
};

struct Deployment {
  std::string solution_version_arn;
  std::string campaign_arn;
  int64_t rows_imported = 0;
  double training_hours = 0;  // as DescribeSolutionVersion reports it
  int64_t took_us = 0;        // from the call to the campaign serving the version
};

class RecommenderAdmin {
 public:
  virtual ~RecommenderAdmin() = default;

  // The event tracker's id PutEvents names and the campaign's ARN GetRecommendations names.
  // Both are fixed when the admin is made; the campaign serves once a Deploy has finished.
  virtual const std::string& tracking_id() const = 0;
  virtual const std::string& campaign_arn() const = 0;

  // Imports `imports` (FULL), waits for the imports, trains a new solution version of the
  // solution (FULL) on the dataset group's data, and deploys it: the campaign is created the first
  // time and updated after. `done` runs on the Runtime when the campaign serves the new version,
  // or with the first failure (an import or a training that failed, with its failureReason; a
  // Deploy while another is in progress is ResourceInUseException). A failed Deploy leaves the
  // campaign serving what it served.
  virtual void Deploy(const RecommenderImports& imports,
                      std::function<void(Result<Deployment>)> done) = 0;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingRecommenderAdmin : public RecommenderAdmin {
 public:
  explicit ForwardingRecommenderAdmin(RecommenderAdmin& target) : target_(target) {}

  const std::string& tracking_id() const override { return target_.tracking_id(); }
  const std::string& campaign_arn() const override { return target_.campaign_arn(); }
  void Deploy(const RecommenderImports& imports,
              std::function<void(Result<Deployment>)> done) override {
    target_.Deploy(imports, std::move(done));
  }

 protected:
  RecommenderAdmin& target() const { return target_; }

 private:
  RecommenderAdmin& target_;
};

}  // namespace meshsim
