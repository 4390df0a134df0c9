#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>

#include "fakes/personalize/arn.h"
#include "fakes/personalize/control_plane.h"
#include "sim/core/ids.h"
#include "sim/core/runtime.h"
#include "tests/fakes/personalize/personalize_fixture.h"

namespace meshsim::fakes {
namespace {

using namespace personalize;  // NOLINT

constexpr const char* kInteractionsSchema = R"({"type":"record","name":"Interactions",
  "namespace":"com.amazonaws.personalize.schema","fields":[
  {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
  {"name":"EVENT_TYPE","type":["string","null"]},{"name":"EVENT_VALUE","type":["float","null"]},
  {"name":"DEVICE","type":["string","null"],"categorical":true},
  {"name":"TIMESTAMP","type":"long"}],"version":"1.0"})";

constexpr const char* kRole = "arn:aws:iam::000000000000:role/PersonalizeRole";

PersonalizeControlPlaneOptions FastOptions() { return testing::FastControlPlaneOptions(); }

// `users` users with `per_user` interactions each, as Personalize's CSV layout (header by name,
// in an order unlike the schema's and in lower case).
std::string InteractionsCsv(int users, int per_user) {
  std::string csv = "user_id,item_id,timestamp,event_type\n";
  for (int u = 0; u < users; ++u) {
    for (int i = 0; i < per_user; ++i) {
      csv += NumberedId("u", static_cast<uint64_t>(u)) + "," +
             NumberedId("i", static_cast<uint64_t>(i)) + "," + std::to_string(1700000000 + i) +
             ",click\n";
    }
  }
  return csv;
}

struct Fixture {
  std::unique_ptr<Runtime> rt = MakeVirtualRuntime(1);
  std::map<std::string, std::string> files;
  std::vector<TrainingInput> trained;
  PersonalizeControlPlane pz;

  explicit Fixture(PersonalizeControlPlaneOptions o = FastOptions())
      : pz(
            *rt,
            [this](const std::string& uri) -> Result<std::string> {
              const auto it = files.find(uri);
              if (it == files.end()) return Status(Code::kResourceNotFound, "no such key");
              return it->second;
            },
            WithTrainer(std::move(o))) {}

  // Records each training unless the options bring their own trainer.
  PersonalizeControlPlaneOptions WithTrainer(PersonalizeControlPlaneOptions o) {
    if (o.trainer) return o;
    o.trainer = [this](const TrainingInput& in) {
      trained.push_back(in);
      return Status::Ok();
    };
    return o;
  }

  void Advance(int64_t seconds) { rt->RunUntil(rt->NowMicros() + seconds * kMicrosPerSecond); }

