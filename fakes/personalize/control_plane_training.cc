// The training half of the control plane: recipes, solutions, solution versions, campaigns.
#include <algorithm>
#include <cstdio>
#include <map>

#include "fakes/personalize/arn.h"
#include "fakes/personalize/control_plane.h"
#include "fakes/personalize/control_plane_util.h"
#include "fakes/personalize/model.h"

namespace meshsim::fakes {

using namespace personalize;  // NOLINT: the module's own names

namespace {

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

// The recipes the mesh trains with (Developer Guide, "Choosing a recipe"): those model.h
// implements. The Transformer-based v2 recipes are not among them.
const std::map<std::string, Recipe>& Recipes() {
  static const std::map<std::string, Recipe> kRecipes = [] {
    std::map<std::string, Recipe> out;
    for (const RecipeInfo& info : ImplementedRecipes()) {
      Recipe r;
      r.name = info.name;
      r.recipe_arn = RecipeArn(info.name);
      switch (info.type) {
        case RecipeType::kUserPersonalization:
          r.recipe_type = "USER_PERSONALIZATION";
          break;
        case RecipeType::kRelatedItems:
          r.recipe_type = "RELATED_ITEMS";
          break;
        case RecipeType::kPersonalizedRanking:
          r.recipe_type = "PERSONALIZED_RANKING";
          break;
      }
      out[r.recipe_arn] = r;
    }
    return out;
  }();
  return kRecipes;
}

// The one map a recipe reads (model.h): both of solutionConfig's. A name in both is refused by
// ValidateHyperparameters only if its value is; the algorithm's wins.
Hyperparameters RecipeParameters(const std::map<std::string, std::string>& algorithm,
                                 const std::map<std::string, std::string>& features) {
  Hyperparameters all = features;
  for (const auto& [k, v] : algorithm) all[k] = v;
  return all;
}

bool Pending(const Lifecycle& l) {
  return l.status == kCreatePending || l.status == kCreateInProgress;
}

}  // namespace

Result<ListPage<Recipe>> PersonalizeControlPlane::ListRecipes(const ListRequest& request) const {
  return Paginate(Recipes(), request, [](const Recipe&) { return true; });
}

Result<Recipe> PersonalizeControlPlane::DescribeRecipe(const std::string& recipe_arn) const {
  if (Status s = ValidateArn("recipeArn", recipe_arn); !s.ok()) return s;
  const auto it = Recipes().find(recipe_arn);
  if (it == Recipes().end()) return NotFound("Recipe", recipe_arn);
  return it->second;
}

// --- Solutions ------------------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateSolution(const CreateSolutionRequest& request) {
  if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  if (Status s = ValidateArn("datasetGroupArn", request.dataset_group_arn); !s.ok()) return s;
  if (Status s = ValidateArn("recipeArn", request.recipe_arn); !s.ok()) return s;
  if (request.event_type.size() > 256) return Invalid("eventType must be at most 256 characters");
  const auto group = dataset_groups_.find(request.dataset_group_arn);
  if (group == dataset_groups_.end()) return NotFound("Dataset group", request.dataset_group_arn);
  if (Recipes().count(request.recipe_arn) == 0) return NotFound("Recipe", request.recipe_arn);
  if (Status s =
          ValidateHyperparameters(Recipes().at(request.recipe_arn).name,
                                  RecipeParameters(request.algorithm_hyper_parameters,
                                                   request.feature_transformation_parameters));
      !s.ok()) {
    return s;
  }
  if (Status s = RequireActive(group->second, "Dataset group", request.dataset_group_arn);
      !s.ok()) {
    return s;
  }
  const std::string arn = Arn("solution", request.name);
  if (solutions_.count(arn) != 0) return AlreadyExists("Solution", arn);
  Solution solution;
  static_cast<Lifecycle&>(solution) = NewLifecycle();
  solution.name = request.name;
  solution.solution_arn = arn;
  solution.dataset_group_arn = request.dataset_group_arn;
  solution.recipe_arn = request.recipe_arn;
  solution.event_type = request.event_type;
  solution.perform_hpo = request.perform_hpo;
  solution.algorithm_hyper_parameters = request.algorithm_hyper_parameters;
  solution.feature_transformation_parameters = request.feature_transformation_parameters;
  solutions_[arn] = std::move(solution);
  Run({[this, arn]() -> Lifecycle* {
         const auto it = solutions_.find(arn);
         return it == solutions_.end() ? nullptr : &it->second;
       },
       [this]() -> Result<int64_t> { return options_.solution_us; }, nullptr});
  return arn;
}

