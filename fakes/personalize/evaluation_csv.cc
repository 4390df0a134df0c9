// ReadEvalDataset (evaluation.h): the data set's CSV files, in Personalize's layout, to dense ids.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include "fakes/personalize/evaluation.h"
#include "sim/text/csv.h"

namespace meshsim::fakes::personalize {
namespace {

Status Invalid(const std::string& message) { return Status(Code::kValidation, message); }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Interns ids to 0, 1, 2, ... in first-seen order.
class Interner {
 public:
  explicit Interner(std::vector<std::string>& names) : names_(names) {}
  uint32_t Intern(const std::string& name) {
    auto [it, inserted] = ids_.try_emplace(name, static_cast<uint32_t>(names_.size()));
    if (inserted) names_.push_back(name);
    return it->second;
  }

 private:
  std::vector<std::string>& names_;
  std::unordered_map<std::string, uint32_t> ids_;
};

// A parsed file: its rows after the header, and where each named column is (-1: absent).
struct Table {
  std::vector<CsvRow> rows;  // rows[0] is the header
  std::map<std::string, int> column;
  int Find(const std::string& name) const {
    const auto it = column.find(name);
    return it == column.end() ? -1 : it->second;
  }
};

Result<Table> ReadTable(const CsvText& file, std::initializer_list<const char*> required,
                        std::string_view what) {
  auto rows = ParseCsv(file.text, file.name);
  if (!rows.ok()) return rows.status();
  Table t;
  t.rows = std::move(*rows);
  if (t.rows.empty()) {
    std::string message = "the file is empty: it needs a header row naming";
    for (const char* name : required) message.append(" ").append(name);
    return Invalid(CsvError(file.name, 1, 1, message));
  }
  const CsvRow& header = t.rows.front();
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const CsvField& cell = header.fields[c];
    if (!t.column.try_emplace(Upper(cell.value), static_cast<int>(c)).second) {
      return Invalid(CsvError(file.name, cell.line, cell.column,
                              "column " + cell.value + " appears twice in the header"));
    }
  }
  for (const char* name : required) {
    if (t.Find(name) < 0) {
      return Invalid(CsvError(file.name, header.line, 1,
                              std::string("the header has no ") + name + " column"));
    }
  }
  if (t.rows.size() == 1) {
    return Invalid(CsvError(file.name, header.line + 1, 1,
                            "no " + std::string(what) + " after the header row"));
  }
  for (size_t r = 1; r < t.rows.size(); ++r) {
    const CsvRow& row = t.rows[r];
    if (row.fields.size() != header.fields.size()) {
      return Invalid(CsvError(file.name, row.line, 1,
                              "expected " + std::to_string(header.fields.size()) +
                                  " columns, found " + std::to_string(row.fields.size())));
    }
  }
  return t;
}

Result<std::string> Id(const CsvText& file, const CsvRow& row, int column, const char* name) {
  const CsvField& cell = row.fields[static_cast<size_t>(column)];
  if (cell.value.empty()) {
    return Invalid(CsvError(file.name, cell.line, cell.column, std::string(name) + " is empty"));
  }
  return cell.value;
}

// Whole seconds since the Unix epoch, as Personalize stores TIMESTAMP and CREATION_TIMESTAMP.
Result<int64_t> Seconds(const CsvText& file, const CsvField& cell, const char* name) {
  int64_t v = 0;
  const char* end = cell.value.data() + cell.value.size();
  auto [ptr, ec] = std::from_chars(cell.value.data(), end, v);
  if (cell.value.empty() || ec != std::errc() || ptr != end) {
    return Invalid(CsvError(file.name, cell.line, cell.column,
                            std::string(name) + " \"" + cell.value +
                                "\" is not a whole number of seconds since the epoch"));
  }
  return v;
}

Result<float> Value(const CsvText& file, const CsvField& cell) {
  // strtod rather than from_chars<float>: GCC 10's library lacks the floating-point overloads.
  char* end = nullptr;
  const double v = std::strtod(cell.value.c_str(), &end);
  if (cell.value.empty() || end != cell.value.c_str() + cell.value.size() || !std::isfinite(v)) {
    return Invalid(CsvError(file.name, cell.line, cell.column,
                            "EVENT_VALUE \"" + cell.value + "\" is not a number"));
  }
  return static_cast<float>(v);
}

}  // namespace