  std::string Group(const std::string& name = "mesh") {
    auto arn = pz.CreateDatasetGroup({name, "", ""});
    REQUIRE(arn.ok());
    Advance(10);
    return *arn;
  }
  std::string InteractionsDataset(const std::string& group) {
    auto schema = pz.CreateSchema({"interactions-schema", kInteractionsSchema, ""});
    REQUIRE(schema.ok());
    auto ds = pz.CreateDataset({"interactions", *schema, group, "Interactions"});
    REQUIRE(ds.ok());
    Advance(10);
    return *ds;
  }
  std::string Import(const std::string& dataset, const std::string& csv,
                     const std::string& name = "import1") {
    files["s3://bucket/" + name + ".csv"] = csv;
    auto job =
        pz.CreateDatasetImportJob({name, dataset, "s3://bucket/" + name + ".csv", kRole, "FULL"});
    REQUIRE(job.ok());
    Advance(3600);
    return *job;
  }
  std::string Solution(const std::string& group, const std::string& recipe,
                       const std::string& name = "sol") {
    auto s = pz.CreateSolution({name, group, RecipeArn(recipe), "", false, {}, {}});
    REQUIRE(s.ok());
    Advance(10);
    return *s;
  }
};

TEST_CASE("ARNs have AWS's form") {
  Fixture f;
  auto group = f.pz.CreateDatasetGroup({"mesh", "", ""});
  REQUIRE(group.ok());
  CHECK(*group == "arn:aws:personalize:us-east-1:000000000000:dataset-group/mesh");
  auto schema = f.pz.CreateSchema({"s1", kInteractionsSchema, ""});
  CHECK(*schema == "arn:aws:personalize:us-east-1:000000000000:schema/s1");
  f.Advance(10);
  auto ds = f.pz.CreateDataset({"ints", *schema, *group, "interactions"});
  REQUIRE(ds.ok());
  CHECK(*ds == "arn:aws:personalize:us-east-1:000000000000:dataset/mesh/INTERACTIONS");
  CHECK(f.pz.DescribeDataset(*ds)->dataset_type == "Interactions");

  PersonalizeControlPlaneOptions o = FastOptions();
  o.region = "eu-west-1";
  o.account = "123456789012";
  Fixture g(o);
  auto c = g.pz.CreateDatasetGroup({"x", "", ""});
  CHECK(*c == "arn:aws:personalize:eu-west-1:123456789012:dataset-group/x");
}

TEST_CASE("Names and ARNs are validated") {
  Fixture f;
  for (const char* bad : {"", "-lead", "has space", "semi;colon"}) {
    CHECK(f.pz.CreateDatasetGroup({bad, "", ""}).status().code() == Code::kInvalidInput);
  }
  CHECK(f.pz.CreateDatasetGroup({std::string(64, 'a'), "", ""}).status().code() ==
        Code::kInvalidInput);
  CHECK(f.pz.CreateDatasetGroup({std::string(63, 'a'), "", ""}).ok());
  CHECK(f.pz.CreateDatasetGroup({"a_b-9", "", ""}).ok());
  CHECK(f.pz.CreateDatasetGroup({"d", "", "RETAIL"}).status().code() == Code::kInvalidInput);
  CHECK(f.pz.CreateDatasetGroup({"d", "not-a-role", ""}).status().code() == Code::kInvalidInput);
  CHECK(f.pz.DescribeDatasetGroup("nope").status().code() == Code::kInvalidInput);
  CHECK(f.pz.DescribeDatasetGroup("arn:aws:personalize:us-east-1:000000000000:dataset-group/zz")
            .status()
            .code() == Code::kResourceNotFound);
  CHECK(f.pz.CreateDatasetGroup({"a_b-9", "", ""}).status().code() == Code::kResourceAlreadyExists);
}

TEST_CASE("A dataset group walks CREATE PENDING, CREATE IN_PROGRESS, ACTIVE on the clock") {
  Fixture f;
  auto arn = f.pz.CreateDatasetGroup({"mesh", "", ""});
  REQUIRE(arn.ok());
  CHECK(f.pz.DescribeDatasetGroup(*arn)->status == "CREATE PENDING");
  f.rt->RunUntil(999'999);
  CHECK(f.pz.DescribeDatasetGroup(*arn)->status == "CREATE PENDING");
  f.rt->RunUntil(1'000'000);
  CHECK(f.pz.DescribeDatasetGroup(*arn)->status == "CREATE IN_PROGRESS");
  f.rt->RunUntil(2'999'999);
  CHECK(f.pz.DescribeDatasetGroup(*arn)->status == "CREATE IN_PROGRESS");
  f.rt->RunUntil(3'000'000);
  auto g = f.pz.DescribeDatasetGroup(*arn);
  CHECK(g->status == "ACTIVE");
  CHECK(g->creation_date_time_us == 0);
  CHECK(g->last_updated_date_time_us == 3'000'000);
}

TEST_CASE("Calls on a dataset group that is not ACTIVE fail with ResourceInUseException") {
  Fixture f;
  auto group = f.pz.CreateDatasetGroup({"mesh", "", ""});
  auto schema = f.pz.CreateSchema({"s", kInteractionsSchema, ""});
  auto ds = f.pz.CreateDataset({"ints", *schema, *group, "Interactions"});
  CHECK(ds.status().code() == Code::kResourceInUse);
  CHECK(ds.status().message().find("is not in ACTIVE state") != std::string::npos);
  CHECK(f.pz.CreateEventTracker({"t", *group}).status().code() == Code::kResourceInUse);
  CHECK(f.pz.CreateSolution({"s", *group, RecipeArn("aws-sims"), "", false, {}, {}})
            .status()
            .code() == Code::kResourceInUse);
  CHECK(
      f.pz.CreateFilter({"f", *group, "EXCLUDE ItemID WHERE Items.X IN (\"a\")"}).status().code() ==
      Code::kResourceInUse);
  f.Advance(10);
  CHECK(f.pz.CreateDataset({"ints", *schema, *group, "Interactions"}).ok());
}

TEST_CASE("Schemas: Avro, required fields and types per dataset type") {
  Fixture f;
  CHECK(f.pz.CreateSchema({"bad", "{not json", ""}).status().code() == Code::kInvalidInput);
  CHECK(f.pz.CreateSchema({"bad", R"("string")", ""}).status().code() == Code::kInvalidInput);
  CHECK(f.pz.CreateSchema({"bad", R"({"type":"record","name":"R","fields":[
      {"name":"A","type":{"type":"array","items":"string"}}]})",
                           ""})
            .status()
            .code() == Code::kInvalidInput);
  CHECK(f.pz.CreateSchema({"bad", R"({"type":"record","name":"R","fields":[
      {"name":"A","type":"long","categorical":true}]})",
                           ""})
            .status()
            .code() == Code::kInvalidInput);
  CHECK(f.pz.CreateSchema({"bad", std::string(10001, ' '), ""}).status().code() ==
        Code::kInvalidInput);
  auto ok = f.pz.CreateSchema({"s", kInteractionsSchema, ""});
  REQUIRE(ok.ok());
  CHECK(f.pz.CreateSchema({"s", kInteractionsSchema, ""}).status().code() ==
        Code::kResourceAlreadyExists);
  CHECK(f.pz.DescribeSchema(*ok)->schema == kInteractionsSchema);

  const std::string group = f.Group();
  const auto dataset_with = [&](const std::string& name, const std::string& fields,
                                const std::string& type) {
    auto s =
        f.pz.CreateSchema({name, R"({"type":"record","name":"R","fields":[)" + fields + "]}", ""});
    REQUIRE(s.ok());
    return f.pz.CreateDataset({name, *s, group, type}).status();
  };
  const std::string user = R"({"name":"USER_ID","type":"string"})";
  const std::string item = R"({"name":"ITEM_ID","type":"string"})";
  const std::string ts = R"({"name":"TIMESTAMP","type":"long"})";
  // Interactions needs USER_ID, ITEM_ID (string) and TIMESTAMP (long).
  Status no_user = dataset_with("a1", item + "," + ts, "Interactions");
  CHECK(no_user.code() == Code::kInvalidInput);
  CHECK(no_user.message().find("USER_ID") != std::string::npos);
  Status no_item = dataset_with("a2", user + "," + ts, "Interactions");
  CHECK(no_item.message().find("ITEM_ID") != std::string::npos);
  Status no_ts = dataset_with("a3", user + "," + item, "Interactions");
  CHECK(no_ts.message().find("TIMESTAMP") != std::string::npos);
  CHECK(dataset_with("a4", user + "," + item + R"(,{"name":"TIMESTAMP","type":"string"})",
                     "Interactions")
            .code() == Code::kInvalidInput);
  CHECK(dataset_with("a5", R"({"name":"USER_ID","type":"int"},)" + item + "," + ts, "Interactions")
            .code() == Code::kInvalidInput);
  CHECK(dataset_with("a6",
                     user + "," + item + "," + ts + R"(,{"name":"EVENT_VALUE","type":"string"})",
                     "Interactions")
            .code() == Code::kInvalidInput);
  // Items need a metadata field beside ITEM_ID.
  CHECK(dataset_with("b1", item, "Items").code() == Code::kInvalidInput);
  CHECK(
      dataset_with("b2", item + R"(,{"name":"GENRE","type":"string","categorical":true})", "Items")
          .ok());
  CHECK(dataset_with("c1", user + R"(,{"name":"AGE","type":["int","null"]})", "users").ok());
  CHECK(dataset_with("d1", user + "," + item + "," + ts, "Songs").code() == Code::kInvalidInput);
  // One dataset of each type per group.
  CHECK(dataset_with("b3", item + R"(,{"name":"G","type":"string"})", "Items").code() ==
        Code::kResourceAlreadyExists);
}