Result<Solution> PersonalizeControlPlane::DescribeSolution(const std::string& arn) const {
  if (Status s = ValidateArn("solutionArn", arn); !s.ok()) return s;
  const auto it = solutions_.find(arn);
  if (it == solutions_.end()) return NotFound("Solution", arn);
  Solution out = it->second;
  // latestSolutionVersion: the newest version of this solution.
  const SolutionVersion* latest = nullptr;
  for (const auto& [a, v] : solution_versions_) {
    if (v.solution_arn == arn &&
        (latest == nullptr || v.creation_date_time_us >= latest->creation_date_time_us)) {
      latest = &v;
    }
  }
  if (latest != nullptr) {
    SolutionVersionSummary summary;
    static_cast<Lifecycle&>(summary) = *latest;
    summary.solution_version_arn = latest->solution_version_arn;
    out.latest_solution_version = summary;
  }
  return out;
}

Result<ListPage<Solution>> PersonalizeControlPlane::ListSolutions(
    const ListRequest& request) const {
  return Paginate(solutions_, request, [&](const Solution& s) {
    return request.parent_arn.empty() || s.dataset_group_arn == request.parent_arn;
  });
}

Status PersonalizeControlPlane::DeleteSolution(const std::string& arn) {
  if (Status s = ValidateArn("solutionArn", arn); !s.ok()) return s;
  const auto it = solutions_.find(arn);
  if (it == solutions_.end()) return NotFound("Solution", arn);
  // DeleteSolution: "you must delete all campaigns based on the solution" and "can't delete a
  // solution if an associated SolutionVersion is in the CREATE PENDING or IN PROGRESS state".
  for (const auto& [a, c] : campaigns_) {
    const auto v = solution_versions_.find(c.solution_version_arn);
    if (v != solution_versions_.end() && v->second.solution_arn == arn) {
      return InUse("Solution " + arn + " is used by campaign " + a);
    }
  }
  for (const auto& [a, v] : solution_versions_) {
    if (v.solution_arn == arn && Pending(v)) {
      return InUse("Solution " + arn + " has solution version " + a + " in progress");
    }
  }
  DeleteLater(it->second, [this, arn] {
    solutions_.erase(arn);
    std::erase_if(solution_versions_,
                  [&](const auto& kv) { return kv.second.solution_arn == arn; });
  });
  return Status::Ok();
}

// --- Solution versions ----------------------------------------------------------------------

