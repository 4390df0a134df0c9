#include "fakes/personalize/control_plane.h"

#include <cstdio>
#include <regex>
#include <utility>

#include "fakes/personalize/arn.h"
#include "fakes/personalize/control_plane_util.h"
#include "fakes/personalize/filter_expression.h"

namespace meshsim::fakes {

using namespace personalize;  // NOLINT: the module's own names

namespace {

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

Status ValidateDomain(const std::string& domain) {
  if (domain.empty() || domain == "ECOMMERCE" || domain == "VIDEO_ON_DEMAND") return Status::Ok();
  return Invalid("domain must be ECOMMERCE or VIDEO_ON_DEMAND");
}

Status ValidateRoleArn(const std::string& role_arn, bool required) {
  if (role_arn.empty()) return required ? Invalid("roleArn is required") : Status::Ok();
  static const std::regex kPattern(R"(^arn:([a-z\d-]+):iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+)");
  if (role_arn.size() > 256 || !std::regex_search(role_arn, kPattern)) {
    return Invalid("roleArn must match the pattern arn:([a-z\\d-]+):iam::\\d{12}:role/?...");
  }
  return Status::Ok();
}

bool Pending(const Lifecycle& l) {
  return l.status == kCreatePending || l.status == kCreateInProgress;
}

}  // namespace

PersonalizeControlPlane::PersonalizeControlPlane(Runtime& runtime, ObjectReader reader,
                                                 PersonalizeControlPlaneOptions options)
    : runtime_(runtime),
      reader_(std::move(reader)),
      options_(std::move(options)),
      alive_(std::make_shared<bool>(true)) {}

PersonalizeControlPlane::~PersonalizeControlPlane() { *alive_ = false; }

std::string PersonalizeControlPlane::Arn(std::string_view kind, std::string_view path) const {
  return MakeArn(options_.region, options_.account, kind, path);
}

Lifecycle PersonalizeControlPlane::NewLifecycle() const {
  Lifecycle l;
  l.status = kCreatePending;
  l.creation_date_time_us = runtime_.NowMicros();
  l.last_updated_date_time_us = l.creation_date_time_us;
  return l;
}

void PersonalizeControlPlane::Touch(Lifecycle& lifecycle, std::string_view status) {
  ++generation_;
  lifecycle.status = status;
  lifecycle.last_updated_date_time_us = runtime_.NowMicros();
}

Status PersonalizeControlPlane::RequireActive(const Lifecycle& lifecycle, std::string_view what,
                                              const std::string& arn) {
  if (lifecycle.status == kActive) return Status::Ok();
  std::string message(what);
  message += ' ';
  message += arn;
  message += " is not in ACTIVE state (status: ";
  message += lifecycle.status;
  message += ')';
  return InUse(std::move(message));
}

void PersonalizeControlPlane::Run(Stage stage) {
  // Each step waits for its time on the Runtime; a step of no time is taken at once, so with
  // pending_us and a kind's time at 0 the resource is ACTIVE when its Create* returns.
  auto alive = alive_;
  auto shared = std::make_shared<Stage>(std::move(stage));
  const auto after = [this, alive](int64_t delay_us, std::function<void()> step) {
    if (delay_us <= 0) return step();
    runtime_.ScheduleAfter(delay_us, [alive, step = std::move(step)] {
      if (*alive) step();
    });
  };
  after(options_.pending_us, [this, shared, after] {
    Lifecycle* l = shared->find();
    if (l == nullptr || l->status != kCreatePending) return;
    Result<int64_t> work = shared->begin ? shared->begin() : Result<int64_t>(int64_t{0});
    if (!work.ok()) {
      l->failure_reason = work.status().message();
      Touch(*l, kCreateFailed);
      return;
    }
    Touch(*l, kCreateInProgress);
    after(*work, [this, shared] {
      Lifecycle* done = shared->find();
      if (done == nullptr || done->status != kCreateInProgress) return;
      const Status s = shared->finish ? shared->finish() : Status::Ok();
      if (!s.ok()) done->failure_reason = s.message();
      Touch(*done, s.ok() ? kActive : kCreateFailed);
    });
  });
}

void PersonalizeControlPlane::DeleteLater(Lifecycle& lifecycle, std::function<void()> erase) {
  Touch(lifecycle, kDeletePending);
  auto alive = alive_;
  runtime_.ScheduleAfter(options_.delete_us, [this, alive, erase = std::move(erase)] {
    if (!*alive) return;
    erase();
    ++generation_;
  });
}

// --- Schemas -------------------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateSchema(const CreateSchemaRequest& request) {
  if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  if (Status s = ValidateDomain(request.domain); !s.ok()) return s;
  Result<std::vector<FieldSpec>> fields = ParsePersonalizeSchema(request.schema);
  if (!fields.ok()) return fields.status();
  const std::string arn = Arn("schema", request.name);
  if (schemas_.count(arn) != 0) return AlreadyExists("Schema", arn);
  DatasetSchema schema;
  schema.name = request.name;
  schema.schema_arn = arn;
  schema.schema = request.schema;
  schema.domain = request.domain;
  schema.creation_date_time_us = runtime_.NowMicros();
  schema.last_updated_date_time_us = schema.creation_date_time_us;
  schemas_[arn] = std::move(schema);
  schema_fields_[arn] = std::move(fields).value();
  return arn;
}