TEST_CASE("CreateDataset needs an existing group and schema; schemas in use stay") {
  Fixture f;
  const std::string group = f.Group();
  auto schema = f.pz.CreateSchema({"s", kInteractionsSchema, ""});
  const std::string missing_group = "arn:aws:personalize:us-east-1:000000000000:dataset-group/none";
  CHECK(f.pz.CreateDataset({"d", *schema, missing_group, "Interactions"}).status().code() ==
        Code::kResourceNotFound);
  CHECK(f.pz.CreateDataset({"d", "arn:aws:personalize:us-east-1:000000000000:schema/none", group,
                            "Interactions"})
            .status()
            .code() == Code::kResourceNotFound);
  auto ds = f.pz.CreateDataset({"d", *schema, group, "Interactions"});
  REQUIRE(ds.ok());
  CHECK(f.pz.DeleteSchema(*schema).code() == Code::kResourceInUse);
  // A group with a dataset cannot be deleted.
  f.Advance(10);
  CHECK(f.pz.DeleteDatasetGroup(group).code() == Code::kResourceInUse);
  REQUIRE(f.pz.DeleteDataset(*ds).ok());
  CHECK(f.pz.DescribeDataset(*ds)->status == "DELETE PENDING");
  f.Advance(10);
  CHECK(f.pz.DescribeDataset(*ds).status().code() == Code::kResourceNotFound);
  CHECK(f.pz.DeleteSchema(*schema).ok());
  REQUIRE(f.pz.DeleteDatasetGroup(group).ok());
  CHECK(f.pz.DescribeDatasetGroup(group)->status == "DELETE PENDING");
  f.Advance(10);
  CHECK(f.pz.DescribeDatasetGroup(group).status().code() == Code::kResourceNotFound);
}