Result<TrainingInput> PersonalizeControlPlane::CollectTrainingInput(const Solution& solution,
                                                                    std::string* shortfall) const {
  TrainingInput input;
  input.solution_arn = solution.solution_arn;
  input.dataset_group_arn = solution.dataset_group_arn;
  input.recipe_arn = solution.recipe_arn;
  input.event_type = solution.event_type;
  input.algorithm_hyper_parameters = RecipeParameters(solution.algorithm_hyper_parameters,
                                                      solution.feature_transformation_parameters);
  if (options_.data_plane != nullptr) {
    const DataPlane::Counts counts = options_.data_plane->CountInteractions(
        solution.dataset_group_arn, solution.event_type, options_.min_interactions_per_user);
    *shortfall = Shortfall(counts, solution.event_type);
    input.interaction_count = counts.interactions;
    return input;
  }
  for (const auto& [arn, d] : datasets_) {
    if (d.dataset_group_arn != solution.dataset_group_arn) continue;
    const ImportedRows& rows = dataset_rows_.at(arn);
    if (d.dataset_type == kInteractionsDataset) {
      for (const ImportedInteraction& e : rows.interactions) {
        if (solution.event_type.empty() || e.event_type == solution.event_type) {
          input.interactions.push_back(e);
        }
      }
    } else if (d.dataset_type == kItemsDataset) {
      input.items = rows.items;
    } else if (d.dataset_type == kUsersDataset) {
      input.users = rows.users;
    }
  }
  std::map<std::string, size_t> per_user;
  for (const ImportedInteraction& e : input.interactions) ++per_user[e.user_id];
  DataPlane::Counts counts;
  counts.interactions = input.interactions.size();
  input.interaction_count = counts.interactions;
  counts.users_with_min =
      static_cast<size_t>(std::count_if(per_user.begin(), per_user.end(), [&](const auto& kv) {
        return kv.second >= options_.min_interactions_per_user;
      }));
  *shortfall = Shortfall(counts, solution.event_type);
  return input;
}

std::string PersonalizeControlPlane::Shortfall(const DataPlane::Counts& counts,
                                               const std::string& event_type) const {
  // The minimums (Service quotas; the message as AWS reports it in failureReason, e.g.
  // aws-samples/retail-demo-store#562: "Dataset has fewer than 1000 interactions after filtering
  // by event type: OfferConverted").
  std::string shortfall;
  if (counts.interactions < options_.min_interactions) {
    shortfall =
        "Dataset has fewer than " + std::to_string(options_.min_interactions) + " interactions";
    if (!event_type.empty()) shortfall += " after filtering by event type: " + event_type;
  } else if (counts.users_with_min < options_.min_users) {
    shortfall = "Dataset has fewer than " + std::to_string(options_.min_users) +
                " users with at least " + std::to_string(options_.min_interactions_per_user) +
                " interactions each";
  }
  return shortfall;
}

Result<std::string> PersonalizeControlPlane::CreateSolutionVersion(
    const CreateSolutionVersionRequest& request) {
  if (Status s = ValidateArn("solutionArn", request.solution_arn); !s.ok()) return s;
  if (!request.name.empty()) {
    if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  }
  if (request.training_mode != "FULL" && request.training_mode != "UPDATE") {
    return Invalid("trainingMode must be FULL or UPDATE");
  }
  const auto solution = solutions_.find(request.solution_arn);
  if (solution == solutions_.end()) return NotFound("Solution", request.solution_arn);
  if (Status s = RequireActive(solution->second, "Solution", request.solution_arn); !s.ok()) {
    return s;
  }
  bool has_full = false;
  for (const auto& [a, v] : solution_versions_) {
    if (v.solution_arn != request.solution_arn) continue;
    if (Pending(v)) {
      return InUse("Solution " + request.solution_arn + " has solution version " + a +
                   " in progress");
    }
    has_full |= v.status == kActive && v.training_mode == "FULL";
  }
  if (request.training_mode == "UPDATE") {
    // trainingMode: UPDATE needs an ACTIVE FULL version and the User-Personalization recipe.
    const std::string& recipe = solution->second.recipe_arn;
    if (recipe != RecipeArn("aws-user-personalization")) {
      return Invalid("trainingMode UPDATE is only supported for the User-Personalization recipe");
    }
    if (!has_full) {
      return Invalid("trainingMode UPDATE needs an ACTIVE solution version trained with FULL");
    }
  }
  char id[16];
  std::snprintf(id, sizeof id, "%08llx", static_cast<unsigned long long>(next_id_++));
  const std::string arn = request.solution_arn + "/" + id;
  std::string shortfall;
  auto input = std::make_shared<TrainingInput>(
      std::move(CollectTrainingInput(solution->second, &shortfall)).value());
  input->solution_version_arn = arn;
  input->training_mode = request.training_mode;
  if (options_.data_plane != nullptr && shortfall.empty()) {  // a short one never trains
    options_.data_plane->TrainingRequested(arn, solution->second.dataset_group_arn);
  }

  SolutionVersion version;
  static_cast<Lifecycle&>(version) = NewLifecycle();
  version.name = request.name;
  version.solution_version_arn = arn;
  version.solution_arn = request.solution_arn;
  version.recipe_arn = solution->second.recipe_arn;
  version.event_type = solution->second.event_type;
  version.dataset_group_arn = solution->second.dataset_group_arn;
  version.training_mode = request.training_mode;
  solution_versions_[arn] = std::move(version);
  Run({[this, arn]() -> Lifecycle* {
         const auto it = solution_versions_.find(arn);
         return it == solution_versions_.end() ? nullptr : &it->second;
       },
       [this, input, shortfall]() -> Result<int64_t> {
         if (!shortfall.empty()) return options_.training_check_us;
         const auto n = static_cast<int64_t>(input->interaction_count);
         return std::max(options_.training_floor_us,
                         n * options_.training_per_1000_interactions_us / 1000);
       },
       [this, arn, input, shortfall]() -> Status {
         if (!shortfall.empty()) return Invalid(shortfall);
         SolutionVersion& v = solution_versions_.at(arn);
         v.training_hours =
             static_cast<double>(runtime_.NowMicros() - v.creation_date_time_us) / 3.6e9;
         return options_.trainer ? options_.trainer(*input) : Status::Ok();
       }});
  return arn;
}

