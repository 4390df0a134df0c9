// The SQLite catalog's SearchTables: text found in SQL (LIKE over the current versions), then
// Glue's property filters and sort applied to the tables found.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/glue_catalog/catalog_impl.h"
#include "fakes/glue_catalog/catalog_rules.h"
#include "sim/text/ascii.h"

namespace meshsim::fakes::internal {
namespace {

// The user's text as a LIKE pattern matching it anywhere, with LIKE's wildcards (and the escape
// character itself) escaped so that "50%" finds "50%" and not "500".
std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

// Glue's fuzzy match for a string property: the value equals the field, or one of the field's
// tokens (the field split at punctuation). Case-blind.
bool TokenMatch(std::string_view field, std::string_view value) {
  std::string f = AsciiLower(field), v = AsciiLower(value);
  if (f == v) return true;
  size_t start = 0;
  for (size_t i = 0; i <= f.size(); ++i) {
    if (i == f.size() || !IsTokenChar(f[i])) {
      if (i > start && std::string_view(f).substr(start, i - start) == v) return true;
      start = i + 1;
    }
  }
  return false;
}

// The table's values for a filter key; false for a key Glue's SearchTables does not know here.
bool FieldsOf(const Table& table, std::string_view key, std::vector<std::string>* out) {
  if (key == "Name") {
    out->push_back(table.name);
  } else if (key == "DatabaseName") {
    out->push_back(table.database);
  } else if (key == "Owner") {
    out->push_back(table.owner_domain);
  } else if (key == "Description") {
    out->push_back(table.description);
  } else if (key == "ColumnName") {
    for (const Column& c : table.columns) out->push_back(c.name);
    for (const Column& c : table.partition_keys) out->push_back(c.name);
  } else {
    return false;
  }
  return true;
}

// Quoted search text: the whole of one field, case-blind.
bool ExactTextMatch(const Table& table, std::string_view text) {
  std::string wanted = AsciiLower(text);
  auto same = [&](const std::string& field) { return AsciiLower(field) == wanted; };
  if (same(table.name) || same(table.description) || same(table.owner_domain)) return true;
  return std::any_of(table.columns.begin(), table.columns.end(),
                     [&](const Column& c) { return same(c.name); }) ||
         std::any_of(table.partition_keys.begin(), table.partition_keys.end(),
                     [&](const Column& c) { return same(c.name); });
}

}  // namespace

Result<std::vector<Table>> SqliteCatalog::SearchTables(const std::string& text) const {
  TableSearch search;
  search.text = text;
  return SearchTables(search);
}

Result<std::vector<Table>> SqliteCatalog::SearchTables(const TableSearch& search) const {
  // Checked before any reading, so a bad request fails the same on an empty catalog.
  std::vector<std::string> scratch;
  static const Table kProbe;
  for (const SearchFilter& filter : search.filters) {
    if (!FieldsOf(kProbe, filter.key, &scratch)) {
      return Status(Code::kInvalidInput,
                    "Filters key " + filter.key +
                        " is not one of Name, DatabaseName, Owner, Description, ColumnName");
    }
  }
  const std::string& field = search.sort_field;
  if (!field.empty() && field != "Name" && field != "DatabaseName" && field != "Owner") {
    return Status(Code::kInvalidInput,
                  "SortCriteria FieldName " + field + " is not one of Name, DatabaseName, Owner");
  }

  std::string_view text = search.text;
  const bool exact = text.size() >= 2 && text.front() == '"' && text.back() == '"';
  if (exact) text = text.substr(1, text.size() - 2);
  Query select(search_tables_);
  select.Bind(ContainsPattern(text));
  Result<std::vector<Table>> found = ReadCurrent(select);
  if (!found.ok()) return found;

  std::vector<Table> out;
  for (Table& table : *found) {
    if (exact && !ExactTextMatch(table, text)) continue;
    bool keep = std::all_of(search.filters.begin(), search.filters.end(), [&](const auto& filter) {
      std::vector<std::string> fields;
      FieldsOf(table, filter.key, &fields);
      return std::any_of(fields.begin(), fields.end(),
                         [&](const std::string& f) { return TokenMatch(f, filter.value); });
    });
    if (keep) out.push_back(std::move(table));
  }
  if (!field.empty()) {
    auto key = [&](const Table& t) {
      return field == "Name" ? t.name : field == "DatabaseName" ? t.database : t.owner_domain;
    };
    // Stable, so ties keep the database-then-name order.
    std::stable_sort(out.begin(), out.end(), [&](const Table& a, const Table& b) {
      return search.descending ? key(b) < key(a) : key(a) < key(b);
    });
  }
  return out;
}

}  // namespace meshsim::fakes::internal
