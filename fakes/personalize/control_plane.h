// Amazon Personalize's control plane in memory: schemas, dataset groups, datasets and their CSV
// imports, event trackers, recipes, solutions and their trained versions, campaigns and filters,
// each with AWS's ARN and status lifecycle. Creating a resource answers at once with its ARN; the
// resource then moves CREATE PENDING → CREATE IN_PROGRESS → ACTIVE (or CREATE FAILED with a
// failureReason) on the Runtime's clock, so a scenario sees an import or a training take time,
// and a call that needs an ACTIVE parent fails with ResourceInUseException until it is.
//
// The data plane (PutEvents, GetRecommendations) is not here: it reads what this collects — the
// imported rows (DatasetRows) and each training's input (the Trainer hook) — and will implement
// the trainer. Errors are Personalize's: InvalidInputException, ResourceNotFoundException,
// ResourceAlreadyExistsException, ResourceInUseException, LimitExceededException,
// InvalidNextTokenException. Not thread-safe: call it from the Runtime's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fakes/personalize/resources.h"
#include "fakes/personalize/schema_rules.h"
#include "sim/core/runtime.h"
#include "sim/core/status.h"

namespace meshsim::fakes {

namespace personalize {

// What a solution version trains on: the dataset group's rows when CreateSolutionVersion was
// called, interactions already filtered by the solution's eventType.
struct TrainingInput {
  std::string solution_version_arn;
  std::string solution_arn;
  std::string dataset_group_arn;
  std::string recipe_arn;
  std::string event_type;
  std::string training_mode;  // FULL or UPDATE
  // solutionConfig's algorithmHyperParameters and featureTransformationParameters together.
  std::map<std::string, std::string> algorithm_hyper_parameters;
  size_t interaction_count = 0;  // what the training counted, for its duration
  // Empty when the options name a DataPlane, which keeps the rows itself.
  std::vector<ImportedInteraction> interactions;
  std::vector<Item> items;
  std::vector<User> users;
};

// Called when a training's time is up; an error fails the version with the error's message as its
// failureReason. The data plane implements it to build the model a campaign serves.
using Trainer = std::function<Status(const TrainingInput&)>;

// What the data plane keeps of a dataset group: the control plane hands it each finished import,
// and asks it how much a training would have (imports and PutEvents together), instead of
// collecting the rows for every training.
class DataPlane {
 public:
  virtual ~DataPlane() = default;
  // An import of `dataset` finished: `rows` replace the dataset's rows (`replace`, importMode
  // FULL) or are added to them (INCREMENTAL).
  virtual void Imported(const Dataset& dataset, const ImportedRows& rows, bool replace) = 0;
  struct Counts {
    size_t interactions = 0;    // of `event_type` (any when empty)
    size_t users_with_min = 0;  // users with at least `per_user` of those
  };
  virtual Counts CountInteractions(const std::string& dataset_group_arn,
                                   const std::string& event_type, size_t per_user) const = 0;
  // CreateSolutionVersion was called: the version trains on the group's data as it is now,
  // whatever comes in while it trains (Trainer runs when the training's time is up).
  virtual void TrainingRequested(const std::string& solution_version_arn,
                                 const std::string& dataset_group_arn) = 0;
  // The dataset's data goes with it (for Interactions, the events put through the tracker too);
  // a deleted dataset group takes everything the data plane kept of it.
  virtual void DatasetDeleted(const Dataset& dataset) = 0;
  virtual void DatasetGroupDeleted(const std::string& dataset_group_arn) = 0;
};

// Reads an import's data source ("s3://bucket/key.csv") — the object store's job, later a port.
using ObjectReader = std::function<Result<std::string>(const std::string& s3_uri)>;

}  // namespace personalize

struct PersonalizeControlPlaneOptions {
  // Where the ARNs say the resources live. Default: us-east-1, 000000000000.
  std::string region = "us-east-1";
  std::string account = "000000000000";

