// A one-line progress bar for runs long enough to wonder about: how far the simulated clock has
// got, how fast it runs against the wall clock, and a rough time left. It reads no clock and no
// environment: the caller passes the wall time and decides whether the output is a terminal
// (apps/cli/terminal.h), so it stays deterministic and testable. Not thread-safe.
#pragma once

#include <cstdint>
#include <iosfwd>

namespace meshsim {

class ProgressBar {
 public:
  // Draws nothing unless `enabled` (the CLI passes StdoutIsTerminal()). `total_sim_us` is the
  // simulated span of the run; 0 or less shows no percentage.
  ProgressBar(int64_t total_sim_us, std::ostream& out, bool enabled);
  // Calls Finish().
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Redraws the line in place, but only once the run has taken more than kDelaySeconds of wall
  // time, and at most once per kRedrawSeconds of wall time: call it as often as is convenient.
  // `wall_elapsed_s` is the wall time since the run started.
  void Update(int64_t sim_now_us, double wall_elapsed_s);

  // Clears the line, if one was drawn, so that what follows starts on a clean line. Later
  // Updates draw nothing. Idempotent.
  void Finish();

  bool drawn() const { return drawn_; }

  static constexpr double kDelaySeconds = 1.0;
  static constexpr double kRedrawSeconds = 0.1;
  static constexpr int kBarWidth = 30;

 private:
  int64_t total_sim_us_;
  std::ostream& out_;
  bool enabled_;
  bool drawn_ = false;
  bool finished_ = false;
  double last_draw_s_ = 0;
};

}  // namespace meshsim
