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

// A file's rows (rows[0] the header) and, by ColumnSpec, where each column is (-1: absent).
struct Table {
  std::string file;
  std::vector<CsvRow> rows;
  std::vector<int> column;
  size_t width() const { return rows.front().fields.size(); }
};

// LoadDataset's steps: items.csv, users.csv when there is one, interactions.csv, then the replay
// order. Each file's errors are collected, as many as there are, and reported together.
class DatasetLoader {
 public:
  explicit DatasetLoader(double time_scale) : time_scale_(time_scale) {}

  // Each returns the error that stops the load at once (a file that cannot be read, a bad
  // header); row errors are collected and reported by Finish.
  Status ReadItems(const std::string& file) {
    return ReadFile(
        file,
        {{"ITEM_ID", true}, {"ITEM_TYPE", true}, {"GENRE", true}, {"CREATION_TIMESTAMP", false}},
        &DatasetLoader::ReadItem, "items", &bad_items_);
  }
  Status ReadUsers(const std::string& file) {
    have_users_ = true;
    return ReadFile(file, {{"USER_ID", true}, {"GENRES", false}}, &DatasetLoader::ReadUser, nullptr,
                    &bad_users_);
  }
  Status ReadInteractions(const std::string& file) {
    return ReadFile(
        file, {{"USER_ID", true}, {"ITEM_ID", true}, {"TIMESTAMP", true}, {"EVENT_TYPE", false}},
        &DatasetLoader::ReadInteraction, "interactions", nullptr);
  }
  Result<Dataset> Finish();

 private:
  using RowReader = void (DatasetLoader::*)(const Table& t, const CsvRow& row);
  // Reads the file's header, then each row as wide as the header with `read_row`. An error when
  // the file cannot be read or its header has one. `rows_required` names the rows when the file
  // must have some, else null; the first column of a row of the wrong width goes to `bad_ids`
  // unless it is null.
  Status ReadFile(const std::string& file, std::initializer_list<ColumnSpec> specs,
                  RowReader read_row, const char* rows_required,
                  std::unordered_set<std::string>* bad_ids);
  // Each reads one row, as wide as the header, into the data set or the errors.
  void ReadItem(const Table& t, const CsvRow& row);
  void ReadUser(const Table& t, const CsvRow& row);
  void ReadInteraction(const Table& t, const CsvRow& row);
  // The user an interaction names; false (with the error recorded) for an unknown one.
  bool UserOf(const std::string& file, const CsvField& user, uint32_t* index);
  uint32_t EventTypeOf(const std::string& type);
  void Replay();

  const double time_scale_;
  Dataset dataset_;
  Errors errors_;
  std::unordered_map<std::string, uint32_t> item_index_, user_index_;
  std::vector<int64_t> created_s_;  // by item; -1 when not given
  // Rows with an error already reported: interactions naming them are not reported again.
  std::unordered_set<std::string> bad_items_, bad_users_;
  bool have_users_ = false;       // users.csv lists the users
  std::vector<int64_t> seconds_;  // by interaction, its TIMESTAMP
};

Status DatasetLoader::ReadFile(const std::string& file, std::initializer_list<ColumnSpec> specs,
                               RowReader read_row, const char* rows_required,
                               std::unordered_set<std::string>* bad_ids) {
  auto rows = Load(file);
  if (!rows.ok()) return rows.status();
  const size_t before = errors_.count();
  Table t{file, std::move(*rows), {}};
  t.column = ReadHeader(file, t.rows, specs, &errors_);
  if (errors_.count() > before) return errors_.ToStatus();
  for (size_t r = 1; r < t.rows.size(); ++r) {
    const CsvRow& row = t.rows[r];
    if (CheckWidth(file, row, t.width(), &errors_)) {
      (this->*read_row)(t, row);
    } else if (bad_ids != nullptr) {
      bad_ids->insert(FieldAt(row, t.column[0]));
    }
  }
  if (rows_required != nullptr && t.rows.size() <= 1 && errors_.empty()) {
    std::string message = "no ";
    message.append(rows_required).append(": the file has only its header");
    errors_.Add(CsvError(file, 1, 1, message));
  }
  return Status::Ok();
}

void DatasetLoader::ReadItem(const Table& t, const CsvRow& row) {
  const auto& col = t.column;
  const CsvField& id = row.fields[col[0]];
  const CsvField& type = row.fields[col[1]];
  const CsvField& genre = row.fields[col[2]];
  bool ok = ReadId(t.file, id, "ITEM_ID", &errors_);
  if (ok && item_index_.count(id.value)) {
    errors_.At(t.file, id, "item \"" + id.value + "\" is listed twice");
    ok = false;
  }
  if (type.value != "SONG" && type.value != "PODCAST") {
    errors_.At(t.file, type, "ITEM_TYPE must be SONG or PODCAST, got \"" + type.value + "\"");
    ok = false;
  }
  if (genre.value.empty()) {
    errors_.At(t.file, genre, "GENRE must not be empty");
    ok = false;
  }
  int64_t created = -1;
  if (col[3] >= 0 &&
      !ReadSeconds(t.file, row.fields[col[3]], "CREATION_TIMESTAMP", &errors_, &created)) {
    ok = false;
  }
  if (!ok) {
    bad_items_.insert(id.value);
    return;
  }
  const ItemType item_type = type.value == "SONG" ? ItemType::kSong : ItemType::kPodcast;
  auto& genres = item_type == ItemType::kSong ? dataset_.song_genres : dataset_.podcast_genres;
  if (std::find(genres.begin(), genres.end(), genre.value) == genres.end()) {
    genres.push_back(genre.value);
  }
  item_index_.emplace(id.value, static_cast<uint32_t>(dataset_.items.size()));
  dataset_.items.push_back({id.value, item_type, genre.value, 0});
  created_s_.push_back(created);
}