Result<SolutionVersion> PersonalizeControlPlane::DescribeSolutionVersion(
    const std::string& arn) const {
  if (Status s = ValidateArn("solutionVersionArn", arn); !s.ok()) return s;
  const auto it = solution_versions_.find(arn);
  if (it == solution_versions_.end()) return NotFound("Solution version", arn);
  return it->second;
}

Result<ListPage<SolutionVersion>> PersonalizeControlPlane::ListSolutionVersions(
    const ListRequest& request) const {
  if (!request.parent_arn.empty() && solutions_.count(request.parent_arn) == 0) {
    return NotFound("Solution", request.parent_arn);
  }
  return Paginate(solution_versions_, request, [&](const SolutionVersion& v) {
    return request.parent_arn.empty() || v.solution_arn == request.parent_arn;
  });
}

// --- Campaigns ------------------------------------------------------------------------------

Result<std::string> PersonalizeControlPlane::CreateCampaign(const CreateCampaignRequest& request) {
  if (Status s = ValidateName("name", request.name); !s.ok()) return s;
  if (Status s = ValidateArn("solutionVersionArn", request.solution_version_arn); !s.ok()) {
    return s;
  }
  if (request.min_provisioned_tps < 1) return Invalid("minProvisionedTPS must be at least 1");
  const auto version = solution_versions_.find(request.solution_version_arn);
  if (version == solution_versions_.end()) {
    return NotFound("Solution version", request.solution_version_arn);
  }
  if (Status s = RequireActive(version->second, "Solution version", request.solution_version_arn);
      !s.ok()) {
    return s;
  }
  const std::string arn = Arn("campaign", request.name);
  if (campaigns_.count(arn) != 0) return AlreadyExists("Campaign", arn);
  Campaign campaign;
  static_cast<Lifecycle&>(campaign) = NewLifecycle();
  campaign.name = request.name;
  campaign.campaign_arn = arn;
  campaign.solution_version_arn = request.solution_version_arn;
  campaign.min_provisioned_tps = request.min_provisioned_tps;
  campaigns_[arn] = std::move(campaign);
  Run({[this, arn]() -> Lifecycle* {
         const auto it = campaigns_.find(arn);
         return it == campaigns_.end() ? nullptr : &it->second;
       },
       [this]() -> Result<int64_t> { return options_.campaign_us; }, nullptr});
  return arn;
}