Result<DatasetSchema> PersonalizeControlPlane::DescribeSchema(const std::string& arn) const {
  if (Status s = ValidateArn("schemaArn", arn); !s.ok()) return s;
  const auto it = schemas_.find(arn);
  if (it == schemas_.end()) return NotFound("Schema", arn);
  return it->second;
}

Result<ListPage<DatasetSchema>> PersonalizeControlPlane::ListSchemas(
    const ListRequest& request) const {
  return Paginate(schemas_, request, [](const DatasetSchema&) { return true; });
}

Status PersonalizeControlPlane::DeleteSchema(const std::string& arn) {
  if (Status s = ValidateArn("schemaArn", arn); !s.ok()) return s;
  if (schemas_.count(arn) == 0) return NotFound("Schema", arn);
  for (const auto& [dataset_arn, d] : datasets_) {
    if (d.schema_arn == arn) return InUse("Schema " + arn + " is used by dataset " + dataset_arn);
  }
  schemas_.erase(arn);
  schema_fields_.erase(arn);
  return Status::Ok();
}

// --- Dataset groups ------------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateDatasetGroup(
    const CreateDatasetGroupRequest& request) {
  if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  if (Status s = ValidateDomain(request.domain); !s.ok()) return s;
  if (Status s = ValidateRoleArn(request.role_arn, false); !s.ok()) return s;
  const std::string arn = Arn("dataset-group", request.name);
  if (dataset_groups_.count(arn) != 0) return AlreadyExists("Dataset group", arn);
  DatasetGroup group;
  static_cast<Lifecycle&>(group) = NewLifecycle();
  group.name = request.name;
  group.dataset_group_arn = arn;
  group.role_arn = request.role_arn;
  group.domain = request.domain;
  dataset_groups_[arn] = std::move(group);
  Run({[this, arn]() -> Lifecycle* {
         const auto it = dataset_groups_.find(arn);
         return it == dataset_groups_.end() ? nullptr : &it->second;
       },
       [this]() -> Result<int64_t> { return options_.dataset_group_us; }, nullptr});
  return arn;
}

Result<DatasetGroup> PersonalizeControlPlane::DescribeDatasetGroup(const std::string& arn) const {
  if (Status s = ValidateArn("datasetGroupArn", arn); !s.ok()) return s;
  const auto it = dataset_groups_.find(arn);
  if (it == dataset_groups_.end()) return NotFound("Dataset group", arn);
  return it->second;
}

Result<ListPage<DatasetGroup>> PersonalizeControlPlane::ListDatasetGroups(
    const ListRequest& request) const {
  return Paginate(dataset_groups_, request, [](const DatasetGroup&) { return true; });
}

