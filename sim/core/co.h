// Co<T>: a coroutine that runs on the runtime's thread and may wait, without blocking it, on calls
// a real service answers across a network (a port's ...Async forms, which take a Done<T>).
//
// A sequence of such calls reads as the blocking code it replaces:
//
//   Co<Status> Publish(Catalog& catalog, Table table) {
//     Result<Table> existing = co_await Await<Result<Table>>(
//         [&](Done<Result<Table>> done) { catalog.GetTableAsync(db, name, std::move(done)); });
//     ...
//     co_return OkStatus();
//   }
//   Spawn(Publish(catalog, table), [](Status s) { ... });
//
// No scheduler of its own and no reordering: a Co starts when it is awaited (or Spawned) and runs
// inline until an operation has not answered yet; then it is suspended and resumes inside that
// operation's `done`, on whatever thread calls it (a port's contract: the runtime's). When every
// operation answers at once, as the in-process fakes do, the whole sequence runs inline within
// Spawn, exactly as the blocking code did, so a virtual-clock run is unchanged.
//
// Errors are values (Status, Result<T>); an exception escaping a Co terminates.
//
// GCC 12: write each co_await as a statement of its own (`T x = co_await ...;`, `x = co_await
// ...;`, `co_return co_await ...;`). Inside ?:, an if's init-statement, or next to a braced list
// in the same expression it miscompiles (a bad free at run time; "array used as initializer").
#pragma once

#include <cassert>
#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace meshsim {

// How an asynchronous port call answers: called once, with the call's result.
template <typename T>
using Done = std::function<void(T)>;

template <typename T>
class [[nodiscard]] Co {
 public:
  struct promise_type {
    std::optional<T> value;
    std::coroutine_handle<> continuation;

    // True while the awaiting coroutine is still inside await_suspend, resuming this one: an
    // end then is not a resumption of the awaiting one (it just goes on).
    bool started_inline = false;

    Co get_return_object() { return Co(Handle::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    auto final_suspend() noexcept {
      struct ToContinuation {
        bool await_ready() noexcept { return false; }
        std::coroutine_handle<> await_suspend(Handle self) noexcept {
          const promise_type& p = self.promise();
          if (p.started_inline || !p.continuation) return std::noop_coroutine();
          return p.continuation;
        }
        void await_resume() noexcept {}
      };
      return ToContinuation{};
    }
    void return_value(T v) { value.emplace(std::move(v)); }
    void unhandled_exception() noexcept { std::terminate(); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Co(Co&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Co& operator=(Co&&) = delete;
  Co(const Co&) = delete;
  ~Co() {
    if (handle_) handle_.destroy();
  }

  // co_await: runs this coroutine now. When it ends within that (every call it waited on answered
  // at once), the awaiting one goes on without having been suspended; else it is resumed when
  // this one ends. Not symmetric transfer: that keeps the stack flat only where the compiler
  // makes the transfer a tail call (GCC at -O2, not -O1 or under ASan), and a loop of inline
  // answers would grow the stack by a frame each.
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> awaiting) {
    promise_type& p = handle_.promise();
    p.continuation = awaiting;
    p.started_inline = true;
    handle_.resume();
    p.started_inline = false;
    return !handle_.done();  // done: at its final suspend point, its value set
  }
  T await_resume() { return std::move(*handle_.promise().value); }

 private:
  explicit Co(Handle handle) : handle_(handle) {}
  Handle handle_;
};

namespace co_internal {

// Owns itself: created running, destroyed when its body ends.
struct Detached {
  struct promise_type {
    Detached get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

template <typename T>
Detached Run(Co<T> co, Done<T> done) {
  done(co_await std::move(co));
}

}  // namespace co_internal

// Runs `co` now, and `done` with its result when it ends: before Spawn returns when every call it
// waits on answers at once. The coroutine's frame lives until then on its own.
template <typename T>
void Spawn(Co<T> co, Done<T> done) {
  co_internal::Run<T>(std::move(co), std::move(done));
}

// co_await Await<T>(start): calls `start(done)`, which begins an operation that answers through
// `done`, and gives what it answers. Not suspended at all when `done` runs within `start`.
template <typename T>
class [[nodiscard]] Await {
 public:
  explicit Await(std::function<void(Done<T>)> start) : start_(std::move(start)) {}

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> awaiting) {
    awaiting_ = awaiting;
    starting_ = true;
    start_([this](T value) {
      assert(!value_ && "an operation answered twice");
      value_.emplace(std::move(value));
      if (!starting_) awaiting_.resume();
    });
    starting_ = false;
    return !value_;  // answered already: go on without suspending
  }
  T await_resume() { return std::move(*value_); }

 private:
  std::function<void(Done<T>)> start_;
  std::coroutine_handle<> awaiting_;
  std::optional<T> value_;
  bool starting_ = false;
};

namespace co_internal {

template <typename D>
struct DoneArgument;
template <typename T>
struct DoneArgument<std::function<void(T)>> {
  using type = T;
};

// The T of a port call `void (C::*)(..., Done<T>) [const]`.
template <typename F>
struct Answer;
template <typename C, typename... P>
struct Answer<void (C::*)(P...)> {
  using type = typename DoneArgument<
      std::remove_cvref_t<std::tuple_element_t<sizeof...(P) - 1, std::tuple<P...>>>>::type;
};
template <typename C, typename... P>
struct Answer<void (C::*)(P...) const> : Answer<void (C::*)(P...)> {};

}  // namespace co_internal

// co_await Call<&Catalog::GetTableAsync>(catalog, database, name): awaits a port's asynchronous
// call. The arguments are copied, so they may be temporaries; `object` must outlive the call.
template <auto Fn, typename C, typename... Args>
auto Call(C& object, Args&&... args) {
  using T = typename co_internal::Answer<decltype(Fn)>::type;
  return Await<T>([&object, ... args = std::forward<Args>(args)](Done<T> done) mutable {
    (object.*Fn)(args..., std::move(done));
  });
}

}  // namespace meshsim
