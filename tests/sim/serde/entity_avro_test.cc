#include "sim/serde/entity_avro.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace meshsim {

// Field-wise equality for the checks below (model.h declares none). Outside the anonymous
// namespace so that Catch finds them by argument-dependent lookup.
bool operator==(const Interaction& a, const Interaction& b) {
  return a.event_id == b.event_id && a.user_id == b.user_id && a.item_id == b.item_id &&
         a.event_type == b.event_type && a.session_id == b.session_id &&
         a.timestamp_us == b.timestamp_us;
}
bool operator==(const UserProfile& a, const UserProfile& b) {
  return a.user_id == b.user_id && a.genres == b.genres && a.created_us == b.created_us;
}
bool operator==(const CatalogItem& a, const CatalogItem& b) {
  return a.item_id == b.item_id && a.type == b.type && a.genre == b.genre &&
         a.created_us == b.created_us;
}

namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

std::string Hex(const std::string& s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// The long at the end of an encoded User with empty strings (two 0x00 lengths): the varint alone.
std::string LongBytes(int64_t v) {
  std::string out;
  EncodeUser(UserProfile{"", "", v}, &out);
  return out.substr(2);
}

TEST_CASE("codec: longs are zig-zag varints", "[codec]") {
  std::string user;
  EncodeUser(UserProfile{"", "", 1}, &user);
  REQUIRE(Hex(user) == "00 00 02");
  CHECK(Hex(LongBytes(0)) == "00");
  CHECK(Hex(LongBytes(-1)) == "01");
  CHECK(Hex(LongBytes(1)) == "02");
  CHECK(Hex(LongBytes(-2)) == "03");
  CHECK(Hex(LongBytes(63)) == "7e");
  CHECK(Hex(LongBytes(-64)) == "7f");
  CHECK(Hex(LongBytes(64)) == "80 01");
  CHECK(Hex(LongBytes(-65)) == "81 01");
  CHECK(Hex(LongBytes(8192)) == "80 80 01");
  CHECK(Hex(LongBytes(kMax)) == "fe ff ff ff ff ff ff ff ff 01");
  CHECK(Hex(LongBytes(kMin)) == "ff ff ff ff ff ff ff ff ff 01");
}

TEST_CASE("codec: exact bytes of small records", "[codec]") {
  std::string out;
  SECTION("Interaction") {
    EncodeInteraction(Interaction{"e", "u", "i", "play", "s", 1}, &out);
    CHECK(Hex(out) ==
          Hex(Bytes({0x02, 'e', 0x02, 'u', 0x02, 'i', 0x08, 'p', 'l', 'a', 'y', 0x02, 's', 0x02})));
  }
  SECTION("User") {
    EncodeUser(UserProfile{"ab", "", 64}, &out);
    CHECK(Hex(out) == Hex(Bytes({0x04, 'a', 'b', 0x00, 0x80, 0x01})));
  }
  SECTION("Item: enum by index") {
    EncodeItem(CatalogItem{"ab", ItemType::kPodcast, "x", -1}, &out);
    CHECK(Hex(out) == Hex(Bytes({0x04, 'a', 'b', 0x02, 0x02, 'x', 0x01})));
    EncodeItem(CatalogItem{"", ItemType::kSong, "", 0}, &out);
    CHECK(Hex(out) == "00 00 00 00");
  }
}

TEST_CASE("codec: encoders replace the output", "[codec]") {
  std::string out = "stale contents that must go";
  EncodeUser(UserProfile{"ab", "", 64}, &out);
  CHECK(out == Bytes({0x04, 'a', 'b', 0x00, 0x80, 0x01}));
}

TEST_CASE("codec: a long string takes a two-byte length", "[codec]") {
  const std::string long_id(200, 'x');  // 200 -> zig-zag 400 = 0x190 -> 0x90 0x03
  std::string out;
  EncodeUser(UserProfile{long_id, "", 0}, &out);
  REQUIRE(out.size() == 2 + 200 + 1 + 1);
  CHECK(static_cast<uint8_t>(out[0]) == 0x90);
  CHECK(static_cast<uint8_t>(out[1]) == 0x03);
  UserProfile back;
  REQUIRE(DecodeUser(out, &back));
  CHECK(back.user_id == long_id);
}

TEST_CASE("codec: Interaction round trips", "[codec]") {
  const std::string long_text(300, 'z');
  const std::vector<Interaction> cases = {
      {},
      {"evt-1", "user-42", "song-7", "play", "sess-9", 1'700'000'000'000'000},
      {"", "", "", "", "", 0},
      {long_text, "u", long_text + "y", "like", std::string(128, 's'), -1},
      {"e", "u", "i", "skip", "s", kMin},
      {"e", "u", "i", "skip", "s", kMax},
      {std::string("nul\0inside", 10), "\xc3\xa9t\xc3\xa9", "i", "play", "s", -123'456'789},
  };
  for (const auto& in : cases) {
    std::string bytes;
    EncodeInteraction(in, &bytes);
    Interaction out{"old", "old", "old", "old", "old", 99};  // overwritten
    INFO(Hex(bytes));
    REQUIRE(DecodeInteraction(bytes, &out));
    CHECK(out == in);
    // In place: the same fields, as views into `bytes`.
    InteractionView view;
    REQUIRE(DecodeInteraction(bytes, &view));
    CHECK(view.event_id == in.event_id);
    CHECK(view.user_id == in.user_id);
    CHECK(view.item_id == in.item_id);
    CHECK(view.event_type == in.event_type);
    CHECK(view.session_id == in.session_id);
    CHECK(view.timestamp_us == in.timestamp_us);
    if (!view.user_id.empty()) {
      CHECK(view.user_id.data() >= bytes.data());
      CHECK(view.user_id.data() + view.user_id.size() <= bytes.data() + bytes.size());
    }
  }
}

TEST_CASE("codec: User round trips", "[codec]") {
  const std::vector<UserProfile> cases = {
      {},
      {"user-1", "pop|rock", 1'700'000'000'000'000},
      {"", "", -1},
      {std::string(1000, 'u'), std::string(127, 'g'), kMin},
      {"u", std::string(128, 'g'), kMax},
  };
  for (const auto& in : cases) {
    std::string bytes;
    EncodeUser(in, &bytes);
    UserProfile out{"old", "old", 5};
    REQUIRE(DecodeUser(bytes, &out));
    CHECK(out == in);
  }
}

TEST_CASE("codec: Item round trips", "[codec]") {
  const std::vector<CatalogItem> cases = {
      {},
      {"song-1", ItemType::kSong, "jazz", 1'700'000'000'000'000},
      {"pod-1", ItemType::kPodcast, "true-crime", -42},
      {"", ItemType::kPodcast, "", 0},
      {std::string(500, 'i'), ItemType::kSong, std::string(200, 'g'), kMin},
      {"x", ItemType::kPodcast, "y", kMax},
  };
  for (const auto& in : cases) {
    std::string bytes;
    EncodeItem(in, &bytes);
    CatalogItem out{"old", ItemType::kSong, "old", 5};
    REQUIRE(DecodeItem(bytes, &out));
    CHECK(out == in);
  }
}

TEST_CASE("codec: every truncation is rejected", "[codec]") {
  std::string interaction, user, item;
  EncodeInteraction(Interaction{"evt", "usr", "itm", "play", "ses", 1'700'000'000'000'000},
                    &interaction);
  EncodeUser(UserProfile{std::string(130, 'u'), "pop", -5'000'000}, &user);
  EncodeItem(CatalogItem{"itm", ItemType::kPodcast, "news", 123'456'789}, &item);
  Interaction i;
  UserProfile u;
  CatalogItem c;
  for (size_t n = 0; n < interaction.size(); ++n) {
    INFO("interaction prefix " << n);
    CHECK_FALSE(DecodeInteraction(std::string_view(interaction).substr(0, n), &i));
    InteractionView view;
    CHECK_FALSE(DecodeInteraction(std::string_view(interaction).substr(0, n), &view));
  }
  for (size_t n = 0; n < user.size(); ++n) {
    INFO("user prefix " << n);
    CHECK_FALSE(DecodeUser(std::string_view(user).substr(0, n), &u));
  }
  for (size_t n = 0; n < item.size(); ++n) {
    INFO("item prefix " << n);
    CHECK_FALSE(DecodeItem(std::string_view(item).substr(0, n), &c));
  }
}

TEST_CASE("codec: trailing bytes are rejected", "[codec]") {
  std::string bytes;
  EncodeInteraction(Interaction{"e", "u", "i", "play", "s", 1}, &bytes);
  Interaction i;
  REQUIRE(DecodeInteraction(bytes, &i));
  CHECK_FALSE(DecodeInteraction(bytes + '\0', &i));
  CHECK_FALSE(DecodeInteraction(bytes + bytes, &i));

  EncodeUser(UserProfile{"u", "g", 1}, &bytes);
  UserProfile u;
  CHECK_FALSE(DecodeUser(bytes + 'x', &u));

  EncodeItem(CatalogItem{"i", ItemType::kSong, "g", 1}, &bytes);
  CatalogItem c;
  CHECK_FALSE(DecodeItem(bytes + '\x02', &c));
}

TEST_CASE("codec: an enum index out of range is rejected", "[codec]") {
  CatalogItem c;
  // item_id "a", item_type, genre "g", timestamp 0.
  CHECK(DecodeItem(Bytes({0x02, 'a', 0x00, 0x02, 'g', 0x00}), &c));  // 0 = SONG
  CHECK(c.type == ItemType::kSong);
  CHECK(DecodeItem(Bytes({0x02, 'a', 0x02, 0x02, 'g', 0x00}), &c));  // 1 = PODCAST
  CHECK(c.type == ItemType::kPodcast);
  CHECK_FALSE(DecodeItem(Bytes({0x02, 'a', 0x04, 0x02, 'g', 0x00}), &c));        // 2
  CHECK_FALSE(DecodeItem(Bytes({0x02, 'a', 0x01, 0x02, 'g', 0x00}), &c));        // -1
  CHECK_FALSE(DecodeItem(Bytes({0x02, 'a', 0x80, 0x01, 0x02, 'g', 0x00}), &c));  // 64
}

TEST_CASE("codec: malformed lengths and varints are rejected", "[codec]") {
  UserProfile u;
  // A negative string length (-1).
  CHECK_FALSE(DecodeUser(Bytes({0x01, 0x00, 0x00}), &u));
  // A length longer than what follows.
  CHECK_FALSE(DecodeUser(Bytes({0x0a, 'a', 'b', 0x00, 0x00}), &u));
  // A huge length that would overflow a naive bounds check.
  CHECK_FALSE(DecodeUser(
      Bytes({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00}), &u));
  // A varint that never ends within 10 bytes.
  CHECK_FALSE(DecodeUser(
      Bytes({0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), &u));
  // A varint cut off by the end of input.
  CHECK_FALSE(DecodeUser(Bytes({0x00, 0x00, 0x80}), &u));
}

TEST_CASE("codec: the schemas are JSON naming the fields in encoding order", "[codec]") {
  struct Case {
    std::string_view json;
    std::string name;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {InteractionSchemaJson(),
       "Interaction",
       {"event_id", "user_id", "item_id", "event_type", "session_id", "timestamp"}},
      {UserSchemaJson(), "User", {"user_id", "genres", "creation_timestamp"}},
      {ItemSchemaJson(), "Item", {"item_id", "item_type", "genre", "creation_timestamp"}},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    nlohmann::json schema;
    REQUIRE_NOTHROW(schema = nlohmann::json::parse(c.json));
    CHECK(schema["type"] == "record");
    CHECK(schema["name"] == c.name);
    CHECK(schema["namespace"] == "meshsim");
    REQUIRE(schema["fields"].is_array());
    std::vector<std::string> names;
    for (const auto& f : schema["fields"]) names.push_back(f["name"].get<std::string>());
    CHECK(names == c.fields);
  }
  const auto item = nlohmann::json::parse(ItemSchemaJson());
  const auto& item_type = item["fields"][1]["type"];
  CHECK(item_type["type"] == "enum");
  // Symbol order is the index on the wire.
  CHECK(item_type["symbols"] == nlohmann::json::array({"SONG", "PODCAST"}));
  CHECK(item["fields"][3]["type"]["logicalType"] == "timestamp-micros");
}

}  // namespace
}  // namespace meshsim
