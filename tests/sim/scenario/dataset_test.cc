// Data sets in Personalize's CSV layout: the CSV reader, loading a data set (times, sessions,
// cold-start items), a scenario's "data" section, and one test per kind of error, each naming
// file:line:column.
#include "sim/scenario/dataset.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "sim/scenario/scenario.h"
#include "sim/text/csv.h"
#include "tests/support/temp_dir.h"

namespace meshsim {
namespace {

using meshsim::testing::TempDir;

using Catch::Matchers::Contains;

constexpr const char* kItems =
    "ITEM_ID,ITEM_TYPE,GENRE,CREATION_TIMESTAMP\n"
    "s1,SONG,pop,100\n"
    "s2,SONG,rock,100\n"
    "p1,PODCAST,news,2000\n";
constexpr const char* kUsers = "USER_ID,GENRES\nu1,pop|news\nu2,rock\n";
constexpr const char* kInteractions =
    "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n"
    "u1,s1,1000,play\n"
    "u2,s2,1010,like\n"
    "u1,s2,1020,play\n"
    "u1,p1,3000,subscribe\n";  // 1980 s after u1's last: a new session

// A data set folder holding the three files, each replaceable.
struct Files {
  std::string items = kItems;
  std::string users = kUsers;
  std::string interactions = kInteractions;
  bool with_users = true;
};

std::string Write(const TempDir& dir, const Files& f) {
  dir.Write("d/items.csv", f.items);
  if (f.with_users) dir.Write("d/users.csv", f.users);
  dir.Write("d/interactions.csv", f.interactions);
  return dir.File("d");
}

// The error message of loading `f`, or a marker when it loads.
std::string ErrorOf(const Files& f) {
  TempDir dir("meshsim_dataset_test_");
  auto d = LoadDataset(Write(dir, f), 1.0);
  if (d.ok()) return "<loaded without error>";
  // Paths differ per run: report them relative to the folder.
  std::string m = d.status().message();
  for (size_t at; (at = m.find(dir.File("d") + "/")) != std::string::npos;) {
    m.erase(at, dir.File("d").size() + 1);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// The CSV reader

TEST_CASE("csv: fields, quotes, line endings and positions", "[csv]") {
  auto rows = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\r\n\n\"x,1\",\"say \"\"hi\"\"\"\nlast,\n",
      "t.csv");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0].fields[1].value == "b");
  CHECK((*rows)[0].fields[1].column == 3);
  CHECK((*rows)[1].line == 3);  // after a blank line
  CHECK((*rows)[1].fields[0].value == "x,1");
  CHECK((*rows)[1].fields[1].value == "say \"hi\"");
  CHECK((*rows)[1].fields[1].column == 7);
  CHECK((*rows)[2].fields.size() == 2);  // a trailing comma: an empty last field
  CHECK((*rows)[2].fields[1].value.empty());
  // A quoted field may hold a line break.
  auto multi = ParseCsv("\"two\nlines\",b\n", "t.csv");
  REQUIRE(multi.ok());
  CHECK((*multi)[0].fields[0].value == "two\nlines");
  CHECK((*multi)[0].fields[1].line == 2);
}

TEST_CASE("csv error: an unterminated quote names where the field starts", "[csv][errors]") {
  auto rows = ParseCsv("a,b\nc,\"open\n", "t.csv");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().code() == Code::kValidation);
  CHECK(rows.status().message() == "t.csv:2:3: unterminated quoted field (no closing '\"')");
}

TEST_CASE("csv error: text after a closing quote, and a quote inside a bare field",
          "[csv][errors]") {
  CHECK_THAT(ParseCsv("\"a\"b,c\n", "t.csv").status().message(),
             Contains("t.csv:1:4: unexpected text after a quoted field"));
  CHECK_THAT(ParseCsv("ab,c\"d\n", "t.csv").status().message(),
             Contains("t.csv:1:5: a '\"' inside an unquoted field"));
}

// ---------------------------------------------------------------------------------------------
// Loading

