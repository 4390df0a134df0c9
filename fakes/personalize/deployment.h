// The Recommendations domain's deployment on the in-process Personalize (the RecommenderAdmin
// port): a dataset group with the mesh's Interactions, Items and Users datasets, its event
// tracker and one solution are provisioned when the admin is made; each Deploy then imports,
// trains and deploys as a team's script does — create, then poll Describe* until ACTIVE.
#pragma once

#include <memory>
#include <string>

#include "fakes/personalize/personalize.h"
#include "sim/core/runtime.h"
#include "sim/ports/recommender_admin.h"

namespace meshsim::fakes {

struct PersonalizeDeploymentOptions {
  // The dataset group's, the solution's and the campaign's name. Default "recommendations".
  std::string name = "recommendations";
  RecommenderSolution solution;
  // How often a Deploy polls Describe* while it waits. Default 5 s.
  int64_t poll_us = 5 * kMicrosPerSecond;
  // The role imports name. Default: an IAM role ARN of the control plane's account.
  std::string role_arn;
};

// The mesh's schemas in Personalize's form (Avro; "categorical" on the string metadata):
// Interactions USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE; Items ITEM_ID, ITEM_TYPE, GENRE,
// CREATION_TIMESTAMP; Users USER_ID, GENRES, CREATION_TIMESTAMP.
extern const char* const kMeshInteractionsSchema;
extern const char* const kMeshItemsSchema;
extern const char* const kMeshUsersSchema;

// The dataset ARNs PutItems and PutUsers name, once provisioned.
struct ProvisionedDatasets {
  std::string interactions, items, users;
};

// Provisions the dataset group, its datasets, tracker and solution. REQUIRES: `personalize`
// provisions containers at once (its control plane's pending_us and the dataset group, dataset,
// event tracker and solution times are 0), so the tracker's id is known before traffic starts;
// otherwise InvalidInputException. Errors of the control plane (an invalid hyperparameter, a
// name taken) come back as they are. `personalize` must outlive the admin.
Result<std::unique_ptr<RecommenderAdmin>> MakePersonalizeDeployment(
    Runtime& runtime, FakePersonalize& personalize, PersonalizeDeploymentOptions options,
    ProvisionedDatasets* datasets = nullptr);

}  // namespace meshsim::fakes