Result<Campaign> PersonalizeControlPlane::DescribeCampaign(const std::string& arn) const {
  if (Status s = ValidateArn("campaignArn", arn); !s.ok()) return s;
  const auto it = campaigns_.find(arn);
  if (it == campaigns_.end()) return NotFound("Campaign", arn);
  return it->second;
}

Result<ListPage<Campaign>> PersonalizeControlPlane::ListCampaigns(
    const ListRequest& request) const {
  return Paginate(campaigns_, request, [&](const Campaign& c) {
    if (request.parent_arn.empty()) return true;
    const auto v = solution_versions_.find(c.solution_version_arn);
    return v != solution_versions_.end() && v->second.solution_arn == request.parent_arn;
  });
}

Result<std::string> PersonalizeControlPlane::UpdateCampaign(const UpdateCampaignRequest& request) {
  if (Status s = ValidateArn("campaignArn", request.campaign_arn); !s.ok()) return s;
  if (request.min_provisioned_tps && *request.min_provisioned_tps < 1) {
    return Invalid("minProvisionedTPS must be at least 1");
  }
  const auto it = campaigns_.find(request.campaign_arn);
  if (it == campaigns_.end()) return NotFound("Campaign", request.campaign_arn);
  Campaign& campaign = it->second;
  // UpdateCampaign: "the campaign status must be ACTIVE or CREATE FAILED".
  if (campaign.status != kActive && campaign.status != kCreateFailed) {
    return RequireActive(campaign, "Campaign", request.campaign_arn);
  }
  if (campaign.latest_campaign_update && Pending(*campaign.latest_campaign_update)) {
    return InUse("Campaign " + request.campaign_arn + " has an update in progress");
  }
  std::string version_arn = campaign.solution_version_arn;
  if (!request.solution_version_arn.empty()) {
    if (Status s = ValidateArn("solutionVersionArn", request.solution_version_arn); !s.ok()) {
      return s;
    }
    const auto v = solution_versions_.find(request.solution_version_arn);
    if (v == solution_versions_.end()) {
      return NotFound("Solution version", request.solution_version_arn);
    }
    if (Status s = RequireActive(v->second, "Solution version", request.solution_version_arn);
        !s.ok()) {
      return s;
    }
    version_arn = request.solution_version_arn;
  }
  CampaignUpdateSummary update;
  static_cast<Lifecycle&>(update) = NewLifecycle();
  update.solution_version_arn = version_arn;
  update.min_provisioned_tps = request.min_provisioned_tps.value_or(campaign.min_provisioned_tps);
  campaign.latest_campaign_update = update;
  const std::string arn = request.campaign_arn;
  Run({[this, arn]() -> Lifecycle* {
         const auto c = campaigns_.find(arn);
         if (c == campaigns_.end() || !c->second.latest_campaign_update) return nullptr;
         return &*c->second.latest_campaign_update;
       },
       [this]() -> Result<int64_t> { return options_.campaign_us; },
       [this, arn]() -> Status {
         // The campaign serves the old version until the update is ACTIVE.
         Campaign& c = campaigns_.at(arn);
         c.solution_version_arn = c.latest_campaign_update->solution_version_arn;
         c.min_provisioned_tps = c.latest_campaign_update->min_provisioned_tps;
         Touch(c, kActive);
         c.failure_reason.clear();
         return Status::Ok();
       }});
  return arn;
}

Status PersonalizeControlPlane::DeleteCampaign(const std::string& arn) {
  if (Status s = ValidateArn("campaignArn", arn); !s.ok()) return s;
  const auto it = campaigns_.find(arn);
  if (it == campaigns_.end()) return NotFound("Campaign", arn);
  if (Pending(it->second)) return RequireActive(it->second, "Campaign", arn);
  DeleteLater(it->second, [this, arn] { campaigns_.erase(arn); });
  return Status::Ok();
}

}  // namespace meshsim::fakes