  // Time every created resource spends in CREATE PENDING before CREATE IN_PROGRESS. Default 1 s.
  int64_t pending_us = 1 * kMicrosPerSecond;
  // Time in CREATE IN_PROGRESS, per kind. AWS users see seconds for the containers and
  // tens of minutes for imports, trainings and campaigns; a scenario can shorten them all.
  int64_t dataset_group_us = 10 * kMicrosPerSecond;  // Default 10 s
  int64_t dataset_us = 5 * kMicrosPerSecond;         // Default 5 s
  int64_t event_tracker_us = 10 * kMicrosPerSecond;  // Default 10 s
  int64_t solution_us = 5 * kMicrosPerSecond;        // Default 5 s
  int64_t filter_us = 30 * kMicrosPerSecond;         // Default 30 s
  // An import takes import_base_us plus import_per_1000_rows_us for each 1000 rows.
  // Default: 8 min + 0.5 s per 1000 rows.
  int64_t import_base_us = 8 * 60 * kMicrosPerSecond;
  int64_t import_per_1000_rows_us = kMicrosPerSecond / 2;
  // A training takes the larger of training_floor_us and training_per_1000_interactions_us for
  // each 1000 interactions. Default: at least 45 min, 2 s per 1000 interactions.
  int64_t training_floor_us = 45 * 60 * kMicrosPerSecond;
  int64_t training_per_1000_interactions_us = 2 * kMicrosPerSecond;
  // How long a training that lacks the minimum data runs before it fails. Default 5 min.
  int64_t training_check_us = 5 * 60 * kMicrosPerSecond;
  // CreateCampaign and each UpdateCampaign. Default 10 min.
  int64_t campaign_us = 10 * 60 * kMicrosPerSecond;
  // Time a deleted resource stays listed as DELETE PENDING. Default 30 s.
  int64_t delete_us = 30 * kMicrosPerSecond;

  // Personalize's minimums for training (Developer Guide, "Service quotas"): 1000 interactions
  // (after filtering by event type), 25 users with at least 2 interactions each.
  size_t min_interactions = 1000;
  size_t min_users = 25;
  size_t min_interactions_per_user = 2;
  // Filters per dataset group (Service quotas: 10).
  size_t max_filters_per_dataset_group = 10;

  // Called as each training finishes. Default: none; every training with enough data succeeds.
  personalize::Trainer trainer;
  // The data plane that keeps the imported rows and the events; null: the control plane counts
  // its own imported rows and passes them to the trainer. REQUIRES: outlives the control plane.
  personalize::DataPlane* data_plane = nullptr;
};

class PersonalizeControlPlane {
 public:
  // `reader` fetches import files; it may be empty when no import is made. REQUIRES: `runtime`
  // outlives this object (timers it leaves behind do nothing once it is gone).
  PersonalizeControlPlane(Runtime& runtime, personalize::ObjectReader reader,
                          PersonalizeControlPlaneOptions options = {});
  ~PersonalizeControlPlane();
  PersonalizeControlPlane(const PersonalizeControlPlane&) = delete;
  PersonalizeControlPlane& operator=(const PersonalizeControlPlane&) = delete;

  // Each call returns the created resource's ARN, its Describe* answer, or a page of its List*.
  Result<std::string> CreateSchema(const personalize::CreateSchemaRequest& request);
  Result<personalize::DatasetSchema> DescribeSchema(const std::string& schema_arn) const;
  Result<personalize::ListPage<personalize::DatasetSchema>> ListSchemas(
      const personalize::ListRequest& request) const;
  Status DeleteSchema(const std::string& schema_arn);

  Result<std::string> CreateDatasetGroup(const personalize::CreateDatasetGroupRequest& request);
  Result<personalize::DatasetGroup> DescribeDatasetGroup(const std::string& arn) const;
  Result<personalize::ListPage<personalize::DatasetGroup>> ListDatasetGroups(
      const personalize::ListRequest& request) const;
  Status DeleteDatasetGroup(const std::string& arn);

  Result<std::string> CreateDataset(const personalize::CreateDatasetRequest& request);
  Result<personalize::Dataset> DescribeDataset(const std::string& arn) const;
  Result<personalize::ListPage<personalize::Dataset>> ListDatasets(
      const personalize::ListRequest& request) const;  // parent: datasetGroupArn
  Status DeleteDataset(const std::string& arn);

  Result<std::string> CreateDatasetImportJob(
      const personalize::CreateDatasetImportJobRequest& request);
  Result<personalize::DatasetImportJob> DescribeDatasetImportJob(const std::string& arn) const;
  Result<personalize::ListPage<personalize::DatasetImportJob>> ListDatasetImportJobs(
      const personalize::ListRequest& request) const;  // parent: datasetArn

  // Returns the tracker's ARN; its trackingId is in DescribeEventTracker.
  Result<std::string> CreateEventTracker(const personalize::CreateEventTrackerRequest& request);
  Result<personalize::EventTracker> DescribeEventTracker(const std::string& arn) const;
  Result<personalize::ListPage<personalize::EventTracker>> ListEventTrackers(
      const personalize::ListRequest& request) const;  // parent: datasetGroupArn
  Status DeleteEventTracker(const std::string& arn);

  Result<personalize::ListPage<personalize::Recipe>> ListRecipes(
      const personalize::ListRequest& request) const;
  Result<personalize::Recipe> DescribeRecipe(const std::string& recipe_arn) const;

  Result<std::string> CreateSolution(const personalize::CreateSolutionRequest& request);
  Result<personalize::Solution> DescribeSolution(const std::string& arn) const;
  Result<personalize::ListPage<personalize::Solution>> ListSolutions(
      const personalize::ListRequest& request) const;  // parent: datasetGroupArn
  Status DeleteSolution(const std::string& arn);