TEST_CASE("An import job reads the CSV by header name and takes time") {
  Fixture f;
  const std::string group = f.Group();
  const std::string ds = f.InteractionsDataset(group);
  f.files["s3://bucket/a.csv"] = InteractionsCsv(3, 4);
  auto job = f.pz.CreateDatasetImportJob({"a", ds, "s3://bucket/a.csv", kRole, "FULL"});
  REQUIRE(job.ok());
  CHECK(*job == "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/a");
  CHECK(f.pz.DescribeDatasetImportJob(*job)->status == "CREATE PENDING");
  f.Advance(30);
  CHECK(f.pz.DescribeDatasetImportJob(*job)->status == "CREATE IN_PROGRESS");
  CHECK(f.pz.DatasetRows(ds)->row_count == 0);
  f.Advance(60);
  CHECK(f.pz.DescribeDatasetImportJob(*job)->status == "ACTIVE");
  const ImportedRows* rows = f.pz.DatasetRows(ds);
  REQUIRE(rows->interactions.size() == 12);
  CHECK(rows->interactions[0].user_id == "u0");
  CHECK(rows->interactions[0].timestamp == 1700000000);
  CHECK(rows->interactions[0].event_type == "click");
  CHECK(
      f.pz.CreateDatasetImportJob({"a", ds, "s3://bucket/a.csv", kRole, "FULL"}).status().code() ==
      Code::kResourceAlreadyExists);
  // INCREMENTAL adds; FULL replaces.
  f.files["s3://bucket/b.csv"] = InteractionsCsv(1, 2);
  CreateDatasetImportJobRequest inc{"b", ds, "s3://bucket/b.csv", kRole, "INCREMENTAL"};
  REQUIRE(f.pz.CreateDatasetImportJob(inc).ok());
  f.Advance(120);
  CHECK(f.pz.DatasetRows(ds)->interactions.size() == 14);
  REQUIRE(f.pz.CreateDatasetImportJob({"c", ds, "s3://bucket/b.csv", kRole, "FULL"}).ok());
  f.Advance(120);
  CHECK(f.pz.DatasetRows(ds)->interactions.size() == 2);
  auto list = f.pz.ListDatasetImportJobs({"", 2, ds});
  REQUIRE(list.ok());
  CHECK(list->items.size() == 2);
  CHECK_FALSE(list->next_token.empty());
  auto rest = f.pz.ListDatasetImportJobs({list->next_token, 2, ds});
  CHECK(rest->items.size() == 1);
  CHECK(rest->next_token.empty());
  CHECK(f.pz.ListDatasetImportJobs({"x", 2, ds}).status().code() == Code::kInvalidNextToken);
  CHECK(f.pz.ListDatasetImportJobs({"", 0, ds}).status().code() == Code::kInvalidInput);
}

