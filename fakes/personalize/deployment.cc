#include "fakes/personalize/deployment.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fakes/personalize/arn.h"
#include "sim/core/ids.h"

namespace meshsim::fakes {

using namespace personalize;  // NOLINT: the control plane's vocabulary throughout

const char* const kMeshInteractionsSchema = R"({"type":"record","name":"Interactions",
"namespace":"com.amazonaws.personalize.schema","fields":[
{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
{"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"}],"version":"1.0"})";
const char* const kMeshItemsSchema = R"({"type":"record","name":"Items",
"namespace":"com.amazonaws.personalize.schema","fields":[
{"name":"ITEM_ID","type":"string"},{"name":"ITEM_TYPE","type":"string","categorical":true},
{"name":"GENRE","type":"string","categorical":true},
{"name":"CREATION_TIMESTAMP","type":"long"}],"version":"1.0"})";
const char* const kMeshUsersSchema = R"({"type":"record","name":"Users",
"namespace":"com.amazonaws.personalize.schema","fields":[
{"name":"USER_ID","type":"string"},{"name":"GENRES","type":["null","string"],"categorical":true},
{"name":"CREATION_TIMESTAMP","type":["null","long"]}],"version":"1.0"})";

namespace {

class PersonalizeDeployment final : public RecommenderAdmin {
 public:
  PersonalizeDeployment(Runtime& runtime, FakePersonalize& personalize,
                        PersonalizeDeploymentOptions options)
      : runtime_(runtime),
        pz_(personalize.control()),
        options_(std::move(options)),
        campaign_arn_(
            MakeArn(pz_.options().region, pz_.options().account, "campaign", options_.name)) {
    if (options_.role_arn.empty()) {
      options_.role_arn = "arn:aws:iam::" + pz_.options().account + ":role/PersonalizeRole";
    }
  }
  ~PersonalizeDeployment() override { *alive_ = false; }

  Status Provision(ProvisionedDatasets* out) {
    Result<std::string> group = pz_.CreateDatasetGroup({options_.name, "", ""});
    if (!group.ok()) return group.status();
    if (pz_.DescribeDatasetGroup(*group)->status != kActive) return NotAtOnce();
    const struct {
      const char* type;
      const char* schema;
      std::string* arn;
    } datasets[] = {{"Interactions", kMeshInteractionsSchema, &datasets_.interactions},
                    {"Items", kMeshItemsSchema, &datasets_.items},
                    {"Users", kMeshUsersSchema, &datasets_.users}};
    for (const auto& d : datasets) {
      const std::string name = options_.name + "-" + d.type;
      Result<std::string> schema = pz_.CreateSchema({name, d.schema, ""});
      if (!schema.ok()) return schema.status();
      Result<std::string> dataset = pz_.CreateDataset({name, *schema, *group, d.type});
      if (!dataset.ok()) return dataset.status();
      *d.arn = *dataset;
    }
    Result<std::string> tracker = pz_.CreateEventTracker({options_.name, *group});
    if (!tracker.ok()) return tracker.status();
    CreateSolutionRequest solution;
    solution.name = options_.name;
    solution.dataset_group_arn = *group;
    solution.recipe_arn = RecipeArn(options_.solution.recipe);
    solution.algorithm_hyper_parameters = options_.solution.hyperparameters;
    Result<std::string> created = pz_.CreateSolution(solution);
    if (!created.ok()) return created.status();
    solution_arn_ = *created;
    // Everything above must be ACTIVE now: a tracker that is not cannot take the first events.
    Result<EventTracker> t = pz_.DescribeEventTracker(*tracker);
    if (!t.ok() || t->status != kActive || pz_.FindSolution(solution_arn_)->status != kActive) {
      return NotAtOnce();
    }
    tracking_id_ = t->tracking_id;
    if (out != nullptr) *out = datasets_;
    return Status::Ok();
  }

  static Status NotAtOnce() {
    return Status(Code::kInvalidInput,
                  "The mesh's Personalize must provision its dataset group, datasets, tracker "
                  "and solution at once (pending and container times of 0)");
  }

  const std::string& tracking_id() const override { return tracking_id_; }
  const std::string& campaign_arn() const override { return campaign_arn_; }

  void Deploy(const RecommenderImports& imports,
              std::function<void(Result<Deployment>)> done) override {
    if (run_) {
      return done(
          Status(Code::kResourceInUse, "A deployment of " + options_.name + " is in progress"));
    }
    run_ = std::make_shared<Run>();
    run_->done = std::move(done);
    run_->started_us = runtime_.NowMicros();
    for (const auto& [dataset, uri] : {std::pair{&datasets_.interactions, &imports.interactions},
                                       std::pair{&datasets_.items, &imports.items},
                                       std::pair{&datasets_.users, &imports.users}}) {
      if (!uri->empty()) run_->imports.emplace_back(*dataset, *uri);
    }
    NextImport();
  }

 private:
  struct Run {
    std::function<void(Result<Deployment>)> done;
    std::vector<std::pair<std::string, std::string>> imports;  // dataset ARN, s3 URI
    size_t next_import = 0;
    int64_t started_us = 0;
    Deployment outcome;
  };

