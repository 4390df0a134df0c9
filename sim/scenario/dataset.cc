#include "sim/scenario/dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "sim/text/csv.h"
#include "sim/text/json_source.h"

namespace meshsim {
namespace {

constexpr size_t kMaxErrors = 20;

class Errors {
 public:
  void Add(std::string message) {
    if (lines_.size() < kMaxErrors) lines_.push_back(std::move(message));
    ++count_;
  }
  void At(const std::string& file, const CsvField& f, const std::string& message) {
    Add(CsvError(file, f.line, f.column, message));
  }
  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  Status ToStatus() const {
    std::string all;
    for (const auto& l : lines_) all += (all.empty() ? "" : "\n") + l;
    if (count_ > lines_.size()) {
      all += "\n... and " + std::to_string(count_ - lines_.size()) + " more errors not shown";
    }
    return Status(Code::kValidation, all);
  }

 private:
  std::vector<std::string> lines_;
  size_t count_ = 0;
};

struct ColumnSpec {
  const char* name;
  bool required;
};

// The index of each wanted column in the header row, or -1 when an optional one is absent.
std::vector<int> ReadHeader(const std::string& file, const std::vector<CsvRow>& rows,
                            std::initializer_list<ColumnSpec> specs, Errors* errors) {
  std::vector<int> index(specs.size(), -1);
  std::string expected;
  for (const auto& s : specs) {
    expected +=
        (expected.empty() ? "" : ", ") + std::string(s.name) + (s.required ? "" : " (optional)");
  }
  if (rows.empty()) {
    errors->Add(CsvError(file, 1, 1, "the file is empty; expected a header naming " + expected));
    return index;
  }
  const CsvRow& header = rows.front();
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const CsvField& f = header.fields[c];
    size_t k = 0;
    for (const auto& s : specs) {
      if (f.value == s.name) break;
      ++k;
    }
    if (k == specs.size()) {
      errors->At(file, f, "unknown column \"" + f.value + "\"; expected " + expected);
    } else if (index[k] >= 0) {
      errors->At(file, f, "column \"" + f.value + "\" appears twice");
    } else {
      index[k] = static_cast<int>(c);
    }
  }
  size_t k = 0;
  for (const auto& s : specs) {
    if (s.required && index[k] < 0) {
      errors->Add(CsvError(file, header.line, 1,
                           "missing column " + std::string(s.name) + " in the header"));
    }
    ++k;
  }
  return index;
}

// False (with the error recorded) when the row's field count differs from the header's.
bool CheckWidth(const std::string& file, const CsvRow& row, size_t width, Errors* errors) {
  if (row.fields.size() == width) return true;
  const CsvField& at = row.fields.size() > width ? row.fields[width] : row.fields.back();
  errors->At(file, at,
             "expected " + std::to_string(width) + " fields, as the header has, got " +
                 std::to_string(row.fields.size()));
  return false;
}

// The value in column `col` of a row that may be short, or "".
std::string FieldAt(const CsvRow& row, int col) {
  return static_cast<size_t>(col) < row.fields.size() ? row.fields[static_cast<size_t>(col)].value
                                                      : "";
}

bool ReadSeconds(const std::string& file, const CsvField& f, const char* column, Errors* errors,
                 int64_t* out) {
  const char* end = f.value.data() + f.value.size();
  auto [ptr, ec] = std::from_chars(f.value.data(), end, *out);
  if (ec != std::errc() || ptr != end || f.value.empty() || *out < 0) {
    errors->At(file, f,
               std::string(column) + " must be whole seconds since the Unix epoch, got \"" +
                   f.value + "\"");
    return false;
  }
  return true;
}

bool ReadId(const std::string& file, const CsvField& f, const char* column, Errors* errors) {
  if (!f.value.empty() && f.value.size() <= 256) return true;
  errors->At(file, f, std::string(column) + " must be 1 to 256 characters");
  return false;
}

Result<std::vector<CsvRow>> Load(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseCsv(*text, path);
}

int64_t Scaled(int64_t seconds, double time_scale) {
  return std::llround(static_cast<double>(seconds) * time_scale * 1e6);
}

}  // namespace