Status PersonalizeControlPlane::DeleteDatasetGroup(const std::string& arn) {
  if (Status s = ValidateArn("datasetGroupArn", arn); !s.ok()) return s;
  const auto it = dataset_groups_.find(arn);
  if (it == dataset_groups_.end()) return NotFound("Dataset group", arn);
  if (Pending(it->second)) return RequireActive(it->second, "Dataset group", arn);
  // DeleteDatasetGroup: "Before you delete a dataset group, you must delete ... event trackers,
  // ... solutions, ... datasets".
  for (const auto& [a, d] : datasets_) {
    if (d.dataset_group_arn == arn) return InUse("Dataset group " + arn + " has dataset " + a);
  }
  for (const auto& [a, t] : event_trackers_) {
    if (t.dataset_group_arn == arn) {
      return InUse("Dataset group " + arn + " has event tracker " + a);
    }
  }
  for (const auto& [a, s] : solutions_) {
    if (s.dataset_group_arn == arn) return InUse("Dataset group " + arn + " has solution " + a);
  }
  DeleteLater(it->second, [this, arn] {
    if (options_.data_plane != nullptr) options_.data_plane->DatasetGroupDeleted(arn);
    dataset_groups_.erase(arn);
    std::erase_if(filters_, [&](const auto& kv) { return kv.second.dataset_group_arn == arn; });
  });
  return Status::Ok();
}

// --- Datasets --------------------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateDataset(const CreateDatasetRequest& request) {
  if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  if (Status s = ValidateArn("schemaArn", request.schema_arn); !s.ok()) return s;
  if (Status s = ValidateArn("datasetGroupArn", request.dataset_group_arn); !s.ok()) return s;
  if (request.dataset_type.empty()) return Invalid("datasetType is required");
  Result<std::string> type = CanonicalDatasetType(request.dataset_type);
  if (!type.ok()) return type.status();
  const auto group = dataset_groups_.find(request.dataset_group_arn);
  if (group == dataset_groups_.end()) return NotFound("Dataset group", request.dataset_group_arn);
  const auto schema = schemas_.find(request.schema_arn);
  if (schema == schemas_.end()) return NotFound("Schema", request.schema_arn);
  if (Status s = RequireActive(group->second, "Dataset group", request.dataset_group_arn);
      !s.ok()) {
    return s;
  }
  if (Status s = CheckSchemaForDatasetType(schema_fields_.at(request.schema_arn), *type); !s.ok()) {
    return s;
  }
  std::string upper = *type;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // One dataset of each type per group: AWS's dataset ARN is dataset/GROUP/TYPE.
  const std::string arn = Arn("dataset", group->second.name + "/" + upper);
  if (datasets_.count(arn) != 0) return AlreadyExists("Dataset", arn);
  for (const auto& [a, d] : datasets_) {
    if (d.dataset_group_arn == request.dataset_group_arn && d.name == request.name) {
      return AlreadyExists("Dataset", a);
    }
  }
  Dataset dataset;
  static_cast<Lifecycle&>(dataset) = NewLifecycle();
  dataset.name = request.name;
  dataset.dataset_arn = arn;
  dataset.dataset_group_arn = request.dataset_group_arn;
  dataset.dataset_type = *type;
  dataset.schema_arn = request.schema_arn;
  datasets_[arn] = std::move(dataset);
  dataset_rows_[arn] = ImportedRows{};
  Run({[this, arn]() -> Lifecycle* {
         const auto it = datasets_.find(arn);
         return it == datasets_.end() ? nullptr : &it->second;
       },
       [this]() -> Result<int64_t> { return options_.dataset_us; }, nullptr});
  return arn;
}

Result<Dataset> PersonalizeControlPlane::DescribeDataset(const std::string& arn) const {
  if (Status s = ValidateArn("datasetArn", arn); !s.ok()) return s;
  const auto it = datasets_.find(arn);
  if (it == datasets_.end()) return NotFound("Dataset", arn);
  return it->second;
}

Result<ListPage<Dataset>> PersonalizeControlPlane::ListDatasets(const ListRequest& request) const {
  return Paginate(datasets_, request, [&](const Dataset& d) {
    return request.parent_arn.empty() || d.dataset_group_arn == request.parent_arn;
  });
}

