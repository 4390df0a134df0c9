// Prepared statements, queries and transactions over SQLite for the fakes that keep their state in
// SQLite (catalog, permissions, subscriptions, the user store). Every value reaches SQLite as a
// bound parameter of a statement prepared once; nothing is spliced into SQL text.
//
#pragma once

#include <sqlite3.h>

#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace meshsim::fakes::sqlite {

// InternalServiceException: SQLite's failures are the fake's own faults.
Status Error(sqlite3* db, std::string_view what);

struct CloseDb {
  // close_v2 never leaves the handle open, even if a statement were still unfinalized.
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

// Opens (creating if needed) the database at `path` (":memory:" for none) with extended result
// codes on, and runs `schema` (statements without values) one statement at a time. `what` names
// the store in messages ("permissions").
Result<DbHandle> Open(const std::string& path, std::string_view schema, std::string_view what);

// Runs `script` (statements without values) one statement at a time through prepare and step, so
// nothing needs sqlite3_exec. `what` opens the message of any error.
Status RunScript(sqlite3* db, std::string_view script, std::string_view what);

// A prepared statement, finalized when it goes away. Prepared once and reused through Query.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }  // a no-op on nullptr

  Status Prepare(sqlite3* db, std::string_view sql);

 private:
  friend class Query;
  sqlite3_stmt* stmt_ = nullptr;
  bool in_use_ = false;
};

// One execution of a Statement: binds parameters in order, steps, reads columns. Resets the
// statement and clears its bindings when it goes away, so every early return leaves the statement
// ready for reuse and holding no lock.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(statement) {
    // Two live Queries on one Statement would reset each other's rows.
    assert(!statement_.in_use_);
    statement_.in_use_ = true;
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    sqlite3_reset(statement_.stmt_);
    sqlite3_clear_bindings(statement_.stmt_);
    statement_.in_use_ = false;
  }

  Query& Bind(std::string_view text);
  Query& Bind(int64_t value);

  // True when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  // For statements that return no rows.
  Status Run() { return Step().status(); }

  // Calls `read(*this)` on each row in turn.
  template <typename Read>
  Status ForEachRow(Read read) {
    for (;;) {
      Result<bool> row = Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      read(*this);
    }
  }

  std::string Text(int column) const;
  int64_t Int(int column) const { return sqlite3_column_int64(statement_.stmt_, column); }

 private:
  void Keep(int rc) {
    if (bind_error_ == SQLITE_OK) bind_error_ = rc;
  }

  Statement& statement_;
  int bound_ = 0;
  int bind_error_ = SQLITE_OK;
};

// BEGIN IMMEDIATE ... COMMIT over statements the owner prepared, so the checks a call makes still
// hold when it writes. Rolled back when it goes out of scope uncommitted.
class Transaction {
 public:
  Transaction(sqlite3* db, Statement& begin, Statement& commit, Statement& rollback)
      : db_(db), begin_(begin), commit_(commit), rollback_(rollback) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Begin();
  Status Commit();
  // Undoes everything since Begin() now rather than at the end of the scope.
  Status Rollback();

 private:
  sqlite3* db_;
  Statement& begin_;
  Statement& commit_;
  Statement& rollback_;
  bool open_ = false;
};

}  // namespace meshsim::fakes::sqlite