  Result<std::string> CreateSolutionVersion(
      const personalize::CreateSolutionVersionRequest& request);
  Result<personalize::SolutionVersion> DescribeSolutionVersion(const std::string& arn) const;
  Result<personalize::ListPage<personalize::SolutionVersion>> ListSolutionVersions(
      const personalize::ListRequest& request) const;  // parent: solutionArn

  Result<std::string> CreateCampaign(const personalize::CreateCampaignRequest& request);
  Result<personalize::Campaign> DescribeCampaign(const std::string& arn) const;
  Result<personalize::ListPage<personalize::Campaign>> ListCampaigns(
      const personalize::ListRequest& request) const;  // parent: solutionArn
  Result<std::string> UpdateCampaign(const personalize::UpdateCampaignRequest& request);
  Status DeleteCampaign(const std::string& arn);

  Result<std::string> CreateFilter(const personalize::CreateFilterRequest& request);
  Result<personalize::Filter> DescribeFilter(const std::string& arn) const;
  Result<personalize::ListPage<personalize::Filter>> ListFilters(
      const personalize::ListRequest& request) const;  // parent: datasetGroupArn
  Status DeleteFilter(const std::string& arn);

  // The rows the dataset's ACTIVE imports left, for the data plane; null for an unknown dataset.
  const personalize::ImportedRows* DatasetRows(const std::string& dataset_arn) const;

  const PersonalizeControlPlaneOptions& options() const { return options_; }

  // Counts every change of any resource's status, creation and deletion included, so the data
  // plane can cache what it looked up (a campaign's model, a filter) until the next change.
  uint64_t generation() const { return generation_; }

  // Without the copies and the checks of Describe*: for the data plane's per-call lookups. Null
  // for an unknown ARN.
  const personalize::Campaign* FindCampaign(const std::string& arn) const;
  const personalize::SolutionVersion* FindSolutionVersion(const std::string& arn) const;
  const personalize::Solution* FindSolution(const std::string& arn) const;
  const personalize::Filter* FindFilter(const std::string& arn) const;
  const personalize::Dataset* FindDataset(const std::string& arn) const;
  // The event tracker with `tracking_id`, null when none.
  const personalize::EventTracker* FindTracker(const std::string& tracking_id) const;

 private:
  // One resource's walk through its lifecycle: after pending_us `begin` runs and says how long
  // the work takes (an error fails the resource at once); when that time is up `finish` says
  // whether it succeeded. `find` looks the resource up again each time: it may have been deleted.
  struct Stage {
    std::function<personalize::Lifecycle*()> find;
    std::function<Result<int64_t>()> begin;
    std::function<Status()> finish;
  };
  void Run(Stage stage);
  // Marks `lifecycle` DELETE PENDING and calls `erase` after delete_us.
  void DeleteLater(personalize::Lifecycle& lifecycle, std::function<void()> erase);
  void Touch(personalize::Lifecycle& lifecycle, std::string_view status);
  personalize::Lifecycle NewLifecycle() const;
  std::string Arn(std::string_view kind, std::string_view path) const;
  // ResourceInUseException unless `lifecycle` is ACTIVE.
  static Status RequireActive(const personalize::Lifecycle& lifecycle, std::string_view what,
                              const std::string& arn);
  // failureReason for a training below the minimums; empty when there is enough.
  std::string Shortfall(const personalize::DataPlane::Counts& counts,
                        const std::string& event_type) const;
  Result<personalize::TrainingInput> CollectTrainingInput(const personalize::Solution& solution,
                                                          std::string* shortfall) const;

  Runtime& runtime_;
  personalize::ObjectReader reader_;
  PersonalizeControlPlaneOptions options_;
  std::shared_ptr<bool> alive_;  // false once destroyed, for timers still queued
  uint64_t next_id_ = 1;         // ids from a counter: deterministic without touching rng()
  uint64_t generation_ = 0;

  std::map<std::string, personalize::DatasetSchema> schemas_;
  std::map<std::string, std::vector<personalize::FieldSpec>> schema_fields_;
  std::map<std::string, personalize::DatasetGroup> dataset_groups_;
  std::map<std::string, personalize::Dataset> datasets_;
  std::map<std::string, personalize::ImportedRows> dataset_rows_;
  std::map<std::string, personalize::DatasetImportJob> import_jobs_;
  std::map<std::string, personalize::EventTracker> event_trackers_;
  std::map<std::string, personalize::Solution> solutions_;
  std::map<std::string, personalize::SolutionVersion> solution_versions_;
  std::map<std::string, personalize::Campaign> campaigns_;
  std::map<std::string, personalize::Filter> filters_;
};

}  // namespace meshsim::fakes