TEST_CASE("An import job's request is validated and needs an ACTIVE dataset") {
  Fixture f;
  const std::string group = f.Group();
  auto schema = f.pz.CreateSchema({"s", kInteractionsSchema, ""});
  auto ds = f.pz.CreateDataset({"d", *schema, group, "Interactions"});
  CHECK(f.pz.CreateDatasetImportJob({"j", *ds, "s3://b/k.csv", kRole, "FULL"}).status().code() ==
        Code::kResourceInUse);
  f.Advance(10);
  CHECK(f.pz.CreateDatasetImportJob({"j", *ds, "/tmp/k.csv", kRole, "FULL"}).status().code() ==
        Code::kInvalidInput);
  CHECK(f.pz.CreateDatasetImportJob({"j", *ds, "s3://b/k.csv", "", "FULL"}).status().code() ==
        Code::kInvalidInput);
  CHECK(f.pz.CreateDatasetImportJob({"j", *ds, "s3://b/k.csv", kRole, "PARTIAL"}).status().code() ==
        Code::kInvalidInput);
  CHECK(f.pz.CreateDatasetImportJob({"j",
                                     "arn:aws:personalize:us-east-1:000000000000:dataset/x/ITEMS",
                                     "s3://b/k.csv", kRole})
            .status()
            .code() == Code::kResourceNotFound);
}

