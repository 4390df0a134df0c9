#include "fakes/storage/user_store.h"

#include <utility>

#include "fakes/sqlite/sqlite_db.h"

namespace meshsim::fakes {
namespace {

using sqlite::Query;
using sqlite::Statement;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users (
  user_id TEXT PRIMARY KEY,
  genres TEXT NOT NULL,
  created_us INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(sqlite::DbHandle db) : db_(std::move(db)) {}

  Status Prepare() {
    const std::pair<Statement*, std::string_view> statements[] = {
        {&upsert_,
         "INSERT INTO users (user_id, genres, created_us) VALUES (?, ?, ?) "
         "ON CONFLICT (user_id) DO UPDATE SET genres = excluded.genres, "
         "created_us = excluded.created_us"},
        {&select_one_, "SELECT user_id, genres, created_us FROM users WHERE user_id = ?"},
        {&delete_, "DELETE FROM users WHERE user_id = ?"},
        {&select_after_,
         "SELECT user_id, genres, created_us FROM users WHERE user_id > ? ORDER BY user_id "
         "LIMIT ?"},
    };
    for (const auto& [statement, sql] : statements) {
      if (Status s = statement->Prepare(db_.get(), sql); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status PutUser(const UserProfile& user) override {
    if (user.user_id.empty()) return Status(Code::kValidation, "user_id cannot be empty");
    return Query(upsert_).Bind(user.user_id).Bind(user.genres).Bind(user.created_us).Run();
  }
  Result<std::optional<UserProfile>> GetUser(const std::string& user_id) const override {
    Query q(select_one_);
    q.Bind(user_id);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<UserProfile>();
    return std::optional<UserProfile>(Read(q));
  }
  Status DeleteUser(const std::string& user_id) override {
    return Query(delete_).Bind(user_id).Run();
  }
  Result<std::vector<UserProfile>> ListUsers(const std::string& after_user_id,
                                             int64_t limit) const override {
    std::vector<UserProfile> users;
    Query q(select_after_);
    q.Bind(after_user_id).Bind(limit);
    if (Status s = q.ForEachRow([&](Query& row) { users.push_back(Read(row)); }); !s.ok()) {
      return s;
    }
    return users;
  }

 private:
  static UserProfile Read(const Query& row) { return {row.Text(0), row.Text(1), row.Int(2)}; }

  sqlite::DbHandle db_;
  // Prepared once; a const read still steps them.
  mutable Statement upsert_, select_one_, delete_, select_after_;
};

}  // namespace

Result<std::unique_ptr<UserStore>> MakeSqliteUserStore(const std::string& path) {
  Result<sqlite::DbHandle> db = sqlite::Open(path, kSchema, "user store");
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteUserStore>(std::move(db).value());
  if (Status s = store->Prepare(); !s.ok()) return s;
  return std::unique_ptr<UserStore>(std::move(store));
}

}  // namespace meshsim::fakes
