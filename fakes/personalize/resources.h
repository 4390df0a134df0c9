// The objects of Personalize's control plane and the requests that make them, with botocore's
// member names in snake_case (personalize/2018-05-22: CreateDatasetGroupRequest, DatasetGroup,
// ...). Times are microseconds on the Runtime's clock instead of AWS's Unix-time doubles; tags
// and the members the fake does not model (KMS keys, HPO configs, AutoML results) are left out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshsim::fakes::personalize {

// Status strings exactly as Describe* returns them.
inline constexpr std::string_view kCreatePending = "CREATE PENDING";
inline constexpr std::string_view kCreateInProgress = "CREATE IN_PROGRESS";
inline constexpr std::string_view kActive = "ACTIVE";
inline constexpr std::string_view kCreateFailed = "CREATE FAILED";
inline constexpr std::string_view kDeletePending = "DELETE PENDING";

// What every resource with a status carries.
struct Lifecycle {
  std::string status;
  std::string failure_reason;  // set with CREATE FAILED
  int64_t creation_date_time_us = 0;
  int64_t last_updated_date_time_us = 0;
};

// Every List* call takes these; ListPage carries the answer's next_token (empty: the last page).
struct ListRequest {
  std::string next_token;
  int max_results = 100;   // 1-100
  std::string parent_arn;  // datasetGroupArn, datasetArn or solutionArn to filter by; optional
};

template <typename T>
struct ListPage {
  std::vector<T> items;
  std::string next_token;
};

struct CreateSchemaRequest {
  std::string name;
  std::string schema;  // Avro JSON, at most 10000 characters
  std::string domain;  // optional: ECOMMERCE or VIDEO_ON_DEMAND
};

struct DatasetSchema {  // no status: a schema is usable as soon as CreateSchema returns
  std::string name;
  std::string schema_arn;
  std::string schema;
  std::string domain;
  int64_t creation_date_time_us = 0;
  int64_t last_updated_date_time_us = 0;
};

struct CreateDatasetGroupRequest {
  std::string name;
  std::string role_arn;  // optional
  std::string domain;    // optional
};

struct DatasetGroup : Lifecycle {
  std::string name;
  std::string dataset_group_arn;
  std::string role_arn;
  std::string domain;
};

struct CreateDatasetRequest {
  std::string name;
  std::string schema_arn;
  std::string dataset_group_arn;
  std::string dataset_type;  // Interactions, Items, Users, Actions, Action_Interactions (any case)
};

struct Dataset : Lifecycle {
  std::string name;
  std::string dataset_arn;
  std::string dataset_group_arn;
  std::string dataset_type;  // canonical spelling
  std::string schema_arn;
};

struct CreateDatasetImportJobRequest {
  std::string job_name;
  std::string dataset_arn;
  std::string data_location;         // dataSource.dataLocation: "s3://bucket/key.csv"
  std::string role_arn;              // required by AWS; checked for form only
  std::string import_mode = "FULL";  // FULL replaces the dataset's rows, INCREMENTAL adds to them
};

struct DatasetImportJob : Lifecycle {
  std::string job_name;
  std::string dataset_import_job_arn;
  std::string dataset_arn;
  std::string data_location;
  std::string role_arn;
  std::string import_mode;
};

struct CreateEventTrackerRequest {
  std::string name;
  std::string dataset_group_arn;
};

struct EventTracker : Lifecycle {
  std::string name;
  std::string event_tracker_arn;
  std::string account_id;
  std::string tracking_id;
  std::string dataset_group_arn;
};

struct Recipe {
  std::string name;
  std::string recipe_arn;
  std::string recipe_type;  // USER_PERSONALIZATION, RELATED_ITEMS, PERSONALIZED_RANKING
  std::string description;
  std::string status = "ACTIVE";
};

struct CreateSolutionRequest {
  std::string name;
  std::string dataset_group_arn;
  std::string recipe_arn;
  std::string event_type;  // optional: train only on interactions of this EVENT_TYPE
  bool perform_hpo = false;
  // solutionConfig.algorithmHyperParameters and featureTransformationParameters, checked
  // together against the recipe's (model.h): aws-trending-now's trend_discovery_frequency is
  // one of the latter.
  std::map<std::string, std::string> algorithm_hyper_parameters;
  std::map<std::string, std::string> feature_transformation_parameters;
};

struct SolutionVersionSummary : Lifecycle {
  std::string solution_version_arn;
};

struct Solution : Lifecycle {
  std::string name;
  std::string solution_arn;
  std::string dataset_group_arn;
  std::string recipe_arn;
  std::string event_type;
  bool perform_hpo = false;
  std::map<std::string, std::string> algorithm_hyper_parameters;  // solutionConfig's
  std::map<std::string, std::string> feature_transformation_parameters;
  std::optional<SolutionVersionSummary> latest_solution_version;
};

struct CreateSolutionVersionRequest {
  std::string solution_arn;
  std::string name;                    // optional
  std::string training_mode = "FULL";  // FULL or UPDATE
};

struct SolutionVersion : Lifecycle {
  std::string name;
  std::string solution_version_arn;
  std::string solution_arn;
  std::string recipe_arn;
  std::string event_type;
  std::string dataset_group_arn;
  std::string training_mode;
  double training_hours = 0;
};

struct CreateCampaignRequest {
  std::string name;
  std::string solution_version_arn;
  int min_provisioned_tps = 1;  // >= 1
};

struct UpdateCampaignRequest {
  std::string campaign_arn;
  std::string solution_version_arn;        // empty: keep
  std::optional<int> min_provisioned_tps;  // unset: keep
};

struct CampaignUpdateSummary : Lifecycle {
  std::string solution_version_arn;
  int min_provisioned_tps = 1;
};

struct Campaign : Lifecycle {
  std::string name;
  std::string campaign_arn;
  std::string solution_version_arn;
  int min_provisioned_tps = 1;
  std::optional<CampaignUpdateSummary> latest_campaign_update;
};

struct CreateFilterRequest {
  std::string name;
  std::string dataset_group_arn;
  std::string filter_expression;  // 1-2500 characters; parsed elsewhere
};

struct Filter : Lifecycle {
  std::string name;
  std::string filter_arn;
  std::string dataset_group_arn;
  std::string filter_expression;
};

}  // namespace meshsim::fakes::personalize