TEST_CASE("A bad CSV fails the import job with a reason naming line and column") {
  Fixture f;
  const std::string group = f.Group();
  const std::string ds = f.InteractionsDataset(group);
  const auto fail_reason = [&](const std::string& name, const std::string& csv) {
    const std::string job = f.Import(ds, csv, name);
    auto d = f.pz.DescribeDatasetImportJob(job);
    CHECK(d->status == "CREATE FAILED");
    return d->failure_reason;
  };
  CHECK(fail_reason("t1", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1700000000\nu2,i2,yesterday\n") ==
        "s3://bucket/t1.csv:3:7: Field TIMESTAMP: \"yesterday\" is not a long");
  CHECK(fail_reason("t2", "USER_ID,ITEM_ID\nu1,i1\n") ==
        "s3://bucket/t2.csv:1:1: The header has no column for required field TIMESTAMP");
  CHECK(fail_reason("t3", "USER_ID,ITEM_ID,TIMESTAMP,COLOR\nu1,i1,1,red\n") ==
        "s3://bucket/t3.csv:1:27: Column COLOR is not a field of the schema");
  CHECK(fail_reason("t4", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE\nu1,i1,1,\nu1,,2,1.5\n") ==
        "s3://bucket/t4.csv:3:4: Field ITEM_ID cannot be empty");
  CHECK(fail_reason("t5", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1\n").find("t5.csv:2:1: Expected 3") !=
        std::string::npos);
  // A missing file fails the job too, and no rows land.
  auto job = f.pz.CreateDatasetImportJob({"t6", ds, "s3://bucket/none.csv", kRole, "FULL"});
  f.Advance(3600);
  CHECK(f.pz.DescribeDatasetImportJob(*job)->status == "CREATE FAILED");
  CHECK(f.pz.DatasetRows(ds)->row_count == 0);
}

TEST_CASE("One event tracker per dataset group") {
  Fixture f;
  const std::string group = f.Group();
  auto t = f.pz.CreateEventTracker({"tracker", group});
  REQUIRE(t.ok());
  CHECK(t->rfind("arn:aws:personalize:us-east-1:000000000000:event-tracker/", 0) == 0);
  auto d = f.pz.DescribeEventTracker(*t);
  CHECK(d->status == "CREATE PENDING");
  CHECK(d->tracking_id.size() == 36);
  CHECK(d->account_id == "000000000000");
  CHECK(f.pz.CreateEventTracker({"second", group}).status().code() == Code::kLimitExceeded);
  f.Advance(10);
  CHECK(f.pz.DescribeEventTracker(*t)->status == "ACTIVE");
  CHECK(f.pz.DeleteDatasetGroup(group).code() == Code::kResourceInUse);
  REQUIRE(f.pz.DeleteEventTracker(*t).ok());
  f.Advance(10);
  CHECK(f.pz.ListEventTrackers({"", 100, group})->items.empty());
  CHECK(f.pz.CreateEventTracker({"second", group}).ok());
}

TEST_CASE("Recipes are listed and solutions need a known recipe") {
  Fixture f;
  auto recipes = f.pz.ListRecipes({});
  REQUIRE(recipes.ok());
  std::vector<std::string> names;
  for (const Recipe& r : recipes->items) names.push_back(r.name);
  CHECK(names == std::vector<std::string>{"aws-personalized-ranking", "aws-popularity-count",
                                          "aws-sims", "aws-trending-now",
                                          "aws-user-personalization"});
  auto sims = f.pz.DescribeRecipe("arn:aws:personalize:::recipe/aws-sims");
  REQUIRE(sims.ok());
  CHECK(sims->recipe_type == "RELATED_ITEMS");
  CHECK(f.pz.DescribeRecipe("arn:aws:personalize:::recipe/aws-hrnn-x").status().code() ==
        Code::kResourceNotFound);
  const std::string group = f.Group();
  CHECK(f.pz.CreateSolution({"s", group, "arn:aws:personalize:::recipe/nope", "", false, {}, {}})
            .status()
            .code() == Code::kResourceNotFound);
  auto s =
      f.pz.CreateSolution({"s", group, RecipeArn("aws-user-personalization"), "", false, {}, {}});
  REQUIRE(s.ok());
  CHECK(*s == "arn:aws:personalize:us-east-1:000000000000:solution/s");
  CHECK(
      f.pz.CreateSolution({"s", group, RecipeArn("aws-sims"), "", false, {}, {}}).status().code() ==
      Code::kResourceAlreadyExists);
  CHECK(f.pz.CreateSolutionVersion({*s, "", "FULL"}).status().code() == Code::kResourceInUse);
}

TEST_CASE("Training refuses data below Personalize's minimums") {
  Fixture f;
  const std::string group = f.Group();
  const std::string ds = f.InteractionsDataset(group);
  const std::string sol = f.Solution(group, "aws-user-personalization");
  const auto train = [&](const std::string& csv, const std::string& name) {
    f.Import(ds, csv, name);
    auto v = f.pz.CreateSolutionVersion({sol, "", "FULL"});
    REQUIRE(v.ok());
    f.Advance(3600);
    return f.pz.DescribeSolutionVersion(*v).value();
  };
  // 999 interactions (37 users x 27).
  SolutionVersion v999 = train(InteractionsCsv(37, 27), "n999");
  CHECK(v999.status == "CREATE FAILED");
  CHECK(v999.failure_reason == "Dataset has fewer than 1000 interactions");
  CHECK(f.trained.empty());
  // 1000 interactions (25 users x 40).
  SolutionVersion v1000 = train(InteractionsCsv(25, 40), "n1000");
  CHECK(v1000.status == "ACTIVE");
  REQUIRE(f.trained.size() == 1);
  CHECK(f.trained[0].interactions.size() == 1000);
  // 1008 interactions from 24 users.
  SolutionVersion u24 = train(InteractionsCsv(24, 42), "u24");
  CHECK(u24.status == "CREATE FAILED");
  CHECK(u24.failure_reason == "Dataset has fewer than 25 users with at least 2 interactions each");
}

TEST_CASE("A solution's event type filters what counts toward the minimum") {
  Fixture f;
  const std::string group = f.Group();
  const std::string ds = f.InteractionsDataset(group);
  f.Import(ds, InteractionsCsv(25, 40));
  auto sol = f.pz.CreateSolution({"s", group, RecipeArn("aws-sims"), "purchase", false, {}, {}});
  f.Advance(10);
  auto v = f.pz.CreateSolutionVersion({*sol, "", "FULL"});
  f.Advance(3600);
  CHECK(f.pz.DescribeSolutionVersion(*v)->failure_reason ==
        "Dataset has fewer than 1000 interactions after filtering by event type: purchase");
}

TEST_CASE("Training takes time, then a campaign deploys the version") {
  Fixture f;
  const std::string group = f.Group();
  const std::string ds = f.InteractionsDataset(group);
  f.Import(ds, InteractionsCsv(25, 40));
  const std::string sol = f.Solution(group, "aws-user-personalization");
  CHECK(f.pz.CreateSolutionVersion({sol, "", "AUTOTRAIN"}).status().code() == Code::kInvalidInput);
  CHECK(f.pz.CreateSolutionVersion({sol, "", "UPDATE"}).status().code() == Code::kInvalidInput);
  auto v = f.pz.CreateSolutionVersion({sol, "", "FULL"});
  REQUIRE(v.ok());
  CHECK(v->rfind(sol + "/", 0) == 0);
  CHECK(f.pz.CreateSolutionVersion({sol, "", "FULL"}).status().code() == Code::kResourceInUse);
  CHECK(f.pz.CreateCampaign({"c", *v, 1}).status().code() == Code::kResourceInUse);
  CHECK(f.pz.DeleteSolution(sol).code() == Code::kResourceInUse);
  f.Advance(2);
  CHECK(f.pz.DescribeSolutionVersion(*v)->status == "CREATE IN_PROGRESS");
  f.Advance(598);  // the floor is 600 s
  CHECK(f.pz.DescribeSolutionVersion(*v)->status == "CREATE IN_PROGRESS");
  f.Advance(1);
  auto done = f.pz.DescribeSolutionVersion(*v);
  CHECK(done->status == "ACTIVE");
  CHECK(done->training_mode == "FULL");
  CHECK(done->training_hours == Approx(601.0 / 3600));
  CHECK(f.pz.DescribeSolution(sol)->latest_solution_version->solution_version_arn == *v);

  CHECK(f.pz.CreateCampaign({"c", *v, 0}).status().code() == Code::kInvalidInput);
  auto c = f.pz.CreateCampaign({"c", *v, 2});
  REQUIRE(c.ok());
  CHECK(*c == "arn:aws:personalize:us-east-1:000000000000:campaign/c");
  CHECK(f.pz.UpdateCampaign({*c, "", 5}).status().code() == Code::kResourceInUse);
  f.Advance(200);
  CHECK(f.pz.DescribeCampaign(*c)->status == "CREATE IN_PROGRESS");
  f.Advance(200);
  CHECK(f.pz.DescribeCampaign(*c)->status == "ACTIVE");
  CHECK(f.pz.DeleteSolution(sol).code() == Code::kResourceInUse);

  // UPDATE training now has an ACTIVE FULL version to start from.
  auto v2 = f.pz.CreateSolutionVersion({sol, "", "UPDATE"});
  REQUIRE(v2.ok());
  f.Advance(3600);
  REQUIRE(f.pz.DescribeSolutionVersion(*v2)->status == "ACTIVE");
  CHECK(f.trained.back().training_mode == "UPDATE");
  // An update keeps serving the old version until it is ACTIVE.
  REQUIRE(f.pz.UpdateCampaign({*c, *v2, 3}).ok());
  CHECK(f.pz.DescribeCampaign(*c)->solution_version_arn == *v);
  CHECK(f.pz.DescribeCampaign(*c)->latest_campaign_update->status == "CREATE PENDING");
  CHECK(f.pz.UpdateCampaign({*c, "", 4}).status().code() == Code::kResourceInUse);
  f.Advance(400);
  auto updated = f.pz.DescribeCampaign(*c);
  CHECK(updated->latest_campaign_update->status == "ACTIVE");
  CHECK(updated->solution_version_arn == *v2);
  CHECK(updated->min_provisioned_tps == 3);
  CHECK(f.pz.ListCampaigns({"", 100, sol})->items.size() == 1);

  REQUIRE(f.pz.DeleteCampaign(*c).ok());
  CHECK(f.pz.DescribeCampaign(*c)->status == "DELETE PENDING");
  f.Advance(10);
  CHECK(f.pz.DescribeCampaign(*c).status().code() == Code::kResourceNotFound);
  REQUIRE(f.pz.DeleteSolution(sol).ok());
  f.Advance(10);
  CHECK(f.pz.DescribeSolutionVersion(*v).status().code() == Code::kResourceNotFound);
}

TEST_CASE("UPDATE training needs the User-Personalization recipe") {
  Fixture f;
  const std::string group = f.Group();
  const std::string ds = f.InteractionsDataset(group);
  f.Import(ds, InteractionsCsv(25, 40));
  const std::string sol = f.Solution(group, "aws-sims");
  auto v = f.pz.CreateSolutionVersion({sol, "", "FULL"});
  f.Advance(3600);
  REQUIRE(f.pz.DescribeSolutionVersion(*v)->status == "ACTIVE");
  CHECK(f.pz.CreateSolutionVersion({sol, "", "UPDATE"}).status().code() == Code::kInvalidInput);
}

TEST_CASE("A trainer's error fails the version with its message") {
  PersonalizeControlPlaneOptions o = FastOptions();
  o.trainer = [](const TrainingInput&) { return Status(Code::kInternal, "out of memory"); };
  Fixture f(o);
  const std::string group = f.Group();
  const std::string ds = f.InteractionsDataset(group);
  f.Import(ds, InteractionsCsv(25, 40));
  const std::string sol = f.Solution(group, "aws-popularity-count");
  auto v = f.pz.CreateSolutionVersion({sol, "", "FULL"});
  f.Advance(3600);
  CHECK(f.pz.DescribeSolutionVersion(*v)->status == "CREATE FAILED");
  CHECK(f.pz.DescribeSolutionVersion(*v)->failure_reason == "out of memory");
}

TEST_CASE("Filters: expression length, ACTIVE lifecycle, quota") {
  Fixture f;
  const std::string group = f.Group();
  CHECK(f.pz.CreateFilter({"f", group, ""}).status().code() == Code::kInvalidInput);
  CHECK(f.pz.CreateFilter({"f", group, std::string(2501, 'x')}).status().code() ==
        Code::kInvalidInput);
  // An expression that does not parse is refused at creation, with the column of the error.
  auto bad = f.pz.CreateFilter({"f", group, "EXCLUDE ItemID WHERE Items.GENRE ("});
  CHECK(bad.status().code() == Code::kInvalidInput);
  CHECK_THAT(bad.status().message(), Catch::Matchers::Contains("at column"));
  CHECK(f.pz.ListFilters({"", 100, group})->items.empty());
  const std::string expr = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")";
  auto filter = f.pz.CreateFilter({"f0", group, expr});
  REQUIRE(filter.ok());
  CHECK(*filter == "arn:aws:personalize:us-east-1:000000000000:filter/f0");
  CHECK(f.pz.DescribeFilter(*filter)->filter_expression == expr);
  CHECK(f.pz.DescribeFilter(*filter)->status == "CREATE PENDING");
  f.Advance(5);
  CHECK(f.pz.DescribeFilter(*filter)->status == "ACTIVE");
  CHECK(f.pz.CreateFilter({"f0", group, expr}).status().code() == Code::kResourceAlreadyExists);
  for (int i = 1; i < 10; ++i) {
    CHECK(f.pz.CreateFilter({NumberedId("f", static_cast<uint64_t>(i)), group, expr}).ok());
  }
  CHECK(f.pz.CreateFilter({"f10", group, expr}).status().code() == Code::kLimitExceeded);
  CHECK(f.pz.ListFilters({"", 100, group})->items.size() == 10);
  REQUIRE(f.pz.DeleteFilter(*filter).ok());
  f.Advance(10);
  CHECK(f.pz.DescribeFilter(*filter).status().code() == Code::kResourceNotFound);
}

TEST_CASE("The same calls give the same ARNs and times") {
  const auto run = [] {
    Fixture f;
    const std::string group = f.Group();
    auto t = f.pz.CreateEventTracker({"t", group});
    f.Advance(100);
    auto d = f.pz.DescribeEventTracker(*t);
    return *t + d->tracking_id + std::to_string(d->last_updated_date_time_us);
  };
  CHECK(run() == run());
}

}  // namespace
}  // namespace meshsim::fakes