Result<Dataset> LoadDataset(const std::string& dir, double time_scale) {
  const std::filesystem::path root(dir);
  const std::string items_file = (root / "items.csv").string();
  const std::string users_file = (root / "users.csv").string();
  const std::string interactions_file = (root / "interactions.csv").string();
  Dataset d;
  Errors errors;

  // items.csv
  auto items = Load(items_file);
  if (!items.ok()) return items.status();
  std::unordered_map<std::string, uint32_t> item_index;
  std::vector<int64_t> created_s;  // by item; -1 when not given
  // Rows with an error already reported: interactions naming them are not reported again.
  std::unordered_set<std::string> bad_items, bad_users;
  {
    const size_t before = errors.count();
    const auto col = ReadHeader(
        items_file, *items,
        {{"ITEM_ID", true}, {"ITEM_TYPE", true}, {"GENRE", true}, {"CREATION_TIMESTAMP", false}},
        &errors);
    if (errors.count() > before) return errors.ToStatus();
    for (size_t r = 1; r < items->size(); ++r) {
      const CsvRow& row = (*items)[r];
      if (!CheckWidth(items_file, row, (*items)[0].fields.size(), &errors)) {
        bad_items.insert(FieldAt(row, col[0]));
        continue;
      }
      const CsvField& id = row.fields[col[0]];
      const CsvField& type = row.fields[col[1]];
      const CsvField& genre = row.fields[col[2]];
      bool ok = ReadId(items_file, id, "ITEM_ID", &errors);
      if (ok && item_index.count(id.value)) {
        errors.At(items_file, id, "item \"" + id.value + "\" is listed twice");
        ok = false;
      }
      if (type.value != "SONG" && type.value != "PODCAST") {
        errors.At(items_file, type,
                  "ITEM_TYPE must be SONG or PODCAST, got \"" + type.value + "\"");
        ok = false;
      }
      if (genre.value.empty()) {
        errors.At(items_file, genre, "GENRE must not be empty");
        ok = false;
      }
      int64_t created = -1;
      if (col[3] >= 0 &&
          !ReadSeconds(items_file, row.fields[col[3]], "CREATION_TIMESTAMP", &errors, &created)) {
        ok = false;
      }
      if (!ok) {
        bad_items.insert(id.value);
        continue;
      }
      const ItemType t = type.value == "SONG" ? ItemType::kSong : ItemType::kPodcast;
      auto& genres = t == ItemType::kSong ? d.song_genres : d.podcast_genres;
      if (std::find(genres.begin(), genres.end(), genre.value) == genres.end()) {
        genres.push_back(genre.value);
      }
      item_index.emplace(id.value, static_cast<uint32_t>(d.items.size()));
      d.items.push_back({id.value, t, genre.value, 0});
      created_s.push_back(created);
    }
    if (items->size() <= 1 && errors.empty()) {
      errors.Add(CsvError(items_file, 1, 1, "no items: the file has only its header"));
    }
  }

  // users.csv, when there is one
  std::unordered_map<std::string, uint32_t> user_index;
  const bool have_users = std::filesystem::exists(users_file);
  if (have_users) {
    auto users = Load(users_file);
    if (!users.ok()) return users.status();
    const size_t before = errors.count();
    const auto col =
        ReadHeader(users_file, *users, {{"USER_ID", true}, {"GENRES", false}}, &errors);
    if (errors.count() > before) return errors.ToStatus();
    for (size_t r = 1; r < users->size(); ++r) {
      const CsvRow& row = (*users)[r];
      if (!CheckWidth(users_file, row, (*users)[0].fields.size(), &errors)) {
        bad_users.insert(FieldAt(row, col[0]));
        continue;
      }
      const CsvField& id = row.fields[col[0]];
      if (!ReadId(users_file, id, "USER_ID", &errors)) continue;
      if (user_index.count(id.value)) {
        errors.At(users_file, id, "user \"" + id.value + "\" is listed twice");
        continue;
      }
      user_index.emplace(id.value, static_cast<uint32_t>(d.users.size()));
      d.users.push_back({id.value, col[1] >= 0 ? row.fields[col[1]].value : "", 0});
    }
  }

  // interactions.csv
  auto interactions = Load(interactions_file);
  if (!interactions.ok()) return interactions.status();
  const size_t before = errors.count();
  const auto col = ReadHeader(
      interactions_file, *interactions,
      {{"USER_ID", true}, {"ITEM_ID", true}, {"TIMESTAMP", true}, {"EVENT_TYPE", false}}, &errors);
  if (errors.count() > before) return errors.ToStatus();
  std::vector<int64_t> seconds;
  for (size_t r = 1; r < interactions->size(); ++r) {
    const CsvRow& row = (*interactions)[r];
    if (!CheckWidth(interactions_file, row, (*interactions)[0].fields.size(), &errors)) continue;
    const CsvField& user = row.fields[col[0]];
    const CsvField& item = row.fields[col[1]];
    bool ok = ReadId(interactions_file, user, "USER_ID", &errors) &&
              ReadId(interactions_file, item, "ITEM_ID", &errors);
    int64_t ts = 0;
    ok = ReadSeconds(interactions_file, row.fields[col[2]], "TIMESTAMP", &errors, &ts) && ok;
    if (!ok) continue;
    auto it = item_index.find(item.value);
    if (it == item_index.end()) {
      if (bad_items.count(item.value)) continue;
      errors.At(interactions_file, item, "unknown item \"" + item.value + "\" (not in items.csv)");
      continue;
    }
    auto u = user_index.find(user.value);
    if (u == user_index.end()) {
      if (have_users) {
        if (bad_users.count(user.value)) continue;
        errors.At(interactions_file, user,
                  "unknown user \"" + user.value + "\" (not in users.csv)");
        continue;
      }
      u = user_index.emplace(user.value, static_cast<uint32_t>(d.users.size())).first;
      d.users.push_back({user.value, "", 0});
    }
    std::string type = "play";
    if (col[3] >= 0) {
      type = row.fields[col[3]].value;
      if (type.empty()) {
        errors.At(interactions_file, row.fields[col[3]], "EVENT_TYPE must not be empty");
        continue;
      }
    }
    auto t = std::find(d.event_types.begin(), d.event_types.end(), type);
    if (t == d.event_types.end()) t = d.event_types.insert(t, type);
    d.interactions.push_back(
        {u->second, it->second, static_cast<uint32_t>(t - d.event_types.begin()), 0, 0});
    seconds.push_back(ts);
  }
  if (interactions->size() <= 1 && errors.empty()) {
    errors.Add(CsvError(interactions_file, 1, 1, "no interactions: the file has only its header"));
  }
  if (!errors.empty()) return errors.ToStatus();

  // Replay order and times; sessions by the gap between a user's events.
  std::vector<size_t> order(d.interactions.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return seconds[a] < seconds[b]; });
  const int64_t first = seconds[order.front()];
  std::vector<DatasetInteraction> sorted;
  sorted.reserve(order.size());
  std::vector<int64_t> last_seen(d.users.size(), std::numeric_limits<int64_t>::min());
  std::vector<uint32_t> sessions(d.users.size(), 0);
  for (size_t i : order) {
    DatasetInteraction e = d.interactions[i];
    const int64_t ts = seconds[i];
    int64_t& last = last_seen[e.user];
    if (last != std::numeric_limits<int64_t>::min() && ts - last > kDatasetSessionGapSeconds) {
      ++sessions[e.user];
    }
    last = ts;
    e.session = sessions[e.user];
    e.at_us = Scaled(ts - first, time_scale);
    sorted.push_back(e);
  }
  d.interactions = std::move(sorted);
  for (size_t i = 0; i < d.items.size(); ++i) {
    d.items[i].created_us = created_s[i] > first ? Scaled(created_s[i] - first, time_scale) : 0;
  }
  return d;
}

}  // namespace meshsim