  void Fail(Status status) {
    auto run = std::move(run_);
    run->done(std::move(status));
  }

  // Polls `status` every poll_us until ACTIVE (then `next`) or CREATE FAILED (then the run fails
  // with the failureReason, naming `what`).
  void WhenActive(std::string what, std::function<std::optional<Lifecycle>()> status,
                  std::function<void()> next) {
    const std::optional<Lifecycle> l = status();
    if (!l) return Fail(Status(Code::kResourceNotFound, what + " was deleted"));
    if (l->status == kActive) return next();
    if (l->status == kCreateFailed) {
      return Fail(Status(Code::kInvalidInput, what + " failed: " + l->failure_reason));
    }
    auto alive = alive_;
    runtime_.ScheduleAfter(options_.poll_us,
                           [this, alive, what = std::move(what), status = std::move(status),
                            next = std::move(next)]() mutable {
                             if (*alive)
                               WhenActive(std::move(what), std::move(status), std::move(next));
                           });
  }

  void NextImport() {
    Run& run = *run_;
    if (run.next_import == run.imports.size()) return Train();
    const auto& [dataset, uri] = run.imports[run.next_import++];
    const std::string job_name = NumberedId(options_.name + "-import-", ++imports_made_);
    CreateDatasetImportJobRequest request;
    request.job_name = job_name;
    request.dataset_arn = dataset;
    request.data_location = uri;
    request.role_arn = options_.role_arn;
    Result<std::string> job = pz_.CreateDatasetImportJob(request);
    if (!job.ok()) return Fail(job.status());
    const std::string dataset_arn = dataset;
    WhenActive(
        "Dataset import job " + *job,
        [this, arn = *job]() -> std::optional<Lifecycle> {
          Result<DatasetImportJob> j = pz_.DescribeDatasetImportJob(arn);
          if (!j.ok()) return std::nullopt;
          return static_cast<Lifecycle>(*j);
        },
        [this, dataset_arn] {
          if (const ImportedRows* rows = pz_.DatasetRows(dataset_arn)) {
            run_->outcome.rows_imported += static_cast<int64_t>(rows->row_count);
          }
          NextImport();
        });
  }

  void Train() {
    Result<std::string> version = pz_.CreateSolutionVersion({solution_arn_, "", "FULL"});
    if (!version.ok()) return Fail(version.status());
    run_->outcome.solution_version_arn = *version;
    WhenActive(
        "Solution version " + *version,
        [this, arn = *version]() -> std::optional<Lifecycle> {
          const SolutionVersion* v = pz_.FindSolutionVersion(arn);
          if (v == nullptr) return std::nullopt;
          return static_cast<Lifecycle>(*v);
        },
        [this, arn = *version] {
          run_->outcome.training_hours = pz_.FindSolutionVersion(arn)->training_hours;
          DeployCampaign();
        });
  }

  void DeployCampaign() {
    const std::string version = run_->outcome.solution_version_arn;
    const Campaign* existing = pz_.FindCampaign(campaign_arn_);
    if (existing == nullptr) {
      Result<std::string> c =
          pz_.CreateCampaign({options_.name, version, options_.solution.min_provisioned_tps});
      if (!c.ok()) return Fail(c.status());
    } else {
      Result<std::string> c = pz_.UpdateCampaign({campaign_arn_, version, std::nullopt});
      if (!c.ok()) return Fail(c.status());
    }
    WhenActive(
        "Campaign " + campaign_arn_,
        [this, version]() -> std::optional<Lifecycle> {
          const Campaign* c = pz_.FindCampaign(campaign_arn_);
          if (c == nullptr) return std::nullopt;
          Lifecycle l = *c;
          // An update is done when the campaign serves the version, not before.
          if (l.status == kActive && c->solution_version_arn != version) {
            l = c->latest_campaign_update ? static_cast<Lifecycle>(*c->latest_campaign_update) : l;
            if (l.status == kActive) l.status = kCreateInProgress;  // about to switch
          }
          return l;
        },
        [this] {
          auto run = std::move(run_);
          run->outcome.campaign_arn = campaign_arn_;
          run->outcome.took_us = runtime_.NowMicros() - run->started_us;
          run->done(run->outcome);
        });
  }

  Runtime& runtime_;
  PersonalizeControlPlane& pz_;
  PersonalizeDeploymentOptions options_;
  std::string campaign_arn_;
  std::string tracking_id_;
  std::string solution_arn_;
  ProvisionedDatasets datasets_;
  uint64_t imports_made_ = 0;
  std::shared_ptr<Run> run_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace

Result<std::unique_ptr<RecommenderAdmin>> MakePersonalizeDeployment(
    Runtime& runtime, FakePersonalize& personalize, PersonalizeDeploymentOptions options,
    ProvisionedDatasets* datasets) {
  auto admin = std::make_unique<PersonalizeDeployment>(runtime, personalize, std::move(options));
  if (Status s = admin->Provision(datasets); !s.ok()) return s;
  return std::unique_ptr<RecommenderAdmin>(std::move(admin));
}

}  // namespace meshsim::fakes