Result<EvalDataset> ReadEvalDataset(const CsvText& interactions, const CsvText* items,
                                    const CsvText* users) {
  EvalDataset d;
  Interner user_ids(d.user_ids), item_ids(d.item_ids), event_types(d.event_types);

  auto t = ReadTable(interactions, {"USER_ID", "ITEM_ID", "TIMESTAMP"}, "interactions");
  if (!t.ok()) return t.status();
  const int user_col = t->Find("USER_ID"), item_col = t->Find("ITEM_ID");
  const int time_col = t->Find("TIMESTAMP"), type_col = t->Find("EVENT_TYPE");
  const int value_col = t->Find("EVENT_VALUE");
  d.interactions.reserve(t->rows.size() - 1);
  for (size_t r = 1; r < t->rows.size(); ++r) {
    const CsvRow& row = t->rows[r];
    auto user = Id(interactions, row, user_col, "USER_ID");
    if (!user.ok()) return user.status();
    auto item = Id(interactions, row, item_col, "ITEM_ID");
    if (!item.ok()) return item.status();
    auto ts = Seconds(interactions, row.fields[static_cast<size_t>(time_col)], "TIMESTAMP");
    if (!ts.ok()) return ts.status();
    Interaction e;
    e.user = user_ids.Intern(*user);
    e.item = item_ids.Intern(*item);
    e.timestamp = *ts;
    e.event_type =
        event_types.Intern(type_col < 0 ? "" : row.fields[static_cast<size_t>(type_col)].value);
    if (value_col >= 0 && !row.fields[static_cast<size_t>(value_col)].value.empty()) {
      auto v = Value(interactions, row.fields[static_cast<size_t>(value_col)]);
      if (!v.ok()) return v.status();
      e.event_value = *v;
    }
    d.interactions.push_back(e);
  }
  std::stable_sort(
      d.interactions.begin(), d.interactions.end(),
      [](const Interaction& a, const Interaction& b) { return a.timestamp < b.timestamp; });

  if (items != nullptr) {
    auto it = ReadTable(*items, {"ITEM_ID"}, "items");
    if (!it.ok()) return it.status();
    const int id_col = it->Find("ITEM_ID"), created_col = it->Find("CREATION_TIMESTAMP");
    std::vector<std::pair<uint32_t, int64_t>> created;
    for (size_t r = 1; r < it->rows.size(); ++r) {
      const CsvRow& row = it->rows[r];
      auto id = Id(*items, row, id_col, "ITEM_ID");
      if (!id.ok()) return id.status();
      int64_t when = kNoTimestamp;
      if (created_col >= 0 && !row.fields[static_cast<size_t>(created_col)].value.empty()) {
        auto ts =
            Seconds(*items, row.fields[static_cast<size_t>(created_col)], "CREATION_TIMESTAMP");
        if (!ts.ok()) return ts.status();
        when = *ts;
      }
      created.emplace_back(item_ids.Intern(*id), when);
    }
    d.item_creation.assign(d.item_ids.size(), kNoTimestamp);
    for (const auto& [item, when] : created) d.item_creation[item] = when;
  }

  if (users != nullptr) {
    auto ut = ReadTable(*users, {"USER_ID"}, "users");
    if (!ut.ok()) return ut.status();
    const int id_col = ut->Find("USER_ID");
    for (size_t r = 1; r < ut->rows.size(); ++r) {
      auto id = Id(*users, ut->rows[r], id_col, "USER_ID");
      if (!id.ok()) return id.status();
      user_ids.Intern(*id);
    }
  }
  return d;
}

}  // namespace meshsim::fakes::personalize