Status PersonalizeControlPlane::DeleteDataset(const std::string& arn) {
  if (Status s = ValidateArn("datasetArn", arn); !s.ok()) return s;
  const auto it = datasets_.find(arn);
  if (it == datasets_.end()) return NotFound("Dataset", arn);
  if (Pending(it->second)) return RequireActive(it->second, "Dataset", arn);
  for (const auto& [a, job] : import_jobs_) {
    if (job.dataset_arn == arn && Pending(job)) {
      return InUse("Dataset " + arn + " has import job " + a + " in progress");
    }
  }
  DeleteLater(it->second, [this, arn] {
    if (options_.data_plane != nullptr) options_.data_plane->DatasetDeleted(datasets_.at(arn));
    datasets_.erase(arn);
    dataset_rows_.erase(arn);
  });
  return Status::Ok();
}

namespace {
template <typename Map>
const typename Map::mapped_type* FindIn(const Map& map, const std::string& key) {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}
}  // namespace

const Campaign* PersonalizeControlPlane::FindCampaign(const std::string& arn) const {
  return FindIn(campaigns_, arn);
}
const SolutionVersion* PersonalizeControlPlane::FindSolutionVersion(const std::string& arn) const {
  return FindIn(solution_versions_, arn);
}
const Solution* PersonalizeControlPlane::FindSolution(const std::string& arn) const {
  return FindIn(solutions_, arn);
}
const Filter* PersonalizeControlPlane::FindFilter(const std::string& arn) const {
  return FindIn(filters_, arn);
}
const Dataset* PersonalizeControlPlane::FindDataset(const std::string& arn) const {
  return FindIn(datasets_, arn);
}
const EventTracker* PersonalizeControlPlane::FindTracker(const std::string& tracking_id) const {
  for (const auto& [arn, tracker] : event_trackers_) {
    if (tracker.tracking_id == tracking_id) return &tracker;
  }
  return nullptr;
}

const ImportedRows* PersonalizeControlPlane::DatasetRows(const std::string& dataset_arn) const {
  const auto it = dataset_rows_.find(dataset_arn);
  return it == dataset_rows_.end() ? nullptr : &it->second;
}

// --- Dataset import jobs --------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateDatasetImportJob(
    const CreateDatasetImportJobRequest& request) {
  if (Status s = ValidateName("jobName", request.job_name); !s.ok()) return s;
  if (Status s = ValidateArn("datasetArn", request.dataset_arn); !s.ok()) return s;
  if (request.data_location.rfind("s3://", 0) != 0 || request.data_location.size() > 256) {
    return Invalid("dataSource.dataLocation must be an S3 path (s3://bucket/key)");
  }
  if (Status s = ValidateRoleArn(request.role_arn, true); !s.ok()) return s;
  if (request.import_mode != "FULL" && request.import_mode != "INCREMENTAL") {
    return Invalid("importMode must be FULL or INCREMENTAL");
  }
  const auto dataset = datasets_.find(request.dataset_arn);
  if (dataset == datasets_.end()) return NotFound("Dataset", request.dataset_arn);
  if (Status s = RequireActive(dataset->second, "Dataset", request.dataset_arn); !s.ok()) return s;
  const std::string arn = Arn("dataset-import-job", request.job_name);
  if (import_jobs_.count(arn) != 0) return AlreadyExists("Dataset import job", arn);
  DatasetImportJob job;
  static_cast<Lifecycle&>(job) = NewLifecycle();
  job.job_name = request.job_name;
  job.dataset_import_job_arn = arn;
  job.dataset_arn = request.dataset_arn;
  job.data_location = request.data_location;
  job.role_arn = request.role_arn;
  job.import_mode = request.import_mode;
  import_jobs_[arn] = std::move(job);
  // The file is read when the job starts and its rows land when it ends.
  auto parsed = std::make_shared<ImportedRows>();
  Run({[this, arn]() -> Lifecycle* {
         const auto it = import_jobs_.find(arn);
         return it == import_jobs_.end() ? nullptr : &it->second;
       },
       [this, arn, parsed]() -> Result<int64_t> {
         const DatasetImportJob& j = import_jobs_.at(arn);
         const auto d = datasets_.find(j.dataset_arn);
         if (d == datasets_.end()) return Invalid("The dataset was deleted");
         if (!reader_) return Invalid("Cannot read " + j.data_location);
         Result<std::string> text = reader_(j.data_location);
         if (!text.ok())
           return Invalid("Cannot read " + j.data_location + ": " + text.status().message());
         Result<ImportedRows> rows =
             ParseImportCsv(*text, j.data_location, schema_fields_.at(d->second.schema_arn),
                            d->second.dataset_type);
         if (!rows.ok()) return rows.status();
         *parsed = std::move(rows).value();
         return options_.import_base_us +
                static_cast<int64_t>(parsed->row_count) * options_.import_per_1000_rows_us / 1000;
       },
       [this, arn, parsed]() -> Status {
         const DatasetImportJob& j = import_jobs_.at(arn);
         const auto rows = dataset_rows_.find(j.dataset_arn);
         if (rows == dataset_rows_.end()) return Invalid("The dataset was deleted");
         if (options_.data_plane != nullptr) {
           options_.data_plane->Imported(datasets_.at(j.dataset_arn), *parsed,
                                         j.import_mode == "FULL");
         }
         if (j.import_mode == "FULL") {
           rows->second = std::move(*parsed);
         } else {
           auto& into = rows->second;
           into.row_count += parsed->row_count;
           for (auto& e : parsed->interactions) into.interactions.push_back(std::move(e));
           for (auto& i : parsed->items) into.items.push_back(std::move(i));
           for (auto& u : parsed->users) into.users.push_back(std::move(u));
         }
         return Status::Ok();
       }});
  return arn;
}