void DatasetLoader::ReadUser(const Table& t, const CsvRow& row) {
  const auto& col = t.column;
  const CsvField& id = row.fields[col[0]];
  if (!ReadId(t.file, id, "USER_ID", &errors_)) return;
  if (user_index_.count(id.value)) {
    errors_.At(t.file, id, "user \"" + id.value + "\" is listed twice");
    return;
  }
  user_index_.emplace(id.value, static_cast<uint32_t>(dataset_.users.size()));
  dataset_.users.push_back({id.value, col[1] >= 0 ? row.fields[col[1]].value : "", 0});
}

void DatasetLoader::ReadInteraction(const Table& t, const CsvRow& row) {
  const auto& col = t.column;
  const CsvField& user = row.fields[col[0]];
  const CsvField& item = row.fields[col[1]];
  bool ok = ReadId(t.file, user, "USER_ID", &errors_) && ReadId(t.file, item, "ITEM_ID", &errors_);
  int64_t ts = 0;
  ok = ReadSeconds(t.file, row.fields[col[2]], "TIMESTAMP", &errors_, &ts) && ok;
  if (!ok) return;
  auto it = item_index_.find(item.value);
  if (it == item_index_.end()) {
    if (bad_items_.count(item.value)) return;
    errors_.At(t.file, item, "unknown item \"" + item.value + "\" (not in items.csv)");
    return;
  }
  uint32_t user_index = 0;
  if (!UserOf(t.file, user, &user_index)) return;
  std::string type = "play";
  if (col[3] >= 0) {
    type = row.fields[col[3]].value;
    if (type.empty()) {
      errors_.At(t.file, row.fields[col[3]], "EVENT_TYPE must not be empty");
      return;
    }
  }
  dataset_.interactions.push_back({user_index, it->second, EventTypeOf(type), 0, 0});
  seconds_.push_back(ts);
}

bool DatasetLoader::UserOf(const std::string& file, const CsvField& user, uint32_t* index) {
  auto u = user_index_.find(user.value);
  if (u == user_index_.end()) {
    if (have_users_) {
      if (bad_users_.count(user.value)) return false;
      errors_.At(file, user, "unknown user \"" + user.value + "\" (not in users.csv)");
      return false;
    }
    // Without users.csv, the users are the ones the interactions name.
    u = user_index_.emplace(user.value, static_cast<uint32_t>(dataset_.users.size())).first;
    dataset_.users.push_back({user.value, "", 0});
  }
  *index = u->second;
  return true;
}

uint32_t DatasetLoader::EventTypeOf(const std::string& type) {
  auto& types = dataset_.event_types;
  auto t = std::find(types.begin(), types.end(), type);
  if (t == types.end()) t = types.insert(t, type);
  return static_cast<uint32_t>(t - types.begin());
}

Result<Dataset> DatasetLoader::Finish() {
  if (!errors_.empty()) return errors_.ToStatus();
  Replay();
  return std::move(dataset_);
}

// Replay order and times; sessions by the gap between a user's events.
void DatasetLoader::Replay() {
  std::vector<size_t> order(dataset_.interactions.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return seconds_[a] < seconds_[b]; });
  const int64_t first = seconds_[order.front()];
  std::vector<DatasetInteraction> sorted;
  sorted.reserve(order.size());
  std::vector<int64_t> last_seen(dataset_.users.size(), std::numeric_limits<int64_t>::min());
  std::vector<uint32_t> sessions(dataset_.users.size(), 0);
  for (size_t i : order) {
    DatasetInteraction e = dataset_.interactions[i];
    const int64_t ts = seconds_[i];
    int64_t& last = last_seen[e.user];
    if (last != std::numeric_limits<int64_t>::min() && ts - last > kDatasetSessionGapSeconds) {
      ++sessions[e.user];
    }
    last = ts;
    e.session = sessions[e.user];
    e.at_us = Scaled(ts - first, time_scale_);
    sorted.push_back(e);
  }
  dataset_.interactions = std::move(sorted);
  for (size_t i = 0; i < dataset_.items.size(); ++i) {
    dataset_.items[i].created_us =
        created_s_[i] > first ? Scaled(created_s_[i] - first, time_scale_) : 0;
  }
}

}  // namespace

Result<Dataset> LoadDataset(const std::string& dir, double time_scale) {
  const std::filesystem::path root(dir);
  DatasetLoader loader(time_scale);
  if (Status s = loader.ReadItems((root / "items.csv").string()); !s.ok()) return s;
  const std::string users = (root / "users.csv").string();
  if (std::filesystem::exists(users)) {
    if (Status s = loader.ReadUsers(users); !s.ok()) return s;
  }
  if (Status s = loader.ReadInteractions((root / "interactions.csv").string()); !s.ok()) return s;
  return loader.Finish();
}

}  // namespace meshsim