TEST_CASE("dataset: loads users, items and interactions with times, sessions and types",
          "[dataset]") {
  TempDir dir("meshsim_dataset_test_");
  auto d = LoadDataset(Write(dir, Files{}), 0.5);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE(d->users.size() == 2);
  CHECK(d->users[0].user_id == "u1");
  CHECK(d->users[0].genres == "pop|news");
  REQUIRE(d->items.size() == 3);
  CHECK(d->items[2].type == ItemType::kPodcast);
  CHECK(d->items[0].created_us == 0);  // created before the first interaction: at the start
  CHECK(d->items[2].created_us == 500'000'000);  // (2000 - 1000) s * 0.5
  CHECK(d->song_genres == std::vector<std::string>{"pop", "rock"});
  CHECK(d->podcast_genres == std::vector<std::string>{"news"});
  CHECK(d->event_types == std::vector<std::string>{"play", "like", "subscribe"});
  REQUIRE(d->interactions.size() == 4);
  CHECK(d->interactions[0].at_us == 0);
  CHECK(d->interactions[1].at_us == 5'000'000);  // 10 s of data at 0.5
  CHECK(d->interactions[3].at_us == 1'000'000'000);
  // u1's events: 1000 and 1020 in one session, 3000 (a gap over 30 minutes) in the next.
  CHECK(d->interactions[0].session == 0);
  CHECK(d->interactions[2].session == 0);
  CHECK(d->interactions[3].session == 1);
}

TEST_CASE("dataset: unsorted interactions are replayed in time order", "[dataset]") {
  TempDir dir("meshsim_dataset_test_");
  Files f;
  f.interactions =
      "ITEM_ID,USER_ID,TIMESTAMP\n"  // columns in any order; no EVENT_TYPE
      "s2,u2,50\n"
      "s1,u1,20\n"
      "s1,u2,50\n";
  auto d = LoadDataset(Write(dir, f), 1.0);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE(d->interactions.size() == 3);
  CHECK(d->interactions[0].user == 0);  // u1 at 20 s
  CHECK(d->interactions[1].item == 1);  // then the file's order for equal times
  CHECK(d->interactions[2].item == 0);
  CHECK(d->interactions[2].at_us == 30'000'000);
  CHECK(d->event_types == std::vector<std::string>{"play"});  // the default
}

TEST_CASE("dataset: without users.csv the users are the ones the interactions name", "[dataset]") {
  TempDir dir("meshsim_dataset_test_");
  Files f;
  f.with_users = false;
  f.interactions = "USER_ID,ITEM_ID,TIMESTAMP\nzed,s1,5\namy,s2,6\nzed,s2,7\n";
  auto d = LoadDataset(Write(dir, f), 1.0);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  REQUIRE(d->users.size() == 2);
  CHECK(d->users[0].user_id == "zed");
  CHECK(d->users[0].genres.empty());
}

// ---------------------------------------------------------------------------------------------
// One test per kind of error

TEST_CASE("dataset error: a missing file", "[dataset][errors]") {
  TempDir dir("meshsim_dataset_test_");
  dir.Write("d/items.csv", kItems);
  auto d = LoadDataset(dir.File("d"), 1.0);
  REQUIRE_FALSE(d.ok());
  CHECK(d.status().code() == Code::kResourceNotFound);
  CHECK_THAT(d.status().message(), Contains("interactions.csv: no such file"));
}

TEST_CASE("dataset error: an id that is not UTF-8 is refused where it is", "[dataset][errors]") {
  // Once it validated, ran, then aborted the JSON report writer (exit 134, a 0-byte report).
  Files f;
  f.items =
      "ITEM_ID,ITEM_TYPE,GENRE\ns1,SONG,pop\nsong-\xff"
      "1,SONG,pop\n";
  f.interactions =
      "USER_ID,ITEM_ID,TIMESTAMP\nu1,song-\xff"
      "1,10\n";
  CHECK(ErrorOf(f) ==
        "items.csv:3:1: not UTF-8: a bad sequence at byte 6 of the field (0xFF); save the file as "
        "UTF-8");
  // After good multi-byte text, the byte is still counted from the field's start.
  f.items = "ITEM_ID,ITEM_TYPE,GENRE\ns1,SONG,caf\xc3\xa9\xc3\n";
  CHECK(ErrorOf(f) ==
        "items.csv:2:9: not UTF-8: a bad sequence at byte 6 of the field (0xC3); save the file as "
        "UTF-8");
}

TEST_CASE("dataset error: header problems", "[dataset][errors]") {
  Files unknown;
  unknown.interactions = "USER_ID,ITEM_ID,TIMESTAMP,RATING\nu1,s1,1,5\n";
  CHECK(ErrorOf(unknown) ==
        "interactions.csv:1:27: unknown column \"RATING\"; expected USER_ID, ITEM_ID, TIMESTAMP, "
        "EVENT_TYPE (optional)");
  Files missing;
  missing.items = "ITEM_ID,GENRE\ns1,pop\n";
  CHECK(ErrorOf(missing) == "items.csv:1:1: missing column ITEM_TYPE in the header");
  Files twice;
  twice.users = "USER_ID,USER_ID\nu1,u1\n";
  CHECK(ErrorOf(twice) == "users.csv:1:9: column \"USER_ID\" appears twice");
  Files empty;
  empty.items = "";
  CHECK_THAT(ErrorOf(empty), Contains("items.csv:1:1: the file is empty"));
}

TEST_CASE("dataset error: a row with the wrong number of fields", "[dataset][errors]") {
  Files f;
  f.interactions = "USER_ID,ITEM_ID,TIMESTAMP\nu1,s1\nu1,s1,5,extra\n";
  const std::string m = ErrorOf(f);
  CHECK_THAT(m, Contains("interactions.csv:2:4: expected 3 fields, as the header has, got 2"));
  CHECK_THAT(m, Contains("interactions.csv:3:9: expected 3 fields, as the header has, got 4"));
}

TEST_CASE("dataset error: bad values name their field", "[dataset][errors]") {
  SECTION("a timestamp that is not whole seconds") {
    Files f;
    f.interactions = "USER_ID,ITEM_ID,TIMESTAMP\nu1,s1,12.5\n";
    CHECK(ErrorOf(f) ==
          "interactions.csv:2:7: TIMESTAMP must be whole seconds since the Unix epoch, got "
          "\"12.5\"");
  }
  SECTION("an unknown item type") {
    Files f;
    f.items = "ITEM_ID,ITEM_TYPE,GENRE\ns1,VIDEO,pop\ns2,SONG,rock\np1,PODCAST,news\n";
    // Only the item's own error: the interactions naming s1 are not blamed as well.
    CHECK(ErrorOf(f) == "items.csv:2:4: ITEM_TYPE must be SONG or PODCAST, got \"VIDEO\"");
  }
  SECTION("an empty genre, an empty id, a bad creation time") {
    Files f;
    f.items =
        "ITEM_ID,ITEM_TYPE,GENRE,CREATION_TIMESTAMP\ns1,SONG,,1\n,SONG,pop,1\ns3,SONG,pop,x\n";
    const std::string m = ErrorOf(f);
    CHECK_THAT(m, Contains("items.csv:2:9: GENRE must not be empty"));
    CHECK_THAT(m, Contains("items.csv:3:1: ITEM_ID must be 1 to 256 characters"));
    CHECK_THAT(m, Contains("items.csv:4:13: CREATION_TIMESTAMP must be whole seconds"));
  }
  SECTION("an item listed twice") {
    Files f;
    f.items = "ITEM_ID,ITEM_TYPE,GENRE\ns1,SONG,pop\ns1,SONG,rock\n";
    CHECK_THAT(ErrorOf(f), Contains("items.csv:3:1: item \"s1\" is listed twice"));
  }
}

TEST_CASE("dataset error: an interaction with an unknown item or user", "[dataset][errors]") {
  Files f;
  f.interactions = "USER_ID,ITEM_ID,TIMESTAMP\nu1,s9,1\nu7,s1,2\n";
  const std::string m = ErrorOf(f);
  CHECK_THAT(m, Contains("interactions.csv:2:4: unknown item \"s9\" (not in items.csv)"));
  CHECK_THAT(m, Contains("interactions.csv:3:1: unknown user \"u7\" (not in users.csv)"));
}

TEST_CASE("dataset error: no rows", "[dataset][errors]") {
  Files f;
  f.interactions = "USER_ID,ITEM_ID,TIMESTAMP\n";
  CHECK(ErrorOf(f) == "interactions.csv:1:1: no interactions: the file has only its header");
}

TEST_CASE("dataset error: at most 20 errors, then how many more", "[dataset][errors]") {
  Files f;
  f.interactions = "USER_ID,ITEM_ID,TIMESTAMP\n";
  for (int i = 0; i < 25; ++i) f.interactions += "u1,nope,1\n";
  const std::string m = ErrorOf(f);
  CHECK(std::count(m.begin(), m.end(), '\n') == 20);
  CHECK_THAT(m, Contains("... and 5 more errors not shown"));
}

// ---------------------------------------------------------------------------------------------
// A scenario's "data"

TEST_CASE("scenario data: the folder is relative to the scenario file", "[dataset][scenario]") {
  TempDir dir("meshsim_dataset_test_");
  Write(dir, Files{});
  const std::string file = dir.Write(
      "s.json", R"({"name": "r", "duration_s": 60, "data": {"dir": "d", "time_scale": 0.01},
                   "timeline": [{"at_s": 5, "action": "publish_items", "item_type": "SONG",
                                 "count": 2, "genre": "rock"}]})");
  auto s = LoadScenario(file);
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  REQUIRE(s->data.dataset);
  CHECK(s->data.time_scale == 0.01);
  CHECK(s->data.dir == dir.File("d"));
  // The population comes from the data set.
  CHECK(s->population.users == 2);
  CHECK(s->population.songs == 2);
  CHECK(s->population.podcasts == 1);
  CHECK(s->population.song_genres == std::vector<std::string>{"pop", "rock"});
}