Result<DatasetImportJob> PersonalizeControlPlane::DescribeDatasetImportJob(
    const std::string& arn) const {
  if (Status s = ValidateArn("datasetImportJobArn", arn); !s.ok()) return s;
  const auto it = import_jobs_.find(arn);
  if (it == import_jobs_.end()) return NotFound("Dataset import job", arn);
  return it->second;
}

Result<ListPage<DatasetImportJob>> PersonalizeControlPlane::ListDatasetImportJobs(
    const ListRequest& request) const {
  return Paginate(import_jobs_, request, [&](const DatasetImportJob& j) {
    return request.parent_arn.empty() || j.dataset_arn == request.parent_arn;
  });
}

// --- Event trackers -------------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateEventTracker(
    const CreateEventTrackerRequest& request) {
  if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  if (Status s = ValidateArn("datasetGroupArn", request.dataset_group_arn); !s.ok()) return s;
  const auto group = dataset_groups_.find(request.dataset_group_arn);
  if (group == dataset_groups_.end()) return NotFound("Dataset group", request.dataset_group_arn);
  if (Status s = RequireActive(group->second, "Dataset group", request.dataset_group_arn);
      !s.ok()) {
    return s;
  }
  for (const auto& [a, t] : event_trackers_) {
    if (t.dataset_group_arn == request.dataset_group_arn) {
      // CreateEventTracker: "Only one event tracker can be associated with a dataset group."
      return Status(Code::kLimitExceeded, "Dataset group " + request.dataset_group_arn +
                                              " already has an event tracker: " + a);
    }
  }
  const uint64_t id = next_id_++;
  char hex[16];
  std::snprintf(hex, sizeof hex, "%08llx", static_cast<unsigned long long>(id));
  char tracking[40];
  std::snprintf(tracking, sizeof tracking, "%08llx-0000-4000-8000-000000000000",
                static_cast<unsigned long long>(id));
  const std::string arn = Arn("event-tracker", hex);
  EventTracker tracker;
  static_cast<Lifecycle&>(tracker) = NewLifecycle();
  tracker.name = request.name;
  tracker.event_tracker_arn = arn;
  tracker.account_id = options_.account;
  tracker.tracking_id = tracking;
  tracker.dataset_group_arn = request.dataset_group_arn;
  event_trackers_[arn] = std::move(tracker);
  Run({[this, arn]() -> Lifecycle* {
         const auto it = event_trackers_.find(arn);
         return it == event_trackers_.end() ? nullptr : &it->second;
       },
       [this]() -> Result<int64_t> { return options_.event_tracker_us; }, nullptr});
  return arn;
}

