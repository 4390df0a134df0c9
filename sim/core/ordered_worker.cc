#include "sim/core/ordered_worker.h"

#include <utility>

namespace meshsim {

OrderedWorker::OrderedWorker(Apply apply, size_t buffer_bytes, size_t max_queued, Idle idle)
    : apply_(std::move(apply)),
      idle_(std::move(idle)),
      buffer_bytes_(buffer_bytes),
      max_queued_(max_queued),
      thread_([this] { Work(); }) {}

OrderedWorker::~OrderedWorker() {
  Hand(false);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_worker_.notify_one();
  thread_.join();
}

void OrderedWorker::Hand(bool wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!filling_.empty()) {
    worker_done_.wait(lock, [this] { return queued_.size() < max_queued_; });
    queued_.push_back(std::move(filling_));
    if (!spare_.empty()) {
      filling_ = std::move(spare_.back());
      spare_.pop_back();
    } else {
      filling_ = Reserved(buffer_bytes_);
    }
    filling_.clear();
    wake_worker_.notify_one();
  }
  if (wait) worker_done_.wait(lock, [this] { return queued_.empty() && !applying_; });
}

void OrderedWorker::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_worker_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping, and nothing left
    std::vector<char> buffer = std::move(queued_.front());
    queued_.pop_front();
    applying_ = true;
    lock.unlock();
    apply_(buffer);
    buffer.clear();
    lock.lock();
    spare_.push_back(std::move(buffer));
    if (idle_ && queued_.empty() && !stopping_) {  // still applying_: a Drain waits for it
      lock.unlock();
      idle_();
      lock.lock();
    }
    applying_ = false;
    worker_done_.notify_all();
  }
}

}  // namespace meshsim