TEST_CASE("scenario data error: CSV errors come with the scenario's errors",
          "[dataset][scenario]") {
  TempDir dir("meshsim_dataset_test_");
  Files f;
  f.items = "ITEM_ID,ITEM_TYPE,GENRE\ns1,SONG,pop\ns2,TAPE,pop\n";
  Write(dir, f);
  const std::string file =
      dir.Write("s.json", R"({"name": "r", "duration_s": 60, "data": {"dir": "d"}, "bogus": 1})");
  auto s = LoadScenario(file);
  REQUIRE_FALSE(s.ok());
  const std::string m = s.status().message();
  CHECK_THAT(m, Contains(dir.File("d/items.csv") + ":3:4: ITEM_TYPE must be SONG or PODCAST"));
  CHECK_THAT(m, Contains("s.json:1:55: at /bogus: unknown key"));
}

TEST_CASE("scenario data error: the data set replaces population and traffic",
          "[dataset][scenario]") {
  TempDir dir("meshsim_dataset_test_");
  Write(dir, Files{});
  const std::string file =
      dir.Write("s.json", R"({"name": "r", "duration_s": 60, "data": {"dir": "d"},
                   "traffic": {"events_per_second": 5},
                   "timeline": [{"at_s": 5, "action": "set_rate", "events_per_second": 1},
                                {"at_s": 6, "action": "retire_items", "item_ids": ["s1"]}]})");
  const std::string m = LoadScenario(file).status().message();
  CHECK_THAT(m, Contains("at /data: a data set replaces \"population\" and \"traffic\""));
  CHECK_THAT(m, Contains("at /timeline/0/action: the interactions are replayed from a data set"));
  CHECK_THAT(m, Contains("at /timeline/1/action: the interactions are replayed from a data set"));
}

TEST_CASE("scenario data error: a missing folder names the data/dir field", "[dataset][scenario]") {
  TempDir dir("meshsim_dataset_test_");
  const std::string file =
      dir.Write("s.json", R"({"name": "r", "duration_s": 60, "data": {"dir": "nowhere"}})");
  CHECK_THAT(
      LoadScenario(file).status().message(),
      Contains("s.json:1:42: at /data/dir: " + dir.File("nowhere/items.csv") + ": no such file"));
}

}  // namespace
}  // namespace meshsim