Result<EventTracker> PersonalizeControlPlane::DescribeEventTracker(const std::string& arn) const {
  if (Status s = ValidateArn("eventTrackerArn", arn); !s.ok()) return s;
  const auto it = event_trackers_.find(arn);
  if (it == event_trackers_.end()) return NotFound("Event tracker", arn);
  return it->second;
}

Result<ListPage<EventTracker>> PersonalizeControlPlane::ListEventTrackers(
    const ListRequest& request) const {
  return Paginate(event_trackers_, request, [&](const EventTracker& t) {
    return request.parent_arn.empty() || t.dataset_group_arn == request.parent_arn;
  });
}

Status PersonalizeControlPlane::DeleteEventTracker(const std::string& arn) {
  if (Status s = ValidateArn("eventTrackerArn", arn); !s.ok()) return s;
  const auto it = event_trackers_.find(arn);
  if (it == event_trackers_.end()) return NotFound("Event tracker", arn);
  if (Pending(it->second)) return RequireActive(it->second, "Event tracker", arn);
  DeleteLater(it->second, [this, arn] { event_trackers_.erase(arn); });
  return Status::Ok();
}

// --- Filters --------------------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateFilter(const CreateFilterRequest& request) {
  if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  if (Status s = ValidateArn("datasetGroupArn", request.dataset_group_arn); !s.ok()) return s;
  if (request.filter_expression.empty() || request.filter_expression.size() > 2500) {
    return Invalid("filterExpression must be between 1 and 2500 characters");
  }
  // Personalize refuses an expression that does not parse when the filter is created, with the
  // position of the error.
  if (auto parsed = ParseFilterExpression(request.filter_expression); !parsed.ok()) {
    return parsed.status();
  }
  const auto group = dataset_groups_.find(request.dataset_group_arn);
  if (group == dataset_groups_.end()) return NotFound("Dataset group", request.dataset_group_arn);
  if (Status s = RequireActive(group->second, "Dataset group", request.dataset_group_arn);
      !s.ok()) {
    return s;
  }
  const std::string arn = Arn("filter", request.name);
  if (filters_.count(arn) != 0) return AlreadyExists("Filter", arn);
  size_t in_group = 0;
  for (const auto& [a, f] : filters_) in_group += f.dataset_group_arn == request.dataset_group_arn;
  if (in_group >= options_.max_filters_per_dataset_group) {
    return Status(Code::kLimitExceeded, "Dataset group " + request.dataset_group_arn +
                                            " has the maximum number of filters");
  }
  Filter filter;
  static_cast<Lifecycle&>(filter) = NewLifecycle();
  filter.name = request.name;
  filter.filter_arn = arn;
  filter.dataset_group_arn = request.dataset_group_arn;
  filter.filter_expression = request.filter_expression;
  filters_[arn] = std::move(filter);
  Run({[this, arn]() -> Lifecycle* {
         const auto it = filters_.find(arn);
         return it == filters_.end() ? nullptr : &it->second;
       },
       [this]() -> Result<int64_t> { return options_.filter_us; }, nullptr});
  return arn;
}

Result<Filter> PersonalizeControlPlane::DescribeFilter(const std::string& arn) const {
  if (Status s = ValidateArn("filterArn", arn); !s.ok()) return s;
  const auto it = filters_.find(arn);
  if (it == filters_.end()) return NotFound("Filter", arn);
  return it->second;
}

Result<ListPage<Filter>> PersonalizeControlPlane::ListFilters(const ListRequest& request) const {
  return Paginate(filters_, request, [&](const Filter& f) {
    return request.parent_arn.empty() || f.dataset_group_arn == request.parent_arn;
  });
}

Status PersonalizeControlPlane::DeleteFilter(const std::string& arn) {
  if (Status s = ValidateArn("filterArn", arn); !s.ok()) return s;
  const auto it = filters_.find(arn);
  if (it == filters_.end()) return NotFound("Filter", arn);
  DeleteLater(it->second, [this, arn] { filters_.erase(arn); });
  return Status::Ok();
}

}  // namespace meshsim::fakes
